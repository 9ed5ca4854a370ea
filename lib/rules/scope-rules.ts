import { isMlflowKind, RESOURCE_KINDS, type ResourceKind } from "../model/resource-kinds";
import {
  CALLER_IDENTITY_ACCESS_PATHS,
  classifyScope,
  closestScope,
  neededServingScopes,
  SCOPES_BY_ACCESS_PATH,
  scopesFor,
  type CallerIdentityRead,
} from "../model/scopes";
import type { RuleProblem, StackRule } from "./rule";
import type { PolicyDependencyModel, PolicyModel } from "./stack-model";

const oboDeps = (p: PolicyModel): PolicyDependencyModel[] => p.dependencies.filter((d) => d.onBehalfOfUser);
const callerIdentity = (p: PolicyModel): readonly CallerIdentityRead[] => p.callerIdentity ?? [];

/** The minimal scopes a policy's on-behalf-of-user needs take: dependencies, caller identity, escape hatch. */
export function requiredScopes(p: PolicyModel): string[] {
  return neededServingScopes(
    [
      ...oboDeps(p).flatMap((d) => d.oboAccessPaths),
      ...callerIdentity(p).map((c) => CALLER_IDENTITY_ACCESS_PATHS[c]),
    ],
    p.additionalServingScopes,
  );
}

/** One thing a policy needs on behalf of the user, with the scopes it takes. */
interface OboNeed {
  readonly description: string;
  readonly scopes: readonly string[];
  /** A Genie space through MCP (DBA-SCOPE-005's trap). */
  readonly mcpGenie: boolean;
}

const isMcpGenie = (d: PolicyDependencyModel): boolean => d.oboAccessPaths.includes("genie_mcp");

/** Every on-behalf-of-user need of a policy: its dependencies, its caller-identity reads, its escape-hatch scopes. */
function oboNeeds(p: PolicyModel): OboNeed[] {
  return [
    ...oboDeps(p).map((d) => ({
      description: d.description,
      scopes: scopesFor(d.oboAccessPaths),
      mcpGenie: isMcpGenie(d),
    })),
    ...callerIdentity(p).map((c) => ({
      description: `the caller's identity (callerIdentity "${c}")`,
      scopes: scopesFor([CALLER_IDENTITY_ACCESS_PATHS[c]]),
      mcpGenie: false,
    })),
    ...(p.additionalServingScopes.length > 0
      ? [
          {
            description: "additionalServingScopes",
            scopes: neededServingScopes([], p.additionalServingScopes),
            mcpGenie: false,
          },
        ]
      : []),
  ];
}

/** The caller-identity read whose scope this is, when it is one (for the fix of an unused scope). */
const callerIdentityOf = (scope: string): CallerIdentityRead | undefined =>
  (Object.keys(CALLER_IDENTITY_ACCESS_PATHS) as CallerIdentityRead[]).find((c) =>
    SCOPES_BY_ACCESS_PATH[CALLER_IDENTITY_ACCESS_PATHS[c]].includes(scope),
  );

/** DBA-SCOPE-001: an OBO dependency without a scope it needs. */
export const missingScope: StackRule = {
  id: "DBA-SCOPE-001",
  severity: "error",
  acknowledgeable: false,
  title: "An on-behalf-of-user dependency lacks a scope it needs.",
  fix: "Add the missing scope to `apiScopes`, or omit `apiScopes` to have the minimal set derived.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) => {
      const given = p.givenScopes;
      if (given === undefined || given.length === 0) return [];
      return oboNeeds(p).flatMap((d): RuleProblem[] => {
        const needed = d.scopes.filter((s) => !given.includes(s));
        // The MCP-Genie trap has its own, more precise rule.
        const missing =
          d.mcpGenie && given.includes("dashboards.genie") ? needed.filter((s) => s !== "mcp.genie") : needed;
        if (missing.length === 0) return [];
        return [
          {
            path: p.path,
            prop: "apiScopes",
            message: `${d.description} is declared on behalf of the user but the scope${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing; every call fails at run time with 403`,
            received: JSON.stringify(given),
            allowed: `scopes including ${d.scopes.join(", ")}`,
            fix: `add ${missing.map((s) => `"${s}"`).join(", ")} to apiScopes, or omit apiScopes to derive the minimal set`,
          },
        ];
      });
    }),
};

