import type { Problem } from "../model/problem";
import { show } from "../model/problem";
import type { CatalogOnlyRule, RuleFinding, RuleInfo } from "./rule";
import { pushTo } from "../model/record";

/** An acknowledgement: a finding of `ruleId` at or below `path` is accepted, for `reason`. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly path: string;
  readonly reason: string;
  /**
   * Narrows the acknowledgement to the findings named here (see {@link AcknowledgeOptions.appliesTo}).
   * @default - every finding of the rule at or below `path`
   */
  readonly appliesTo?: readonly string[];
}

/** Options of an acknowledgement. */
export interface AcknowledgeOptions {
  /**
   * Accept only the findings named here, as cdk-nag's `appliesTo` does. An entry names a finding by
   * - its `prop` (e.g. `environment.DATABRICKS_TOKEN`), or
   * - its `received` value, a quoted string without its quotes (e.g. the scope `dashboards.genie` of a
   *   DBA-SCOPE-002 finding, the group `users` of a DBA-GRANT-003 finding), or
   * - a key its rule documents: the dependency key for DBA-AUTH-001 (`sql_warehouse:<id>`,
   *   `genie_space:<id>`, as `overrides` name objects); the securable for DBA-GRANT-001
   *   (`sql_warehouse:<id>`, `table:<full name>`), or `<securable> for <principal key>` for an owned
   *   grant; the principal key for DBA-GRANT-003 (`group:users`).
   * Each entry must name at least one finding, or it is reported as stale (DBA-ACK-002).
   * @default - every finding of the rule at or below the scope
   */
  readonly appliesTo?: readonly string[];
}

/** The minimum length of a reason. */
export const MIN_REASON_LENGTH = 10;

/** DBA-ACK-001: an acknowledgement that cannot be honoured. */
export const invalidAcknowledgement: CatalogOnlyRule = {
  id: "DBA-ACK-001",
  severity: "error",
  acknowledgeable: false,
  title:
    "An acknowledgement is invalid (unknown rule, rule not acknowledgeable, or reason under 10 characters).",
  fix: "Acknowledge an acknowledgeable rule id with a reason of at least 10 characters.",
  reads: "none",
  checkedIn: "the evaluator (lib/rules/acknowledgement.ts acknowledgementProblems)",
};

/** DBA-ACK-002: an acknowledgement, or one of its `appliesTo` entries, that accepts nothing. */
export const staleAcknowledgement: CatalogOnlyRule = {
  id: "DBA-ACK-002",
  severity: "warning",
  acknowledgeable: false,
  title: "An acknowledgement matches no finding.",
  fix: "Remove the stale acknowledgement.",
  reads: "none",
  checkedIn: "the evaluator (lib/rules/acknowledgement.ts matchAcknowledgements)",
};

/** The acknowledgement `acknowledge(scope, ruleId, reason, options)` records for the scope at `path`. */
export function acknowledgementOf(
  ruleId: string,
  path: string,
  reason: string,
  options: AcknowledgeOptions = {},
): Acknowledgement {
  const appliesTo: unknown = options.appliesTo;
  if (appliesTo === undefined) return { ruleId, path, reason };
  // A copy, so a later change to the caller's list changes nothing; a malformed value is kept for DBA-ACK-001.
  return {
    ruleId,
    path,
    reason,
    appliesTo: (Array.isArray(appliesTo) ? [...appliesTo] : appliesTo) as string[],
  };
}

/** Problems with acknowledgements themselves (DBA-ACK-001), against the rule catalog. */
export function acknowledgementProblems(
  acks: readonly Acknowledgement[],
  catalog: Readonly<Record<string, RuleInfo>>,
): Problem[] {
  return acks.flatMap((a): Problem[] => [...ruleAndReasonProblems(a, catalog), ...appliesToProblems(a)]);
}

function ruleAndReasonProblems(a: Acknowledgement, catalog: Readonly<Record<string, RuleInfo>>): Problem[] {
  const info = catalog[a.ruleId];
  const base = { ruleId: invalidAcknowledgement.id, path: a.path, prop: `acknowledge(${a.ruleId})` };
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
}

const ENTRY_ALLOWED = "a finding's prop, its received value or the key its rule documents";

function appliesToProblems(a: Acknowledgement): Problem[] {
  const list: unknown = a.appliesTo;
  if (list === undefined) return [];
  const base = {
    ruleId: invalidAcknowledgement.id,
    path: a.path,
    prop: `acknowledge(${a.ruleId}).appliesTo`,
  };
  if (!Array.isArray(list) || list.length === 0)
    return [
      {
        ...base,
        message: Array.isArray(list)
          ? "appliesTo is empty, so the acknowledgement would accept nothing"
          : "appliesTo is not a list of finding names",
        received: show(list),
        allowed: `a non-empty list of names: ${ENTRY_ALLOWED}`,
        fix: "name the findings the acknowledgement accepts, or omit appliesTo to accept every finding of the rule here",
      },
    ];
  return list.flatMap((entry: unknown, i): Problem[] =>
    typeof entry === "string" && entry.trim() !== ""
      ? []
      : [
          {
            ...base,
            prop: `${base.prop}[${i}]`,
            message: "is not a finding's name",
            received: show(entry),
            allowed: `a non-empty string: ${ENTRY_ALLOWED}`,
            fix: "correct the entry or remove it",
          },
        ],
  );
}

