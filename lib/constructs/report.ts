import { describeSecurable } from "../model/securable";
import { additiveCommands, additivePayload } from "../grants/permissions-api";
import { bySecurable, type PlannedGrant } from "../grants/plan";
import type { AuthPolicyDict } from "../model/mlflow-policy";
import type { Evaluation, Finding } from "../rules/evaluate";
import type { Acknowledgement } from "../rules/acknowledgement";
import { containsToken } from "../model/tokens";
import type { AppHandoff, IAgentTarget, MlflowMetadata } from "./target";

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
   * or switch the object to `additive`.
   */
  readonly requiredActions: readonly { readonly object: string; readonly commands: readonly string[] }[];
  readonly endpoints: readonly { readonly path: string; readonly name: string; readonly mlflowDir: string }[];
  /**
   * The Databricks Apps, with their code-deployment handoff directory and the re-consent and restart
   * notes that apply.
   * @default - absent when the stack has no app
   */
  readonly apps?: readonly ReportApp[];
}

/** One app in the report. */
export interface ReportApp {
  readonly path: string;
  readonly name: string;
  /** `apps/<dir>`: `app.yaml` and `handoff.json` for `databricks apps deploy` or a bundle. */
  readonly handoffDir: string;
  readonly userApiScopes: readonly string[];
  readonly notes: readonly string[];
}

/** One row of the grant plan in the report. */
export interface ReportGrant {
  readonly securable: string;
  readonly principal: string;
  readonly privileges: readonly string[];
  readonly mechanism: string;
  /** What `terraform destroy` (or removing the grant from the stack) does to it. */
  readonly onDestroy: string;
  readonly reasons: readonly string[];
}

/** What destroy does, per realisation: the one home of these sentences. */
export const ON_DESTROY: Readonly<Record<string, string>> = {
  owned_acl: "deleted with the endpoint the stack owns",
  uc_grant:
    "revokes every privilege of this principal on this securable (the stack declared it owns the pair)",
  additive: "kept: destroy never revokes what the additive step added; revoke by hand if no longer needed",
  report: "nothing: Terraform never applied it",
  authoritative: "resets the object's ACL to admins and the applying identity (acknowledged)",
};

/** Directory name of an endpoint's MLflow files: its name, or its construct path when the name is a token. */
export function mlflowDirName(t: IAgentTarget): string {
  return containsToken(t.targetName) ? t.node.path.replace(/[^A-Za-z0-9_-]+/g, "-") : t.targetName;
}

/** Directory name of an app's handoff files, under `apps/`. */
export function appDirName(t: IAgentTarget): string {
  return mlflowDirName(t);
}

/** Build the report. Deterministic: every list is sorted. */
export function buildReport(
  stack: string,
  evaluation: Evaluation,
  plan: readonly PlannedGrant[],
  endpoints: readonly IAgentTarget[],
  cli: string,
): StackReport {
  const requiredActions = bySecurable(plan.filter((g) => g.realisation === "report")).map((group) => ({
    object: describeSecurable(group.securable),
    commands: additiveCommands(additivePayload(group.securable, group.grants, cli)),
  }));
  const apps = [...endpoints]
    .filter((e) => e.appHandoff !== undefined)
    .map((e): ReportApp => {
      const h = e.appHandoff!();
      return {
        path: e.node.path,
        name: e.targetName,
        handoffDir: `apps/${appDirName(e)}`,
        userApiScopes: h.user_api_scopes,
        notes: h.notes,
      };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    stack,
    summary: {
      errors: evaluation.findings.filter((f) => f.severity === "error" && !f.acknowledged).length,
      warnings: evaluation.findings.filter((f) => f.severity === "warning" && !f.acknowledged).length,
      acknowledged: evaluation.findings.filter((f) => f.acknowledged).length,
      grants: plan.length,
    },
    findings: evaluation.findings,
    acknowledgements: evaluation.acknowledgements,
    grants: plan.map((g) => ({
      securable: describeSecurable(g.securable),
      principal: g.principal.key,
      privileges: g.privileges,
      mechanism: g.realisation,
      onDestroy: ON_DESTROY[g.realisation]!,
      reasons: g.reasons,
    })),
    requiredActions,
    endpoints: [...endpoints]
      .filter((e) => e.appHandoff === undefined)
      .map((e) => ({ path: e.node.path, name: e.targetName, mlflowDir: `mlflow/${mlflowDirName(e)}` }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    ...(apps.length > 0 ? { apps } : {}),
  };
}

/** The handoff files of every app, sorted by directory. */
export function appArtifacts(targets: readonly IAgentTarget[]): { dir: string; handoff: AppHandoff }[] {
  return targets
    .filter((t) => t.appHandoff !== undefined)
    .map((t) => ({ dir: appDirName(t), handoff: t.appHandoff!() }))
    .sort((a, b) => (a.dir < b.dir ? -1 : 1));
}

/** The MLflow files of every target that has a policy, sorted by directory. */
export function mlflowArtifacts(
  targets: readonly IAgentTarget[],
): { dir: string; policy: AuthPolicyDict; metadata: MlflowMetadata }[] {
  return targets
    .map((t) => ({ dir: mlflowDirName(t), files: t.mlflowFiles() }))
    .filter(
      (x): x is { dir: string; files: NonNullable<ReturnType<IAgentTarget["mlflowFiles"]>> } => !!x.files,
    )
    .map((x) => ({ dir: x.dir, policy: x.files.policy, metadata: x.files.metadata }))
    .sort((a, b) => (a.dir < b.dir ? -1 : 1));
}
