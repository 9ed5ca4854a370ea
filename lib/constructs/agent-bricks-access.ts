import { Construct } from "constructs";
import { AgentConfigError, type Problem } from "../model/problem";
import type { Principal } from "../model/principal";
import type { KnowledgeAssistant, SupervisorAgent } from "../model/references";
import { parseProps } from "../model/schemas";
import {
  AGENT_BRICKS_ACCESS_HELP,
  agentBricksAccessSchema,
  type AgentBricksAccessProps,
} from "./agent-bricks-access-props";
import { AgentStackContext, resolvedIn, sameCopyScope } from "./agent-stack-context";

export type { AgentBricksAccessProps } from "./agent-bricks-access-props";

/**
 * Consumers of an Agent Bricks agent the stack does not own (a Knowledge Assistant, or a Supervisor
 * Agent with its sub-agents): each consumer is granted CAN_QUERY on it and, for a supervisor, the
 * access every sub-agent needs (a Genie bundle's space, warehouse, tables and functions, a Knowledge
 * Assistant's or an endpoint's CAN_QUERY, a function's EXECUTE, with the parents' USE_*). The grants go
 * through the stack's grant plan (report, additive, or on the cdktn flavour an opted-in
 * `databricks_permissions`), like every other consumer grant.
 */
export class AgentBricksAccess extends Construct {
  /** The agent, as given. */
  readonly agent: KnowledgeAssistant | SupervisorAgent;
  /** The consumers, as given. */
  readonly consumers: readonly Principal[];

  constructor(scope: Construct, id: string, props: AgentBricksAccessProps) {
    super(sameCopyScope(scope, id), id);
    const parsed = parseProps(agentBricksAccessSchema, props, this.node.path, AGENT_BRICKS_ACCESS_HELP);
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    this.agent = parsed.value.agent;
    this.consumers = [...parsed.value.consumers] as Principal[];
    const problems = this.agent.problems().map(
      (x): Problem => ({
        ruleId: "DBA-CFG-002",
        path: this.node.path,
        prop: `agent ${x.prop}`,
        message: `${this.agent.description}: ${x.message}`,
        received: x.received,
        allowed: x.allowed,
        fix: x.fix,
      }),
    );
    if (problems.length > 0) throw new AgentConfigError(resolvedIn(this, problems));
    const context = AgentStackContext.of(this);
    const reason = `consumer of ${this.agent.description}`;
    for (const c of this.consumers)
      for (const need of this.agent.accessNeeds("consumer"))
        context.requestGrant({
          principal: c,
          securable: need.securable,
          privilege: need.privilege,
          reason,
          requestedBy: this.node.path,
        });
  }
}
