import type { Problem } from "../model/problem";
import { formatProblem } from "../model/problem";
import { acknowledgementProblems, type Acknowledgement } from "./acknowledgement";
import { RULE_CHECKS, type RuleCheck } from "./all-rules";
import { RULES, type Severity } from "./catalog";
import type { StackModel } from "./stack-model";

/** A problem with its severity and, when accepted, the acknowledgement's reason. */
export interface Finding extends Problem {
  readonly severity: Severity;
  readonly acknowledged?: { readonly reason: string };
}

/** The outcome of evaluating a stack. */
export interface Evaluation {
  /** Every finding, sorted by path, rule id, prop. */
  readonly findings: readonly Finding[];
  /** Findings that fail synth: unacknowledged errors. */
  readonly blocking: readonly Finding[];
  readonly acknowledgements: readonly Acknowledgement[];
}

const key = (p: Problem): string => `${p.path}\u0000${p.ruleId}\u0000${p.prop ?? ""}\u0000${p.message}`;

/** Run every check (plus extra ones, e.g. grant rules) and apply acknowledgements. */
export function evaluate(
  model: StackModel,
  acknowledgements: readonly Acknowledgement[],
  extra: readonly Problem[] = [],
  checks: readonly RuleCheck[] = RULE_CHECKS,
): Evaluation {
  const raw = [...checks.flatMap((c) => c(model)), ...extra];
  const unique = [...new Map(raw.map((p) => [key(p), p] as const)).values()];
  // Acknowledgements by rule and path, in declaration order; a finding looks up its path and each ancestor.
  const byScope = new Map<string, number[]>();
  acknowledgements.forEach((a, i) => {
    const k = `${a.ruleId}\u0000${a.path}`;
    const list = byScope.get(k);
    if (list) list.push(i);
    else byScope.set(k, [i]);
  });
  const used = new Set<number>();
  const covering = (p: Problem): number | undefined => {
    let first: number | undefined;
    for (let scope = p.path; ; ) {
      for (const i of byScope.get(`${p.ruleId}\u0000${scope}`) ?? []) {
        used.add(i);
        if (first === undefined || i < first) first = i;
      }
      const cut = scope.lastIndexOf("/");
      if (cut < 0) break;
      scope = scope.slice(0, cut);
    }
    return first;
  };
  const findings: Finding[] = unique.map((p) => {
    const info = RULES[p.ruleId];
    const severity: Severity = info?.severity ?? "error";
    const i = covering(p);
    const ack = info?.acknowledgeable && i !== undefined ? acknowledgements[i] : undefined;
    return ack && ack.reason.trim().length >= 10
      ? { ...p, severity, acknowledged: { reason: ack.reason } }
      : { ...p, severity };
  });
  const stale: Finding[] = acknowledgements
    .filter((a, i) => RULES[a.ruleId]?.acknowledgeable && !used.has(i))
    .map((a) => ({
      ruleId: "DBA-ACK-002",
      severity: "warning",
      path: a.path,
      prop: `acknowledge(${a.ruleId})`,
      message: `acknowledges ${a.ruleId} but nothing here triggers it`,
      fix: "remove the acknowledgement",
    }));
  const ackErrors: Finding[] = acknowledgementProblems(acknowledgements).map((p) => ({
    ...p,
    severity: "error",
  }));
  const all = [...findings, ...stale, ...ackErrors]
    .map((f) => [key(f), f] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, f]) => f);
  return {
    findings: all,
    blocking: all.filter((f) => f.severity === "error" && f.acknowledged === undefined),
    acknowledgements: [...acknowledgements].sort((a, b) => (a.path + a.ruleId < b.path + b.ruleId ? -1 : 1)),
  };
}

/** The message synth fails with: every blocking finding at once. */
export function formatBlocking(blocking: readonly Finding[]): string[] {
  return blocking.map((f) => formatProblem(f));
}
