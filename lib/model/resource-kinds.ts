/**
 * The dependency kinds: one row per MLflow resource kind (mlflow.models.resources) an agent can declare,
 * and every fact the library decides with about it. The MLflow columns (class, constructor argument,
 * first release, minimum version) live in `mlflow-kinds.json`, which the Python package reads too
 * (python/databricks_agent_auth/kinds.py); the rest is here. The reference classes
 * (`lib/model/references.ts`) read this table; the grant plan reads `securable-types.ts` for the
 * securables named here; the OBO scopes of each access path are in `scopes.ts`.
 *
 * Adding a kind: a row in `mlflow-kinds.json`, the key in {@link ResourceKind} and a row in the table
 * below, a reference class in `references.ts` (exported with the module); a new securable type is a row in
 * `securable-types.ts`.
 */
import MLFLOW from "./mlflow-kinds.json";
import type { OboAccessPath } from "./scopes";
import type { AccessRole } from "./securable";
import type { UcSecurableType, WorkspaceObjectType } from "./securable-types";

/** The key in the serialised `databricks` map, one per kind MLflow can declare (`mlflow-kinds.json`). */
export type MlflowKind =
  | "serving_endpoint"
  | "vector_search_index"
  | "sql_warehouse"
  | "function"
  | "genie_space"
  | "uc_connection"
  | "table"
  | "app"
  | "lakebase"
  | "uc_model_service";

/**
 * A dependency kind: an MLflow kind, or a kind MLflow has no resource class for yet (its row says what
 * to do instead, `noMlflowKind`): such a kind is declarable and granted by the plan, never written into
 * an auth policy.
 */
export type ResourceKind =
  | MlflowKind
  | "mcp_service"
  | "lakebase_project"
  | "knowledge_assistant"
  | "supervisor_agent";

/** Every dependency kind (the name the Agent Bricks rows were added under; the same as {@link ResourceKind}). */
export type DependencyKind = ResourceKind;

/** A deployment target whose on-behalf-of-user access the table describes. */
export type DeploymentTarget = "modelServing" | "databricksApps";

/** How a kind is reached on behalf of the user on one target: its access paths, or why it cannot be. */
export type OboReach =
  | {
      /** The access paths; each decides scopes (`SCOPES_BY_ACCESS_PATH`). */
      readonly paths: readonly OboAccessPath[];
    }
  | {
      /** Why it cannot be reached on behalf of the user, with what to do instead (DBA-SCOPE-007's fix). */
      readonly unsupported: string;
    };

/** The type of securable a kind's access is on (a row of `SECURABLE_TYPES`). */
export type SecurableTypeRef =
  | { readonly family: "uc"; readonly type: UcSecurableType }
  | { readonly family: "workspace"; readonly type: WorkspaceObjectType };

/** One securable a kind needs access on, with the privilege (UC) or level (workspace) each role needs. */
export type KindAccess = {
  /** The securable's type. */
  readonly securable: SecurableTypeRef;
  /**
   * Which of the reference's names identifies the securable.
   * @default "name" - the kind's identifier (the MLflow `name`)
   */
  readonly of?: string;
} & Readonly<Record<AccessRole, string>>;

/** A rule one of a reference's names must follow (DBA-CFG-002 when it does not). */
export type NameRule = {
  /** The name as messages call it, e.g. `warehouse id`. */
  readonly prop: string;
  /**
   * Which of the reference's names it checks.
   * @default "name" - the kind's identifier
   */
  readonly of?: string;
} & (
  | {
      /** The pattern a literal must match (a Terraform reference always passes). */
      readonly pattern: RegExp;
      /** What is allowed, for the message. */
      readonly allowed: string;
      /** How to find the right value. */
      readonly fix: string;
    }
  | {
      /** A three-level UC name of this object (`index`, `function`, `table`, ...); must be known at synth. */
      readonly ucObject: string;
      /** A full name to show in the fix. */
      readonly example: string;
    }
);

