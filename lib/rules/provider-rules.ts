// Provider semantics as rules: what the Databricks provider silently ignores, crashes on, or sends and the
// API rejects. Each is checked where synth can know it: against the endpoint lock (what was deployed) or
// the previous report (what was granted). Facts: lib/model/provider-semantics.ts and REFERENCE.md.
import { UNREMOVABLE_SERVING_BLOCK } from "../model/provider-semantics";
import { describeSecurable } from "../model/securable";
import { previousGrantKey } from "./grant-model";
import type { GrantRule, RuleProblem, StackRule } from "./rule";

/**
 * DBA-PROV-001: a create-only field of a deployed endpoint changed (telemetry_config, a served entity's
 * burst_scaling_enabled): the provider accepts the change in plan and never applies it. Checked against
 * the endpoint lock, which records the fields as set at the last deploy. `appliesTo` names a finding
 * by the field (`telemetry_config`, `served_entities.<entity>.burst_scaling_enabled`).
 */
export const createOnlyFieldChanged: StackRule = {
  id: "DBA-PROV-001",
  severity: "error",
  acknowledgeable: true,
  title:
    "A deployed endpoint's create-only field changed (telemetry_config, burst_scaling_enabled): the provider never applies the change.",
  fix: "Revert the field to its deployed value, or recreate the endpoint to apply it (then update the lock).",
  reads: "stack",
  check: (m) => {
    const deployed = m.deployedEndpoints;
    if (deployed === undefined) return [];
    return m.endpoints.flatMap((e): RuleProblem[] => {
      const before = deployed[e.path];
      if (before === undefined) return [];
      const was = before.createOnly ?? {};
      const now = e.lockEntry?.createOnly ?? {};
      const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])]
        .sort()
        .filter((f) => was[f] !== now[f]);
      // Values are never shown (a field may carry anything): only what happened to each field.
      const what = (f: string): string =>
        was[f] === undefined ? "set" : now[f] === undefined ? "removed" : "changed";
      return changed.map((f) => ({
        path: e.path,
        prop: f,
        message: `${f} is ${what(f)} on the deployed endpoint "${before.name}", but the provider applies it only at creation: the plan shows the change, apply reports success and the endpoint keeps its deployed value`,
        received: `${f} ${what(f)} (the lock records ${was[f] === undefined ? "it unset" : "it set"})`,
        allowed: `${f} as deployed (the lock's value)`,
        fix: `revert ${f} to its deployed value; to apply it, recreate the endpoint (a new name, or delete and redeploy) and commit the new lock, or acknowledge DBA-PROV-001 with the reason`,
        appliesTo: [f],
      }));
    });
  },
};

/**
 * DBA-PROV-002: the `ai_gateway` block of a deployed endpoint is gone: the provider crashes on the update
 * (still at 1.128). Checked against the endpoint lock (`aiGateway: true`); the library never sets the
 * block, so it comes and goes only through the escape hatch.
 */
export const aiGatewayRemoved: StackRule = {
  id: "DBA-PROV-002",
  severity: "error",
  acknowledgeable: false,
  title: "A deployed endpoint's ai_gateway block was removed: the provider crashes on the update.",
  fix: "Keep the block and disable its parts (e.g. inference_table_config.enabled = false); remove it through the API if it must go, then update the lock.",
  reads: "stack",
  check: (m) => {
    const deployed = m.deployedEndpoints;
    if (deployed === undefined) return [];
    return m.endpoints
      .filter((e) => deployed[e.path]?.aiGateway === true && e.lockEntry?.aiGateway !== true)
      .map((e) => ({
        path: e.path,
        prop: UNREMOVABLE_SERVING_BLOCK,
        message: `the deployed endpoint "${deployed[e.path]!.name}" has an ${UNREMOVABLE_SERVING_BLOCK} block (the lock records it) and the stack now has none: removing the block crashes the provider's update (at 1.128 still)`,
        received: `no ${UNREMOVABLE_SERVING_BLOCK} block`,
        allowed: `the ${UNREMOVABLE_SERVING_BLOCK} block kept, with its parts disabled`,
        fix: `keep the ${UNREMOVABLE_SERVING_BLOCK} block and disable its parts (e.g. inference_table_config.enabled = false, usage_tracking_config.enabled = false); if it must go, remove it with the serving-endpoints API, then commit the new lock`,
      }));
  },
};

/**
 * DBA-PROV-003: a `databricks_grant` the stack owns would both add and remove privileges for its
 * principal in one apply, which the API rejects (provider PR #5824, unmerged). Checked against the
 * previous report (`usePreviousReport`): the pair's privileges there (mechanism `uc_grant`) against the plan's.
 * `appliesTo` names a finding by `<securable> for <principal>`.
 */
export const grantChangesBothWays: GrantRule = {
  id: "DBA-PROV-003",
  severity: "error",
  acknowledgeable: true,
  title:
    "A databricks_grant would add and remove privileges for one principal in one apply: the API rejects the change.",
  fix: "Apply in two steps: first the union of the old and new privileges (only additions), then the new set (only removals).",
  reads: "grants",
  check: (g) =>
    g.plan
      .filter((p) => p.realisation === "uc_grant")
      .flatMap((p): RuleProblem[] => {
        const securable = describeSecurable(p.securable);
        const before = g.previousGrants.get(previousGrantKey(securable, p.principal.key));
        if (before === undefined) return [];
        const added = p.privileges.filter((x) => !before.includes(x));
        const removed = before.filter((x) => !p.privileges.includes(x));
        if (added.length === 0 || removed.length === 0) return [];
        const union = [...new Set([...before, ...p.privileges])].sort();
        const name = `${securable} for ${p.principal.key}`;
        return [
          {
            path: g.contextPath,
            prop: "grants",
            message: `the databricks_grant on ${name} adds ${added.join(", ")} and removes ${removed.join(", ")} in one apply; the API rejects a change that both adds and removes privileges for a principal (provider PR #5824), so the apply fails`,
            received: `${before.join(", ")} (previous report) -> ${p.privileges.join(", ")}`,
            allowed: "only additions, or only removals, per principal and securable in one apply",
            fix: `apply in two steps: first keep the declarations that need ${removed.join(", ")} beside the new ones (the union: ${union.join(", ")}, only additions), apply, and pass that synth's report to usePreviousReport; then remove the old ones (only removals); or acknowledge DBA-PROV-003 with the reason`,
            appliesTo: [name],
          },
        ];
      }),
};
