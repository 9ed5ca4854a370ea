import type { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentAuthPolicy,
  type AgentAuthPolicyProps,
  AgentServingEndpoint,
  AgentStackContext,
  GenieResourceBundle,
  LakebaseInstance,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
} from "../../lib";

/** The six Genie spaces of seed 000's health-monitor agent: domain, space id, tables. */
export const HEALTH_MONITOR_SPACES: readonly {
  domain: string;
  spaceId: string;
  tables: string[];
  functions?: string[];
}[] = [
  {
    domain: "cost",
    spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d01",
    tables: ["main.health_monitor.fact_usage", "main.health_monitor.dim_sku_prices"],
    functions: ["main.health_monitor.cost_by_sku"],
  },
  {
    domain: "security",
    spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d02",
    tables: ["main.health_monitor.fact_audit_events"],
  },
  {
    domain: "performance",
    spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d03",
    tables: ["main.health_monitor.fact_query_history", "main.health_monitor.fact_warehouse_events"],
  },
  {
    domain: "reliability",
    spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d04",
    tables: ["main.health_monitor.fact_job_runs"],
  },
  {
    domain: "quality",
    spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d05",
    tables: ["main.health_monitor.fact_dq_results"],
  },
  {
    domain: "unified",
    spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d06",
    tables: [
      "main.health_monitor.fact_usage",
      "main.health_monitor.fact_audit_events",
      "main.health_monitor.fact_job_runs",
    ],
  },
];

/**
 * Seed 000: the Databricks health-monitor agent. Six Genie spaces on one shared warehouse, an LLM
 * endpoint and Lakebase memory. Everything is declared for passthrough (evaluation runs as the
 * service principal) and the Genie spaces and the LLM also on behalf of the user (serving runs as
 * the caller): the fallback warning DBA-AUTH-001 is acknowledged with the seed's reason.
 */
export class HealthMonitorStack extends TerraformStack {
  readonly endpoint: AgentServingEndpoint;
  readonly policy: AgentAuthPolicy;

  /**
   * @param policyOverrides changes to the policy's props, for tests that break a dependency
   */
  constructor(scope: Construct, id = "health-monitor", policyOverrides: Partial<AgentAuthPolicyProps> = {}) {
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
      mlflowVersion: "3.3.2",
      ...policyOverrides,
    });
    AgentStackContext.of(this).acknowledge(
      this.policy,
      "DBA-AUTH-001",
      "Seed 000: evaluation and notebooks must run as the service principal; Model Serving runs on behalf of the user.",
    );

    this.endpoint = new AgentServingEndpoint(this, "HealthMonitor", {
      name: "health-monitor-agent",
      model: { name: "main.agents.health_monitor_agent", version: "7" },
      workloadSize: "Small",
      scaleToZero: true,
      authPolicy: this.policy,
      environment: { LOG_LEVEL: "info", ENABLE_MLFLOW_TRACING: "true" },
      tags: { team: "platform", agent: "health-monitor" },
      consumers: [Principal.group("platform-health-readers")],
      managers: [Principal.group("platform-admins")],
      deployer: Principal.servicePrincipal("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"),
    });
  }
}
