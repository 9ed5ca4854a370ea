import type { DependencyProblem, IAgentDependency } from "./dependency";
import { show } from "./problem";
import type { AgentResource } from "./resource-kinds";
import type { OboAccessPath } from "./scopes";
import { uc, ws, type AccessNeed } from "./securable";
import { containsToken } from "./tokens";
import { parseUcName, UC_NAME_ALLOWED } from "./uc-name";

const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
const WAREHOUSE_ID = /^[0-9a-f]{16}$/;

function nameProblem(
  prop: string,
  value: string,
  pattern: RegExp,
  allowed: string,
  fix: string,
): DependencyProblem[] {
  if (typeof value !== "string" || (!containsToken(value) && !pattern.test(value)))
    return [{ prop, message: `is not a valid ${prop}`, received: show(value), allowed, fix }];
  return [];
}

function ucNameProblem(prop: string, value: string, what: string): DependencyProblem[] {
  const parsed = typeof value === "string" ? parseUcName(value) : "is not a string";
  return typeof parsed === "string"
    ? [
        {
          prop,
          message: `${what} name ${parsed}`,
          received: show(value),
          allowed: UC_NAME_ALLOWED,
          fix: `give the full three-level name of the ${what}, e.g. "main.sales.${what === "function" ? "lookup_customer" : "orders"}"`,
        },
      ]
    : [];
}

/** A SQL warehouse the stack references but does not own (shared warehouses usually are). */
export class SqlWarehouse implements IAgentDependency {
  /** Reference an existing warehouse by id (16 hex characters, or a Terraform reference). */
  static fromId(id: string, options: { via?: "statement-execution" | "mcp" } = {}): SqlWarehouse {
    return new SqlWarehouse(id, options.via ?? "statement-execution");
  }
  private constructor(
    /** Warehouse id. */
    public readonly id: string,
    /** How the agent runs SQL on it when acting for the user. */
    public readonly via: "statement-execution" | "mcp",
  ) {}
  get dependencyKey(): string {
    return `sql_warehouse:${this.id}`;
  }
  get description(): string {
    return `SQL warehouse ${this.id}`;
  }
  systemResources(): AgentResource[] {
    return [{ kind: "sql_warehouse", name: this.id }];
  }
  oboAccessPaths(): OboAccessPath[] {
    return [this.via === "mcp" ? "mcp_sql" : "sql_warehouse"];
  }
  accessNeeds(): AccessNeed[] {
    return [{ securable: ws("sql_warehouse", this.id), privilege: "CAN_USE" }];
  }
  problems(): DependencyProblem[] {
    return nameProblem(
      "warehouse id",
      this.id,
      WAREHOUSE_ID,
      "16 lower-case hexadecimal characters, or a Terraform reference",
      "copy the id from the warehouse's Connection details (not its name or JDBC URL)",
    );
  }
}

