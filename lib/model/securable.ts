/** Unity Catalog securable types that `databricks_grant` manages. */
export type UcSecurableType = "catalog" | "schema" | "table" | "function" | "model" | "foreign_connection";

/** Workspace objects governed by the Permissions API (`databricks_permissions`). */
export type WorkspaceObjectType =
  | "serving_endpoint"
  | "sql_warehouse"
  | "genie_space"
  | "vector_search_endpoint"
  | "database_instance"
  | "app";

/** Something access can be granted on. */
export type Securable =
  | { readonly family: "uc"; readonly type: UcSecurableType; readonly name: string }
  | { readonly family: "workspace"; readonly type: WorkspaceObjectType; readonly id: string }
  | { readonly family: "secret"; readonly scope: string };

/** The access a principal needs on a securable to use a dependency. */
export interface AccessNeed {
  readonly securable: Securable;
  readonly privilege: string;
}

/** Stable key of a securable, for merging and sorting. */
export function securableKey(s: Securable): string {
  if (s.family === "secret") return `secret:${s.scope}`;
  return s.family === "uc" ? `uc:${s.type}:${s.name}` : `ws:${s.type}:${s.id}`;
}

/** Human-readable, for messages and reports. */
export function describeSecurable(s: Securable): string {
  if (s.family === "secret") return `secret scope ${s.scope}`;
  return s.family === "uc" ? `${s.type} ${s.name}` : `${s.type.replace(/_/g, " ")} ${s.id}`;
}

/** A UC securable. */
export function uc(type: UcSecurableType, name: string): Securable {
  return { family: "uc", type, name };
}

/** A workspace object. */
export function ws(type: WorkspaceObjectType, id: string): Securable {
  return { family: "workspace", type, id };
}

/** A secret scope (ACL entries per principal: `databricks_secret_acl`). */
export function secretScope(scope: string): Securable {
  return { family: "secret", scope };
}
