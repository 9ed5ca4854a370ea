import { maskedCopy, type Problem } from "../model/problem";
import { maskCredentials } from "../model/credentials";
import type { GrantRuleInput } from "./grant-model";
import type { StackModel } from "./stack-model";

/** Severity of a rule: errors fail synth unless acknowledged; warnings are reported. */
export type Severity = "error" | "warning";

/** One rule of the catalog. Ids are stable: never renumber, only add. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  /** What the rule catches, in one line. */
  readonly title: string;
  /** May a finding be acknowledged with a reason? */
  readonly acknowledgeable: boolean;
  /** The general fix. Findings carry a specific one. */
  readonly fix: string;
}

/** One finding as a check returns it: a problem without its rule id (the evaluator stamps the rule's). */
export interface RuleProblem extends Omit<Problem, "ruleId"> {
  /**
   * Further names an acknowledgement's `appliesTo` may give this finding, besides its `prop` and its
   * `received` value (e.g. a dependency key `sql_warehouse:<id>`, a principal key `group:users`).
   * Used for matching only: never written to the report or a message.
   * @default - the finding is named by its `prop` and `received` only
   */
  readonly appliesTo?: readonly string[];
}

/** A problem stamped with the rule that found it, still carrying the names `appliesTo` may use. */
export interface RuleFinding extends Problem {
  /**
   * The rule's further names for the finding (see {@link RuleProblem.appliesTo}).
   * @default - the finding is named by its `prop` and `received` only
   */
  readonly appliesTo?: readonly string[];
}

/**
 * A rule the evaluator runs: its catalog entry and its check, one pure function over the input the
 * rule `reads`. A check that throws (or returns something that is not a list of problems) becomes a
 * DBA-RULE-001 finding naming the rule; the other rules still run.
 */
export interface CheckedRule<Reads extends string, Input> extends RuleInfo {
  /** The input the check reads. */
  readonly reads: Reads;
  /** The check: pure and deterministic, one problem per finding. */
  readonly check: (input: Input) => readonly RuleProblem[];
}

/** A rule over the stack's declarations (bundles, policies, endpoints, the endpoint lock). */
export type StackRule = CheckedRule<"stack", StackModel>;

/** A rule over the merged grant plan, the requests and the grant settings. */
export type GrantRule = CheckedRule<"grants", GrantRuleInput>;

/**
 * A rule checked outside the evaluator's rule loop: props at construction, packages when the library
 * loads, acknowledgements and failed rules by the evaluator itself. Its entry says where.
 */
export interface CatalogOnlyRule extends RuleInfo {
  readonly reads: "none";
  /** Where the rule is checked. */
  readonly checkedIn: string;
}

/** Any rule of the catalog. */
export type Rule = StackRule | GrantRule | CatalogOnlyRule;

/** DBA-RULE-001: a rule that throws is reported as a finding naming it, never a crash of synth. */
export const ruleFailed: CatalogOnlyRule = {
  id: "DBA-RULE-001",
  severity: "error",
  acknowledgeable: false,
  title: "A rule failed while it checked the stack (a defect in the library); its findings are missing.",
  fix: "Report the message and the declarations that trigger it; the other rules still ran.",
  reads: "none",
  checkedIn: "the evaluator, around every rule's check (lib/rules/rule.ts runRule)",
};

/** The longest error text a DBA-RULE-001 finding shows. */
const MAX_ERROR_TEXT = 200;

/** An error as one short line with every credential-looking run masked. */
function describeError(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    text = "a value that cannot be printed";
  }
  text = maskCredentials(text.replace(/\s+/g, " ").trim());
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 3)}...` : text;
}

/** True when a check's result is a list of well-formed problems. */
function isProblemList(value: unknown): value is readonly RuleProblem[] {
  return (
    Array.isArray(value) &&
    value.every(
      (p: unknown) =>
        typeof p === "object" &&
        p !== null &&
        typeof (p as RuleProblem).path === "string" &&
        typeof (p as RuleProblem).message === "string" &&
        typeof (p as RuleProblem).fix === "string",
    )
  );
}

/**
 * Run one rule's check, isolated: its problems stamped with its id, or, when the check throws or
 * returns something malformed, one DBA-RULE-001 finding at `path` naming the rule.
 */
export function runRule<Input>(rule: CheckedRule<string, Input>, input: Input, path: string): RuleFinding[] {
  try {
    const problems: unknown = rule.check(input);
    if (!isProblemList(problems))
      throw new TypeError("the check returned something that is not a list of problems");
    return problems.map((p) => {
      const stamped = { ruleId: rule.id, ...p };
      return maskedCopy(stamped) ?? stamped;
    });
  } catch (error) {
    return [
      {
        ruleId: ruleFailed.id,
        path,
        message: `rule ${rule.id} failed: ${describeError(error)}`,
        fix: `this is a defect in cdktf-databricks-agents: report it with the declarations that trigger it (the other rules ran; ${rule.id}'s findings are missing)`,
      },
    ];
  }
}