/** A Model Serving endpoint the agent calls (an LLM, an embedding model, another agent). */
export class ServingEndpoint implements IAgentDependency {
  /** Reference an existing serving endpoint by name. */
  static fromName(name: string): ServingEndpoint {
    return new ServingEndpoint(name);
  }
  private constructor(
    /** Endpoint name. */
    public readonly name: string,
  ) {}
  get dependencyKey(): string {
    return `serving_endpoint:${this.name}`;
  }
  get description(): string {
    return `serving endpoint ${this.name}`;
  }
  systemResources(): AgentResource[] {
    return [{ kind: "serving_endpoint", name: this.name }];
  }
  oboAccessPaths(): OboAccessPath[] {
    return ["serving_endpoint"];
  }
  accessNeeds(): AccessNeed[] {
    return [{ securable: ws("serving_endpoint", this.name), privilege: "CAN_QUERY" }];
  }
  problems(): DependencyProblem[] {
    return nameProblem(
      "endpoint name",
      this.name,
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/,
      "letters, digits, '-' and '_', at most 63 characters",
      "use the endpoint's name as shown on the Serving page",
    );
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
export class VectorSearchIndex implements IAgentDependency {
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
  ) {}
  get dependencyKey(): string {
    return `vector_search_index:${this.indexName}`;
  }
  get description(): string {
    return `vector search index ${this.indexName}`;
  }
  systemResources(): AgentResource[] {
    const own: AgentResource[] = [{ kind: "vector_search_index", name: this.indexName }];
    return this.options.embeddingEndpoint
      ? [...own, ...this.options.embeddingEndpoint.systemResources()]
      : own;
  }
  oboAccessPaths(): OboAccessPath[] {
    if (this.options.via === "mcp") return ["mcp_vectorsearch"];
    return [this.options.embeddingEndpoint ? "vector_search_with_embeddings" : "vector_search"];
  }
  accessNeeds(): AccessNeed[] {
    const own: AccessNeed[] = [
      { securable: ws("vector_search_endpoint", this.options.endpointName), privilege: "CAN_USE" },
      { securable: uc("table", this.indexName), privilege: "SELECT" },
    ];
    return this.options.embeddingEndpoint ? [...own, ...this.options.embeddingEndpoint.accessNeeds()] : own;
  }
  problems(): DependencyProblem[] {
    return [
      ...ucNameProblem("index name", this.indexName, "index"),
      ...nameProblem(
        "vector search endpoint name",
        this.options.endpointName,
        WORKSPACE_NAME,
        "letters, digits, '.', '-' and '_'",
        "use the vector search endpoint's name from the Compute > Vector Search page",
      ),
      ...(this.options.embeddingEndpoint?.problems() ?? []),
    ];
  }
}

/** A Unity Catalog connection (external API or database behind UC governance). */
export class UcConnection implements IAgentDependency {
  /** Reference an existing connection by name. */
  static fromName(name: string, options: { via?: "http" | "mcp" } = {}): UcConnection {
    return new UcConnection(name, options.via ?? "http");
  }
  private constructor(
    /** Connection name. */
    public readonly name: string,
    /** Reached through the HTTP proxy (`serving.serving-endpoints`) or the external MCP proxy. */
    public readonly via: "http" | "mcp",
  ) {}
  get dependencyKey(): string {
    return `uc_connection:${this.name}`;
  }
  get description(): string {
    return `UC connection ${this.name}`;
  }
  systemResources(): AgentResource[] {
    return [{ kind: "uc_connection", name: this.name }];
  }
  oboAccessPaths(): OboAccessPath[] {
    return [this.via === "mcp" ? "mcp_external" : "uc_connection"];
  }
  accessNeeds(): AccessNeed[] {
    return [{ securable: uc("foreign_connection", this.name), privilege: "USE_CONNECTION" }];
  }
  problems(): DependencyProblem[] {
    return nameProblem(
      "connection name",
      this.name,
      /^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$/,
      "letters, digits, '-' and '_'",
      "use the connection's name from Catalog Explorer > Connections",
    );
  }
}

/** A Unity Catalog function used as a tool. */
export class UcFunction implements IAgentDependency {
  /** Reference a function by its three-level name. */
  static fromName(name: string, options: { via?: "sql" | "mcp" } = {}): UcFunction {
    return new UcFunction(name, options.via ?? "sql");
  }
  private constructor(
    /** Function name, `catalog.schema.function`. */
    public readonly name: string,
    /** Reached through the managed MCP server, or run through SQL (system mode only). */
    public readonly via: "sql" | "mcp",
  ) {}
  get dependencyKey(): string {
    return `function:${this.name}`;
  }
  get description(): string {
    return `UC function ${this.name}`;
  }
  get oboUnsupportedReason(): string | undefined {
    return this.via === "mcp"
      ? undefined
      : "UC functions are not reachable directly on behalf of the user; call them through the managed MCP server (UcFunction.fromName(name, { via: 'mcp' })) or through SQL on a warehouse declared on behalf of the user";
  }
  systemResources(): AgentResource[] {
    return [{ kind: "function", name: this.name }];
  }
  oboAccessPaths(): OboAccessPath[] {
    return this.via === "mcp" ? ["mcp_functions"] : [];
  }
  accessNeeds(): AccessNeed[] {
    return [{ securable: uc("function", this.name), privilege: "EXECUTE" }];
  }
  problems(): DependencyProblem[] {
    return ucNameProblem("function name", this.name, "function");
  }
}

/** A Unity Catalog table or view the agent reads with its own identity. */
export class UcTable implements IAgentDependency {
  /** Reference a table by its three-level name. */
  static fromName(name: string): UcTable {
    return new UcTable(name);
  }
  private constructor(
    /** Table name, `catalog.schema.table`. */
    public readonly name: string,
  ) {}
  get dependencyKey(): string {
    return `table:${this.name}`;
  }
  get description(): string {
    return `UC table ${this.name}`;
  }
  get oboUnsupportedReason(): string {
    return "UC tables are not reachable directly on behalf of the user; query them through Genie, the MCP SQL server or SQL on a warehouse declared on behalf of the user";
  }
  systemResources(): AgentResource[] {
    return [{ kind: "table", name: this.name }];
  }
  oboAccessPaths(): OboAccessPath[] {
    return [];
  }
  accessNeeds(): AccessNeed[] {
    return [{ securable: uc("table", this.name), privilege: "SELECT" }];
  }
  problems(): DependencyProblem[] {
    return ucNameProblem("table name", this.name, "table");
  }
}

/** A Lakebase (database) instance, e.g. agent memory. */
export class LakebaseInstance implements IAgentDependency {
  /** Reference a database instance by name. */
  static fromName(name: string): LakebaseInstance {
    return new LakebaseInstance(name);
  }
  private constructor(
    /** Database instance name. */
    public readonly name: string,
  ) {}
  get dependencyKey(): string {
    return `lakebase:${this.name}`;
  }
  get description(): string {
    return `Lakebase instance ${this.name}`;
  }
  get oboUnsupportedReason(): string {
    return "Model Serving has no on-behalf-of-user scope for Lakebase; declare it for automatic passthrough (system)";
  }
  systemResources(): AgentResource[] {
    return [{ kind: "lakebase", name: this.name }];
  }
  oboAccessPaths(): OboAccessPath[] {
    return [];
  }
  accessNeeds(): AccessNeed[] {
    return [{ securable: ws("database_instance", this.name), privilege: "CAN_USE" }];
  }
  problems(): DependencyProblem[] {
    return nameProblem(
      "database instance name",
      this.name,
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      "lower-case letters, digits and '-', at most 63 characters",
      "use the instance name from Compute > Lakebase",
    );
  }
}

/** A Databricks App the agent calls. */
export class DatabricksApp implements IAgentDependency {
  /** Reference an app by name. */
  static fromName(name: string): DatabricksApp {
    return new DatabricksApp(name);
  }
  private constructor(
    /** App name. */
    public readonly name: string,
  ) {}
  get dependencyKey(): string {
    return `app:${this.name}`;
  }
  get description(): string {
    return `Databricks App ${this.name}`;
  }
  systemResources(): AgentResource[] {
    return [{ kind: "app", name: this.name }];
  }
  oboAccessPaths(): OboAccessPath[] {
    return ["app"];
  }
  accessNeeds(): AccessNeed[] {
    return [{ securable: ws("app", this.name), privilege: "CAN_USE" }];
  }
  problems(): DependencyProblem[] {
    return nameProblem(
      "app name",
      this.name,
      /^[a-z0-9][a-z0-9-]{1,29}$/,
      "lower-case letters, digits and '-', 2 to 30 characters",
      "use the app's name from Compute > Apps",
    );
  }
}

/**
 * A Genie space referenced without its downstream resources. Fine on behalf of the user (each user's
 * own access applies); declared for passthrough it fails synth (DBA-GENIE-003): use a
 * GenieResourceBundle so the warehouse, tables and functions are declared too.
 */
export class GenieSpace implements IAgentDependency {
  /** Reference a Genie space by id. */
  static fromId(id: string, options: { interface?: "conversation" | "mcp" } = {}): GenieSpace {
    return new GenieSpace(id, options.interface ?? "conversation");
  }
  private constructor(
    /** Space id. */
    public readonly id: string,
    /** Conversation API or MCP. */
    public readonly iface: "conversation" | "mcp",
  ) {}
  get dependencyKey(): string {
    return `genie_space:${this.id}`;
  }
  get description(): string {
    return `Genie space ${this.id}`;
  }
  systemResources(): AgentResource[] {
    return [{ kind: "genie_space", name: this.id }];
  }
  oboAccessPaths(): OboAccessPath[] {
    return [this.iface === "mcp" ? "genie_mcp" : "genie_conversation"];
  }
  accessNeeds(): AccessNeed[] {
    return [{ securable: ws("genie_space", this.id), privilege: "CAN_RUN" }];
  }
  problems(): DependencyProblem[] {
    return nameProblem(
      "Genie space id",
      this.id,
      /^[0-9a-f]{32}$/,
      "32 hexadecimal characters or a Terraform reference",
      "copy the id from the Genie space URL",
    );
  }
}
