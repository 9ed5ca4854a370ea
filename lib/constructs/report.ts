import { describeSecurable } from "../model/securable";
import { additiveCommands, additivePayload } from "../grants/permissions-api";
import { bySecurable, type PlannedGrant } from "../grants/plan";
import type { AuthPolicyDict } from "../model/mlflow-policy";
import type { Evaluation, Finding } from "../rules/evaluate";
import type { Acknowledgement } from "../rules/acknowledgement";
import { containsToken } from "../model/tokens";
import type { AgentServingEndpoint } from "./agent-serving-endpoint";

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
export function mlflowDirName(e: AgentServingEndpoint): string {
  return containsToken(e.endpointName) ? e.node.path.replace(/[^A-Za-z0-9_-]+/g, "-") : e.endpointName;
}

/** Build the report. Deterministic: every list is sorted. */
export function buildReport(
  stack: string,
  evaluation: Evaluation,
  plan: readonly PlannedGrant[],
  endpoints: readonly AgentServingEndpoint[],
  cli: string,
): StackReport {
  const requiredActions = bySecurable(plan.filter((g) => g.realisation === "report")).map((group) => ({
    object: describeSecurable(group.securable),
    commands: additiveCommands(additivePayload(group.securable, group.grants, cli)),
  }));
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
      .map((e) => ({ path: e.node.path, name: e.endpointName, mlflowDir: `mlflow/${mlflowDirName(e)}` }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/** What an agent's `log_model` needs besides the policy. */
export interface MlflowMetadata {
  readonly endpoint_name: string;
  readonly min_mlflow_version: string;
  readonly pip_requirements: readonly string[];
  readonly environment_variables: readonly string[];
  readonly on_behalf_of_user: boolean;
}

/** The MLflow files of every endpoint: the policy in `AuthPolicy.to_dict()` form and its metadata. */
export function mlflowArtifacts(
  endpoints: readonly AgentServingEndpoint[],
): { dir: string; policy: AuthPolicyDict; metadata: MlflowMetadata }[] {
  return endpoints
    .filter((e) => e.authPolicy !== undefined)
    .map((e) => {
      const p = e.authPolicy!;
      return {
        dir: mlflowDirName(e),
        policy: p.toMlflowDict(),
        metadata: {
          endpoint_name: e.endpointName,
          min_mlflow_version: p.minMlflowVersion,
          pip_requirements: p.pipRequirements,
          environment_variables: [
            ...Object.keys(e.environment),
            ...Object.keys(e.secrets),
            ...Object.keys(e.managedEnvironment),
          ].sort(),
          on_behalf_of_user: p.usesOnBehalfOfUser,
        },
      };
    })
    .sort((a, b) => (a.dir < b.dir ? -1 : 1));
}
