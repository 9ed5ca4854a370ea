import type { Principal } from "../model/principal";
import { canonicalSecurable, securableKey, uc, type Securable } from "../model/securable";
import {
  grantAttributeAvailable,
  permissionsAttributeAvailable,
  SECURABLE_TYPES,
} from "../model/securable-types";
import type { GrantMechanism, GrantRequest } from "./grant-request";

/** Permission levels of workspace objects, lowest first; one level per principal, the highest wins. */
export const LEVEL_ORDER: readonly string[] = [
  "READ",
  "WRITE",
  "CAN_VIEW",
  "CAN_READ",
  "CAN_MONITOR",
  "CAN_USE",
  "CAN_RUN",
  "CAN_QUERY",
  "CAN_EDIT",
  "CAN_MANAGE",
  "IS_OWNER",
];

/**
 * How one merged grant is realised.
 * - `owned_acl`: in the authoritative ACL of an object the stack creates (its endpoint);
 * - `uc_grant`: a `databricks_grant` for a (securable, principal) pair the stack declares it owns
 *   (`ownedGrants`, acknowledged DBA-GRANT-001): it replaces that principal's privileges there;
 * - `report`, `additive`, `authoritative`: the mechanism chosen for an object the stack does not own.
 */
export type Realisation = "uc_grant" | "owned_acl" | GrantMechanism;

/** One merged (securable, principal) entry of the plan. */
export interface PlannedGrant {
  readonly securable: Securable;
  readonly principal: Principal;
  /**
   * The securable's key with every Terraform reference spelled as its expression (e.g.
   * `ws:sql_warehouse:${var.warehouse_id}`): independent of cdktf's token counter.
   */
  readonly securableKey: string;
  /** The (securable, principal) pair's key ({@link pairKey}), references spelled as expressions. */
  readonly key: string;
  /** UC: sorted privileges. Workspace objects: the single highest level. */
  readonly privileges: readonly string[];
  /** Sorted, de-duplicated reasons. */
  readonly reasons: readonly string[];
  readonly realisation: Realisation;
  /** Construct paths that requested it, sorted. */
  readonly requestedBy: readonly string[];
  /** How many requests arrived through an escape hatch (duplicates are a rule). */
  readonly manualRequests: number;
}

/** Options that decide realisation. */
export interface PlanOptions {
  /** Securable keys of objects the stack owns (their ACL may be authoritative), spelled by `expression`. */
  readonly owned: ReadonlySet<string>;
  /** The stack-wide mechanism for objects the stack does not own. */
  readonly defaultMechanism: GrantMechanism;
  /** Per-object overrides, keyed `<type>:<id>` (e.g. `sql_warehouse:4b9b953939869799`, `table:main.a.b`). */
  readonly overrides: ReadonlyMap<string, GrantMechanism>;
  /** (securable, principal) pairs the stack owns, as {@link pairKey} spelled by `expression`: realised as `databricks_grant`. */
  readonly ownedGrants?: ReadonlySet<string>;
  /**
   * How keys spell a Terraform reference: its expression (`${var.warehouse_id}`), so that keys, the
   * plan's order and the addresses derived from them do not depend on cdktf's token counter, and two
   * uses of one variable are one principal or object. The stack context resolves references here.
   * @default - the text as given
   */
  readonly expression?: (text: string) => string;
  /**
   * The Databricks provider version the bindings pin: a `databricks_grant` (`ownedGrants`) or an
   * authoritative `databricks_permissions` it has no attribute for is realised by the stack's mechanism
   * instead (`report` or `additive`), with a reason saying why; never dropped.
   * @default - every attribute is available
   */
  readonly providerVersion?: string;
}

/** The key of a (securable, principal) pair. */
export function pairKey(securable: Securable, principalKey: string): string {
  return `${securableKey(securable)}\u0000${principalKey}`;
}

/** The key an override or an owned-grant declaration names a securable by: `<type>:<id or name>`. */
export function overrideKey(s: Securable): string {
  return s.family === "secret" ? `secret_scope:${s.scope}` : securableKey(s).replace(/^(ws|uc):/, "");
}

