import { APP_SCOPES, appScopesFor, classifyAppScope, closestAppScope } from "../model/app-scopes";
import { RESOURCE_KINDS } from "../model/resource-kinds";
import { show } from "../model/problem";
import { containsToken } from "../model/tokens";
import type { GrantRule, RuleProblem, StackRule } from "./rule";
import type { AppDependencyModel, AppModel, StackModel } from "./stack-model";

const apps = (m: StackModel): readonly AppModel[] => m.apps ?? [];
const oboDeps = (a: AppModel): AppDependencyModel[] => a.dependencies.filter((d) => d.onBehalfOfUser);
const given = (a: AppModel): string[] => [...new Set(a.givenScopes ?? [])];

/** The minimal Apps scopes an app's on-behalf-of-user dependencies need. */
export function requiredAppScopes(a: AppModel): string[] {
  return appScopesFor(oboDeps(a).flatMap((d) => d.oboAccessPaths));
}

/** The Apps scope a given scope stands for: itself, or the canonical name of a deprecated alias. */
const effective = (s: string): string =>
  APP_SCOPES[s]?.status === "deprecated" ? APP_SCOPES[s]!.replacement! : s;

const byStatus = (a: AppModel, status: string): string[] =>
  given(a).filter((s) => classifyAppScope(s, a.additionalScopes) === status);

/** DBA-APP-001: a Model Serving scope on an app; names the Apps scope that replaces it. */
export const servingScopeOnApp: StackRule = {
  id: "DBA-APP-001",
  severity: "error",
  acknowledgeable: false,
  title:
    "An app is given a Model Serving scope (mcp.genie, sql.warehouses, ...) that Databricks Apps do not know.",
  fix: "Use the Apps scope the message names (e.g. genie for mcp.genie), or omit userApiScopes to derive them.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) =>
      byStatus(a, "servingOnly").map((s) => ({
        path: a.path,
        prop: "userApiScopes",
        message: `scope "${s}" is a Model Serving scope; Databricks Apps do not accept it in user_api_scopes (the app update fails)`,
        received: `"${s}"`,
        allowed: "Apps scopes (see the README's scope table for both targets)",
        fix: `replace "${s}" with "${APP_SCOPES[s]!.replacement}"`,
      })),
    ),
};

/** DBA-APP-002: a deprecated Apps scope alias. `appliesTo` names a finding by the scope. */
export const deprecatedAppScope: StackRule = {
  id: "DBA-APP-002",
  severity: "warning",
  acknowledgeable: true,
  title:
    "An app is given a deprecated scope alias (dashboards.genie, serving.serving-endpoints, files.files).",
  fix: "Use the canonical Apps scope the message names.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) =>
      byStatus(a, "deprecated").map((s) => ({
        path: a.path,
        prop: "userApiScopes",
        message: `scope "${s}" is a deprecated alias on Databricks Apps; it still works but may be removed`,
        received: `"${s}"`,
        allowed: `"${APP_SCOPES[s]!.replacement}"`,
        fix: `replace "${s}" with "${APP_SCOPES[s]!.replacement}"`,
      })),
    ),
};

/** DBA-APP-003: a scope Databricks Apps reject. */
export const rejectedAppScope: StackRule = {
  id: "DBA-APP-003",
  severity: "error",
  acknowledgeable: false,
  title: "An app is given a scope Databricks Apps reject (apps.apps, jobs, catalog.volumes, workspace).",
  fix: "Remove the scope; use the replacement the message names, or reach the object with the app's own identity.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) =>
      byStatus(a, "rejected").map((s) => {
        const info = APP_SCOPES[s]!;
        return {
          path: a.path,
          prop: "userApiScopes",
          message: `scope "${s}" is rejected by Databricks Apps${info.note ? ` (${info.note})` : ""}`,
          received: `"${s}"`,
          allowed: "Apps scopes (see the README's scope table)",
          fix: info.replacement ? `replace "${s}" with "${info.replacement}"` : `remove "${s}"`,
        };
      }),
    ),
};

