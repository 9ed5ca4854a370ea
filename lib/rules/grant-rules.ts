import type { GrantRequest } from "../grants/grant-request";
import { permissionsAttributeAvailable, SECURABLE_TYPES } from "../model/securable-types";
import { overrideKey, type PlannedGrant } from "../grants/plan";
import { BROAD_GROUPS, principalNameProblem, type Principal } from "../model/principal";
import { show } from "../model/problem";
import { describeSecurable, securableKey } from "../model/securable";
import { containsToken, isWholeToken } from "../model/tokens";
import type { GrantRuleInput } from "./grant-model";
import type { GrantRule, RuleProblem } from "./rule";

/** Three rules read the distinct principals of one input: worked out once per input. */
const DISTINCT = new WeakMap<GrantRuleInput, GrantRequest[]>();

/** Every principal that is granted something, once (its first request names it), warehouse owners included; by key. */
function distinctPrincipals(g: GrantRuleInput): GrantRequest[] {
  let known = DISTINCT.get(g);
  if (known === undefined) DISTINCT.set(g, (known = findDistinctPrincipals(g)));
  return known;
}

function findDistinctPrincipals(g: GrantRuleInput): GrantRequest[] {
  const seen = new Map<string, GrantRequest>();
  // Requests share their Principal objects (tens of thousands of requests, about one principal per
  // agent): a principal already seen has its key seen, so its key is built once.
  const seenPrincipals = new Set<Principal>();
  for (const r of g.requests) {
    if (seenPrincipals.has(r.principal)) continue;
    seenPrincipals.add(r.principal);
    const key = r.principal.key;
    if (!seen.has(key)) seen.set(key, r);
  }
  for (const principal of g.warehouseOwnerPrincipals)
    if (!seen.has(principal.key))
      seen.set(principal.key, {
        principal,
        securable: { family: "workspace", type: "sql_warehouse", id: "" },
        privilege: "IS_OWNER",
        reason: "warehouse owner",
        requestedBy: `${g.contextPath}.configureGrants(warehouseOwners)`,
      });
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
}

/**
 * DBA-GRANT-001: an authoritative ACL on an object the stack does not own, or a declared-owned
 * databricks_grant. `appliesTo` names a finding by the securable as overrides name it
 * (`sql_warehouse:<id>`, `table:<full name>`) or, for an owned grant, `<securable> for <principal key>`.
 */
export const authoritativeOnShared: GrantRule = {
  id: "DBA-GRANT-001",
  severity: "error",
  acknowledgeable: true,
  title:
    "An object the stack does not own gets an authoritative ACL (databricks_permissions replaces every entry; warehouses change owner), or a declared-owned databricks_grant (replaces the principal's privileges there, revokes them on destroy).",
  fix: "Use the report or additive mechanism, or acknowledge that the stack alone owns this ACL or grant.",
  reads: "grants",
  check: (g) =>
    g.plan.flatMap((p): RuleProblem[] => {
      if (p.realisation === "uc_grant")
        return [
          {
            path: g.contextPath,
            prop: `ownedGrants (${describeSecurable(p.securable)}, ${p.principal.key})`,
            message: `the stack declares it owns ${p.principal.key}'s grant on ${describeSecurable(p.securable)}: databricks_grant sets exactly ${p.privileges.join(", ")} for that principal there (removing any other privilege it holds) and revokes them all on destroy`,
            received: "an ownedGrants entry",
            allowed: "ownedGrants only for pairs no one else grants, acknowledged",
            fix: "remove the entry (the grant is then reported or added without removing anything), or acknowledge DBA-GRANT-001 on the stack with the reason this stack alone grants it",
            appliesTo: [overrideKey(p.securable), `${overrideKey(p.securable)} for ${p.principal.key}`],
          },
        ];
      if (
        p.realisation === "authoritative" &&
        p.securable.family === "workspace" &&
        authoritativePossible(p, g.providerVersion)
      )
        return [
          {
            path: g.contextPath,
            prop: `grant mechanism of ${securableKey(p.securable)}`,
            message: `${describeSecurable(p.securable)} is not owned by this stack but its ACL is made authoritative: every apply replaces the whole ACL (other teams lose access)${p.securable.type === "sql_warehouse" ? " and the applying identity may become the warehouse owner" : ""}`,
            received: '"authoritative"',
            allowed: '"report" or "additive" for objects the stack does not own',
            fix: "use the additive or report mechanism, or acknowledge DBA-GRANT-001 on the stack with the reason you own this ACL",
            appliesTo: [overrideKey(p.securable)],
          },
        ];
      return [];
    }),
};

