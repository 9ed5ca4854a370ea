/**
 * The reference classes, one per dependency kind: what an agent reaches that the stack does not own.
 * Each says only which row of `RESOURCE_KINDS` it is, its identifier and its variant; everything else
 * is read from the table by {@link KindReference}. Every export here is public API (`lib/index.ts`
 * re-exports the module).
 */
import type { DependencyProblem, IAgentDependency } from "./dependency";
import { KindReference, type KindReferenceOf } from "./kind-reference";
import { show } from "./problem";
import type { AgentResource } from "./resource-kinds";
import type { AccessNeed, AccessRole } from "./securable";

/** A SQL warehouse the stack references but does not own (shared warehouses usually are). */
export class SqlWarehouse extends KindReference {
  /** Reference an existing warehouse by id (16 hex characters, or a Terraform reference). */
  static fromId(id: string, options: { via?: "statement-execution" | "mcp" } = {}): SqlWarehouse {
    return new SqlWarehouse(id, options.via ?? "statement-execution");
  }
  private constructor(
    /** Warehouse id. */
    public readonly id: string,
    /** How the agent runs SQL on it when acting for the user. */
    public readonly via: "statement-execution" | "mcp",
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return {
      kind: "sql_warehouse",
      name: this.id,
      variant: this.via === "mcp" ? "mcp" : "statement-execution",
    };
  }
}

/** A Model Serving endpoint the agent calls (an LLM, an embedding model, another agent). */
export class ServingEndpoint extends KindReference {
  /** Reference an existing serving endpoint by name. */
  static fromName(name: string): ServingEndpoint {
    return new ServingEndpoint(name);
  }
  private constructor(
    /** Endpoint name. */
    public readonly name: string,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "serving_endpoint", name: this.name, variant: "direct" };
  }
}

/** Options for a vector search index. */
export interface VectorSearchIndexOptions {
  /** The vector search endpoint that hosts the index. */
  readonly endpointName: string;
  /**
   * The embedding model endpoint, when the index computes embeddings for queries (Databricks-managed
   * embeddings). Adds `serving.serving-endpoints` to the OBO scopes and CAN_QUERY to the grants.
   * @default - none: the agent passes query vectors itself
   */
  readonly embeddingEndpoint?: ServingEndpoint;
  /**
   * Reach the index through the managed MCP server instead of the Vector Search API.
   * @default "api"
   */
  readonly via?: "api" | "mcp";
}

/** A vector search index (a UC table-like securable on a vector search endpoint). */
export class VectorSearchIndex extends KindReference {
  /** Reference an existing index by its three-level name. */
  static fromName(indexName: string, options: VectorSearchIndexOptions): VectorSearchIndex {
    return new VectorSearchIndex(
      indexName,
      typeof options === "object" && options !== null ? options : ({} as VectorSearchIndexOptions),
    );
  }
  private constructor(
    /** Index name, `catalog.schema.index`. */
    public readonly indexName: string,
    /** Its endpoint and options. */
    public readonly options: VectorSearchIndexOptions,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return {
      kind: "vector_search_index",
      name: this.indexName,
      variant: this.options.via === "mcp" ? "mcp" : this.options.embeddingEndpoint ? "embeddings" : "api",
      names: { endpointName: this.options.endpointName },
    };
  }
  systemResources(): AgentResource[] {
    const own = super.systemResources();
    return this.options.embeddingEndpoint
      ? [...own, ...this.options.embeddingEndpoint.systemResources()]
      : own;
  }
  accessNeeds(role: AccessRole = "deployer"): AccessNeed[] {
    const own = super.accessNeeds(role);
    return this.options.embeddingEndpoint
      ? [...own, ...this.options.embeddingEndpoint.accessNeeds(role)]
      : own;
  }
  problems(): DependencyProblem[] {
    return [...super.problems(), ...(this.options.embeddingEndpoint?.problems() ?? [])];
  }
}

