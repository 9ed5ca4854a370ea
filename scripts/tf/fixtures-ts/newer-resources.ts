/**
 * A stack whose Terraform uses what provider 1.99.0 lacks and the cdktn flavour (provider 1.132.0)
 * writes natively: databricks_grant with model_service / mcp_service (ownedGrants), databricks_permissions
 * with database_project_name / knowledge_assistant_id / supervisor_agent_id (authoritative overrides), and
 * databricks_app resources postgres and uc_securable TABLE (nativeUcResources). The examples reach these
 * objects additively (terraform_data), so scripts/ci-terraform-newer.sh synthesizes this stack under cdktn
 * (through scripts/engine-alias.cjs) and validates + plans it against provider 1.128.0.
 * Under cdktf (provider 1.99.0) the same code fails synth (DBA-APP-010: no postgres / uc_securable).
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentApp,
  AgentAuthPolicy,
  AgentBricksAccess,
  AgentServingEndpoint,
  AgentStackContext,
  KnowledgeAssistant,
  LakebaseProject,
  McpService,
  Principal,
  ServingEndpoint,
  SupervisorAgent,
  UcModelService,
  UcTable,
} from "../../../lib";

const MCP = "main.agents.jira_mcp";
const SERVICE = "main.agents.chat_service";
const MEMORY = "agent-memory";
const STATE = "agent-state";
const KA = "01f0a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b";
const SUPERVISOR = "01f0b2c3-d4e5-4f60-9a0b-1c2d3e4f5a6b";
const ANALYSTS = Principal.group("analysts");
const DEPLOYER = Principal.servicePrincipal("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b");

const app = new App();
const stack = new TerraformStack(app, "newer-resources");
new LocalBackend(stack, { path: "terraform.newer-resources.tfstate" });
new DatabricksProvider(stack, "databricks", {});

const ctx = AgentStackContext.of(stack);
ctx.configureGrants({
  ownedGrants: [
    { securable: `model_service:${SERVICE}`, principal: ANALYSTS },
    { securable: `mcp_service:${MCP}`, principal: ANALYSTS },
  ],
  overrides: {
    [`database_project:${MEMORY}`]: "authoritative",
    [`knowledge_assistant:${KA}`]: "authoritative",
    [`supervisor_agent:${SUPERVISOR}`]: "authoritative",
  },
});
ctx.acknowledge(stack, "DBA-GRANT-001", "CI fixture: every object here is owned by this stack alone");

// Unity Gateway services on behalf of the user: native databricks_grant model_service / mcp_service.
const endpointPolicy = new AgentAuthPolicy(stack, "EndpointPolicy", {
  system: [ServingEndpoint.fromName("databricks-claude-sonnet-4")],
  onBehalfOfUser: [UcModelService.fromName(SERVICE), McpService.fromName(MCP)],
});
new AgentServingEndpoint(stack, "Agent", {
  name: "gw-agent",
  model: { name: "main.agents.gw_agent", version: "1" },
  authPolicy: endpointPolicy,
  consumers: [ANALYSTS],
  deployer: DEPLOYER,
});

// A Lakebase project without a branch: CAN_USE through databricks_permissions database_project_name.
const memoryPolicy = new AgentAuthPolicy(stack, "MemoryPolicy", {
  system: [LakebaseProject.fromName(MEMORY)],
});
new AgentApp(stack, "MemoryApp", { name: "memory-app", authPolicy: memoryPolicy });

// A Lakebase branch and a table as app resources: postgres and uc_securable TABLE.
const statePolicy = new AgentAuthPolicy(stack, "StatePolicy", {
  system: [LakebaseProject.fromName(STATE, { branch: "production" }), UcTable.fromName("main.sales.orders")],
});
new AgentApp(stack, "StateApp", { name: "state-app", authPolicy: statePolicy, nativeUcResources: true });

// Agent Bricks: databricks_permissions knowledge_assistant_id / supervisor_agent_id.
new AgentBricksAccess(stack, "KaUsers", { agent: KnowledgeAssistant.fromId(KA), consumers: [ANALYSTS] });
new AgentBricksAccess(stack, "SupervisorUsers", {
  agent: SupervisorAgent.fromId(SUPERVISOR),
  consumers: [ANALYSTS],
});

app.synth();