/** Can the provider manage this workspace object's ACL authoritatively (at the bound provider version, when known)? */
function authoritativePossible(p: PlannedGrant, providerVersion?: string): boolean {
  return (
    p.securable.family === "workspace" &&
    SECURABLE_TYPES.workspace[p.securable.type].authoritativeAcl === "referenced" &&
    (providerVersion === undefined || permissionsAttributeAvailable(p.securable.type, providerVersion))
  );
}

/** Why an authoritative ACL is impossible on this workspace object. */
function authoritativeImpossibleReason(p: PlannedGrant, providerVersion?: string): string {
  if (p.securable.family !== "workspace") return "it is not a workspace object";
  const info = SECURABLE_TYPES.workspace[p.securable.type];
  if (p.securable.type === "genie_space") return "the provider has no Genie ACL";
  if (info.authoritativeAcl === "referenced" && info.terraformAttributeSince !== undefined)
    return `databricks_permissions of the bound provider ${providerVersion ?? "?"} has no ${info.terraformAttribute} (provider ${info.terraformAttributeSince} adds it; the cdktn flavour binds one that has it)`;
  return "the provider needs its id, which a referenced object does not give";
}

/** DBA-GRANT-002: a grant to the endpoint's hidden service principal. */
export const hiddenPrincipalGrant: GrantRule = {
  id: "DBA-GRANT-002",
  severity: "error",
  acknowledgeable: false,
  title: "A grant names the endpoint's hidden service principal.",
  fix: "Declare the dependency for passthrough; Databricks grants the hidden principal itself.",
  reads: "grants",
  check: (g) =>
    distinctPrincipals(g)
      .filter((r) => g.hiddenPrincipalNames.has(r.principal.name))
      .map((r) => ({
        path: r.requestedBy,
        prop: "principal",
        message:
          "names the serving endpoint's own (hidden) service principal: it is not in SCIM, the API accepts and drops such grants, and its id changes on redeploy",
        received: show(r.principal.name),
        allowed: "the deployer (passthrough) or consumers (on behalf of user)",
        fix: "declare the dependency in the policy's `system` list instead: Databricks grants the hidden principal itself",
      })),
};

/** DBA-GRANT-003: a grant to a group of every user. `appliesTo` names a finding by the group's name or principal key (`group:users`). */
export const broadGroupGrant: GrantRule = {
  id: "DBA-GRANT-003",
  severity: "warning",
  acknowledgeable: true,
  title: "A grant goes to a group holding every user (users, account users).",
  fix: "Grant a narrower group, or acknowledge with the reason.",
  reads: "grants",
  check: (g) =>
    distinctPrincipals(g)
      .filter((r) => r.principal.kind === "group" && BROAD_GROUPS.includes(r.principal.name.toLowerCase()))
      .map((r) => ({
        path: r.requestedBy,
        prop: "principal",
        message: `group "${r.principal.name}" holds every workspace user; granting to it is rarely least privilege`,
        received: `"${r.principal.name}"`,
        allowed: "a group of the people who use the agent",
        fix: "grant a narrower group, or acknowledge DBA-GRANT-003 with the reason",
        appliesTo: [r.principal.key],
      })),
};

/** DBA-GRANT-004: an escape-hatch grant resource that fights the plan. */
export const foreignGrantClash: GrantRule = {
  id: "DBA-GRANT-004",
  severity: "error",
  acknowledgeable: false,
  title: "An escape-hatch grant resource duplicates or overrides what the grant plan manages.",
  fix: "Remove the resource and request the access through the constructs.",
  reads: "grants",
  check: (g) => {
    // Usually no escape-hatch grant is there: the plan's keys are then not worth building.
    if (g.foreign.every((f) => f.securableKey === undefined)) return [];
    const planned = new Set(g.plan.map((p) => `${p.securableKey}\u0000${p.principal.name}`));
    const plannedSecurables = new Set(g.plan.map((p) => p.securableKey));
    return g.foreign.flatMap((f): RuleProblem[] => {
      if (f.securableKey === undefined) return [];
      const clash =
        (f.kind === "databricks_grant" &&
          f.principal !== undefined &&
          planned.has(`${f.securableKey}\u0000${f.principal}`)) ||
        (f.kind !== "databricks_grant" && plannedSecurables.has(f.securableKey));
      if (!clash) return [];
      return [
        {
          path: f.path,
          message:
            f.kind === "databricks_grant"
              ? `a ${f.kind} for ${f.securableKey.replace(/^\w+:/, "")} and ${f.principal} duplicates one the grant plan manages; the two overwrite each other on every apply`
              : `a ${f.kind} on ${f.securableKey.replace(/^\w+:/, "")}, which the grant plan also manages; it removes every grant it does not list`,
          received: f.kind,
          allowed: "one grant per (securable, principal), made by the plan",
          fix: "remove the resource and request the access through the constructs (consumers, deployer, AgentStackContext.requestGrant)",
        },
      ];
    });
  },
};

