import { createHash } from "crypto";
import { describeSecurable } from "../model/securable";
import { additiveCommands, additivePayload } from "../grants/permissions-api";
import { bySecurable, type PlannedGrant } from "../grants/plan";
import type { AuthPolicyDict } from "../model/mlflow-policy";
import type { Evaluation, Finding } from "../rules/evaluate";
import type { Acknowledgement } from "../rules/acknowledgement";
import { RESOURCE_KINDS, type ResourceKind } from "../model/resource-kinds";
import { containsToken } from "../model/tokens";
import type { ReportGrantRow } from "../model/report-format";
import type { AppHandoff, IAgentTarget, MlflowMetadata } from "./target";
import { pushTo } from "../model/record";

/** The machine-readable report written beside `cdk.tf.json` as `agent-report.json`. */
export interface StackReport {
  readonly stack: string;
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    readonly acknowledged: number;
    readonly grants: number;
  };
  readonly findings: readonly Finding[];
  readonly acknowledgements: readonly Acknowledgement[];
  readonly grants: readonly ReportGrant[];
  /**
   * Grants nothing in Terraform applies, per object: run these commands (as someone who may grant there),
   * or switch the object to `additive`. Then roles no ACL grants (the kinds table's `deployerRole`, e.g.
   * `databricks_superuser` in a Lakebase instance a Model Serving endpoint reaches with passthrough).
   */
  readonly requiredActions: readonly { readonly object: string; readonly commands: readonly string[] }[];
  /** The Databricks CLI the commands in `requiredActions` run (`configureGrants`' `cliPath`). */
  readonly cli: string;
  /**
   * The roles no ACL grants, as data (the last entries of `requiredActions` are made from these): per
   * object, the kind, its name and the endpoints whose deployer needs the role.
   */
  readonly deployerRoles: readonly DeployerRole[];
  /**
   * The endpoints; `mlflowKey` is the endpoint's key in `mlflow.json` (and its `mlflow/<key>/` directory),
   * where the endpoint has an entry when it has an auth policy.
   */
  readonly endpoints: readonly { readonly path: string; readonly name: string; readonly mlflowKey: string }[];
  /**
   * The Databricks Apps, with their code-deployment handoff directory and the re-consent and restart
   * notes that apply.
   * @default - absent when the stack has no app
   */
  readonly apps?: readonly ReportApp[];
}

/** A role no ACL grants that endpoints' deployers need on one object (the kinds table's `deployerRole`). */
export interface DeployerRole {
  readonly kind: ResourceKind;
  readonly name: string;
  /** The endpoints whose deployer needs it, sorted. */
  readonly endpoints: readonly string[];
}

/** One app in the report. */
export interface ReportApp {
  readonly path: string;
  readonly name: string;
  /**
   * The app's key in `apps.json` (and its `apps/<key>/` directory): its `app.yaml` and handoff for
   * `databricks apps deploy` or a bundle (`dba-export <stack dir> --target <key>`).
   */
  readonly appsKey: string;
  readonly userApiScopes: readonly string[];
  readonly notes: readonly string[];
}

/** One row of the grant plan in the report: every field spelled out (the row of the file's format 1). */
export type ReportGrant = ReportGrantRow;

/** What destroy does, per realisation: the one home of these sentences. */
export const ON_DESTROY: Readonly<Record<string, string>> = {
  owned_acl: "deleted with the endpoint or app the stack owns",
  uc_grant:
    "revokes every privilege of this principal on this securable (the stack declared it owns the pair)",
  additive: "kept: destroy never revokes what the additive step added; revoke by hand if no longer needed",
  report: "nothing: Terraform never applied it",
  authoritative: "resets the object's ACL to admins and the applying identity (acknowledged)",
};

/** The directory name a target asks for: its name, or its escaped construct path when the name is a token. */
function preferredDirName(t: IAgentTarget): string {
  return containsToken(t.targetName) ? t.node.path.replace(/[^A-Za-z0-9_-]+/g, "-") : t.targetName;
}

/**
 * Directory names of targets' files (MLflow files under `mlflow/`, app handoffs under `apps/`), by
 * construct path: one per target, never
 * shared. A target gets its name, or its construct path with every other character than letters, digits,
 * '-' and '_' replaced by '-' when the name is a Terraform reference. Where targets would share a
 * directory (case ignored, for case-insensitive file systems: paths `s/x-y` and `s/x/y`, or an endpoint
 * named `s-x-y`), one literally named so keeps the name and every other gets `-<8 hex of the sha256 of
 * its construct path>` appended; names nobody shares stay as they are. Deterministic: it depends on the
 * set of targets, never on their order.
 */
