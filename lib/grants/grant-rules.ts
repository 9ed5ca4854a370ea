import { BROAD_GROUPS, principalNameProblem, type Principal } from "../model/principal";
import type { Problem } from "../model/problem";
import { show } from "../model/problem";
import { containsToken, isWholeToken } from "../model/tokens";
import { describeSecurable, securableKey } from "../model/securable";
import type { GrantRequest } from "./grant-request";
import { PERMISSIONS_OBJECT } from "./permissions-api";
import { overrideKey, pairKey, type PlannedGrant } from "./plan";

/** A grant-like resource the stack holds that the plan did not create (an escape hatch). */
export interface ForeignGrant {
  readonly kind: "databricks_grant" | "databricks_grants" | "databricks_permissions";
  /** Securable key (`uc:table:a.b.c`, `ws:serving_endpoint:name`), when it could be read. */
  readonly securableKey?: string;
  readonly principal?: string;
  readonly path: string;
}

/** Every grant rule over the merged plan. Pure. */
export function grantProblems(
  plan: readonly PlannedGrant[],
  requests: readonly GrantRequest[],
  contextPath: string,
  context: {
    readonly foreign?: readonly ForeignGrant[];
    readonly hiddenPrincipalNames?: ReadonlySet<string>;
    readonly warehouseOwners?: ReadonlySet<string>;
    /** The warehouse owners' principals, checked like every other principal. */
    readonly warehouseOwnerPrincipals?: readonly Principal[];
    /** The stack's `ownedGrants` declarations: plan key and how the user wrote it. */
    readonly ownedGrants?: readonly { readonly key: string; readonly label: string }[];
    /** Pairs and objects other stacks of the same app realise with an authoritative resource, by key. */
    readonly authoritativeElsewhere?: ReadonlyMap<string, string>;
  } = {},
): Problem[] {
  const foreign = context.foreign ?? [];
  const hiddenPrincipalNames = context.hiddenPrincipalNames ?? new Set<string>();
  const warehouseOwners = context.warehouseOwners ?? new Set<string>();
  const problems: Problem[] = [];
  const seenPrincipals = new Map<string, GrantRequest>();
  for (const r of requests) if (!seenPrincipals.has(r.principal.key)) seenPrincipals.set(r.principal.key, r);
  for (const principal of context.warehouseOwnerPrincipals ?? [])
    if (!seenPrincipals.has(principal.key))
      seenPrincipals.set(principal.key, {
        principal,
        securable: { family: "workspace", type: "sql_warehouse", id: "" },
        privilege: "IS_OWNER",
        reason: "warehouse owner",
        requestedBy: `${contextPath}.configureGrants(warehouseOwners)`,
      });
  for (const [, r] of [...seenPrincipals.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const why = principalNameProblem(r.principal);
    if (why)
      problems.push({
        ruleId: "DBA-GRANT-006",
        path: r.requestedBy,
        prop: "principal",
        message: `${r.principal.kind} name ${why}`,
        received: show(r.principal.name),
        allowed:
          "an email for users, an exact group name, a service principal application id; no control characters or `${`/`%{`",
        fix: "correct the principal's name",
      });
    if (r.principal.kind === "group" && BROAD_GROUPS.includes(r.principal.name.toLowerCase()))
      problems.push({
        ruleId: "DBA-GRANT-003",
        path: r.requestedBy,
        prop: "principal",
        message: `group "${r.principal.name}" holds every workspace user; granting to it is rarely least privilege`,
        received: `"${r.principal.name}"`,
        allowed: "a group of the people who use the agent",
        fix: "grant a narrower group, or acknowledge DBA-GRANT-003 with the reason",
      });
    if (hiddenPrincipalNames.has(r.principal.name))
      problems.push({
        ruleId: "DBA-GRANT-002",
        path: r.requestedBy,
        prop: "principal",
        message:
          "names the serving endpoint's own (hidden) service principal: it is not in SCIM, the API accepts and drops such grants, and its id changes on redeploy",
        received: show(r.principal.name),
        allowed: "the deployer (passthrough) or consumers (on behalf of user)",
        fix: "declare the dependency in the policy's `system` list instead: Databricks grants the hidden principal itself",
      });
  }
  for (const g of plan) {
    if (g.securable.family === "workspace" && g.principal.kind === "group" && g.principal.name === "admins")
      problems.push({
        ruleId: "DBA-GRANT-005",
        path: g.requestedBy[0] ?? contextPath,
        prop: "principal",
        message: `the admins group is listed on the ACL of ${describeSecurable(g.securable)}; the provider refuses it at apply (admins always have CAN_MANAGE)`,
        received: '"admins"',
        allowed: "any group but admins",
        fix: "remove admins from consumers and managers",
      });
    if (g.realisation === "uc_grant")
      problems.push({
        ruleId: "DBA-GRANT-001",
        path: contextPath,
        prop: `ownedGrants (${describeSecurable(g.securable)}, ${g.principal.key})`,
        message: `the stack declares it owns ${g.principal.key}'s grant on ${describeSecurable(g.securable)}: databricks_grant sets exactly ${g.privileges.join(", ")} for that principal there (removing any other privilege it holds) and revokes them all on destroy`,
        received: "an ownedGrants entry",
        allowed: "ownedGrants only for pairs no one else grants, acknowledged",
        fix: "remove the entry (the grant is then reported or added without removing anything), or acknowledge DBA-GRANT-001 on the stack with the reason this stack alone grants it",
      });
    if (g.realisation === "authoritative" && g.securable.family === "workspace") {
      const supported =
        PERMISSIONS_OBJECT[g.securable.type].terraformAttribute !== undefined &&
        g.securable.type !== "serving_endpoint";
      problems.push(
        supported
          ? {
              ruleId: "DBA-GRANT-001",
              path: contextPath,
              prop: `grant mechanism of ${securableKey(g.securable)}`,
              message: `${describeSecurable(g.securable)} is not owned by this stack but its ACL is made authoritative: every apply replaces the whole ACL (other teams lose access)${g.securable.type === "sql_warehouse" ? " and the applying identity may become the warehouse owner" : ""}`,
              received: '"authoritative"',
              allowed: '"report" or "additive" for objects the stack does not own',
              fix: "use the additive or report mechanism, or acknowledge DBA-GRANT-001 on the stack with the reason you own this ACL",
            }
          : {
              ruleId: "DBA-GRANT-007",
              path: contextPath,
              prop: `grant mechanism of ${securableKey(g.securable)}`,
              message: `${describeSecurable(g.securable)} cannot be managed authoritatively: ${g.securable.type === "genie_space" ? "the provider has no Genie ACL" : "the provider needs its id, which a referenced object does not give"}`,
              received: '"authoritative"',
              allowed: '"report" or "additive"',
              fix: 'override this object with "additive" or "report"',
            },
      );
    }
  }
  for (const s of new Set(
    plan
      .filter(
        (g) =>
          g.realisation === "authoritative" &&
          g.securable.family === "workspace" &&
          g.securable.type === "sql_warehouse",
      )
      .map((g) => (g.securable as { id: string }).id),
  ))
    if (!warehouseOwners.has(s))
      problems.push({
        ruleId: "DBA-GRANT-008",
        path: contextPath,
        prop: `warehouseOwners["${s}"]`,
        message: `SQL warehouse ${s} gets an authoritative ACL without an IS_OWNER entry: the applying identity would become its owner`,
        received: "undefined",
        allowed: "the warehouse's current owner as a Principal",
        fix: `configureGrants({ warehouseOwners: { "${s}": Principal.user("owner@example.com") } })`,
      });
  // The additive step passes values as data only when each is a literal or one whole reference.
  for (const g of plan.filter((x) => x.realisation === "additive")) {
    const s = g.securable;
    const values: [string, string][] = [
      ["principal", g.principal.name],
      [
        s.family === "secret" ? "secret scope" : s.family === "uc" ? "name" : "id",
        s.family === "secret" ? s.scope : s.family === "uc" ? s.name : s.id,
      ],
    ];
    for (const [what, value] of values)
      if (containsToken(value) && !isWholeToken(value))
        problems.push({
          ruleId: "DBA-GRANT-011",
          path: g.requestedBy[0] ?? contextPath,
          prop: what,
          message: `the ${what} of an additive grant on ${describeSecurable(s)} mixes a Terraform reference with literal text, which cannot reach the grant step as data`,
          received: show(value),
          allowed: "a literal, or one whole reference (a variable, a local or a resource attribute)",
          fix: "compute the value in one Terraform local (e.g. `new TerraformLocal(...)`) and pass that reference, or give the literal",
        });
  }
  // Owned-grant declarations must match a planned grant.
  const plannedPairs = new Set(plan.map((g) => pairKey(g.securable, g.principal.key)));
  for (const o of context.ownedGrants ?? [])
    if (!plannedPairs.has(o.key))
      problems.push({
        ruleId: "DBA-GRANT-009",
        path: contextPath,
        prop: "ownedGrants",
        message: "an ownedGrants entry matches no grant the stack plans",
        received: o.label,
        allowed: `one of the planned (securable, principal) pairs: ${
          plan
            .filter((g) => g.securable.family === "uc")
            .slice(0, 5)
            .map((g) => `${overrideKey(g.securable)} for ${g.principal.key}`)
            .join("; ") || "none (the stack plans no Unity Catalog grant)"
        }`,
        fix: "correct the securable (`<type>:<full name>`, as the report names it) or the principal, or remove the entry",
      });
  // One owner per grant across the stacks of an app.
  const elsewhere = context.authoritativeElsewhere ?? new Map<string, string>();
  for (const g of plan) {
    const key =
      g.realisation === "uc_grant"
        ? pairKey(g.securable, g.principal.key)
        : g.realisation === "authoritative"
          ? securableKey(g.securable)
          : undefined;
    const other = key === undefined ? undefined : elsewhere.get(key);
    if (other !== undefined)
      problems.push({
        ruleId: "DBA-GRANT-010",
        path: contextPath,
        prop:
          g.realisation === "uc_grant" ? "ownedGrants" : `grant mechanism of ${securableKey(g.securable)}`,
        message: `stack ${other} also manages ${g.realisation === "uc_grant" ? `${g.principal.key}'s grant on ` : "the ACL of "}${describeSecurable(g.securable)} authoritatively: the two overwrite each other, and destroying either removes the other's access`,
        received: `authoritative in this stack and in ${other}`,
        allowed: "one stack of the app owns it; the others reach it through report or additive",
        fix: "keep the ownedGrants entry or the authoritative override in one stack only",
      });
  }
  // Escape hatches that fight the plan.
  const planned = new Set(plan.map((g) => `${securableKey(g.securable)}\u0000${g.principal.name}`));
  const plannedSecurables = new Set(plan.map((g) => securableKey(g.securable)));
  for (const f of foreign) {
    if (f.securableKey === undefined) continue;
    const clash =
      (f.kind === "databricks_grant" &&
        f.principal !== undefined &&
        planned.has(`${f.securableKey}\u0000${f.principal}`)) ||
      (f.kind !== "databricks_grant" && plannedSecurables.has(f.securableKey));
    if (clash)
      problems.push({
        ruleId: "DBA-GRANT-004",
        path: f.path,
        message:
          f.kind === "databricks_grant"
            ? `a ${f.kind} for ${f.securableKey.replace(/^\w+:/, "")} and ${f.principal} duplicates one the grant plan manages; the two overwrite each other on every apply`
            : `a ${f.kind} on ${f.securableKey.replace(/^\w+:/, "")}, which the grant plan also manages; it removes every grant it does not list`,
        received: f.kind,
        allowed: "one grant per (securable, principal), made by the plan",
        fix: "remove the resource and request the access through the constructs (consumers, deployer, AgentStackContext.requestGrant)",
      });
  }
  return problems;
}
