/**
 * The 2026 objects agents reach (issue 16): a Unity Gateway model service the agent calls with its own
 * identity (MLflow `DatabricksUCModelService`, MLflow >= 3.17.0), a Unity Gateway MCP service it calls on
 * behalf of the user (scope `ai-gateway`; MLflow has no class for MCP services), and, on a Databricks App,
 * a Lakebase Autoscaling project for memory (MLflow has no class for it either, so it is declared for the
 * app's own identity, not for Model Serving passthrough: DBA-AUTH-002 would stop that).
 *
 * The grants are additive: cdktf's provider 1.99 has neither `model_service` / `mcp_service` in
 * `databricks_grant` nor `database_project_name` in `databricks_permissions`, so the additive step adds
 * them through the UC and workspace permissions APIs on both engines (the same Terraform on both).
 */
import type { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentApp,
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  LakebaseProject,
  McpService,
  Principal,
  UcModelService,
} from "../../lib";

/** The (fake) names of the scenario, exported for the tests. */
export const UNITY_GATEWAY = {
  modelService: "main.gateway.chat_model",
  mcpService: "main.gateway.jira_mcp",
  lakebaseProject: "agent-memory",
  deployer: "c4d5e6f7-0a1b-4c2d-8e3f-5a6b7c8d9e0f",
  consumers: "support-agents",
} as const;

/** An endpoint on Unity Gateway services and an app with Lakebase Autoscaling memory. */
export class UnityGatewayStack extends TerraformStack {
  readonly endpoint: AgentServingEndpoint;
  readonly app: AgentApp;

  constructor(scope: Construct, id = "unity-gateway") {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new DatabricksProvider(this, "databricks", {});
    AgentStackContext.of(this).configureGrants({ mechanism: "additive" });

    const consumers = [Principal.group(UNITY_GATEWAY.consumers)];
    const mcp = McpService.fromName(UNITY_GATEWAY.mcpService);

    const policy = new AgentAuthPolicy(this, "Policy", {
      system: [UcModelService.fromName(UNITY_GATEWAY.modelService)],
      onBehalfOfUser: [mcp],
    });
    this.endpoint = new AgentServingEndpoint(this, "GatewayAgent", {
      name: "gateway-agent",
      model: { name: "main.agents.gateway_agent", version: "1" },
      authPolicy: policy,
      consumers,
      deployer: Principal.servicePrincipal(UNITY_GATEWAY.deployer),
    });

    const appPolicy = new AgentAuthPolicy(this, "AppPolicy", {
      system: [LakebaseProject.fromName(UNITY_GATEWAY.lakebaseProject), mcp],
    });
    this.app = new AgentApp(this, "MemoryApp", { name: "memory-app", authPolicy: appPolicy, consumers });
  }
}
