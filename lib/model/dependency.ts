import type { AgentResource, DeploymentTarget } from "./resource-kinds";
import type { OboAccessPath } from "./scopes";
import type { AccessNeed, AccessRole } from "./securable";

/** A problem in a dependency's own declaration, reported with the construct that uses it. */
export interface DependencyProblem {
  readonly prop: string;
  readonly message: string;
  readonly received: string;
  readonly allowed: string;
  readonly fix: string;
}

/**
 * Anything an agent reaches: a Genie bundle, a SQL warehouse, an LLM endpoint, a vector search index,
 * a UC connection, function or table, a Lakebase instance, an App, a Knowledge Assistant or a Supervisor Agent.
 */
export interface IAgentDependency {
  /** Unique, stable key, e.g. `sql_warehouse:4b9b953939869799`. */
  readonly dependencyKey: string;
  /** Short human description for messages, e.g. `SQL warehouse 4b9b953939869799`. */
  readonly description: string;
  /** The MLflow resources that declaring it for automatic passthrough implies (downstream included). */
  systemResources(): AgentResource[];
  /**
   * How the agent reaches it on behalf of the user; decides the OBO scopes.
   * @param target the deployment target
   * @default target "modelServing"
   */
  oboAccessPaths(target?: DeploymentTarget): OboAccessPath[];
  /** Why it cannot be reached on behalf of the user (on Model Serving), when it cannot. */
  readonly oboUnsupportedReason?: string;
  /**
   * Why it cannot be reached on behalf of the user on a given target, when it cannot.
   * @default - {@link oboUnsupportedReason} on every target
   */
  oboUnsupportedReasonOn?(target: DeploymentTarget): string | undefined;
  /**
   * The access a principal needs to use it: the deployer's when it is declared for passthrough, a
   * consumer's when it is declared on behalf of the user (the kinds table's columns per role).
   * @param role whose access; every kind the library knows needs the same of both roles today
   * @default role "deployer"
   */
  accessNeeds(role?: AccessRole): AccessNeed[];
  /** Problems in its own declaration (names, ids). */
  problems(): DependencyProblem[];
  /**
   * The dependencies it reaches for its caller, e.g. a Supervisor Agent's sub-agents (their access is in
   * {@link accessNeeds} already; rules use this to see which bundles are in use).
   * @default - none
   */
  subDependencies?(): IAgentDependency[];
}