/** The parents a UC securable needs USE_* on. */
export function parentGrants(s: Securable): { securable: Securable; privilege: string }[] {
  if (s.family !== "uc") return [];
  const parts = s.name.split(".");
  const parents = SECURABLE_TYPES.uc[s.type]?.parents; // undefined for a type outside the table: no parents
  if (parents === "catalog" && parts.length === 2)
    return [{ securable: uc("catalog", parts[0]!), privilege: "USE_CATALOG" }];
  if (parents === "catalog_and_schema" && parts.length === 3)
    return [
      { securable: uc("catalog", parts[0]!), privilege: "USE_CATALOG" },
      { securable: uc("schema", `${parts[0]}.${parts[1]}`), privilege: "USE_SCHEMA" },
    ];
  return [];
}

/**
 * Merge every request into one entry per (securable, principal), add parent USE_* grants and choose
 * the realisation. O(n log n): one pass into a map, one sort. The result does not depend on the order
 * requests arrived in.
 */
export function mergeGrants(requests: readonly GrantRequest[], options: PlanOptions): PlannedGrant[] {
  const expression = options.expression ?? ((text: string) => text);
  // Small lists, not three sets per entry: most entries have a handful of privileges, reasons and
  // requesters. A list that grows long (a shared deployer's parent catalog: one reason per table, one
  // requester per endpoint) gets a set beside it, so adding stays O(1).
  interface Distinct {
    items: string[];
    seen?: Set<string>;
  }
  interface Acc {
    /** The (securable, principal) pair's key ({@link pairKey}), spelled by `expression`. */
    key: string;
    securable: Securable;
    securableKey: string;
    principal: Principal;
    privileges: Distinct;
    reasons: Distinct;
    requestedBy: Distinct;
    manual: number;
  }
  const pushNew = (d: Distinct, x: string): void => {
    const items = d.items;
    if (items[items.length - 1] === x) return;
    if (d.seen === undefined) {
      if (items.includes(x)) return;
      items.push(x);
      if (items.length > 16) d.seen = new Set(items);
    } else if (!d.seen.has(x)) {
      d.seen.add(x);
      items.push(x);
    }
  };
  // By securable key, then principal key: no pair key is built for a pair already seen.
  const merged = new Map<string, Map<string, Acc>>();
  const principalKeys = new WeakMap<Principal, string>();
  const principalKey = (p: Principal): string => {
    let k = principalKeys.get(p);
    if (k === undefined) principalKeys.set(p, (k = expression(p.key)));
    return k;
  };
  const add = (
    securable: Securable,
    key: string,
    principal: Principal,
    privilege: string,
    reason: string,
    by: string,
    manual: boolean,
  ): void => {
    const pk = principalKey(principal);
    let bySecurable = merged.get(key);
    if (bySecurable === undefined) merged.set(key, (bySecurable = new Map()));
    let acc = bySecurable.get(pk);
    if (acc === undefined) {
      acc = {
        key: `${key}\u0000${pk}`,
        securable,
        securableKey: key,
        principal,
        privileges: { items: [] },
        reasons: { items: [] },
        requestedBy: { items: [] },
        manual: 0,
      };
      bySecurable.set(pk, acc);
    }
    pushNew(acc.privileges, privilege);
    pushNew(acc.reasons, reason);
    pushNew(acc.requestedBy, by);
    if (manual) acc.manual++;
  };
  // Per securable (by its key as requested): its canonical form, key and parents, worked out once.
  interface Known {
    securable: Securable;
    key: string;
    parents: { securable: Securable; key: string; privilege: string; reason: string }[];
  }
  const known = new Map<string, Known>();
  const knownOf = (requested: Securable): Known => {
    const rk = securableKey(requested);
    let k = known.get(rk);
    if (k === undefined) {
      const securable = canonicalSecurable(requested); // escape-hatch requests may spell a UC name in any case
      const name = securable.family === "uc" ? securable.name : "";
      k = {
        securable,
        key: expression(securableKey(securable)),
        parents: parentGrants(securable).map((p) => ({
          securable: p.securable,
          key: expression(securableKey(p.securable)),
          privilege: p.privilege,
          reason: `parent of ${name}`,
        })),
      };
      known.set(rk, k);
    }
    return k;
  };
  for (const r of requests) {
    const { securable, key, parents } = knownOf(r.securable);
    if (r.onlyWhereOwned === true && !options.owned.has(key)) continue;
    add(securable, key, r.principal, r.privilege, r.reason, r.requestedBy, r.manual === true);
    for (const p of parents)
      add(p.securable, p.key, r.principal, p.privilege, p.reason, r.requestedBy, false);
  }
  // Sorted by securable key, then by principal key within each: the order of the pair keys (their
  // separator sorts before every other character), without comparing long shared prefixes 47,000 times;
  // the default sort of strings compares UTF-16 code units, as `<` does.
  const sorted: Acc[] = [];
  for (const sk of [...merged.keys()].sort()) {
    const byPrincipal = merged.get(sk)!;
    for (const pk of [...byPrincipal.keys()].sort()) sorted.push(byPrincipal.get(pk)!);
  }
  // The mechanism an object's override or the default gives it, once per securable.
  const mechanisms = new Map<string, Realisation>();
  const mechanismOf = (a: Acc): Realisation => {
    let m = mechanisms.get(a.securableKey);
    if (m === undefined)
      mechanisms.set(
        a.securableKey,
        (m = options.owned.has(a.securableKey)
          ? "owned_acl"
          : (options.overrides.get(overrideKey(a.securable)) ?? options.defaultMechanism)),
      );
    return m;
  };
  const out: PlannedGrant[] = sorted.map((a) => {
    const key = a.key;
    let realisation: Realisation =
      a.securable.family === "uc" && options.ownedGrants?.has(key) ? "uc_grant" : mechanismOf(a);
    const missing = missingAttribute(a.securable, realisation, options.providerVersion);
    if (missing !== undefined) {
      realisation = options.defaultMechanism === "authoritative" ? "report" : options.defaultMechanism;
      pushNew(a.reasons, `${missing}: realised by ${realisation} instead`);
    }
    // The accumulator's lists are the plan's own (sorted in place): nothing else holds them.
    const items = a.privileges.items.sort();
    const privileges =
      a.securable.family === "uc" || items.length === 1
        ? items
        : [
            // The highest known level; ties (unknown levels) broken by name, so arrival order never matters.
            items.reduce((hi, p) => (LEVEL_ORDER.indexOf(p) > LEVEL_ORDER.indexOf(hi) ? p : hi)),
          ];
    return {
      securable: a.securable,
      principal: a.principal,
      securableKey: a.securableKey,
      key,
      privileges,
      reasons: a.reasons.items.sort(),
      realisation,
      requestedBy: a.requestedBy.items.sort(),
      manualRequests: a.manual,
    };
  });
  return out;
}