/** The MLflow columns, from `mlflow-kinds.json`. */
export interface MlflowColumns {
  /** The MLflow class in `mlflow.models.resources`. */
  readonly mlflowClass: string;
  /** The class's constructor argument (serialised as `name`). */
  readonly constructorArg: string;
  /** First MLflow release whose `mlflow/models/resources.py` has the class. */
  readonly firstRelease: string;
  /** Minimum MLflow version to declare when the kind is used. */
  readonly minMlflow: string;
  /**
   * Why a version differs from what the docs say.
   * @default - nothing to add
   */
  readonly mlflowNote?: string;
}

/** The `resources[]` blocks of `databricks_app` the library emits. */
export type AppResourceBlock =
  | "sql_warehouse"
  | "serving_endpoint"
  | "genie_space"
  | "database"
  | "postgres"
  | "uc_securable";

/**
 * How a `databricks_app` resource expresses a kind for the app's own identity: Databricks grants the
 * app's service principal the permission when the app is created or updated.
 */
export interface AppResourceColumn {
  /** The block of `resources[]`. */
  readonly block: AppResourceBlock;
  /**
   * The permission the block gives the app's service principal.
   * @default - the privilege the kind's first access row gives the deployer
   */
  readonly permission?: string;
  /**
   * `uc_securable.securable_type`, for the `uc_securable` block.
   * @default - none (other blocks)
   */
  readonly securableType?: "TABLE" | "FUNCTION" | "CONNECTION";
  /**
   * The first Databricks provider version whose `databricks_app` accepts it; on older providers the
   * access goes through the grant plan instead.
   * @default - every supported provider
   */
  readonly since?: string;
  /** The resource name's prefix (the key `app.yaml` reads it by, `valueFrom`). */
  readonly keyPrefix: string;
}

/** The library's columns. */
export interface KindColumns {
  /** How messages name a reference: `${label} ${identifier}`, e.g. `SQL warehouse 4b9b953939869799`. */
  readonly label: string;
  /**
   * The name users now see for it, said beside the label in errors (the API accepts it as an alias).
   * @default - none: the label is the only name
   */
  readonly alsoCalled?: string;
  /** The name rules, in the order problems are reported. */
  readonly names: readonly NameRule[];
  /**
   * What a principal needs to use it: the deployer when it is declared for passthrough (Databricks checks
   * at endpoint creation), each consumer when it is declared on behalf of the user.
   */
  readonly access: readonly KindAccess[];
  /**
   * How it is reached on behalf of the user, per variant (the reference's `via` or interface) and target.
   * A single-variant kind has one entry, `direct`.
   */
  readonly obo: Readonly<Record<string, Readonly<Record<DeploymentTarget, OboReach>>>>;
  /**
   * The `databricks_app` resource that gives an app's own identity this kind's access.
   * @default - none: the app's service principal gets the access through the grant plan
   */
  readonly appResource?: AppResourceColumn;
  /**
   * Why MLflow cannot declare the kind for automatic passthrough (no class in `mlflow.models.resources`),
   * with what to do instead; set exactly for the kinds without an `mlflow-kinds.json` row.
   * @default - none: an MLflow kind
   */
  readonly noMlflowKind?: string;
  /**
   * What else the kind needs that the library does not grant.
   * @default - nothing
   */
  readonly note?: string;
  /**
   * A role the deployer of a Model Serving endpoint needs for passthrough that no ACL grants: the
   * report lists it in `requiredActions` for every endpoint that declares the kind in `system`.
   * @default - none: the access column is all the deployer needs
   */
  readonly deployerRole?: DeployerRoleColumn;
}

/** A role granted outside any ACL (e.g. a Postgres role inside a Lakebase instance). */
export interface DeployerRoleColumn {
  /** The role, e.g. `databricks_superuser`. */
  readonly role: string;
  /** Where it is granted and by whom, for the report (the object name is appended). */
  readonly where: string;
  /** The commands to run there; `<name>` is the object's name, `<deployer>` the applying identity. */
  readonly commands: readonly string[];
}

/**
 * Facts about one dependency kind. The MLflow columns are present exactly for the {@link MlflowKind}s
 * ({@link mlflowColumns} reads them typed).
 */
export interface ResourceKindInfo extends Partial<MlflowColumns>, KindColumns {
  /** The key in the serialised `databricks` map. */
  readonly key: ResourceKind;
}

