import { boundedMemo } from "./bounded-memo";

/** Compare dotted versions numerically: negative when a < b. Non-numeric parts compare as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A dotted version's numeric parts, kept per version (a stack compares a few distinct ones thousands of times). */
const versionParts = boundedMemo(1_000, (v: string): readonly number[] =>
  v.split(".").map((x) => Number.parseInt(x, 10) || 0),
);

/** The highest of the given versions (the floor below which something breaks). */
export function maxVersion(versions: readonly string[], floor: string): string {
  return versions.reduce((m, v) => (compareVersions(v, m) > 0 ? v : m), floor);
}

/** `AuthPolicy` exists from this version. */
export const MLFLOW_AUTH_POLICY = "2.21.0";
/** On-behalf-of-user end to end needs this version. */
export const MLFLOW_OBO = "2.22.1";
/** The pip requirement an OBO agent needs (ModelServingUserCredentials). */
export const AI_BRIDGE_REQUIREMENT = "databricks-ai-bridge>=0.6.0";
/** The SDK the agent creates its WorkspaceClient with. */
export const DATABRICKS_SDK_REQUIREMENT = "databricks-sdk>=0.49.0";
/** The client for Databricks managed MCP servers (Genie, UC functions, vector search, SQL over MCP). */
export const DATABRICKS_MCP_REQUIREMENT = "databricks-mcp>=0.1.0";
