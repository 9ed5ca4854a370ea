import type { Problem } from "../model/problem";
import { RULES } from "./catalog";

/** An acknowledgement: a finding of `ruleId` at or below `path` is accepted, for `reason`. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly path: string;
  readonly reason: string;
}

/** The minimum length of a reason. */
export const MIN_REASON_LENGTH = 10;

/** Problems with acknowledgements themselves (DBA-ACK-001). */
export function acknowledgementProblems(acks: readonly Acknowledgement[]): Problem[] {
  return acks.flatMap((a): Problem[] => {
    const info = RULES[a.ruleId];
    const base = { ruleId: "DBA-ACK-001", path: a.path, prop: `acknowledge(${a.ruleId})` };
    if (info === undefined)
      return [
        {
          ...base,
          message: "acknowledges a rule that does not exist",
          received: `"${a.ruleId}"`,
          allowed: "a rule id from the catalog",
          fix: "correct the rule id (see the README's rule catalog)",
        },
      ];
    if (!info.acknowledgeable)
      return [
        {
          ...base,
          message: `rule ${a.ruleId} cannot be acknowledged: ${info.title}`,
          received: `"${a.ruleId}"`,
          allowed: "acknowledgeable rules only",
          fix: info.fix,
        },
      ];
    if (a.reason.trim().length < MIN_REASON_LENGTH)
      return [
        {
          ...base,
          message: "the reason is too short to tell a reviewer why the finding is accepted",
          received: JSON.stringify(a.reason),
          allowed: `a reason of at least ${MIN_REASON_LENGTH} characters`,
          fix: "say why the finding is acceptable here",
        },
      ];
    return [];
  });
}

/** True when the acknowledgement covers a finding at `path` (same construct or a descendant). */
export function covers(a: Acknowledgement, ruleId: string, path: string): boolean {
  return a.ruleId === ruleId && (path === a.path || path.startsWith(`${a.path}/`));
}