function dirNames(targets: readonly IAgentTarget[]): Map<string, string> {
  const fold = (n: string): string => n.toLowerCase();
  const hash = (p: string): string => createHash("sha256").update(p).digest("hex");
  const byDir = new Map<string, IAgentTarget[]>();
  for (const t of [...targets].sort((a, b) => (a.node.path < b.node.path ? -1 : 1))) {
    const k = fold(preferredDirName(t));
    pushTo(byDir, k, t);
  }
  const out = new Map<string, string>();
  for (const group of byDir.values()) {
    const keeper = group.length === 1 ? group[0] : group.find((t) => t.targetName === preferredDirName(t));
    for (const t of group)
      out.set(
        t.node.path,
        t === keeper ? preferredDirName(t) : `${preferredDirName(t)}-${hash(t.node.path).slice(0, 8)}`,
      );
  }
  // A suffixed name that another target's name happens to equal: the whole hash, which no name shares.
  const counts = new Map<string, number>();
  for (const d of out.values()) counts.set(fold(d), (counts.get(fold(d)) ?? 0) + 1);
  for (const t of targets) {
    const d = out.get(t.node.path)!;
    if (counts.get(fold(d))! > 1 && d !== preferredDirName(t))
      out.set(t.node.path, `${preferredDirName(t)}-${hash(t.node.path)}`);
  }
  return out;
}

/** Directory names of the MLflow files under `mlflow/` (targets that log a model), by construct path. */
export function mlflowDirNames(targets: readonly IAgentTarget[]): Map<string, string> {
  return dirNames(targets.filter((t) => t.appHandoff === undefined));
}

/** Directory names of the apps' handoff files under `apps/`, by construct path. */
export function appDirNames(targets: readonly IAgentTarget[]): Map<string, string> {
  return dirNames(targets.filter((t) => t.appHandoff !== undefined));
}

/** The report but its grant rows and owners' actions: what the file and the rows both start from. */
export type ReportHead = Omit<StackReport, "grants" | "requiredActions">;

/** One endpoint's MLflow files under its key (`mlflow.json`), with the target's name. */
export interface MlflowArtifact {
  readonly dir: string;
  readonly name: string;
  readonly policy: AuthPolicyDict;
  readonly metadata: MlflowMetadata;
}

/** One app's handoff under its key (`apps.json`), with the app's construct path and name. */
export interface AppArtifact {
  readonly dir: string;
  readonly path: string;
  readonly name: string;
  readonly handoff: AppHandoff;
}

/**
 * What the targets give the files, asked of each target once (the report's head and the per-stack files
 * both read it): the directory names, and the MLflow files and handoffs sorted by directory.
 */
export interface TargetArtifacts {
  readonly mlflowDirs: ReadonlyMap<string, string>;
  readonly appDirs: ReadonlyMap<string, string>;
  readonly mlflow: readonly MlflowArtifact[];
  readonly apps: readonly AppArtifact[];
}

const byDir = (a: { readonly dir: string }, b: { readonly dir: string }): number => (a.dir < b.dir ? -1 : 1);

/** The targets' files (see {@link TargetArtifacts}). */
export function targetArtifacts(targets: readonly IAgentTarget[]): TargetArtifacts {
  const mlflowDirs = mlflowDirNames(targets);
  const appDirs = appDirNames(targets);
  const mlflow: MlflowArtifact[] = [];
  const apps: AppArtifact[] = [];
  for (const t of targets) {
    if (t.appHandoff !== undefined) {
      const path = t.node.path;
      apps.push({ dir: appDirs.get(path)!, path, name: t.targetName, handoff: t.appHandoff() });
      continue;
    }
    const files = t.mlflowFiles();
    if (files !== undefined)
      mlflow.push({
        dir: mlflowDirs.get(t.node.path)!,
        name: t.targetName,
        policy: files.policy,
        metadata: files.metadata,
      });
  }
  return { mlflowDirs, appDirs, mlflow: mlflow.sort(byDir), apps: apps.sort(byDir) };
}

