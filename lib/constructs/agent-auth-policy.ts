import { Construct } from "constructs";
import type { IAgentDependency } from "../model/dependency";
import { buildAuthPolicyDict, normaliseResources, type AuthPolicyDict } from "../model/mlflow-policy";
import { AgentConfigError, type Problem } from "../model/problem";
import { isMlflowKind, mlflowColumns, type AgentResource } from "../model/resource-kinds";
import { AUTH_POLICY_BRAND, parseProps } from "../model/schemas";
import { AUTH_POLICY_HELP, authPolicySchema, type AgentAuthPolicyProps } from "./agent-auth-policy-props";

export type { AgentAuthPolicyProps } from "./agent-auth-policy-props";
import {
  CALLER_IDENTITY_ACCESS_PATHS,
  neededServingScopes,
  type CallerIdentityRead,
  type OboAccessPath,
} from "../model/scopes";
import {
  AI_BRIDGE_REQUIREMENT,
  DATABRICKS_MCP_REQUIREMENT,
  DATABRICKS_SDK_REQUIREMENT,
  maxVersion,
  MLFLOW_AUTH_POLICY,
  MLFLOW_OBO,
} from "../model/versions";
import type { PolicyDependencyModel, PolicyModel } from "../rules/stack-model";
import { AgentStackContext, resolvedIn, sameCopyScope } from "./agent-stack-context";
import { GenieResourceBundle } from "./genie-resource-bundle";

/** One dependency with its access modes. */
export interface PolicyDependency {
  readonly dependency: IAgentDependency;
  readonly system: boolean;
  readonly onBehalfOfUser: boolean;
}

/**
 * The agent's dependencies and how each is reached. Derives the minimal OBO scopes, the MLflow
 * resources (downstream included), the minimum MLflow version and the pip requirements, and gives
 * the auth policy in MLflow's exact `AuthPolicy.to_dict()` form.
 */
export class AgentAuthPolicy extends Construct {
  /** Every dependency once, with both modes, in a stable order (by key). */
  readonly dependencies: readonly PolicyDependency[];
  /** Scopes given by hand, when given. */
  readonly givenScopes?: readonly string[];
  /** What the agent reads about its caller on behalf of the user, sorted. */
  readonly callerIdentity: readonly CallerIdentityRead[];
  /** Escape hatch scopes. */
  readonly additionalServingScopes: readonly string[];
  /** The pinned MLflow version, when given. */
  readonly mlflowVersion?: string;
  /** Brand for schema checks. */
  readonly [AUTH_POLICY_BRAND] = true;

  constructor(scope: Construct, id: string, props: AgentAuthPolicyProps = {}) {
    super(sameCopyScope(scope, id), id);
    const parsed = parseProps(authPolicySchema, props, this.node.path, AUTH_POLICY_HELP);
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    const p = parsed.value;
    const byKey = new Map<
      string,
      { dependency: IAgentDependency; system: boolean; onBehalfOfUser: boolean }
    >();
    const mark = (d: IAgentDependency, mode: "system" | "onBehalfOfUser"): void => {
      const key = d.dependencyKey;
      const entry = byKey.get(key) ?? { dependency: d, system: false, onBehalfOfUser: false };
      entry[mode] = true;
      byKey.set(key, entry);
    };
    (p.system ?? []).forEach((d) => mark(d, "system"));
    (p.onBehalfOfUser ?? []).forEach((d) => mark(d, "onBehalfOfUser"));
    this.dependencies = [...byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v);
    this.givenScopes = p.apiScopes ? [...p.apiScopes] : undefined;
    this.callerIdentity = [...new Set(p.callerIdentity ?? [])].sort();
    this.additionalServingScopes = p.additionalServingScopes ?? [];
    this.mlflowVersion = p.mlflowVersion;
    const problems: Problem[] = [];
    for (const [list, deps] of [
      ["system", p.system ?? []],
      ["onBehalfOfUser", p.onBehalfOfUser ?? []],
    ] as const)
      deps.forEach((d, i) => {
        for (const x of d.problems())
          problems.push({
            ruleId: "DBA-CFG-002",
            path: this.node.path,
            prop: `${list}[${i}] ${x.prop}`,
            message: `${d.description}: ${x.message}`,
            received: x.received,
            allowed: x.allowed,
            fix: x.fix,
          });
      });
    if (problems.length > 0) throw new AgentConfigError(resolvedIn(this, problems));
    AgentStackContext.of(this).registerPolicy(this);
  }

