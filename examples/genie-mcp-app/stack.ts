/**
 * Seed 001's Genie-over-MCP agent during a migration from Model Serving to Databricks Apps: one policy,
 * deployed to both targets from the same declarations.
 *
 * The Genie space is reached on behalf of the user through its managed MCP server, the LLM with the
 * agent's own identity. On Model Serving the policy gives `mcp.genie` (the MLflow auth policy); on
 * Apps the same dependency gives `genie` (`mcp.genie` is a Model Serving scope that Apps do not know,
 * DBA-APP-001). The consumers get CAN_QUERY on the endpoint, CAN_USE on the app, and their own access to
 * the space, its warehouse and its tables once (the grant plan merges both targets' requests).
 */
import type { Construct } from "constructs";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentApp,
  AgentAuthPolicy,
  type AgentAppProps,
  AgentServingEndpoint,
  GenieResourceBundle,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
} from "../../lib";
import { GENIE_MCP } from "../genie-mcp/stack";

/** Seed 001 on Model Serving and on Databricks Apps. */
export class GenieMcpAppStack extends TerraformStack {
  readonly genie: GenieResourceBundle;
  readonly policy: AgentAuthPolicy;
  readonly endpoint: AgentServingEndpoint;
  readonly app: AgentApp;

  /**
   * @param appOverrides changes to the app's props, for tests that break a dependency or a scope
   */
  constructor(scope: Construct, id = "genie-mcp-app", appOverrides: Partial<AgentAppProps> = {}) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new DatabricksProvider(this, "databricks", {});

    this.genie = new GenieResourceBundle(this, "SalesGenie", {
      domain: "sales",
      spaceId: GENIE_MCP.spaceId,
      warehouse: SqlWarehouse.fromId(GENIE_MCP.warehouseId),
      tables: ["main.sales.orders", "main.sales.customers", "main.sales.products"],
      interface: "mcp",
    });
    this.policy = new AgentAuthPolicy(this, "Policy", {
      system: [ServingEndpoint.fromName(GENIE_MCP.llm)],
      onBehalfOfUser: [this.genie],
      mlflowVersion: "3.1.0",
    });
    const mcpServerUrl = this.genie.mcpServerUrl(GENIE_MCP.workspaceHost);
    const consumers = [Principal.group("sales-analysts")];
    const deployer = Principal.servicePrincipal(GENIE_MCP.deployer);

    this.endpoint = new AgentServingEndpoint(this, "GenieMcpAgent", {
      name: "genie-mcp-agent",
      model: { name: "main.agents.genie_mcp_agent", version: "4" },
      scaleToZero: true,
      authPolicy: this.policy,
      environment: { GENIE_MCP_SERVER_URL: mcpServerUrl },
      consumers,
      deployer,
    });
    this.app = new AgentApp(this, "GenieMcpApp", {
      name: "genie-mcp",
      description: "Sales Genie over MCP (seed 001), on Databricks Apps",
      authPolicy: this.policy,
      environment: { GENIE_MCP_SERVER_URL: mcpServerUrl },
      consumers,
      deployer,
      ...appOverrides,
    });
    new TerraformOutput(this, "GenieMcpServerUrl", { value: mcpServerUrl });
  }
}