const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
/** An Agent Bricks agent's id: a UUID, with or without its hyphens. */
const AGENT_BRICKS_ID =
  /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$/;
const AGENT_BRICKS_ID_ALLOWED =
  "a UUID (8-4-4-4-12 hexadecimal digits, hyphens optional) or a Terraform reference";

const reach = (paths: readonly OboAccessPath[]): Record<DeploymentTarget, OboReach> => ({
  modelServing: { paths },
  databricksApps: { paths },
});
const unreachable = (why: string, onApps: string = why): Record<DeploymentTarget, OboReach> => ({
  modelServing: { unsupported: why },
  databricksApps: { unsupported: onApps },
});
/** The uc_securable types `databricks_app` accepts besides VOLUME: present by provider 1.128 (REFERENCE.md). */
const UC_APP_RESOURCES_SINCE = "1.128.0";

/** The library's columns per kind. */
const KIND_COLUMNS: Readonly<Record<DependencyKind, KindColumns>> = {
  app: {
    label: "Databricks App",
    names: [
      {
        prop: "app name",
        pattern: /^[a-z0-9][a-z0-9-]{1,29}$/,
        allowed: "lower-case letters, digits and '-', 2 to 30 characters",
        fix: "use the app's name from Compute > Apps",
      },
    ],
    access: [{ securable: { family: "workspace", type: "app" }, deployer: "CAN_USE", consumer: "CAN_USE" }],
    obo: {
      direct: {
        modelServing: { paths: ["app"] },
        databricksApps: {
          unsupported:
            "Databricks Apps reject the apps.apps scope: an app cannot call another app on behalf of the user; declare it for the app's own identity (system)",
        },
      },
    },
  },
  function: {
    label: "UC function",
    names: [{ prop: "function name", ucObject: "function", example: "main.sales.lookup_customer" }],
    access: [{ securable: { family: "uc", type: "function" }, deployer: "EXECUTE", consumer: "EXECUTE" }],
    appResource: {
      block: "uc_securable",
      securableType: "FUNCTION",
      since: UC_APP_RESOURCES_SINCE,
      keyPrefix: "function",
    },
    obo: {
      sql: unreachable(
        "UC functions are not reachable directly on behalf of the user; call them through the managed MCP server (UcFunction.fromName(name, { via: 'mcp' })) or through SQL on a warehouse declared on behalf of the user",
      ),
      mcp: reach(["mcp_functions"]),
    },
  },
  genie_space: {
    label: "Genie space",
    alsoCalled: "Genie Agent",
    names: [
      {
        prop: "Genie space id",
        pattern: /^[0-9a-f]{32}$/,
        allowed: "32 hexadecimal characters or a Terraform reference",
        fix: "copy the id from the Genie space URL",
      },
    ],
    access: [
      { securable: { family: "workspace", type: "genie_space" }, deployer: "CAN_RUN", consumer: "CAN_RUN" },
    ],
    appResource: { block: "genie_space", keyPrefix: "genie-space" },
    obo: { conversation: reach(["genie_conversation"]), mcp: reach(["genie_mcp"]) },
  },
  knowledge_assistant: {
    label: "Knowledge Assistant",
    names: [
      {
        prop: "Knowledge Assistant id",
        pattern: AGENT_BRICKS_ID,
        allowed: AGENT_BRICKS_ID_ALLOWED,
        fix: "use the Knowledge Assistant's id (`knowledge_assistant_id`, the last part of its `knowledge-assistants/<id>` name), not its display name or endpoint name",
      },
    ],
    access: [
      {
        securable: { family: "workspace", type: "knowledge_assistant" },
        deployer: "CAN_QUERY",
        consumer: "CAN_QUERY",
      },
    ],
    // Queried through its agent endpoint (`/serving-endpoints/<endpoint_name>/invocations`).
    obo: { direct: reach(["serving_endpoint"]) },
    noMlflowKind:
      "MLflow has no resource class for Knowledge Assistants (mlflow.models.resources has none, checked up to 3.17.2), so automatic passthrough cannot declare it; declare it in `onBehalfOfUser` (each consumer gets CAN_QUERY), or deploy the agent as an AgentApp, whose service principal is granted CAN_QUERY by the grant plan",
  },
  lakebase: {
    label: "Lakebase instance",
    names: [
      {
        prop: "database instance name",
        pattern: /^[a-z0-9][a-z0-9-]{0,62}$/,
        allowed: "lower-case letters, digits and '-', at most 63 characters",
        fix: "use the instance name from Compute > Lakebase",
      },
    ],
    access: [
      {
        securable: { family: "workspace", type: "database_instance" },
        deployer: "CAN_USE",
        consumer: "CAN_USE",
      },
    ],
    appResource: { block: "database", permission: "CAN_CONNECT_AND_CREATE", keyPrefix: "database" },
    obo: {
      direct: unreachable(
        "Model Serving has no on-behalf-of-user scope for Lakebase; declare it for automatic passthrough (system)",
        "the library does not reach Lakebase on behalf of the user on Apps (the postgres scope also needs a Postgres role per user); declare it for the app's own identity (system): the app resource `database` gives it CAN_CONNECT_AND_CREATE",
      ),
    },
    note: "Databricks' agent-authentication table also names the Postgres role databricks_superuser for the endpoint creator; that role is granted inside the instance, not through a workspace ACL, so the library grants CAN_USE only",
    deployerRole: {
      role: "databricks_superuser",
      where: "the Postgres role inside the Lakebase instance",
      commands: [
        "-- in Lakebase instance <name>, for the identity that applies the stack: in the UI, Roles > Add role > the identity, with databricks_superuser; or in SQL (psql or the SQL editor) as the instance's creator:",
        "CREATE EXTENSION IF NOT EXISTS databricks_auth;",
        "SELECT databricks_create_role('<deployer>', 'USER'); -- 'SERVICE_PRINCIPAL' with its application id; skip if the role exists",
        'GRANT databricks_superuser TO "<deployer>";',
      ],
    },
  },
  lakebase_project: {
    label: "Lakebase Autoscaling project",
    names: [
      {
        prop: "database project name",
        pattern: /^[a-z0-9][a-z0-9_-]{0,62}$/,
        allowed: "lower-case letters, digits, '-' and '_', at most 63 characters",
        fix: "use the project name from Compute > Lakebase (Autoscaling)",
      },
    ],
    access: [
      {
        securable: { family: "workspace", type: "database_project" },
        deployer: "CAN_USE",
        consumer: "CAN_USE",
      },
    ],
    obo: {
      direct: unreachable(
        "Model Serving has no on-behalf-of-user scope for Lakebase; declare it for the app's own identity on an AgentApp, or reach it with a service principal's credential (secrets)",
        "the library does not reach Lakebase on behalf of the user on Apps (the postgres scope also needs a Postgres role per user); declare it for the app's own identity (system)",
      ),
    },
    // databricks_app's `postgres` (verified in the 1.128.0 source; absent from cdktf's 1.99 bindings) takes a
    // branch path: LakebaseProject.fromName(name, { branch }) gives it.
    appResource: {
      block: "postgres",
      permission: "CAN_CONNECT_AND_CREATE",
      since: UC_APP_RESOURCES_SINCE,
      keyPrefix: "postgres",
    },
    noMlflowKind:
      "MLflow has no resource class for Lakebase Autoscaling projects (DatabricksLakebase is the provisioned instance), so automatic passthrough cannot reach one: deploy the agent as an AgentApp (its service principal gets CAN_USE), or give the endpoint a service principal's OAuth secret (secrets) and grant that principal CAN_USE and its Postgres role",
    note: "CAN_USE lets a principal connect; its Postgres role inside the project is granted in Postgres, not through a workspace ACL",
  },
  mcp_service: {
    label: "Unity Gateway MCP service",
    names: [{ prop: "MCP service name", ucObject: "MCP service", example: "main.agents.jira_mcp" }],
    access: [{ securable: { family: "uc", type: "mcp_service" }, deployer: "EXECUTE", consumer: "EXECUTE" }],
    obo: { direct: reach(["unity_gateway"]) },
    noMlflowKind:
      "MLflow has no resource class for Unity Gateway MCP services (mlflow.models.resources has DatabricksUCModelService only), so automatic passthrough cannot reach one: declare it on behalf of the user (onBehalfOfUser), deploy the agent as an AgentApp (its service principal gets EXECUTE), or give the endpoint a service principal's OAuth secret (secrets) and grant that principal EXECUTE",
  },
  serving_endpoint: {
    label: "serving endpoint",
    names: [
      {
        prop: "endpoint name",
        pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/,
        allowed: "letters, digits, '-' and '_', at most 63 characters",
        fix: "use the endpoint's name as shown on the Serving page",
      },
    ],
    access: [
      {
        securable: { family: "workspace", type: "serving_endpoint" },
        deployer: "CAN_QUERY",
        consumer: "CAN_QUERY",
      },
    ],
    appResource: { block: "serving_endpoint", keyPrefix: "serving-endpoint" },
    obo: { direct: reach(["serving_endpoint"]) },
  },
  sql_warehouse: {
    label: "SQL warehouse",
    names: [
      {
        prop: "warehouse id",
        pattern: /^[0-9a-f]{16}$/,
        allowed: "16 lower-case hexadecimal characters, or a Terraform reference",
        fix: "copy the id from the warehouse's Connection details (not its name or JDBC URL)",
      },
    ],
    access: [
      { securable: { family: "workspace", type: "sql_warehouse" }, deployer: "CAN_USE", consumer: "CAN_USE" },
    ],
    appResource: { block: "sql_warehouse", keyPrefix: "sql-warehouse" },
    obo: { "statement-execution": reach(["sql_warehouse"]), mcp: reach(["mcp_sql"]) },
  },
  supervisor_agent: {
    label: "Supervisor Agent",
    names: [
      {
        prop: "Supervisor Agent id",
        pattern: AGENT_BRICKS_ID,
        allowed: AGENT_BRICKS_ID_ALLOWED,
        fix: "use the Supervisor Agent's id (`supervisor_agent_id`, the last part of its `supervisor-agents/<id>` name), not its display name or endpoint name",
      },
    ],
    access: [
      {
        securable: { family: "workspace", type: "supervisor_agent" },
        deployer: "CAN_QUERY",
        consumer: "CAN_QUERY",
      },
    ],
    // Queried through its endpoint; it calls its sub-agents as the caller, whose access the reference adds.
    obo: { direct: reach(["serving_endpoint"]) },
    noMlflowKind:
      "MLflow has no resource class for Supervisor Agents (mlflow.models.resources has none, checked up to 3.17.2), so automatic passthrough cannot declare it; declare it in `onBehalfOfUser` (each consumer gets CAN_QUERY and its sub-agents' access), or deploy the agent as an AgentApp, whose service principal is granted them by the grant plan",
  },
  table: {
    label: "UC table",
    names: [{ prop: "table name", ucObject: "table", example: "main.sales.orders" }],
    access: [{ securable: { family: "uc", type: "table" }, deployer: "SELECT", consumer: "SELECT" }],
    appResource: {
      block: "uc_securable",
      securableType: "TABLE",
      since: UC_APP_RESOURCES_SINCE,
      keyPrefix: "table",
    },
    obo: {
      direct: unreachable(
        "UC tables are not reachable directly on behalf of the user; query them through Genie, the MCP SQL server or SQL on a warehouse declared on behalf of the user",
      ),
    },
  },
  uc_connection: {
    label: "UC connection",
    names: [
      {
        prop: "connection name",
        pattern: /^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$/,
        allowed: "letters, digits, '-' and '_'",
        fix: "use the connection's name from Catalog Explorer > Connections",
      },
    ],
    access: [
      {
        securable: { family: "uc", type: "foreign_connection" },
        deployer: "USE_CONNECTION",
        consumer: "USE_CONNECTION",
      },
    ],
    appResource: {
      block: "uc_securable",
      securableType: "CONNECTION",
      since: UC_APP_RESOURCES_SINCE,
      keyPrefix: "connection",
    },
    obo: { http: reach(["uc_connection"]), mcp: reach(["mcp_external"]) },
  },
  uc_model_service: {
    label: "UC model service",
    names: [{ prop: "model service name", ucObject: "model service", example: "main.agents.chat_service" }],
    access: [
      { securable: { family: "uc", type: "model_service" }, deployer: "EXECUTE", consumer: "EXECUTE" },
    ],
    obo: { direct: reach(["unity_gateway"]) },
  },
  vector_search_index: {
    label: "vector search index",
    alsoCalled: "AI Search index",
    names: [
      { prop: "index name", ucObject: "index", example: "main.sales.orders" },
      {
        prop: "vector search endpoint name",
        of: "endpointName",
        pattern: WORKSPACE_NAME,
        allowed: "letters, digits, '.', '-' and '_'",
        fix: "use the vector search endpoint's name from the Compute > Vector Search page",
      },
    ],
    // A vector search index is granted as a table. A managed-embeddings endpoint adds its own row's access.
    access: [
      {
        securable: { family: "workspace", type: "vector_search_endpoint" },
        of: "endpointName",
        deployer: "CAN_USE",
        consumer: "CAN_USE",
      },
      { securable: { family: "uc", type: "table" }, deployer: "SELECT", consumer: "SELECT" },
    ],
    obo: {
      api: reach(["vector_search"]),
      embeddings: reach(["vector_search_with_embeddings"]),
      mcp: reach(["mcp_vectorsearch"]),
    },
  },
};