/** DBA-SCOPE-002: a given scope that no OBO dependency needs. `appliesTo` names a finding by its scope. */
export const unusedScope: StackRule = {
  id: "DBA-SCOPE-002",
  severity: "error",
  acknowledgeable: true,
  title: "A scope is given that no on-behalf-of-user dependency needs.",
  fix: "Remove the scope (least privilege), or declare the dependency (or the caller-identity read) that needs it.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) => {
      const given = p.givenScopes;
      if (given === undefined || oboNeeds(p).length === 0) return [];
      const required = requiredScopes(p);
      const mcpGenieTrap = oboDeps(p).some(isMcpGenie);
      return (
        [...new Set(given)]
          .filter((s) => classifyScope(s, p.additionalServingScopes) === "accepted" && !required.includes(s))
          // dashboards.genie without mcp.genie is DBA-SCOPE-005's finding; next to mcp.genie it is simply unused.
          .filter((s) => !(mcpGenieTrap && s === "dashboards.genie" && !given.includes("mcp.genie")))
          .map((s) => ({
            path: p.path,
            prop: "apiScopes",
            message: `scope "${s}" is not needed by any on-behalf-of-user dependency; it widens what the agent can do as the user`,
            received: `"${s}"`,
            allowed: required.join(", ") || "(none)",
            fix:
              callerIdentityOf(s) !== undefined
                ? `if the agent reads the caller's identity, add "${callerIdentityOf(s)}" to callerIdentity; otherwise remove "${s}"`
                : `remove "${s}", declare the dependency that needs it in onBehalfOfUser, or acknowledge DBA-SCOPE-002 with the reason`,
          }))
      );
    }),
};

/** DBA-SCOPE-003: an unknown scope; suggests the closest known one. */
export const unknownScope: StackRule = {
  id: "DBA-SCOPE-003",
  severity: "error",
  acknowledgeable: false,
  title: "A scope is not known to Model Serving.",
  fix: "Use the suggested scope, or list a genuinely new scope in `additionalServingScopes`.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) =>
      [...new Set(p.givenScopes ?? [])]
        .filter((s) => classifyScope(s, p.additionalServingScopes) === "unknown")
        .map((s) => {
          const suggestion = closestScope(s, p.additionalServingScopes);
          return {
            path: p.path,
            prop: "apiScopes",
            message: `scope "${s}" is not one Model Serving accepts; the endpoint would fail to create with "Invalid user API scope(s)"`,
            received: `"${s}"`,
            allowed: "a scope Model Serving accepts (see the README's scope table)",
            fix: `did you mean "${suggestion}"? If "${s}" is a new scope, list it in additionalServingScopes`,
          };
        }),
    ),
};

/** DBA-SCOPE-004: an Apps-only scope. */
export const appsOnlyScope: StackRule = {
  id: "DBA-SCOPE-004",
  severity: "error",
  acknowledgeable: false,
  title: "A scope is accepted by Databricks Apps only; Model Serving rejects it.",
  fix: "Remove the scope; use the Model Serving scope the message suggests.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) =>
      [...new Set(p.givenScopes ?? [])]
        .filter((s) => classifyScope(s, p.additionalServingScopes) === "apps-only")
        .map((s) => ({
          path: p.path,
          prop: "apiScopes",
          message: `scope "${s}" is accepted by Databricks Apps only; Model Serving rejects it when the endpoint is created`,
          received: `"${s}"`,
          allowed: "scopes Model Serving accepts",
          fix: `remove "${s}"; for tables reach them through Genie, MCP or SQL (sql.statement-execution, sql.warehouses)`,
        })),
    ),
};

/** DBA-SCOPE-005: MCP Genie with the Conversation-API scope only. */
export const mcpGenieWithConversationScope: StackRule = {
  id: "DBA-SCOPE-005",
  severity: "error",
  acknowledgeable: false,
  title: "A Genie space used through MCP has `dashboards.genie` instead of `mcp.genie`.",
  fix: "Replace `dashboards.genie` with `mcp.genie`: the MCP server refuses the Conversation-API scope with 403.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) => {
      const given = p.givenScopes ?? [];
      if (!given.includes("dashboards.genie") || given.includes("mcp.genie")) return [];
      return oboDeps(p)
        .filter(isMcpGenie)
        .map((d) => ({
          path: p.path,
          prop: "apiScopes",
          message: `${d.description} is used through the managed MCP server, which refuses "dashboards.genie" with 403`,
          received: JSON.stringify(given),
          allowed: `"${SCOPES_BY_ACCESS_PATH.genie_mcp.join('", "')}" for Genie over MCP`,
          fix: 'replace "dashboards.genie" with "mcp.genie"',
        }));
    }),
};