  // The dependencies are fixed at construction, so the lists derived from them are computed once (the
  // targets, the rules and the files each ask) and every read gets its own copy.

  /** Dependencies reached with passthrough. */
  get systemDependencies(): IAgentDependency[] {
    this.systemDependenciesCache ??= this.dependencies.filter((d) => d.system).map((d) => d.dependency);
    return [...this.systemDependenciesCache];
  }
  private systemDependenciesCache?: IAgentDependency[];

  /** Dependencies reached on behalf of the user. */
  get oboDependencies(): IAgentDependency[] {
    this.oboDependenciesCache ??= this.dependencies.filter((d) => d.onBehalfOfUser).map((d) => d.dependency);
    return [...this.oboDependenciesCache];
  }
  private oboDependenciesCache?: IAgentDependency[];

  /** Genie bundles in either mode, by domain. */
  get genieBundles(): GenieResourceBundle[] {
    this.genieBundlesCache ??= this.dependencies
      .map((d) => d.dependency)
      .filter((d): d is GenieResourceBundle => d instanceof GenieResourceBundle)
      .sort((a, b) => (a.envVar < b.envVar ? -1 : a.envVar > b.envVar ? 1 : 0));
    return [...this.genieBundlesCache];
  }
  private genieBundlesCache?: GenieResourceBundle[];

  /**
   * True when anything is reached on behalf of the user: a dependency, the caller's identity, or an
   * escape-hatch scope.
   */
  get usesOnBehalfOfUser(): boolean {
    return (
      this.dependencies.some((d) => d.onBehalfOfUser) ||
      this.callerIdentity.length > 0 ||
      this.additionalServingScopes.length > 0
    );
  }

  /** The access paths of the caller-identity reads (their scopes come from the access-path tables). */
  get callerIdentityAccessPaths(): OboAccessPath[] {
    return this.callerIdentity.map((c) => CALLER_IDENTITY_ACCESS_PATHS[c]);
  }

  /** True when any dependency is reached through a managed MCP server (needs `databricks-mcp`). */
  get usesMcp(): boolean {
    this.usesMcpCache ??= this.dependencies.some((d) =>
      d.dependency.oboAccessPaths().some((p) => p === "genie_mcp" || p.startsWith("mcp_")),
    );
    return this.usesMcpCache;
  }
  private usesMcpCache?: boolean;

  /** The minimal scopes the OBO dependencies and caller-identity reads need, with the escape hatch's, sorted. */
  get derivedScopes(): string[] {
    this.derivedScopesCache ??= neededServingScopes(
      [...this.oboDependencies.flatMap((d) => d.oboAccessPaths()), ...this.callerIdentityAccessPaths],
      this.additionalServingScopes,
    );
    return [...this.derivedScopesCache];
  }
  private derivedScopesCache?: string[];

  /** The scopes that go into the policy: the given ones (checked by rules) or the derived ones. */
  get apiScopes(): string[] {
    return this.givenScopes ? [...new Set(this.givenScopes)].sort() : this.derivedScopes;
  }

  /** MLflow resources for passthrough: every system dependency with its downstream, de-duplicated, sorted. */
  get systemResources(): AgentResource[] {
    // Dependencies are fixed at construction: compute once (the report, the rules and the MLflow files all ask).
    this.systemResourcesCache ??= normaliseResources(
      this.systemDependencies.flatMap((d) => d.systemResources()),
    );
    return [...this.systemResourcesCache];
  }
  private systemResourcesCache?: AgentResource[];