/**
 * The MLflow columns, checked against {@link ResourceKind} by the compiler both ways: a kind missing
 * from the file, or a key in the file that is not a kind, does not compile.
 */
const MLFLOW_KINDS: Readonly<Record<MlflowKind, MlflowColumns>> &
  Readonly<Record<Exclude<keyof typeof MLFLOW.kinds, MlflowKind>, never>> = MLFLOW.kinds;

/** True for a kind MLflow can declare (a row of `mlflow-kinds.json`). */
export function isMlflowKind(kind: ResourceKind): kind is MlflowKind {
  return Object.prototype.hasOwnProperty.call(MLFLOW_KINDS, kind);
}

/** A kind's MLflow columns: present exactly for the {@link MlflowKind}s. */
export function mlflowColumns(kind: MlflowKind): MlflowColumns;
export function mlflowColumns(kind: ResourceKind): MlflowColumns | undefined;
export function mlflowColumns(kind: ResourceKind): MlflowColumns | undefined {
  if (!isMlflowKind(kind)) return undefined;
  const { mlflowClass, constructorArg, firstRelease, minMlflow, mlflowNote } = MLFLOW_KINDS[kind];
  return { mlflowClass, constructorArg, firstRelease, minMlflow, ...(mlflowNote ? { mlflowNote } : {}) };
}