/** The report's head (see {@link ReportHead}). Deterministic: every list is sorted. */
export function reportHead(
  stack: string,
  evaluation: Evaluation,
  plan: readonly PlannedGrant[],
  endpoints: readonly IAgentTarget[],
  cli: string,
  artifacts: TargetArtifacts = targetArtifacts(endpoints),
): ReportHead {
  const apps = artifacts.apps
    .map(
      (a): ReportApp => ({
        path: a.path,
        name: a.name,
        appsKey: a.dir,
        userApiScopes: a.handoff.user_api_scopes,
        notes: a.handoff.notes,
      }),
    )
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  let errors = 0;
  let warnings = 0;
  let acknowledged = 0;
  for (const f of evaluation.findings)
    if (f.acknowledged) acknowledged++;
    else if (f.severity === "error") errors++;
    else if (f.severity === "warning") warnings++;
  return {
    stack,
    summary: { errors, warnings, acknowledged, grants: plan.length },
    findings: evaluation.findings,
    acknowledgements: evaluation.acknowledgements,
    cli,
    deployerRoles: deployerRoles(artifacts.mlflow),
    endpoints: endpoints
      .filter((e) => e.appHandoff === undefined)
      .map((e) => ({
        path: e.node.path,
        name: e.targetName,
        mlflowKey: artifacts.mlflowDirs.get(e.node.path)!,
      }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    ...(apps.length > 0 ? { apps } : {}),
  };
}

/** Build the report. Deterministic: every list is sorted. */
export function buildReport(
  stack: string,
  evaluation: Evaluation,
  plan: readonly PlannedGrant[],
  endpoints: readonly IAgentTarget[],
  cli: string,
  options: { readonly commands?: boolean } = {},
): StackReport {
  const head = reportHead(stack, evaluation, plan, endpoints, cli);
  const withCommands = options.commands ?? true;
  const requiredActions = bySecurable(plan.filter((g) => g.realisation === "report")).map((group) => ({
    object: describeSecurable(group.securable),
    // Run from the project directory, where cdktf.out/ is (the engines' default output directory).
    commands: withCommands
      ? additiveCommands(additivePayload(group.securable, group.grants, cli), `cdktf.out/stacks/${stack}`)
      : [],
  }));
  // The key order of format 1, which report() callers may snapshot.
  return {
    stack: head.stack,
    summary: head.summary,
    findings: head.findings,
    acknowledgements: head.acknowledgements,
    grants: plan.map((g) => ({
      securable: describeSecurable(g.securable),
      principal: g.principal.key,
      privileges: g.privileges,
      mechanism: g.realisation,
      onDestroy: ON_DESTROY[g.realisation]!,
      reasons: g.reasons,
    })),
    requiredActions: [...requiredActions, ...head.deployerRoles.map(roleAction)],
    cli: head.cli,
    deployerRoles: head.deployerRoles,
    endpoints: head.endpoints,
    ...(head.apps !== undefined ? { apps: head.apps } : {}),
  };
}

/**
 * The roles no ACL grants that endpoints' deployers need (the kinds table's `deployerRole` column), one
 * per object, sorted: read from each endpoint's passthrough resources as its MLflow policy lists them.
 * Apps have none: their app resource (e.g. `database`) gives their own identity its access.
 */
function deployerRoles(mlflow: readonly Pick<MlflowArtifact, "name" | "policy">[]): DeployerRole[] {
  const byObject = new Map<string, { kind: ResourceKind; name: string; endpoints: Set<string> }>();
  for (const t of mlflow) {
    const databricks = t.policy.system_auth_policy.resources?.databricks ?? {};
    for (const kind of Object.keys(databricks).sort() as ResourceKind[]) {
      if (RESOURCE_KINDS[kind].deployerRole === undefined) continue;
      for (const { name } of databricks[kind] ?? []) {
        const key = `${kind}:${name}`;
        const entry = byObject.get(key) ?? { kind, name, endpoints: new Set<string>() };
        entry.endpoints.add(t.name);
        byObject.set(key, entry);
      }
    }
  }
  return [...byObject.keys()].sort().map((k) => {
    const e = byObject.get(k)!;
    return { kind: e.kind, name: e.name, endpoints: [...e.endpoints].sort() };
  });
}

/** The required action of a deployer role: the object as a sentence and the commands of the kinds table. */
export function roleAction(r: DeployerRole): {
  readonly object: string;
  readonly commands: readonly string[];
} {
  const role = RESOURCE_KINDS[r.kind].deployerRole!;
  return {
    object: `${RESOURCE_KINDS[r.kind].label} ${r.name}: role ${role.role} (${role.where}) for the deployer of ${r.endpoints.join(", ")}`,
    commands: role.commands.map((c) => c.split("<name>").join(r.name)),
  };
}