  /**
   * The system resources MLflow can declare (the auth policy's): a kind without an MLflow class (its
   * row's `noMlflowKind`) is left out, and DBA-AUTH-006 says so where Model Serving serves the policy.
   */
  get mlflowResources(): AgentResource[] {
    return this.systemResources.filter((r) => isMlflowKind(r.kind));
  }

  /** The minimum MLflow version, with the reason of every floor. */
  get mlflowFloors(): { version: string; reason: string }[] {
    // Fixed at construction, as the resources are: computed once (the rules and the files ask again).
    this.mlflowFloorsCache ??= (() => {
      const kinds = [...new Set(this.mlflowResources.map((r) => r.kind))].filter(isMlflowKind).sort();
      return [
        { version: MLFLOW_AUTH_POLICY, reason: "AuthPolicy" },
        ...(this.usesOnBehalfOfUser ? [{ version: MLFLOW_OBO, reason: "on-behalf-of-user" }] : []),
        ...kinds.map((k) => ({ version: mlflowColumns(k).minMlflow, reason: mlflowColumns(k).mlflowClass })),
      ];
    })();
    return this.mlflowFloorsCache.map((f) => ({ ...f }));
  }
  private mlflowFloorsCache?: { version: string; reason: string }[];

  /** The minimum MLflow version the declarations need. */
  get minMlflowVersion(): string {
    this.minMlflowVersionCache ??= maxVersion(
      this.mlflowFloors.map((f) => f.version),
      MLFLOW_AUTH_POLICY,
    );
    return this.minMlflowVersionCache;
  }
  private minMlflowVersionCache?: string;

  /** The pip requirements the agent needs for this policy. */
  get pipRequirements(): string[] {
    return [
      `mlflow>=${this.minMlflowVersion}`,
      DATABRICKS_SDK_REQUIREMENT,
      ...(this.usesOnBehalfOfUser ? [AI_BRIDGE_REQUIREMENT] : []),
      ...(this.usesMcp ? [DATABRICKS_MCP_REQUIREMENT] : []),
    ].sort();
  }

  /** The policy in MLflow's exact `AuthPolicy.to_dict()` form. */
  toMlflowDict(): AuthPolicyDict {
    return buildAuthPolicyDict(
      this.mlflowResources,
      this.usesOnBehalfOfUser ? this.apiScopes : (this.givenScopes ?? []),
    );
  }

  /** The policy as the rules see it. */
  toModel(): PolicyModel {
    return {
      path: this.node.path,
      dependencies: this.dependencies.map(
        (d): PolicyDependencyModel => ({
          key: d.dependency.dependencyKey,
          description: d.dependency.description,
          system: d.system,
          onBehalfOfUser: d.onBehalfOfUser,
          oboAccessPaths: d.dependency.oboAccessPaths(),
          oboUnsupportedReason: d.dependency.oboUnsupportedReason,
          bundlePath: d.dependency instanceof GenieResourceBundle ? d.dependency.node.path : undefined,
          ...subBundlePaths(d.dependency),
          systemResources: d.dependency.systemResources(),
        }),
      ),
      givenScopes: this.givenScopes,
      callerIdentity: this.callerIdentity,
      additionalServingScopes: this.additionalServingScopes,
      mlflowVersion: this.mlflowVersion,
      mlflowFloors: this.mlflowFloors,
    };
  }
}

/** The bundles a dependency reaches for its caller (sub-agents, recursively), as `subBundlePaths` when any. */
function subBundlePaths(d: IAgentDependency): { subBundlePaths?: string[] } {
  const paths: string[] = [];
  const seen = new Set<IAgentDependency>();
  const visit = (x: IAgentDependency): void => {
    for (const sub of x.subDependencies?.() ?? []) {
      if (seen.has(sub)) continue;
      seen.add(sub);
      if (sub instanceof GenieResourceBundle) paths.push(sub.node.path);
      visit(sub);
    }
  };
  visit(d);
  return paths.length > 0 ? { subBundlePaths: [...new Set(paths)].sort() } : {};
}