/** DBA-GRANT-005: admins on a workspace ACL. */
export const adminsOnAcl: GrantRule = {
  id: "DBA-GRANT-005",
  severity: "error",
  acknowledgeable: false,
  title: "The admins group is listed on a workspace ACL (the provider refuses it).",
  fix: "Remove admins: they always hold CAN_MANAGE.",
  reads: "grants",
  check: (g) =>
    g.plan
      .filter(
        (p) =>
          p.securable.family === "workspace" && p.principal.kind === "group" && p.principal.name === "admins",
      )
      .map((p) => ({
        path: p.requestedBy[0] ?? g.contextPath,
        prop: "principal",
        message: `the admins group is listed on the ACL of ${describeSecurable(p.securable)}; the provider refuses it at apply (admins always have CAN_MANAGE)`,
        received: '"admins"',
        allowed: "any group but admins",
        fix: "remove admins from consumers and managers",
      })),
};

/** DBA-GRANT-006: a malformed principal name. */
export const malformedPrincipal: GrantRule = {
  id: "DBA-GRANT-006",
  severity: "error",
  acknowledgeable: false,
  title: "A principal's name is malformed (control characters, template sequences, not an email / UUID).",
  fix: "Correct the principal.",
  reads: "grants",
  check: (g) =>
    distinctPrincipals(g).flatMap((r): RuleProblem[] => {
      const why = principalNameProblem(r.principal);
      if (!why) return [];
      return [
        {
          path: r.requestedBy,
          prop: "principal",
          message: `${r.principal.kind} name ${why}`,
          received: show(r.principal.name),
          allowed:
            "an email for users, an exact group name, a service principal application id; no control characters or `${`/`%{`",
          fix: "correct the principal's name",
        },
      ];
    }),
};

/** DBA-GRANT-007: authoritative where the provider cannot manage the ACL. */
export const authoritativeImpossible: GrantRule = {
  id: "DBA-GRANT-007",
  severity: "error",
  acknowledgeable: false,
  title:
    "An authoritative ACL is requested on an object the provider cannot manage that way (Genie, referenced endpoints).",
  fix: "Use the additive or report mechanism.",
  reads: "grants",
  check: (g) =>
    g.plan
      .filter((p) => p.realisation === "authoritative" && p.securable.family === "workspace")
      .filter((p) => !authoritativePossible(p, g.providerVersion))
      .map((p) => ({
        path: g.contextPath,
        prop: `grant mechanism of ${securableKey(p.securable)}`,
        message: `${describeSecurable(p.securable)} cannot be managed authoritatively: ${authoritativeImpossibleReason(p, g.providerVersion)}`,
        received: '"authoritative"',
        allowed: '"report" or "additive"',
        fix: 'override this object with "additive" or "report"',
      })),
};

/** DBA-GRANT-008: an authoritative warehouse ACL without its owner. */
export const warehouseWithoutOwner: GrantRule = {
  id: "DBA-GRANT-008",
  severity: "error",
  acknowledgeable: false,
  title:
    "An authoritative warehouse ACL has no IS_OWNER entry (ownership would move to the applying identity).",
  fix: "Give the warehouse's owner in configureGrants({ warehouseOwners }).",
  reads: "grants",
  check: (g) =>
    [
      ...new Set(
        g.plan.flatMap((p) =>
          p.realisation === "authoritative" &&
          p.securable.family === "workspace" &&
          p.securable.type === "sql_warehouse"
            ? [p.securable.id]
            : [],
        ),
      ),
    ]
      .filter((s) => !g.warehouseOwners.has(s))
      .map((s) => ({
        path: g.contextPath,
        prop: `warehouseOwners["${s}"]`,
        message: `SQL warehouse ${s} gets an authoritative ACL without an IS_OWNER entry: the applying identity would become its owner`,
        received: "undefined",
        allowed: "the warehouse's current owner as a Principal",
        fix: `configureGrants({ warehouseOwners: { "${s}": Principal.user("owner@example.com") } })`,
      })),
};