/** The table, alphabetical by key (the MLflow kinds in `mlflow-kinds.json`'s serialisation order). */
export const RESOURCE_KINDS: Readonly<Record<ResourceKind, ResourceKindInfo>> = Object.fromEntries(
  (Object.keys(KIND_COLUMNS) as ResourceKind[])
    .sort()
    .map((key) => [key, { key, ...mlflowColumns(key), ...KIND_COLUMNS[key] }]),
) as Record<ResourceKind, ResourceKindInfo>;

/** Facts about one dependency kind (the name the Agent Bricks rows were added under). */
export type DependencyKindInfo = ResourceKindInfo;

/** Every kind's row (the same table as {@link RESOURCE_KINDS}, under the name the reference classes read). */
export const DEPENDENCY_KINDS: Readonly<Record<DependencyKind, DependencyKindInfo>> = RESOURCE_KINDS;

/** One MLflow resource: its kind and identifier (the `name` in the serialised form). */
export interface AgentResource {
  readonly kind: ResourceKind;
  readonly name: string;
  /**
   * The Lakebase Autoscaling branch (`lakebase_project` only): what an app resource `postgres` connects
   * to. Never serialised into an MLflow policy.
   * @default - none
   */
  readonly branch?: string;
}

/** A stable key for dedupe and sorting. */
export function resourceKey(r: AgentResource): string {
  return `${r.kind}:${r.name}`;
}
