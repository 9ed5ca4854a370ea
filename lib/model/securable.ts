import { UC_SECURABLE_TYPES, type UcSecurableType, type WorkspaceObjectType } from "./securable-types";
import { canonicalUcName } from "./uc-name";

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

/**
 * A UC securable, its name in the one spelling UC has ({@link canonicalUcName}: lower case). Every
 * UC securable the plan, its keys and the realiser see is made here, so names that differ only in
 * case are one securable.
 */
export function uc(type: UcSecurableType, name: string): Securable {
  return { family: "uc", type, name: canonicalUcName(name) };
}

/** A securable as {@link uc} would have made it (for securables given as plain objects). */
export function canonicalSecurable(s: Securable): Securable {
  return s.family === "uc" ? uc(s.type, s.name) : s;
}

/** A workspace object. */
export function ws(type: WorkspaceObjectType, id: string): Securable {
  return { family: "workspace", type, id };
}

/** A secret scope (ACL entries per principal: `databricks_secret_acl`). */
export function secretScope(scope: string): Securable {
  return { family: "secret", scope };
}

/**
 * An object key as settings name it (`<type>:<id or name>`, e.g. an override's `table:Main.Sales.Orders`)
 * in the plan's spelling: a UC name as {@link uc} spells it, any other key as given.
 */
export function canonicalObjectKey(key: string): string {
  const i = key.indexOf(":");
  const type = key.slice(0, i);
  return (UC_SECURABLE_TYPES as readonly string[]).includes(type)
    ? `${type}:${canonicalUcName(key.slice(i + 1))}`
    : key;
}