/** DBA-GRANT-009: an ownedGrants entry that matches no planned pair. */
export const ownedGrantUnmatched: GrantRule = {
  id: "DBA-GRANT-009",
  severity: "error",
  acknowledgeable: false,
  title: "An ownedGrants entry matches no (securable, principal) pair the stack plans.",
  fix: "Correct the securable or principal as the report names them, or remove the entry.",
  reads: "grants",
  check: (g) => {
    if (g.ownedGrants.length === 0) return [];
    const plannedPairs = new Set(g.plan.map((p) => p.key));
    return g.ownedGrants
      .filter((o) => !plannedPairs.has(o.key))
      .map((o) => ({
        path: g.contextPath,
        prop: "ownedGrants",
        message: "an ownedGrants entry matches no grant the stack plans",
        received: o.label,
        allowed: `one of the planned (securable, principal) pairs: ${
          g.plan
            .filter((p) => p.securable.family === "uc")
            .slice(0, 5)
            .map((p) => `${overrideKey(p.securable)} for ${p.principal.key}`)
            .join("; ") || "none (the stack plans no Unity Catalog grant)"
        }`,
        fix: "correct the securable (`<type>:<full name>`, as the report names it) or the principal, or remove the entry",
      }));
  },
};

/** DBA-GRANT-010: two stacks of one app own the same grant or ACL. */
export const ownedInTwoStacks: GrantRule = {
  id: "DBA-GRANT-010",
  severity: "error",
  acknowledgeable: false,
  title:
    "Two stacks of one app manage the same grant or ACL authoritatively; each overwrites the other and destroy removes both.",
  fix: "Keep the ownedGrants entry or authoritative override in one stack; the others report or add.",
  reads: "grants",
  check: (g) =>
    g.plan.flatMap((p): RuleProblem[] => {
      const key =
        p.realisation === "uc_grant" ? p.key : p.realisation === "authoritative" ? p.securableKey : undefined;
      const other = key === undefined ? undefined : g.authoritativeElsewhere.get(key);
      if (other === undefined) return [];
      return [
        {
          path: g.contextPath,
          prop:
            p.realisation === "uc_grant" ? "ownedGrants" : `grant mechanism of ${securableKey(p.securable)}`,
          message: `stack ${other} also manages ${p.realisation === "uc_grant" ? `${p.principal.key}'s grant on ` : "the ACL of "}${describeSecurable(p.securable)} authoritatively: the two overwrite each other, and destroying either removes the other's access`,
          received: `authoritative in this stack and in ${other}`,
          allowed: "one stack of the app owns it; the others reach it through report or additive",
          fix: "keep the ownedGrants entry or the authoritative override in one stack only",
        },
      ];
    }),
};

/** DBA-GRANT-011: an additive grant's value mixes a reference with text (the additive step takes literals or one whole reference). */
export const mixedReferenceInAdditive: GrantRule = {
  id: "DBA-GRANT-011",
  severity: "error",
  acknowledgeable: false,
  title:
    "A principal or object id of an additive grant mixes a Terraform reference with literal text, so it cannot be passed as data.",
  fix: "Pass one whole reference (a variable or a local) or a literal.",
  reads: "grants",
  check: (g) =>
    g.plan
      .filter((p) => p.realisation === "additive")
      .flatMap((p) => {
        const s = p.securable;
        const values: [string, string][] = [
          ["principal", p.principal.name],
          [
            s.family === "secret" ? "secret scope" : s.family === "uc" ? "name" : "id",
            s.family === "secret" ? s.scope : s.family === "uc" ? s.name : s.id,
          ],
        ];
        return values
          .filter(([, value]) => containsToken(value) && !isWholeToken(value))
          .map(([what, value]) => ({
            path: p.requestedBy[0] ?? g.contextPath,
            prop: what,
            message: `the ${what} of an additive grant on ${describeSecurable(s)} mixes a Terraform reference with literal text, which cannot reach the grant step as data`,
            received: show(value),
            allowed: "a literal, or one whole reference (a variable, a local or a resource attribute)",
            fix: "compute the value in one Terraform local (e.g. `new TerraformLocal(...)`) and pass that reference, or give the literal",
          }));
      }),
};
