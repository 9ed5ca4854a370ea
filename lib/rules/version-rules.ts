import { containsToken } from "../model/tokens";
import { compareVersions } from "../model/versions";
import type { RuleProblem, StackRule } from "./rule";

/** DBA-VER-001: a pinned MLflow version below what the declarations need. */
export const mlflowTooOld: StackRule = {
  id: "DBA-VER-001",
  severity: "error",
  acknowledgeable: false,
  title: "The pinned MLflow version is below what the declared resources or OBO need.",
  fix: "Log the agent with at least the MLflow version the message gives.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p): RuleProblem[] => {
      const pinned = p.mlflowVersion;
      if (pinned === undefined) return [];
      const above = p.mlflowFloors.filter((f) => compareVersions(f.version, pinned) > 0);
      if (above.length === 0) return [];
      const highest = above.reduce((a, b) => (compareVersions(b.version, a.version) > 0 ? b : a));
      return [
        {
          path: p.path,
          prop: "mlflowVersion",
          message: `MLflow ${pinned} is too old: ${above.map((f) => `${f.reason} needs ${f.version}`).join("; ")}`,
          received: `"${pinned}"`,
          allowed: `${highest.version} or later`,
          fix: `log the agent with mlflow>=${highest.version} and set mlflowVersion to it`,
        },
      ];
    }),
};

/** DBA-MLF-001: the MLflow policy holds values Terraform knows only at apply time. */
export const policyWithReferences: StackRule = {
  id: "DBA-MLF-001",
  severity: "warning",
  acknowledgeable: true,
  title: "The MLflow auth policy holds Terraform references (known only at apply time).",
  fix: "Give literal ids, or resolve them before log_model and check the model.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p): RuleProblem[] => {
      const refs = new Set<string>();
      for (const d of p.dependencies)
        for (const r of d.systemResources) if (containsToken(r.name)) refs.add(r.kind);
      if (refs.size === 0) return [];
      return [
        {
          path: p.path,
          message: `the MLflow auth policy holds Terraform references (${[...refs].sort().join(", ")}); mlflow.json (and a per-target auth_policy.json) shows them as expressions, not ids`,
          fix: "give literal ids where the agent is logged, or resolve the values (terraform output) before log_model, then run dba-check-auth-policy",
        },
      ];
    }),
};
