import type { UcSecurableType, WorkspaceObjectType } from "./securable-types";

export type { UcSecurableType, WorkspaceObjectType } from "./securable-types";

/** Something access can be granted on. */
export type Securable =
  | { readonly family: "uc"; readonly type: UcSecurableType; readonly name: string }
  | { readonly family: "workspace"; readonly type: WorkspaceObjectType; readonly id: string }
  | { readonly family: "secret"; readonly scope: string };

/**
 * Who needs access to a dependency: the deployer (the identity that creates the endpoint) for what is
 * declared for passthrough, each consumer for what is declared on behalf of the user.
 */
export type AccessRole = "deployer" | "consumer";

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
