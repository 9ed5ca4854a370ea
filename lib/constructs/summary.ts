import type { ReportFile } from "./report-file";
import type { FileSettings } from "./target-files";

/** How each realisation reads in the summary. */
const LABELS: Readonly<Record<string, string>> = {
  owned_acl: "on objects the stack owns",
  uc_grant: "as databricks_grant (pairs the stack declares it owns)",
  additive: "added at apply (additive)",
  authoritative: "authoritative (acknowledged)",
  report: "left to the objects' owners",
};

/** Plural helper: `3 grants`, `1 grant`. */
const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * The few lines synth prints per stack: its endpoints, its grants by how they are realised, what is left
 * for the owners of shared objects, and where the files are. `dir` is the stack's output directory as the
 * user should read it (relative to where synth ran). O(1) in the number of targets but for their names.
 */
export function formatStackSummary(report: ReportFile, dir: string, files: FileSettings = {}): string {
  const byRealisation = new Map<string, number>();
  for (const [, mechanism, , ...members] of report.grants)
    byRealisation.set(mechanism, (byRealisation.get(mechanism) ?? 0) + members.length);
  const mechanisms = [...byRealisation.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([m, c]) => `${c} ${LABELS[m] ?? m}`)
    .join(", ");
  const left = report.requiredActions.objects + report.requiredActions.roles.length;
  const s = report.summary;
  const apps = report.apps ?? [];
  const appYaml =
    files.perTargetFiles === true
      ? apps.map((x) => `${dir}/apps/${x.appsKey}/app.yaml`).join(", ")
      : `its app.yaml from ${dir}/apps.json (npx dba-export ${dir} --target ${apps.length === 1 ? apps[0]!.appsKey : "<app>"} --out <dir>)`;
  const lines = [
    `[cdktf-databricks-agents] stack ${report.stack}: ${n(report.endpoints.length, "endpoint")}` +
      (report.endpoints.length > 0 ? ` (${report.endpoints.map((e) => e.name).join(", ")})` : ""),
    ...(apps.length > 0
      ? [
          `  apps:     ${n(apps.length, "app")} (${apps.map((x) => x.name).join(", ")}): deploy the code with ${appYaml}` +
            (apps.some((x) => x.notes.length > 0)
              ? "; after a scope change users consent again and the app's compute needs a restart"
              : ""),
        ]
      : []),
    `  grants:   ${n(s.grants, "grant")}${mechanisms ? ` (${mechanisms})` : ""}`,
    `  owners:   ${
      left === 0
        ? "nothing left for the owners of shared objects"
        : `${n(left, "shared object")} need their owners to grant access: commands in ${dir}/agent-report.json (requiredActions)`
    }`,
    `  findings: ${n(s.errors, "error")}, ${n(s.warnings, "warning")}, ${s.acknowledged} acknowledged`,
    `  files:    ${dir}/agent-report.json, endpoint-lock.json, mlflow.json` +
      (apps.length > 0 ? ", apps.json" : "") +
      (files.perTargetFiles === true
        ? `, ${[...(report.endpoints.length > 0 ? ["mlflow/<key>/"] : []), ...(apps.length > 0 ? ["apps/<key>/"] : [])].join(", ") || "no per-target file"} per target`
        : ""),
  ];
  return lines.join("\n");
}
