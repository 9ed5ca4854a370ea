/**
 * Seed 003, "Manual authentication": an agent that calls an external weather API through a Unity
 * Catalog connection and authenticates with OAuth credentials of its own service principal, read
 * from Databricks secrets (`DATABRICKS_CLIENT_ID` / `DATABRICKS_CLIENT_SECRET` as
 * `{{secrets/<scope>/<key>}}`), with `DATABRICKS_HOST` as a plain variable, exactly as the seed's
 * `agents.deploy(..., environment_vars={...})` does.
 *
 * The seed's warning is the point of this example: "Overriding security environment variables
 * disables automatic passthrough for other resources your agent depends on." With these variables
 * set, the Databricks SDK inside the endpoint uses OAuth M2M as the manual service principal for
 * *every* call, so the UC connection and the LLM declared for passthrough are no longer reached with
 * the credentials Databricks injects. Rule DBA-SEC-002 fails synth on that; this stack acknowledges
 * it because it also does the second half of the rule's fix (seed 003 step 2): it grants the manual
 * service principal itself what each declared dependency needs (USE_CONNECTION on the connection,
 * CAN_QUERY on the LLM). The dependencies stay declared so that Databricks still checks the
 * deployer's access at creation and the logged model keeps an accurate resource list.
 *
 * Not handled by the library yet: the endpoint's creator needs READ on the secret scope
 * (REFERENCE.md); grant it outside this stack.
 */
import type { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  Principal,
  SecretRef,
  ServingEndpoint,
  UcConnection,
} from "../../lib";

/** The (fake) ids of the scenario, exported for the tests. */
export const MANUAL_AUTH = {
  workspaceHost: "https://adb-3141592653589793.12.azuredatabricks.net",
  connection: "weather_api",
  llm: "databricks-claude-sonnet-4",
  secretScope: "weather-agent",
  /** The service principal the agent authenticates as (its OAuth client id is in the secret scope). */
  agentServicePrincipal: "0a4c7e2f-9b1d-4f3a-8c5e-6d7f8091a2b3",
  deployer: "c81d4e2a-3f5b-4a6c-9d7e-0f1a2b3c4d5e",
} as const;

/** The reason DBA-SEC-002 is acknowledged (a reviewer reads it in agent-report.json). */
export const MANUAL_AUTH_REASON =
  `The agent authenticates as service principal ${MANUAL_AUTH.agentServicePrincipal} with OAuth M2M ` +
  "(seed 003, Manual authentication) to call the external weather API; this stack grants that " +
  "principal USE_CONNECTION and CAN_QUERY on every declared dependency itself.";

/** Props of {@link ManualAuthStack}. */
export interface ManualAuthStackProps {
  /**
   * Acknowledge DBA-SEC-002 on the endpoint. The tests turn it off to show the finding.
   * @default true
   */
  readonly acknowledgeManualAuth?: boolean;
  /**
   * More plain variables (the tests use it to paste a literal secret).
   * @default {}
   */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
}

/** Seed 003: manual OAuth service-principal authentication next to declared passthrough resources. */
export class ManualAuthStack extends TerraformStack {
  readonly policy: AgentAuthPolicy;
  readonly endpoint: AgentServingEndpoint;

  constructor(scope: Construct, id = "manual-auth", props: ManualAuthStackProps = {}) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new DatabricksProvider(this, "databricks", {});

    // The agent calls w.serving_endpoints.http_request(conn="weather_api", ...) and the LLM.
    const weatherApi = UcConnection.fromName(MANUAL_AUTH.connection);
    const llm = ServingEndpoint.fromName(MANUAL_AUTH.llm);

    this.policy = new AgentAuthPolicy(this, "Policy", {
      system: [weatherApi, llm],
      mlflowVersion: "2.22.1",
    });

    this.endpoint = new AgentServingEndpoint(this, "WeatherAgent", {
      name: "weather-agent",
      model: { name: "main.agents.weather_agent", version: "3" },
      workloadSize: "Small",
      scaleToZero: true,
      authPolicy: this.policy,
      // The host is not a secret: a plain variable.
      environment: {
        DATABRICKS_HOST: MANUAL_AUTH.workspaceHost,
        ENABLE_MLFLOW_TRACING: "true",
        ...props.extraEnvironment,
      },
      // Seed 003 step 3/6: the OAuth credentials live in a secret scope; only the references reach
      // Terraform, the plan and the state.
      secrets: {
        DATABRICKS_CLIENT_ID: SecretRef.of(MANUAL_AUTH.secretScope, "oauth-client-id"),
        DATABRICKS_CLIENT_SECRET: SecretRef.of(MANUAL_AUTH.secretScope, "oauth-client-secret"),
      },
      tags: { agent: "weather", seed: "003" },
      consumers: [Principal.group("field-operations")],
      deployer: Principal.servicePrincipal(MANUAL_AUTH.deployer),
    });

    const context = AgentStackContext.of(this);

    // Seed 003 step 2: "Grant the service principal permissions to any Databricks resource that the
    // agent has access to." Passthrough no longer applies, so the manual principal needs exactly
    // what the deployer needs for each declared dependency; the library's access needs say what.
    const agentPrincipal = Principal.servicePrincipal(MANUAL_AUTH.agentServicePrincipal);
    for (const dependency of this.policy.systemDependencies)
      for (const need of dependency.accessNeeds())
        context.requestGrant({
          principal: agentPrincipal,
          securable: need.securable,
          privilege: need.privilege,
          reason: `manual OAuth identity of weather-agent: ${dependency.description}`,
          requestedBy: this.endpoint.node.path,
        });

    // Manual auth overrides passthrough for every declared resource (DBA-SEC-002). Accepted here,
    // on the endpoint only, because the grants above give the manual identity that access itself.
    if (props.acknowledgeManualAuth ?? true)
      context.acknowledge(this.endpoint, "DBA-SEC-002", MANUAL_AUTH_REASON);
  }
}