/** DBA-APP-004: an unknown Apps scope; suggests the closest known one. */
export const unknownAppScope: StackRule = {
  id: "DBA-APP-004",
  severity: "error",
  acknowledgeable: false,
  title: "An app is given a scope Databricks Apps do not know.",
  fix: "Use the suggested scope, or list a genuinely new scope in `additionalUserApiScopes`.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) =>
      byStatus(a, "unknown").map((s) => ({
        path: a.path,
        prop: "userApiScopes",
        message: `scope "${s}" is not one Databricks Apps accept`,
        received: `"${s}"`,
        allowed: "Apps scopes (see the README's scope table)",
        fix: `did you mean "${closestAppScope(s, a.additionalScopes)}"? If "${s}" is a new Apps scope, list it in additionalUserApiScopes`,
      })),
    ),
};

/** DBA-APP-005: an on-behalf-of-user dependency of an app without the Apps scope it needs. */
export const missingAppScope: StackRule = {
  id: "DBA-APP-005",
  severity: "error",
  acknowledgeable: false,
  title: "An app's on-behalf-of-user dependency lacks the Apps scope it needs.",
  fix: "Add the missing scope to `userApiScopes`, or omit it to have the minimal set derived.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) => {
      if (a.givenScopes === undefined) return [];
      const have = new Set(given(a).map(effective));
      // A Model Serving scope given for the same access is DBA-APP-001's finding, not a missing scope too.
      for (const s of byStatus(a, "servingOnly")) have.add(APP_SCOPES[s]!.replacement!);
      return oboDeps(a).flatMap((d): RuleProblem[] => {
        const needed = appScopesFor(d.oboAccessPaths);
        const missing = needed.filter((s) => !have.has(s));
        if (missing.length === 0) return [];
        return [
          {
            path: a.path,
            prop: "userApiScopes",
            message: `${d.description} is declared on behalf of the user but the Apps scope${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing; the forwarded user token gets 403`,
            received: JSON.stringify(a.givenScopes),
            allowed: `scopes including ${needed.join(", ")}`,
            fix: `add ${missing.map((s) => `"${s}"`).join(", ")} to userApiScopes, or omit userApiScopes to derive the minimal set`,
          },
        ];
      });
    }),
};

/** DBA-APP-006: a given Apps scope no on-behalf-of-user dependency needs. `appliesTo` names a finding by its scope. */
export const unusedAppScope: StackRule = {
  id: "DBA-APP-006",
  severity: "error",
  acknowledgeable: true,
  title: "An app is given a scope that no on-behalf-of-user dependency needs (or one Apps grant implicitly).",
  fix: "Remove the scope (least privilege), or declare the dependency that needs it.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) => {
      if (a.givenScopes === undefined) return [];
      const required = requiredAppScopes(a);
      return given(a)
        .filter((s) => {
          const c = classifyAppScope(s, a.additionalScopes);
          return (
            c === "implicit" ||
            ((c === "canonical" || c === "deprecated") && !required.includes(effective(s)))
          );
        })
        .map((s) => ({
          path: a.path,
          prop: "userApiScopes",
          message:
            classifyAppScope(s, a.additionalScopes) === "implicit"
              ? `scope "${s}" is granted to every app implicitly; listing it changes nothing`
              : `scope "${s}" is not needed by any on-behalf-of-user dependency; it widens what the app can do as the user (and every user must consent to it)`,
          received: `"${s}"`,
          allowed: required.join(", ") || "(none)",
          fix: `remove "${s}", declare the dependency that needs it in onBehalfOfUser, or acknowledge DBA-APP-006 with the reason`,
        }));
    }),
};

const APP_NAME = RESOURCE_KINDS.app.names[0]!;

/** DBA-APP-007: an app name outside 2-30 characters or the allowed characters (the `app` kind's name rule). */
export const invalidAppName: StackRule = {
  id: "DBA-APP-007",
  severity: "error",
  acknowledgeable: false,
  title: "The app name is invalid (2 to 30 lower-case letters, digits and '-').",
  fix: "Use 2 to 30 lower-case letters, digits and '-', starting with a letter or digit.",
  reads: "stack",
  check: (m) =>
    apps(m)
      .filter((a) => "pattern" in APP_NAME && !containsToken(a.name) && !APP_NAME.pattern.test(a.name))
      .map((a) => ({
        path: a.path,
        prop: "name",
        message: `"${a.name}" is not a valid app name (${a.name.length} characters); Databricks refuses it when the app is created`,
        received: show(a.name),
        allowed: "allowed" in APP_NAME ? APP_NAME.allowed : "",
        fix: `rename the app, e.g. "${a.name
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, "-")
          .replace(/^-+/, "")
          .slice(0, 30)
          .padEnd(2, "0")}"`,
      })),
};

