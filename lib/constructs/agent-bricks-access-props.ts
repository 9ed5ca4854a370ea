// The props of AgentBricksAccess, their schema and their help: one module, checked against each other.
import { z } from "zod";
import type { Principal } from "../model/principal";
import { KnowledgeAssistant, SupervisorAgent } from "../model/references";
import { principal, type HelpFor, type SameKeys } from "../model/schemas";

/** Props of an {@link AgentBricksAccess}. */
export interface AgentBricksAccessProps {
  /** The Agent Bricks agent its consumers query: a Knowledge Assistant, or a Supervisor Agent with its sub-agents. */
  readonly agent: KnowledgeAssistant | SupervisorAgent;
  /** Who queries it: each gets CAN_QUERY on it and, for a supervisor, every sub-agent's access (at least one). */
  readonly consumers: readonly Principal[];
}

/** Schema of `AgentBricksAccessProps`. */
export const agentBricksAccessSchema = z.strictObject({
  agent: z.custom<KnowledgeAssistant | SupervisorAgent>(
    (v) => v instanceof KnowledgeAssistant || v instanceof SupervisorAgent,
    { error: "is not a KnowledgeAssistant or a SupervisorAgent" },
  ),
  consumers: z
    .array(principal)
    .min(1, { error: "is empty" })
    .max(10000, { error: "has more than 10000 principals" }),
});

/** Help for the props. */
export const AGENT_BRICKS_ACCESS_HELP: HelpFor<AgentBricksAccessProps> = {
  agent: {
    allowed: "KnowledgeAssistant.fromId(id) or SupervisorAgent.fromId(id, { subAgents })",
    fix: "reference the Agent Bricks agent by its id",
  },
  consumers: {
    allowed: "a non-empty array of principals",
    fix: "build principals with Principal.*",
  },
};

const KEYS_MATCH: SameKeys<z.infer<typeof agentBricksAccessSchema>, AgentBricksAccessProps> = true;
void KEYS_MATCH;
