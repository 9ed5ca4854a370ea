import type { Problem } from "../model/problem";
import { containsToken } from "../model/tokens";
import { compareVersions } from "../model/versions";
import type { StackModel } from "./stack-model";

/** DBA-VER-001: a pinned MLflow version below what the declarations need. */
export function mlflowTooOld(m: StackModel): Problem[] {
  return m.policies.flatMap((p) => {
    const pinned = p.mlflowVersion;
    if (pinned === undefined) return [];
    const above = p.mlflowFloors.filter((f) => compareVersions(f.version, pinned) > 0);
    if (above.length === 0) return [];
    const highest = above.reduce((a, b) => (compareVersions(b.version, a.version) > 0 ? b : a));
    return [
      {
        ruleId: "DBA-VER-001",
        path: p.path,
        prop: "mlflowVersion",
        message: `MLflow ${pinned} is too old: ${above.map((f) => `${f.reason} needs ${f.version}`).join("; ")}`,
        received: `"${pinned}"`,
        allowed: `${highest.version} or later`,
        fix: `log the agent with mlflow>=${highest.version} and set mlflowVersion to it`,
      },
    ];
  });
}

/** DBA-MLF-001: the MLflow policy holds values Terraform knows only at apply time. */
export function policyWithReferences(m: StackModel): Problem[] {
  return m.policies.flatMap((p) => {
    const refs = p.dependencies.flatMap((d) =>
      d.systemResources.filter((r) => containsToken(r.name)).map((r) => `${r.kind}`),
    );
    if (refs.length === 0) return [];
    return [
      {
        ruleId: "DBA-MLF-001",
        path: p.path,
        message: `the MLflow auth policy holds Terraform references (${[...new Set(refs)].sort().join(", ")}); auth_policy.json shows them as expressions, not ids`,
        fix: "give literal ids where the agent is logged, or resolve the values (terraform output) before log_model, then run dba-check-auth-policy",
      },
    ];
  });
}
