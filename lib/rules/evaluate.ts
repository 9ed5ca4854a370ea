import type { Problem } from "../model/problem";
import { formatProblem } from "../model/problem";
import {
  acknowledgementProblems,
  invalidAcknowledgement,
  matchAcknowledgements,
  MIN_REASON_LENGTH,
  staleAcknowledgement,
  type Acknowledgement,
} from "./acknowledgement";
import { ALL_RULES } from "./all-rules";
import { RULES } from "./catalog";
import type { GrantRuleInput } from "./grant-model";
import { runRule, type Rule, type RuleFinding, type RuleInfo, type Severity } from "./rule";
import type { StackModel } from "./stack-model";

/** A problem with its severity and, when accepted, the acknowledgement's reason. */
export interface Finding extends Problem {
  readonly severity: Severity;
  /**
   * The acknowledgement that accepts the finding.
   * @default - not acknowledged
   */
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

/**
 * Run every rule over the stack's declarations and its grant plan, each rule isolated (one that throws
 * becomes a DBA-RULE-001 finding at the stack context's path), and apply the acknowledgements.
 * `rules` defaults to the whole catalog; a test may pass its own.
 */
export function evaluateRules(
  stack: StackModel,
  grants: GrantRuleInput,
  acknowledgements: readonly Acknowledgement[],
  rules: readonly Rule[] = ALL_RULES,
): Evaluation {
  const raw = rules.flatMap((r): RuleFinding[] =>
    r.reads === "stack"
      ? runRule(r, stack, grants.contextPath)
      : r.reads === "grants"
        ? runRule(r, grants, grants.contextPath)
        : [],
  );
  const catalog =
    rules === ALL_RULES ? RULES : { ...RULES, ...Object.fromEntries(rules.map((r) => [r.id, r])) };
  return judge(raw, acknowledgements, catalog);
}

/**
 * A judged finding: the rule's problem without the names only acknowledgements match on, then its
 * severity and acknowledgement, in that key order. One copy of the problem (most have no names).
 */
function judged(f: RuleFinding, severity: Severity, acknowledged: { reason: string } | undefined): Finding {
  let p: Problem = f;
  if ("appliesTo" in f) {
    const copy: { -readonly [K in keyof RuleFinding]: RuleFinding[K] } = { ...f };
    delete copy.appliesTo;
    p = copy;
  }
  return acknowledged === undefined ? { ...p, severity } : { ...p, severity, acknowledged };
}

/** Findings in key order (path, rule id, prop, message), each key built once. */
function sortedByKey(keyed: readonly (readonly [string, Finding])[]): Finding[] {
  return [...keyed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
}

/** De-duplicate, give severities, apply acknowledgements, add the acknowledgements' own findings, sort. */
function judge(
  raw: readonly RuleFinding[],
  acknowledgements: readonly Acknowledgement[],
  catalog: Readonly<Record<string, RuleInfo>>,
): Evaluation {
  // The last finding of each key wins, at the place its key was first seen (a Map's order).
  const byKey = new Map<string, RuleFinding>();
  for (const p of raw) byKey.set(key(p), p);
  const keys = [...byKey.keys()];
  const unique = [...byKey.values()];
  const { accepting, stale } = matchAcknowledgements(acknowledgements, unique, catalog);
  const keyed: (readonly [string, Finding])[] = unique.map((f, n) => {
    const info = catalog[f.ruleId];
    const severity: Severity = info?.severity ?? "error";
    const by = accepting[n];
    const ack = info?.acknowledgeable && by !== undefined ? by : undefined;
    const accepted =
      ack && ack.reason.trim().length >= MIN_REASON_LENGTH ? { reason: ack.reason } : undefined;
    return [keys[n]!, judged(f, severity, accepted)] as const;
  });
  // Stale acknowledgements have always listed their severity right after the rule id.
  for (const { ruleId, ...rest } of stale) {
    const f: Finding = { ruleId, severity: staleAcknowledgement.severity, ...rest };
    keyed.push([key(f), f]);
  }
  for (const p of acknowledgementProblems(acknowledgements, catalog)) {
    const f: Finding = { ...p, severity: invalidAcknowledgement.severity };
    keyed.push([key(f), f]);
  }
  const all = sortedByKey(keyed);
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