/** A Unity Catalog connection (external API or database behind UC governance). */
export class UcConnection extends KindReference {
  /** Reference an existing connection by name. */
  static fromName(name: string, options: { via?: "http" | "mcp" } = {}): UcConnection {
    return new UcConnection(name, options.via ?? "http");
  }
  private constructor(
    /** Connection name. */
    public readonly name: string,
    /** Reached through the HTTP proxy (`serving.serving-endpoints`) or the external MCP proxy. */
    public readonly via: "http" | "mcp",
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "uc_connection", name: this.name, variant: this.via === "mcp" ? "mcp" : "http" };
  }
}

/** A Unity Catalog function used as a tool. */
export class UcFunction extends KindReference {
  /** Reference a function by its three-level name. */
  static fromName(name: string, options: { via?: "sql" | "mcp" } = {}): UcFunction {
    return new UcFunction(name, options.via ?? "sql");
  }
  private constructor(
    /** Function name, `catalog.schema.function`. */
    public readonly name: string,
    /** Reached through the managed MCP server, or run through SQL (system mode only). */
    public readonly via: "sql" | "mcp",
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "function", name: this.name, variant: this.via === "mcp" ? "mcp" : "sql" };
  }
}

/** A Unity Catalog table or view the agent reads with its own identity. */
export class UcTable extends KindReference {
  /** Reference a table by its three-level name. */
  static fromName(name: string): UcTable {
    return new UcTable(name);
  }
  private constructor(
    /** Table name, `catalog.schema.table`. */
    public readonly name: string,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "table", name: this.name, variant: "direct" };
  }
}

/** A Lakebase (database) instance, e.g. agent memory. */
export class LakebaseInstance extends KindReference {
  /** Reference a database instance by name. */
  static fromName(name: string): LakebaseInstance {
    return new LakebaseInstance(name);
  }
  private constructor(
    /** Database instance name. */
    public readonly name: string,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "lakebase", name: this.name, variant: "direct" };
  }
}

/** A Databricks App the agent calls. */
export class DatabricksApp extends KindReference {
  /** Reference an app by name. */
  static fromName(name: string): DatabricksApp {
    return new DatabricksApp(name);
  }
  private constructor(
    /** App name. */
    public readonly name: string,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "app", name: this.name, variant: "direct" };
  }
}

/**
 * A Genie space referenced without its downstream resources. Fine on behalf of the user (each user's
 * own access applies); declared for passthrough it fails synth (DBA-GENIE-003): use a
 * GenieResourceBundle so the warehouse, tables and functions are declared too.
 */
export class GenieSpace extends KindReference {
  /** Reference a Genie space by id. */
  static fromId(id: string, options: { interface?: "conversation" | "mcp" } = {}): GenieSpace {
    return new GenieSpace(id, options.interface ?? "conversation");
  }
  private constructor(
    /** Space id. */
    public readonly id: string,
    /** Conversation API or MCP. */
    public readonly iface: "conversation" | "mcp",
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "genie_space", name: this.id, variant: this.iface === "mcp" ? "mcp" : "conversation" };
  }
}

/**
 * A Unity Gateway model service (a UC securable, `catalog.schema.name`) the agent calls, e.g. a
 * foundation model. MLflow >= 3.17.0 (`DatabricksUCModelService`); passthrough only.
 */
export class UcModelService extends KindReference {
  /** Reference a model service by its three-level name. */
  static fromName(name: string): UcModelService {
    return new UcModelService(name);
  }
  private constructor(
    /** Model service name, `catalog.schema.name`. */
    public readonly name: string,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "uc_model_service", name: this.name, variant: "direct" };
  }
}

/**
 * An Agent Bricks Knowledge Assistant the agent queries (through its agent endpoint). Whoever reaches it
 * needs CAN_QUERY on it: the consumers when it is declared on behalf of the user, the app's service
 * principal when an AgentApp declares it in `system`. MLflow has no resource class for it, so a Model
 * Serving agent cannot declare it for automatic passthrough (DBA-AUTH-002).
 */