/**
 * The names an `appliesTo` entry may give a finding: its prop, its received value (and, when that is a
 * quoted string, the string itself), and the further names its rule gives it.
 */
export function findingNames(f: RuleFinding): string[] {
  const unquoted = (s: string): string[] => {
    if (!/^"[\s\S]*"$/.test(s)) return [];
    try {
      const v: unknown = JSON.parse(s);
      return typeof v === "string" ? [v] : [];
    } catch {
      return [];
    }
  };
  return [
    ...(f.prop === undefined ? [] : [f.prop]),
    ...(f.received === undefined ? [] : [f.received, ...unquoted(f.received)]),
    ...(f.appliesTo ?? []),
  ];
}

/** Which acknowledgement accepts each finding, and which acknowledgements accept nothing. */
export interface AcknowledgementMatch {
  /**
   * Per finding (same order), the first acknowledgement in declaration order that covers it: same
   * rule, declared at the finding's construct or an ancestor and, when narrowed, naming the finding.
   */
  readonly accepting: readonly (Acknowledgement | undefined)[];
  /** DBA-ACK-002 problems: acknowledgements of acknowledgeable rules that cover nothing, and `appliesTo` entries that name nothing. */
  readonly stale: readonly Problem[];
}

/** Match acknowledgements to findings. Pure. */
export function matchAcknowledgements(
  acks: readonly Acknowledgement[],
  findings: readonly RuleFinding[],
  catalog: Readonly<Record<string, RuleInfo>>,
): AcknowledgementMatch {
  // Acknowledgements by rule and path, in declaration order; a finding looks up its path and each ancestor.
  const byRule = new Map<string, Map<string, number[]>>();
  acks.forEach((a, i) => {
    let byScope = byRule.get(a.ruleId);
    if (byScope === undefined) byRule.set(a.ruleId, (byScope = new Map()));
    pushTo(byScope, a.path, i);
  });
  const used = new Set<number>();
  // Per narrowed acknowledgement, the indexes of the entries that named a finding.
  const usedEntries = new Map<number, Set<number>>();
  const names = (a: Acknowledgement): readonly unknown[] | undefined => {
    const list: unknown = a.appliesTo;
    return list === undefined ? undefined : Array.isArray(list) ? list : [];
  };
  const accepts = (i: number, f: RuleFinding): boolean => {
    const entries = names(acks[i]!);
    if (entries === undefined) return true;
    const own = findingNames(f);
    const hits = entries.flatMap((e, j) => (typeof e === "string" && own.includes(e) ? [j] : []));
    if (hits.length === 0) return false;
    const seen = usedEntries.get(i) ?? new Set<number>();
    for (const j of hits) seen.add(j);
    usedEntries.set(i, seen);
    return true;
  };
  const accepting = findings.map((f) => {
    const byScope = byRule.get(f.ruleId);
    if (byScope === undefined) return undefined;
    let first: number | undefined;
    for (let scope = f.path; ; ) {
      for (const i of byScope.get(scope) ?? []) {
        if (!accepts(i, f)) continue;
        used.add(i);
        if (first === undefined || i < first) first = i;
      }
      const cut = scope.lastIndexOf("/");
      if (cut < 0) break;
      scope = scope.slice(0, cut);
    }
    return first === undefined ? undefined : acks[first];
  });
  const stale = acks.flatMap((a, i): Problem[] => {
    if (!catalog[a.ruleId]?.acknowledgeable) return [];
    const entries = names(a);
    if (entries === undefined)
      return used.has(i)
        ? []
        : [
            {
              ruleId: staleAcknowledgement.id,
              path: a.path,
              prop: `acknowledge(${a.ruleId})`,
              message: `acknowledges ${a.ruleId} but nothing here triggers it`,
              fix: "remove the acknowledgement",
            },
          ];
    return entries.flatMap((entry, j): Problem[] =>
      typeof entry !== "string" || entry.trim() === "" || usedEntries.get(i)?.has(j)
        ? []
        : [
            {
              ruleId: staleAcknowledgement.id,
              path: a.path,
              prop: `acknowledge(${a.ruleId}).appliesTo`,
              message: `acknowledges ${a.ruleId} for ${show(entry)} but no finding here has that name`,
              received: show(entry),
              allowed: `${ENTRY_ALLOWED}, of a ${a.ruleId} finding at or below ${a.path}`,
              fix: "remove the entry, or correct it to a name the finding has (its prop or received value in agent-report.json)",
            },
          ],
    );
  });
  return { accepting, stale };
}
