/**
 * Seed 000's health-monitor agent on Databricks Apps, from the same declarations as the Model Serving
 * example (examples/health-monitor): six Genie spaces on one shared warehouse, an LLM endpoint and
 * Lakebase memory, everything for the app's own identity and the Genie spaces and the LLM also on
 * behalf of the user.
 *
 * What the app's identity reaches becomes app resources (the spaces, the warehouse, the LLM, the
 * Lakebase database); what no app resource expresses (each space's tables and the cost function, their
 * catalog and schema) goes through the grant plan to the app's service principal: the part the Agent
 * Bricks CLI never discovers. The consumers get CAN_USE on the app and their own access to every space
 * and its downstream; `user_api_scopes` is `genie` and `model-serving`.
 */
import type { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentApp,
  AgentAuthPolicy,
  type AgentAppProps,
  AgentStackContext,
  GenieResourceBundle,
  LakebaseInstance,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
} from "../../lib";
import { HEALTH_MONITOR_SPACES } from "../health-monitor/stack";

/** Seed 000 on Databricks Apps. */
export class HealthMonitorAppStack extends TerraformStack {
  readonly app: AgentApp;
  readonly policy: AgentAuthPolicy;

  /**
   * @param appOverrides changes to the app's props, for tests that break a dependency
   */
  constructor(scope: Construct, id = "health-monitor-app", appOverrides: Partial<AgentAppProps> = {}) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new DatabricksProvider(this, "databricks", {});

    const warehouse = SqlWarehouse.fromId("4b9b953939869799");
    const llm = ServingEndpoint.fromName("databricks-claude-sonnet-4");
    const memory = LakebaseInstance.fromName("health-monitor-memory");
    const genie = HEALTH_MONITOR_SPACES.map(
      (s) =>
        new GenieResourceBundle(this, `${s.domain[0]!.toUpperCase()}${s.domain.slice(1)}Genie`, {
          domain: s.domain,
          spaceId: s.spaceId,
          warehouse,
          tables: s.tables,
          functions: s.functions,
        }),
    );

    this.policy = new AgentAuthPolicy(this, "Policy", {
      system: [llm, memory, ...genie],
      onBehalfOfUser: [llm, ...genie],
    });
    const context = AgentStackContext.of(this);
    context.acknowledge(
      this.policy,
      "DBA-AUTH-001",
      "Seed 000: evaluation and scheduled checks run as the app's identity; users query as themselves.",
    );

    this.app = new AgentApp(this, "HealthMonitorApp", {
      name: "health-monitor",
      description: "Databricks health-monitor agent (seed 000)",
      authPolicy: this.policy,
      environment: { LOG_LEVEL: "info", ENABLE_MLFLOW_TRACING: "true" },
      consumers: [Principal.group("platform-health-readers")],
      managers: [Principal.group("platform-admins")],
      deployer: Principal.servicePrincipal("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"),
      ...appOverrides,
    });
    context.acknowledge(
      this.app,
      "DBA-APP-011",
      "Seed 000: the app's identity is the fallback for scheduled checks; interactive users always forward their token.",
    );
  }
}