export class KnowledgeAssistant extends KindReference {
  /** Reference a Knowledge Assistant by its id (`knowledge_assistant_id`, a UUID, or a Terraform reference). */
  static fromId(id: string): KnowledgeAssistant {
    return new KnowledgeAssistant(id);
  }
  private constructor(
    /** Knowledge Assistant id. */
    public readonly id: string,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "knowledge_assistant", name: this.id, variant: "direct" };
  }
}

/** Options for a Supervisor Agent. */
export interface SupervisorAgentOptions {
  /**
   * Its sub-agents (the supervisor's tools): Genie bundles, Knowledge Assistants, serving endpoints, UC
   * functions, ... Whoever reaches the supervisor needs access to every one of them and its data, which
   * the grant plan gives with the supervisor's own CAN_QUERY. A Genie space is declared as a
   * GenieResourceBundle (its warehouse, tables and functions), not `GenieSpace.fromId`.
   * @default [] - the supervisor alone (its sub-agents' access is then granted by hand)
   */
  readonly subAgents?: readonly IAgentDependency[];
}

/**
 * An Agent Bricks Supervisor Agent the agent queries (through its endpoint), with its sub-agents. It
 * calls each sub-agent as the caller, so whoever reaches it (consumers on behalf of the user, an app's
 * service principal in `system`) needs CAN_QUERY on it and every sub-agent's access. MLflow has no
 * resource class for it, so a Model Serving agent cannot declare it for automatic passthrough
 * (DBA-AUTH-002).
 */
export class SupervisorAgent extends KindReference {
  /** Reference a Supervisor Agent by its id (`supervisor_agent_id`, a UUID, or a Terraform reference). */
  static fromId(id: string, options: SupervisorAgentOptions = {}): SupervisorAgent {
    const subAgents =
      typeof options === "object" && options !== null && Array.isArray(options.subAgents)
        ? [...options.subAgents]
        : [];
    return new SupervisorAgent(id, subAgents);
  }
  private constructor(
    /** Supervisor Agent id. */
    public readonly id: string,
    /** Its sub-agents, as given. */
    public readonly subAgents: readonly IAgentDependency[],
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "supervisor_agent", name: this.id, variant: "direct" };
  }
  /** Its sub-agents, as given. */
  subDependencies(): IAgentDependency[] {
    return [...this.subAgents];
  }
  /** Its sub-agents' MLflow resources (the supervisor itself has none). */
  systemResources(): AgentResource[] {
    return [...super.systemResources(), ...this.subAgents.flatMap((d) => d.systemResources())];
  }
  /** CAN_QUERY on the supervisor, then every sub-agent's access for the same role. */
  accessNeeds(role: AccessRole = "deployer"): AccessNeed[] {
    return [...super.accessNeeds(role), ...this.subAgents.flatMap((d) => d.accessNeeds(role))];
  }
  problems(): DependencyProblem[] {
    const sub = this.subAgents.flatMap((d, i): DependencyProblem[] => {
      const prop = `subAgents[${i}]`;
      if (
        typeof d !== "object" ||
        d === null ||
        typeof (d as Partial<IAgentDependency>).problems !== "function"
      )
        return [
          {
            prop,
            message: "is not a dependency",
            received: show(d),
            allowed:
              "a GenieResourceBundle, KnowledgeAssistant.fromId(...), ServingEndpoint.fromName(...), UcFunction.fromName(...), ...",
            fix: "pass the sub-agent's reference (or its GenieResourceBundle)",
          },
        ];
      if (d instanceof GenieSpace)
        return [
          {
            prop,
            message: `sub-agent ${d.description} is declared without its SQL warehouse, tables and functions, which the supervisor's callers need too`,
            received: `GenieSpace.fromId(${JSON.stringify(d.id)})`,
            allowed: "a GenieResourceBundle (space + warehouse + tables + functions)",
            fix: "declare the space with `new GenieResourceBundle(...)` and pass the bundle in `subAgents`",
          },
        ];
      return d.problems().map((x) => ({
        ...x,
        prop: `${prop} ${x.prop}`,
        message: `sub-agent ${d.description}: ${x.message}`,
      }));
    });
    return [...super.problems(), ...sub];
  }
}

