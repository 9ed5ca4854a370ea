/**
 * Seed 001: an agent that uses a Genie space as a managed MCP server on behalf of the calling user,
 * and an LLM endpoint through automatic authentication passthrough.
 *
 * The seed logs the model with `UserAuthPolicy(api_scopes=["dashboards.genie"])`. That is the scope of
 * Genie's Conversation API; the managed MCP server (`{host}/api/2.0/mcp/genie/{space_id}`) refuses it
 * with 403 and needs `mcp.genie` (REFERENCE.md, "OBO API scopes"). Declaring the bundle with
 * `interface: "mcp"` makes the library derive `mcp.genie`, and rule DBA-SCOPE-005 rejects the seed's
 * hand-written `dashboards.genie`.
 *
 * What is on behalf of the user: the Genie space (so each caller needs CAN_RUN on it, CAN_USE on its
 * warehouse and SELECT on its tables, which the stack requests for the consumer group). What is
 * passthrough: the LLM (the deployer needs CAN_QUERY on it). As in the seed, Genie is *not* in the
 * system policy, so nothing falls back to the service principal.
 */
import type { Construct } from "constructs";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  GenieResourceBundle,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
} from "../../lib";

/** The (fake) ids of the scenario, exported for the tests. */
export const GENIE_MCP = {
  workspaceHost: "https://adb-2718281828459045.5.azuredatabricks.net",
  spaceId: "01f0b7e3c9d24a1f8e6b5c4d3a2f1e0d",
  warehouseId: "7c2f9e4b1a3d5e60",
  llm: "databricks-claude-sonnet-4",
  deployer: "3d9a7c1e-52b4-4f8e-9a61-0b2c4d6e8f10",
} as const;

/** Props of {@link GenieMcpStack}. */
export interface GenieMcpStackProps {
  /**
   * Scopes written by hand, as seed 001 does. Leave unset to have the library derive the minimal set
   * (`["mcp.genie"]`); `["dashboards.genie"]` (the seed's) fails synth with DBA-SCOPE-005.
   * @default - derived from the on-behalf-of-user dependencies
   */
  readonly apiScopes?: readonly string[];
  /**
   * The workspace URL the agent's MCP client connects to.
   * @default GENIE_MCP.workspaceHost
   */
  readonly workspaceHost?: string;
}

/** Seed 001: Genie over MCP on behalf of the user, LLM through passthrough. */
export class GenieMcpStack extends TerraformStack {
  readonly genie: GenieResourceBundle;
  readonly policy: AgentAuthPolicy;
  readonly endpoint: AgentServingEndpoint;
  /** The managed MCP server URL the agent connects to (also a Terraform output). */
  readonly mcpServerUrl: string;

  constructor(scope: Construct, id = "genie-mcp", props: GenieMcpStackProps = {}) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new DatabricksProvider(this, "databricks", {});

    const llm = ServingEndpoint.fromName(GENIE_MCP.llm);

    // The Genie space, with everything it runs on. Even on behalf of the user, the tables matter:
    // every consumer needs SELECT on them (and CAN_USE on the warehouse) to get answers.
    this.genie = new GenieResourceBundle(this, "SalesGenie", {
      domain: "sales",
      spaceId: GENIE_MCP.spaceId,
      warehouse: SqlWarehouse.fromId(GENIE_MCP.warehouseId),
      tables: ["main.sales.orders", "main.sales.customers", "main.sales.products"],
      interface: "mcp",
    });

    this.policy = new AgentAuthPolicy(this, "Policy", {
      system: [llm],
      onBehalfOfUser: [this.genie],
      ...(props.apiScopes !== undefined ? { apiScopes: props.apiScopes } : {}),
      mlflowVersion: "3.1.0", // the seed pins mlflow>=3.1.0
    });

    // The agent builds its DatabricksMCPClient from this URL inside predict(), with
    // WorkspaceClient(credentials_strategy=ModelServingUserCredentials()).
    this.mcpServerUrl = this.genie.mcpServerUrl(props.workspaceHost ?? GENIE_MCP.workspaceHost);

    this.endpoint = new AgentServingEndpoint(this, "GenieMcpAgent", {
      name: "genie-mcp-agent",
      model: { name: "main.agents.genie_mcp_agent", version: "4" },
      workloadSize: "Small",
      scaleToZero: true,
      authPolicy: this.policy,
      environment: { GENIE_MCP_SERVER_URL: this.mcpServerUrl, ENABLE_MLFLOW_TRACING: "true" },
      tags: { agent: "genie-mcp", seed: "001" },
      consumers: [Principal.group("sales-analysts")],
      deployer: Principal.servicePrincipal(GENIE_MCP.deployer),
    });

    new TerraformOutput(this, "GenieMcpServerUrl", {
      value: this.mcpServerUrl,
      description: "Managed MCP server of the sales Genie space (reached on behalf of the user)",
    });
  }
}