/**
 * Why the bound provider cannot realise a native grant resource, when it cannot: the attribute its
 * `databricks_grant` or `databricks_permissions` lacks and the version that adds it.
 */
function missingAttribute(
  s: Securable,
  realisation: Realisation,
  providerVersion: string | undefined,
): string | undefined {
  if (providerVersion === undefined) return undefined;
  if (realisation === "uc_grant" && s.family === "uc" && !grantAttributeAvailable(s.type, providerVersion)) {
    const info = SECURABLE_TYPES.uc[s.type];
    return `ownedGrants: databricks_grant of the bound provider ${providerVersion} has no ${info.terraformAttribute} (provider ${info.grantAttributeSince} adds it)`;
  }
  if (
    realisation === "authoritative" &&
    s.family === "workspace" &&
    SECURABLE_TYPES.workspace[s.type].terraformAttributeSince !== undefined &&
    !permissionsAttributeAvailable(s.type, providerVersion)
  ) {
    const info = SECURABLE_TYPES.workspace[s.type];
    return `authoritative: databricks_permissions of the bound provider ${providerVersion} has no ${info.terraformAttribute} (provider ${info.terraformAttributeSince} adds it)`;
  }
  return undefined;
}

/** Group planned grants by securable (its {@link PlannedGrant.securableKey}), keeping the sorted order. */
export function bySecurable(
  grants: readonly PlannedGrant[],
): { securable: Securable; key: string; grants: PlannedGrant[] }[] {
  const groups = new Map<string, { securable: Securable; key: string; grants: PlannedGrant[] }>();
  for (const g of grants) {
    const k = g.securableKey;
    const group = groups.get(k) ?? { securable: g.securable, key: k, grants: [] };
    group.grants.push(g);
    groups.set(k, group);
  }
  return [...groups.values()];
}
