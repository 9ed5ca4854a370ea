/**
 * Agent Bricks agents as an agent's dependencies and as consumers' targets. A support agent on Model
 * Serving calls, on behalf of the user, a Supervisor Agent whose sub-agents are a Genie space (with its
 * warehouse, tables and function), a Knowledge Assistant, a serving endpoint and a UC function: every
 * consumer gets CAN_QUERY on the supervisor and each sub-agent's access with its data, through the grant
 * plan. People who query the product-docs Knowledge Assistant directly are declared with
 * AgentBricksAccess. The stack owns none of these objects, so their ACLs are added (the additive step
 * PATCHes `/api/2.0/permissions/knowledge-assistants|supervisor-agents/<id>`), never replaced.
 */
import type { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentAuthPolicy,
  AgentBricksAccess,
  AgentServingEndpoint,
  AgentStackContext,
  GenieResourceBundle,
  KnowledgeAssistant,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
  SupervisorAgent,
  UcFunction,
} from "../../lib";

/** The (fake) ids of the scenario, exported for the tests. */
export const AGENT_BRICKS = {
  supervisorId: "01f0b2c3-d4e5-4f60-9a0b-1c2d3e4f5a6b",
  docsAssistantId: "01f0a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b",
  genieSpaceId: "01f0e5d4c3b2a1908f7e6d5c4b3a2918",
  warehouseId: "7a6b5c4d3e2f1a09",
  router: "support-router",
  refund: "main.support.issue_refund",
  llm: "databricks-claude-sonnet-4",
  deployer: "c6f2a1b3-8d4e-4fa0-9c7b-2e3d4f5a6b71",
  consumers: "support-agents",
  docsReaders: "product-docs-readers",
} as const;

/** A support agent that calls a Supervisor Agent on behalf of the user, and a Knowledge Assistant's direct users. */
export class AgentBricksStack extends TerraformStack {
  readonly policy: AgentAuthPolicy;
  readonly endpoint: AgentServingEndpoint;

  constructor(scope: Construct, id = "agent-bricks") {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new DatabricksProvider(this, "databricks", {});
    AgentStackContext.of(this).configureGrants({ mechanism: "additive" });

    const docs = KnowledgeAssistant.fromId(AGENT_BRICKS.docsAssistantId);
    const tickets = new GenieResourceBundle(this, "TicketsGenie", {
      domain: "tickets",
      spaceId: AGENT_BRICKS.genieSpaceId,
      warehouse: SqlWarehouse.fromId(AGENT_BRICKS.warehouseId),
      tables: ["main.support.tickets", "main.support.customers"],
      functions: ["main.support.ticket_summary"],
    });
    const supervisor = SupervisorAgent.fromId(AGENT_BRICKS.supervisorId, {
      subAgents: [
        tickets,
        docs,
        ServingEndpoint.fromName(AGENT_BRICKS.router),
        UcFunction.fromName(AGENT_BRICKS.refund),
      ],
    });

    this.policy = new AgentAuthPolicy(this, "Policy", {
      system: [ServingEndpoint.fromName(AGENT_BRICKS.llm)],
      onBehalfOfUser: [supervisor],
    });
    this.endpoint = new AgentServingEndpoint(this, "Agent", {
      name: "support-bricks-agent",
      model: { name: "main.agents.support_bricks_agent", version: "1" },
      authPolicy: this.policy,
      consumers: [Principal.group(AGENT_BRICKS.consumers)],
      deployer: Principal.servicePrincipal(AGENT_BRICKS.deployer),
    });

    // People who query the Knowledge Assistant directly, not through the agent.
    new AgentBricksAccess(this, "DocsReaders", {
      agent: docs,
      consumers: [Principal.group(AGENT_BRICKS.docsReaders)],
    });
  }
}