/** DBA-APP-008: a dependency an app cannot reach on behalf of the user. */
export const appUnreachable: StackRule = {
  id: "DBA-APP-008",
  severity: "error",
  acknowledgeable: false,
  title: "An app's policy declares on behalf of the user a dependency an app cannot reach so.",
  fix: "Declare it for the app's own identity (`system`), or reach it through Genie, MCP or SQL as the message says.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) =>
      oboDeps(a)
        .filter((d) => d.oboUnsupportedReason !== undefined)
        .map((d) => ({
          path: a.path,
          prop: "authPolicy",
          message: `${d.description} cannot be reached on behalf of the user from a Databricks App`,
          received: d.description,
          allowed: "serving endpoints, vector search, SQL warehouses, Genie, UC connections, MCP servers",
          fix: d.oboUnsupportedReason!,
        })),
    ),
};

/** DBA-APP-009: a grant names an app's service principal by hand. */
export const appPrincipalByHand: GrantRule = {
  id: "DBA-APP-009",
  severity: "error",
  acknowledgeable: false,
  title: "A grant names an app's service principal by hand.",
  fix: "Declare the dependency in the app's policy (`system`): the library gives the app's identity its access, downstream included.",
  reads: "grants",
  check: (g) => {
    const seen = new Set<string>();
    return g.requests
      .filter((r) => g.targetIdentityNames.has(r.principal.name) && !g.targetIdentityRequests.has(r))
      .filter((r) => {
        const k = `${r.requestedBy}\u0000${r.principal.name}`;
        return seen.has(k) ? false : (seen.add(k), true);
      })
      .map((r) => ({
        path: r.requestedBy,
        prop: "principal",
        message:
          "names an app's service principal: its access follows from the app's policy, and it changes when the app is replaced",
        received: show(r.principal.name),
        allowed: "consumers, managers and deployers; the app's identity only through its policy",
        fix: "remove the grant and declare the dependency in the policy's `system` list of the app",
      }));
  },
};

/** DBA-APP-010: an app resource the bound provider lacks. */
export const appResourceUnavailable: StackRule = {
  id: "DBA-APP-010",
  severity: "error",
  acknowledgeable: false,
  title: "An app resource is asked for that the bound Databricks provider's databricks_app lacks.",
  fix: "Use a provider that has it (the message names the version), or leave nativeUcResources off: the grant plan gives the same access.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) =>
      a.unavailableResources.map((reason) => ({
        path: a.path,
        prop: "nativeUcResources",
        message: reason,
        received: "nativeUcResources: true",
        allowed: "app resources the bound provider's databricks_app has",
        fix: "remove nativeUcResources (the grant plan grants the same access), or use the cdktn flavour (provider 1.132.0)",
      })),
    ),
};

/**
 * DBA-APP-011: a dependency in both modes on an app. `appliesTo` names a finding by the dependency's key.
 */
export const appBothModes: StackRule = {
  id: "DBA-APP-011",
  severity: "warning",
  acknowledgeable: true,
  title:
    "An app reaches a dependency both with its own identity and on behalf of the user: without the forwarded token the code silently reads with the app's access.",
  fix: "Choose one mode, or acknowledge the fallback with the reason.",
  reads: "stack",
  check: (m) =>
    apps(m).flatMap((a) =>
      a.dependencies
        .filter((d) => d.system && d.onBehalfOfUser)
        .map((d) => ({
          path: a.path,
          message: `${d.description} is an app resource (the app's own identity) and reached on behalf of the user: when the user token is not forwarded (scopes not consented, compute not restarted) the code falls back to the app's service principal`,
          fix: "declare it in one mode, or acknowledge DBA-APP-011 on the app with the reason",
          appliesTo: [d.key],
        })),
    ),
};
