import { BROAD_GROUPS, principalNameProblem } from "../model/principal";
import type { Problem } from "../model/problem";
import { show } from "../model/problem";
import { describeSecurable, securableKey } from "../model/securable";
import type { GrantRequest } from "./grant-request";
import { PERMISSIONS_OBJECT } from "./permissions-api";
import type { PlannedGrant } from "./plan";

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
  } = {},
): Problem[] {
  const foreign = context.foreign ?? [];
  const hiddenPrincipalNames = context.hiddenPrincipalNames ?? new Set<string>();
  const warehouseOwners = context.warehouseOwners ?? new Set<string>();
  const problems: Problem[] = [];
  const seenPrincipals = new Map<string, GrantRequest>();
  for (const r of requests) if (!seenPrincipals.has(r.principal.key)) seenPrincipals.set(r.principal.key, r);
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
