/**
 * The securable types access can be granted on: the one home of how Terraform, the permissions APIs and
 * the grant plan name and treat each. Every place that maps a securable type (grant plans and their
 * parents, the additive step and report commands, foreign grant recognition, grant realisation) reads
 * this table. Sources: REFERENCE.md and the provider's `catalog/permissions/permissions.go` and
 * `permissions/permission_definitions.go`.
 */
import { compareVersions } from "./versions";

/** Unity Catalog securable types (`databricks_grant`, the UC permissions API). */
export type UcSecurableType =
  | "catalog"
  | "schema"
  | "table"
  | "function"
  | "model"
  | "foreign_connection"
  | "model_service"
  | "mcp_service";

/** Workspace objects governed by the Permissions API (`databricks_permissions`). */
export type WorkspaceObjectType =
  | "serving_endpoint"
  | "sql_warehouse"
  | "genie_space"
  | "vector_search_endpoint"
  | "database_instance"
  | "app"
  | "knowledge_assistant"
  | "supervisor_agent"
  | "database_project";

/** Facts about one Unity Catalog securable type. */
export interface UcSecurableTypeInfo {
  /** The `databricks_grant` attribute in Terraform (snake_case), as synthesized configs name it. */
  readonly terraformAttribute: string;
  /** The UC permissions API's type (`/api/2.1/unity-catalog/permissions/<apiType>/<name>`, CLI `grants update <apiType>`). */
  readonly apiType: string;
  /**
   * The parents a principal needs `USE_*` on to use it: none, the catalog (`USE_CATALOG`, for a
   * two-level name) or the catalog and the schema (`USE_CATALOG`, `USE_SCHEMA`, for a three-level name).
   */
  readonly parents: "none" | "catalog" | "catalog_and_schema";
  /**
   * The first Databricks provider version whose `databricks_grant` has the attribute.
   * @default - every supported provider has it
   */
  readonly grantAttributeSince?: string;
}

/** How a stack can manage a workspace object's ACL authoritatively (`databricks_permissions`). */
export type AuthoritativeAcl =
  /** Also on an object the stack only references (opt-in, acknowledged DBA-GRANT-001). */
  | "referenced"
  /** Only on objects the stack creates (their id is an output of the resource). */
  | "owned"
  /** Never: the provider has no ACL for it, or keys it by an id a reference does not hold. */
  | "never";

/** Facts about one workspace object type. */
export interface WorkspaceObjectTypeInfo {
  /** The Permissions API's object type (`/api/2.0/permissions/<apiType>/<id>`, CLI `permissions update <apiType>`). */
  readonly apiType: string;
  /**
   * The CLI command that resolves a name to the object id, when the ACL is keyed by id.
   * @default - none: the ACL is keyed by what the reference holds
   */
  readonly lookup?: readonly string[];
  /**
   * The `databricks_permissions` attribute in Terraform (snake_case).
   * @default - none: the provider cannot manage the object's ACL
   */
  readonly terraformAttribute?: string;
  /**
   * The first Databricks provider version whose `databricks_permissions` has the attribute; on an older
   * bound provider an authoritative ACL is impossible (DBA-GRANT-007) and the additive step or the
   * report, which use the Permissions API, are the only mechanisms.
   * @default - every supported provider has it
   */
  readonly terraformAttributeSince?: string;
  /** Whether, and where, an authoritative ACL is possible. */
  readonly authoritativeAcl: AuthoritativeAcl;
  /**
   * The permission levels, lowest first; levels in one inner list are incomparable (each allows what
   * the other does not). A principal holds one level per object, so the additive step never replaces a
   * level by a lower or an incomparable one.
   */
  readonly levels: readonly (string | readonly string[])[];
}

/** The securable types, by family. */
export interface SecurableTypes {
  readonly uc: Readonly<Record<UcSecurableType, UcSecurableTypeInfo>>;
  readonly workspace: Readonly<Record<WorkspaceObjectType, WorkspaceObjectTypeInfo>>;
}

