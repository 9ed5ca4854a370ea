/**
 * The OBO API scope catalog, as data. Model Serving rejects scopes it does not know at endpoint
 * creation ("Invalid user API scope(s) specified for model") and MLflow does not check them, so the
 * library does. The list moves: `additionalServingScopes` on `AgentAuthPolicy` is the escape hatch.
 */

/** Scopes Model Serving accepts, as quoted from its own rejection message (REFERENCE.md). */
export const SERVING_ACCEPTED_SCOPES: readonly string[] = [
  "ai-gateway",
  "apps",
  "apps.apps",
  "catalog.connections",
  "dashboards.genie",
  "genie",
  "iam.access-control:read",
  "iam.current-user:read",
  "mcp.external",
  "mcp.functions",
  "mcp.genie",
  "mcp.sql",
  "mcp.vectorsearch",
  "model-serving",
  "serving.serving-endpoints",
  "sql",
  "sql.statement-execution",
  "sql.warehouses",
  "unity-catalog",
  "vector-search",
  "vectorsearch.vector-search-endpoints",
  "vectorsearch.vector-search-indexes",
  "workspace.workspace",
];

/** Scopes Databricks Apps accept but Model Serving rejects. */
export const APPS_ONLY_SCOPES: readonly string[] = [
  "catalog.catalogs:read",
  "catalog.schemas:read",
  "catalog.tables:read",
  "files",
  "files.files",
  "postgres",
];

/** How an agent reaches a dependency, which decides its OBO scopes. */
export type OboAccessPath =
  | "serving_endpoint"
  | "vector_search"
  | "vector_search_with_embeddings"
  | "sql_warehouse"
  | "genie_conversation"
  | "genie_mcp"
  | "uc_connection"
  | "app"
  | "mcp_functions"
  | "mcp_vectorsearch"
  | "mcp_sql"
  | "mcp_external"
  | "caller_current_user"
  | "caller_access_control"
  | "unity_gateway";

/**
 * What an agent reads about its caller on behalf of the user (`AgentAuthPolicy` prop `callerIdentity`):
 * `current-user` is the caller's own identity (`WorkspaceClient.current_user.me()`), `access-control`
 * the caller's permissions on objects (`iam.access-control:read`, e.g. the permissions API's reads).
 */
export type CallerIdentityRead = "current-user" | "access-control";

/** The access path of each caller-identity read: its scopes are in the tables below, like any other path's. */
export const CALLER_IDENTITY_ACCESS_PATHS: Readonly<Record<CallerIdentityRead, OboAccessPath>> = {
  "current-user": "caller_current_user",
  "access-control": "caller_access_control",
};

/** Minimal scopes per access path (REFERENCE.md "OBO API scopes"). */
export const SCOPES_BY_ACCESS_PATH: Readonly<Record<OboAccessPath, readonly string[]>> = {
  serving_endpoint: ["serving.serving-endpoints"],
  vector_search: ["vectorsearch.vector-search-endpoints", "vectorsearch.vector-search-indexes"],
  vector_search_with_embeddings: [
    "serving.serving-endpoints",
    "vectorsearch.vector-search-endpoints",
    "vectorsearch.vector-search-indexes",
  ],
  sql_warehouse: ["sql.statement-execution", "sql.warehouses"],
  genie_conversation: ["dashboards.genie"],
  genie_mcp: ["mcp.genie"],
  uc_connection: ["catalog.connections", "serving.serving-endpoints"],
  app: ["apps.apps"],
  mcp_functions: ["mcp.functions"],
  mcp_vectorsearch: ["mcp.vectorsearch"],
  mcp_sql: ["mcp.sql", "sql.statement-execution", "sql.warehouses"],
  mcp_external: ["mcp.external"],
  caller_current_user: ["iam.current-user:read"],
  caller_access_control: ["iam.access-control:read"],
  // Unity Gateway model and MCP services (the successor of the per-endpoint AI Gateway): the accepted
  // `ai-gateway` scope; unconfirmed against a live workspace (REFERENCE.md's 2026 section).
  unity_gateway: ["ai-gateway"],
};

/** Sorted, de-duplicated union of the scopes the given access paths need. */
export function scopesFor(paths: readonly OboAccessPath[]): string[] {
  return [...new Set(paths.flatMap((p) => SCOPES_BY_ACCESS_PATH[p]))].sort();
}

/**
 * The scopes a policy needs on Model Serving: those of its on-behalf-of-user access paths (dependencies
 * and caller-identity reads) and every escape-hatch scope (`additionalServingScopes` is a declared need:
 * the library does not know which dependency it serves). Sorted, de-duplicated. The one home of this
 * union: the policy derives `api_scopes` from it and the scope rules check given scopes against it.
 */
export function neededServingScopes(
  paths: readonly OboAccessPath[],
  additional: readonly string[] = [],
): string[] {
  return [...new Set([...scopesFor(paths), ...additional])].sort();
}

/** Classify a scope against the catalog. */
export function classifyScope(
  scope: string,
  additional: readonly string[] = [],
): "accepted" | "apps-only" | "unknown" {
  if (SERVING_ACCEPTED_SCOPES.includes(scope) || additional.includes(scope)) return "accepted";
  if (APPS_ONLY_SCOPES.includes(scope)) return "apps-only";
  return "unknown";
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The known scope closest to an unknown one. */
export function closestScope(scope: string, additional: readonly string[] = []): string {
  const candidates = [...SERVING_ACCEPTED_SCOPES, ...additional];
  return candidates.reduce((best, c) => (editDistance(scope, c) < editDistance(scope, best) ? c : best));
}