/** DBA-SCOPE-006: OBO without scopes, or scopes without OBO. */
export const oboScopeMismatch: StackRule = {
  id: "DBA-SCOPE-006",
  severity: "error",
  acknowledgeable: false,
  title:
    "On-behalf-of-user is declared with no scopes, or scopes are given with no on-behalf-of-user dependency.",
  fix: "Declare the on-behalf-of-user dependencies, or drop `apiScopes`.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p): RuleProblem[] => {
      const given = p.givenScopes;
      if (given === undefined) return [];
      const hasObo = oboNeeds(p).length > 0;
      if (hasObo && given.length === 0)
        return [
          {
            path: p.path,
            prop: "apiScopes",
            message:
              "dependencies are declared on behalf of the user but apiScopes is empty; the user token would allow nothing",
            received: "[]",
            allowed: requiredScopes(p).join(", "),
            fix: "omit apiScopes to derive the minimal set, or list the scopes",
          },
        ];
      if (!hasObo && given.length > 0)
        return [
          {
            path: p.path,
            prop: "apiScopes",
            message: "scopes are given but no dependency is declared on behalf of the user",
            received: JSON.stringify(given),
            allowed: "[] when nothing is reached on behalf of the user",
            fix: "declare the dependencies in onBehalfOfUser, or remove apiScopes",
          },
        ];
      return [];
    }),
};

/** DBA-SCOPE-007: a dependency that cannot be reached on behalf of the user. */
export const oboUnsupported: StackRule = {
  id: "DBA-SCOPE-007",
  severity: "error",
  acknowledgeable: false,
  title: "A dependency that cannot be reached on behalf of the user is declared so.",
  fix: "Declare it for passthrough (`system`), or reach it through Genie, MCP or SQL as the message says.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) =>
      oboDeps(p)
        .filter((d) => d.oboUnsupportedReason !== undefined)
        .map((d) => ({
          path: p.path,
          prop: "onBehalfOfUser",
          message: `${d.description} cannot be reached on behalf of the user`,
          received: d.description,
          allowed:
            "serving endpoints, vector search, SQL warehouses, Genie, UC connections, apps, MCP servers",
          fix: d.oboUnsupportedReason ?? "declare it in system",
        })),
    ),
};

/**
 * DBA-AUTH-001: a dependency in both modes silently falls back to the service principal.
 * `appliesTo` names a finding by the dependency's key (`sql_warehouse:<id>`, `genie_space:<id>`, ...).
 */
export const bothModesFallback: StackRule = {
  id: "DBA-AUTH-001",
  severity: "warning",
  acknowledgeable: true,
  title:
    "A dependency is declared in both modes: outside Model Serving the agent silently falls back to the service principal's data access.",
  fix: "Choose one mode, or acknowledge the fallback with the reason (e.g. evaluation runs as the service principal).",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) =>
      p.dependencies
        .filter((d) => d.system && d.onBehalfOfUser)
        .map((d) => ({
          path: p.path,
          message: `${d.description} is declared both for passthrough and on behalf of the user: outside Model Serving (evaluation, notebooks, jobs) the agent reads it with the service principal's access, not the user's`,
          fix: "declare it in one mode, or acknowledge DBA-AUTH-001 on the policy with the reason (e.g. evaluation must run as the service principal)",
          appliesTo: [d.key],
        })),
    ),
};

/**
 * DBA-AUTH-002: a dependency declared for automatic passthrough on Model Serving whose kind MLflow cannot
 * declare (no class in `mlflow.models.resources`; the kinds table's `noMlflowKind`): the auth policy
 * cannot carry it, so the endpoint's passthrough credential would not reach it.
 */
export const passthroughWithoutMlflowKind: StackRule = {
  id: "DBA-AUTH-002",
  severity: "error",
  acknowledgeable: false,
  title:
    "A dependency is declared for passthrough on Model Serving, but MLflow has no resource kind for it: the auth policy cannot carry it.",
  fix: "Declare it on behalf of the user where it can be, deploy the agent as an AgentApp, or authenticate with a service principal's secret, as the message says.",
  reads: "stack",
  check: (m) => {
    // A set, not a scan of the endpoints per policy: both are in the thousands.
    const served = new Set(m.endpoints.map((e) => e.policyPath));
    return m.policies
      .filter((p) => served.has(p.path))
      .flatMap((p) =>
        p.dependencies
          .filter((d) => d.system)
          .flatMap((d) =>
            d.systemResources
              .filter((r) => !isMlflowKind(r.kind))
              .map(
                (r): RuleProblem => ({
                  path: p.path,
                  prop: "system",
                  message: `${RESOURCE_KINDS[r.kind].label} ${r.name} cannot be declared for automatic passthrough on Model Serving: MLflow has no resource kind for it, so the auth policy cannot carry it`,
                  received: d.description,
                  allowed: `the MLflow kinds (${Object.keys(RESOURCE_KINDS)
                    .filter((k) => isMlflowKind(k as ResourceKind))
                    .join(", ")})`,
                  fix: RESOURCE_KINDS[r.kind].noMlflowKind ?? "declare it on behalf of the user",
                }),
              ),
          ),
      );
  },
};