/** The table. */
export const SECURABLE_TYPES: SecurableTypes = {
  uc: {
    catalog: { terraformAttribute: "catalog", apiType: "catalog", parents: "none" },
    schema: { terraformAttribute: "schema", apiType: "schema", parents: "catalog" },
    table: { terraformAttribute: "table", apiType: "table", parents: "catalog_and_schema" },
    function: { terraformAttribute: "function", apiType: "function", parents: "catalog_and_schema" },
    // The provider maps a registered model to the API's function type (catalog/permissions/permissions.go).
    model: { terraformAttribute: "model", apiType: "function", parents: "catalog_and_schema" },
    foreign_connection: { terraformAttribute: "foreign_connection", apiType: "connection", parents: "none" },
    // A Unity Gateway model service; databricks_grant has it from provider 1.127 (not in cdktf's 1.99).
    model_service: {
      terraformAttribute: "model_service",
      apiType: "model_service",
      parents: "catalog_and_schema",
      grantAttributeSince: "1.127.0",
    },
    // A Unity Gateway MCP service; databricks_grant has it from provider 1.127 (not in cdktf's 1.99).
    mcp_service: {
      terraformAttribute: "mcp_service",
      apiType: "mcp_service",
      parents: "catalog_and_schema",
      grantAttributeSince: "1.127.0",
    },
  },
  workspace: {
    sql_warehouse: {
      apiType: "warehouses",
      terraformAttribute: "sql_endpoint_id",
      authoritativeAcl: "referenced",
      levels: ["CAN_VIEW", ["CAN_MONITOR", "CAN_USE"], "CAN_MANAGE", "IS_OWNER"],
    },
    // No Genie ACL in the provider (issues #4082, #6021): the Permissions API only.
    genie_space: {
      apiType: "genie",
      authoritativeAcl: "never",
      levels: ["CAN_VIEW", "CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"],
    },
    serving_endpoint: {
      apiType: "serving-endpoints",
      lookup: ["serving-endpoints", "get"],
      terraformAttribute: "serving_endpoint_id",
      authoritativeAcl: "owned",
      levels: ["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"],
    },
    // Keyed by the endpoint's id; a reference holds its name.
    vector_search_endpoint: {
      apiType: "vector-search-endpoints",
      lookup: ["vector-search-endpoints", "get-endpoint"],
      terraformAttribute: "vector_search_endpoint_id",
      authoritativeAcl: "never",
      levels: ["CAN_USE", "CAN_MANAGE"],
    },
    database_instance: {
      apiType: "database-instances",
      terraformAttribute: "database_instance_name",
      authoritativeAcl: "referenced",
      levels: ["CAN_USE", "CAN_MANAGE"],
    },
    app: {
      apiType: "apps",
      terraformAttribute: "app_name",
      authoritativeAcl: "referenced",
      levels: ["CAN_USE", "CAN_MANAGE"],
    },
    // Agent Bricks: databricks_permissions has both from provider 1.116 (not in cdktf's 1.99); the provider
    // maps them to the Permissions API's knowledge-assistants and supervisor-agents object types
    // (permissions/permission_definitions.go at 1.128), keyed by the agent's id.
    knowledge_assistant: {
      apiType: "knowledge-assistants",
      terraformAttribute: "knowledge_assistant_id",
      terraformAttributeSince: "1.116.0",
      authoritativeAcl: "referenced",
      levels: ["CAN_QUERY", "CAN_MANAGE"],
    },
    supervisor_agent: {
      apiType: "supervisor-agents",
      terraformAttribute: "supervisor_agent_id",
      terraformAttributeSince: "1.116.0",
      authoritativeAcl: "referenced",
      levels: ["CAN_QUERY", "CAN_MANAGE"],
    },
    // A Lakebase Autoscaling project; databricks_permissions has it from provider 1.108 (not in cdktf's 1.99).
    database_project: {
      apiType: "database-projects",
      terraformAttribute: "database_project_name",
      terraformAttributeSince: "1.108.0",
      authoritativeAcl: "referenced",
      levels: ["CAN_USE", "CAN_MANAGE"],
    },
  },
};

/** The UC securable types, in table order. */
export const UC_SECURABLE_TYPES = Object.keys(SECURABLE_TYPES.uc) as UcSecurableType[];

/** The workspace object types, in table order. */
export const WORKSPACE_OBJECT_TYPES = Object.keys(SECURABLE_TYPES.workspace) as WorkspaceObjectType[];

/**
 * Binding properties by Terraform attribute, made once each: every app converts each of its app
 * resources' field names, and the attributes are the few names of the kinds table and the blocks.
 */
const BINDING_PROPERTIES = new Map<string, string>();

/** The property the provider bindings give a Terraform attribute (`foreign_connection` -> `foreignConnection`). */
export function bindingProperty(terraformAttribute: string): string {
  let property = BINDING_PROPERTIES.get(terraformAttribute);
  if (property === undefined) {
    property = terraformAttribute.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    BINDING_PROPERTIES.set(terraformAttribute, property);
  }
  return property;
}

/** True when `databricks_grant` of the given provider version can grant on this UC type. */
export function grantAttributeAvailable(type: UcSecurableType, providerVersion: string): boolean {
  const since = SECURABLE_TYPES.uc[type].grantAttributeSince;
  return since === undefined || compareVersions(providerVersion, since) >= 0;
}

/**
 * True when `databricks_permissions` of the given provider version has this workspace object type's
 * attribute (an authoritative ACL can be written natively).
 */
export function permissionsAttributeAvailable(type: WorkspaceObjectType, providerVersion: string): boolean {
  const info = SECURABLE_TYPES.workspace[type];
  if (info.terraformAttribute === undefined) return false;
  const since = info.terraformAttributeSince;
  return since === undefined || compareVersions(providerVersion, since) >= 0;
}
