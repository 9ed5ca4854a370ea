import { type AgentResource, type ResourceKind } from "./resource-kinds";

/** Serialised MLflow resources: `{"api_version": "1", "databricks": {...}}`. */
export interface SerializedResources {
  readonly api_version: "1";
  readonly databricks: Partial<Record<ResourceKind, { readonly name: string }[]>>;
}

/** Exactly `mlflow.models.auth_policy.AuthPolicy.to_dict()`; an empty side is `{}`. */
export interface AuthPolicyDict {
  readonly system_auth_policy: { readonly resources?: SerializedResources };
  readonly user_auth_policy: { readonly api_scopes?: readonly string[] };
}

/** De-duplicate and sort resources by kind, then name. */
export function normaliseResources(resources: readonly AgentResource[]): AgentResource[] {
  // A policy's resources are normalised once and serialised again per file: a copy, without the map and the sort.
  if (isNormalised(resources)) return resources.slice();
  // A stable sort, then the last of each run of one key (kind and name): what a map by key keeps.
  const out: AgentResource[] = [];
  for (const r of resources.slice().sort(byKindThenName)) {
    const last = out.length - 1;
    if (last >= 0 && byKindThenName(out[last]!, r) === 0) out[last] = r;
    else out.push(r);
  }
  return out;
}

/** Resources in strictly increasing order (kind, then name): sorted, and no two share a key. */
function isNormalised(resources: readonly AgentResource[]): boolean {
  for (let i = 1; i < resources.length; i++)
    if (byKindThenName(resources[i - 1]!, resources[i]!) >= 0) return false;
  return true;
}

function byKindThenName(a: AgentResource, b: AgentResource): number {
  return a.kind === b.kind ? cmp(a.name, b.name) : cmp(a.kind, b.kind);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Serialise resources the way MLflow's `_ResourceBuilder.from_resources` does. */
export function serializeResources(resources: readonly AgentResource[]): SerializedResources {
  const databricks: Partial<Record<ResourceKind, { name: string }[]>> = {};
  for (const r of normaliseResources(resources)) {
    (databricks[r.kind] ??= []).push({ name: r.name });
  }
  return { api_version: "1", databricks };
}

/** Build the policy dictionary from the system resources and the OBO scopes. */
export function buildAuthPolicyDict(
  resources: readonly AgentResource[],
  scopes: readonly string[],
): AuthPolicyDict {
  return {
    system_auth_policy: resources.length > 0 ? { resources: serializeResources(resources) } : {},
    user_auth_policy: scopes.length > 0 ? { api_scopes: [...new Set(scopes)].sort() } : {},
  };
}
