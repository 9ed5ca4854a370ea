import { ALL_RULES } from "./all-rules";
import type { RuleInfo } from "./rule";

export type { RuleInfo, Severity } from "./rule";

/** The rule catalog, derived from the rule objects (ids are stable: never renumber, only add). */
export const RULES: Readonly<Record<string, RuleInfo>> = Object.fromEntries(
  ALL_RULES.map((r): [string, RuleInfo] => [
    r.id,
    { id: r.id, severity: r.severity, acknowledgeable: r.acknowledgeable, title: r.title, fix: r.fix },
  ]),
);