/**
 * A Unity Gateway MCP service (a UC securable, `catalog.schema.name`) the agent calls as a tool server.
 * MLflow has no resource class for it: on Model Serving declare it on behalf of the user (scope
 * `ai-gateway`); for passthrough there DBA-AUTH-002 says what to do. On Apps the app's own identity works.
 */
export class McpService extends KindReference {
  /** Reference an MCP service by its three-level name. */
  static fromName(name: string): McpService {
    return new McpService(name);
  }
  private constructor(
    /** MCP service name, `catalog.schema.name`. */
    public readonly name: string,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "mcp_service", name: this.name, variant: "direct" };
  }
}

/**
 * A Lakebase Autoscaling project (`databricks_permissions` `database_project_name`, CAN_USE). MLflow has
 * no resource class for it: on Model Serving, passthrough cannot reach it (DBA-AUTH-002 says what to do);
 * on Apps declare it for the app's own identity. A provisioned instance is {@link LakebaseInstance}.
 */
export class LakebaseProject extends KindReference {
  /** Reference a Lakebase Autoscaling project by name. */
  static fromName(name: string, options: LakebaseProjectOptions = {}): LakebaseProject {
    return new LakebaseProject(name, typeof options === "object" && options !== null ? options : {});
  }
  private constructor(
    /** Project name. */
    public readonly name: string,
    /** Its branch, for an app resource. */
    public readonly options: LakebaseProjectOptions,
  ) {
    super();
  }
  protected kindReference(): KindReferenceOf {
    return { kind: "lakebase_project", name: this.name, variant: "direct" };
  }
  systemResources(): AgentResource[] {
    const branch = this.options.branch;
    return super.systemResources().map((r) => (branch === undefined ? r : { ...r, branch }));
  }
  problems(): DependencyProblem[] {
    const branch = this.options.branch;
    return [
      ...super.problems(),
      ...(branch !== undefined && !(typeof branch === "string" && BRANCH_ID.test(branch))
        ? [
            {
              prop: "branch",
              message: "is not a valid Lakebase branch id",
              received: show(branch),
              allowed:
                "lower-case letters, digits and '-', at most 63 characters (the branch id, not its path)",
              fix: 'use the branch id from the project\'s Branches tab, e.g. "production"',
            },
          ]
        : []),
    ];
  }
}

/** A Lakebase Autoscaling branch id (`projects/<project>/branches/<id>`). */
const BRANCH_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Options for a Lakebase Autoscaling project. */
export interface LakebaseProjectOptions {
  /**
   * The branch an app connects to: with it (and `nativeUcResources` on a provider that has it, 1.128 or
   * later) the app's identity gets an app resource `postgres` (`CAN_CONNECT_AND_CREATE` on
   * `projects/<name>/branches/<branch>`) instead of CAN_USE through the grant plan.
   * @default - none: CAN_USE through the grant plan
   */
  readonly branch?: string;
}

/**
 * The names users now see (REFERENCE.md, 2026): Vector Search is AI Search, Genie spaces are Genie Agents.
 * Each alias is the same class under the new name, not a copy; MLflow keys and REST paths keep the old names.
 */
/** AI Search index: the new name of {@link VectorSearchIndex} (`AiSearchIndex.fromName(...)`). */
export const AiSearchIndex = VectorSearchIndex;
/** AI Search index: the new name of {@link VectorSearchIndex}. */
export type AiSearchIndex = VectorSearchIndex;
/** AI Search index options: the new name of {@link VectorSearchIndexOptions}. */
export type AiSearchIndexOptions = VectorSearchIndexOptions;
/** Genie Agent: the new name of {@link GenieSpace} (`GenieAgent.fromId(...)`). */
export const GenieAgent = GenieSpace;
/** Genie Agent: the new name of {@link GenieSpace}. */
export type GenieAgent = GenieSpace;
