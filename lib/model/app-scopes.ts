/**
 * The Databricks Apps user-authorization scope catalog, as data: the one home of which scope names an
 * app's `user_api_scopes` accepts, which are deprecated aliases, which Apps reject, and which Apps scopes
 * each on-behalf-of-user access path needs. Model Serving's catalog is `scopes.ts`; the two vocabularies
 * differ (Apps use short names such as `sql`, `genie`; Model Serving uses `mcp.genie`, `dashboards.genie`).
 * Source: REFERENCE.md, "OBO on Apps". The list moves: `additionalUserApiScopes` on `AgentApp` is the
 * escape hatch.
 */
import { editDistance, type OboAccessPath } from "./scopes";

/**
 * What Apps do with a scope name:
 * - `canonical`: accepted, the name to use;
 * - `deprecated`: a deprecated alias still accepted; use `replacement`;
 * - `implicit`: always granted, never listed;
 * - `rejected`: Apps refuse it; `replacement` says what to use instead, when anything;
 * - `servingOnly`: a Model Serving scope Apps do not know; `replacement` is the Apps scope for the same access.
 */
export type AppScopeStatus = "canonical" | "deprecated" | "implicit" | "rejected" | "servingOnly";

/** One row of the catalog. */
export interface AppScopeInfo {
  readonly status: AppScopeStatus;
  /**
   * The Apps scope to use instead (deprecated, rejected and Model-Serving-only scopes).
   * @default - none: nothing on Apps replaces it
   */
  readonly replacement?: string;
  /**
   * Why, for the message.
   * @default - the status says it all
   */
  readonly note?: string;
}

/** The catalog, by scope name. */
export const APP_SCOPES: Readonly<Record<string, AppScopeInfo>> = {
  "ai-gateway": { status: "canonical" },
  "catalog.catalogs:read": { status: "canonical" },
  "catalog.connections": { status: "canonical" },
  "catalog.schemas:read": { status: "canonical" },
  "catalog.tables:read": { status: "canonical" },
  files: { status: "canonical" },
  genie: { status: "canonical" },
  "mcp.external": { status: "canonical" },
  "mcp.functions": { status: "canonical" },
  "model-serving": { status: "canonical" },
  postgres: { status: "canonical" },
  sql: { status: "canonical" },
  "sql:restricted-query": { status: "canonical" },
  "sql.statement-execution": { status: "canonical" },
  "sql.warehouses:read": { status: "canonical" },
  "vector-search": { status: "canonical" },
  "workspace.workspace": { status: "canonical" },
  "dashboards.genie": { status: "deprecated", replacement: "genie" },
  "files.files": { status: "deprecated", replacement: "files" },
  "serving.serving-endpoints": { status: "deprecated", replacement: "model-serving" },
  "iam.access-control:read": { status: "implicit" },
  "iam.current-user:read": { status: "implicit" },
  "apps.apps": { status: "rejected", note: "an app cannot call another app on behalf of the user" },
  apps: { status: "rejected", note: "an app cannot call another app on behalf of the user" },
  jobs: { status: "rejected", note: "jobs are reached with the app's own identity (an app resource `job`)" },
  "catalog.volumes": { status: "rejected", replacement: "files" },
  workspace: { status: "rejected", replacement: "workspace.workspace" },
  "mcp.genie": { status: "servingOnly", replacement: "genie" },
  "mcp.sql": { status: "servingOnly", replacement: "sql" },
  "mcp.vectorsearch": { status: "servingOnly", replacement: "vector-search" },
  "sql.warehouses": { status: "servingOnly", replacement: "sql" },
  "vectorsearch.vector-search-endpoints": { status: "servingOnly", replacement: "vector-search" },
  "vectorsearch.vector-search-indexes": { status: "servingOnly", replacement: "vector-search" },
  "unity-catalog": { status: "servingOnly", replacement: "mcp.functions" },
};

/**
 * The minimal Apps scopes per access path. `app` has none: an app cannot be reached on behalf of the
 * user from another app (the `app` kind's Apps column in `resource-kinds.ts` says so, DBA-APP-008).
 */
export const APP_SCOPES_BY_ACCESS_PATH: Readonly<Record<OboAccessPath, readonly string[]>> = {
  serving_endpoint: ["model-serving"],
  vector_search: ["vector-search"],
  vector_search_with_embeddings: ["model-serving", "vector-search"],
  sql_warehouse: ["sql"],
  genie_conversation: ["genie"],
  genie_mcp: ["genie"],
  uc_connection: ["catalog.connections", "model-serving"],
  app: [],
  mcp_functions: ["mcp.functions"],
  mcp_vectorsearch: ["vector-search"],
  mcp_sql: ["sql"],
  mcp_external: ["mcp.external"],
  // Granted to every app implicitly (the `implicit` rows above): nothing to list.
  caller_current_user: [],
  caller_access_control: [],
  unity_gateway: ["ai-gateway"],
};

/** Sorted, de-duplicated union of the Apps scopes the given access paths need. */
export function appScopesFor(paths: readonly OboAccessPath[]): string[] {
  return [...new Set(paths.flatMap((p) => APP_SCOPES_BY_ACCESS_PATH[p]))].sort();
}

/** A scope's row, treating the escape hatch's scopes as canonical; `unknown` when in neither. */
export function classifyAppScope(
  scope: string,
  additional: readonly string[] = [],
): AppScopeStatus | "unknown" {
  if (additional.includes(scope)) return "canonical";
  return Object.prototype.hasOwnProperty.call(APP_SCOPES, scope) ? APP_SCOPES[scope]!.status : "unknown";
}

/** The accepted scope names, sorted (canonical ones and the escape hatch's). */
export function acceptedAppScopes(additional: readonly string[] = []): string[] {
  return [
    ...new Set([
      ...Object.keys(APP_SCOPES).filter((s) => APP_SCOPES[s]!.status === "canonical"),
      ...additional,
    ]),
  ].sort();
}

/** The accepted Apps scope closest to an unknown one, for "did you mean". */
export function closestAppScope(scope: string, additional: readonly string[] = []): string {
  return acceptedAppScopes(additional).reduce((best, c) =>
    editDistance(scope, c) < editDistance(scope, best) ? c : best,
  );
}
