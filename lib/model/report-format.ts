/**
 * The format of `agent-report.json` as data: the one home of its version, its tables and how a grant
 * row is read back. Pure (no engine, no construct): `usePreviousReport`'s schema, the `dba-report`
 * command and the writer all read it.
 *
 * Format 2 states every distinct string once and points at it: the securables, principals, requesters
 * (`consumer of health-monitor-agent, on behalf of user`) and needs (`Genie space ... (domain "cost")`)
 * are sorted tables, a reason is `[requester, need]` (read `requesters[r]: needs[n]`, or
 * `requesters[r]` alone), and a grant line is one securable with one mechanism and one privilege set
 * for its principals: `[securable, mechanism, privileges, [principal, reason, ...], ...]`, in the order
 * of the grant plan. What destroy does is stated once per mechanism (`legend.onDestroy`).
 */

/** The current format of `agent-report.json` (its `"format"` field). A report without the field is format 1. */
export const REPORT_FORMAT = 2;

/** One grant as a person reads it: every field spelled out (format 1 wrote these rows as they are). */
export interface ReportGrantRow {
  readonly securable: string;
  readonly principal: string;
  readonly privileges: readonly string[];
  readonly mechanism: string;
  /** What `terraform destroy` (or removing the grant from the stack) does to it. */
  readonly onDestroy: string;
  readonly reasons: readonly string[];
}

/** A grant line of format 2: `[securable, mechanism, privileges, [principal, reason, ...], ...]`. */
export type ReportGrantLine = readonly [number, string, readonly string[], ...(readonly number[])[]];

/** The tables of a format-2 report that its grant lines point into. */
export interface ReportGrantTables {
  readonly legend: { readonly onDestroy: Readonly<Record<string, string>> };
  readonly securables: readonly string[];
  readonly principals: readonly string[];
  readonly requesters: readonly string[];
  readonly needs: readonly string[];
  /** `[requester]` or `[requester, need]`. */
  readonly reasons: readonly (readonly number[])[];
  readonly grants: readonly ReportGrantLine[];
}

/** Split a reason into its requester and its need at the first `": "` (joined back by {@link reasonText}). */
export function splitReason(reason: string): readonly [string] | readonly [string, string] {
  const i = reason.indexOf(": ");
  return i < 0 ? [reason] : [reason.slice(0, i), reason.slice(i + 2)];
}

/** A reason of a format-2 report as text. */
export function reasonText(t: Pick<ReportGrantTables, "requesters" | "needs">, r: readonly number[]): string {
  const requester = t.requesters[r[0]!]!;
  return r.length > 1 ? `${requester}: ${t.needs[r[1]!]!}` : requester;
}

/**
 * Every grant of a format-2 report as rows, in the report's order. Throws a `RangeError` naming the
 * line when an index points outside its table (an edited or truncated report).
 */
export function grantRows(t: ReportGrantTables): ReportGrantRow[] {
  const at = <T>(table: readonly T[], i: unknown, what: string, line: number): T => {
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= table.length)
      throw new RangeError(
        `grants[${line}]: ${what} ${String(i)} is not an index of ${what}s (${table.length})`,
      );
    return table[i]!;
  };
  const reasons = t.reasons.map((r) => reasonText(t, r));
  const out: ReportGrantRow[] = [];
  t.grants.forEach((line, n) => {
    const [s, mechanism, privileges, ...members] = line;
    const securable = at(t.securables, s, "securable", n);
    const onDestroy = t.legend.onDestroy[mechanism] ?? "";
    for (const [p, ...rs] of members)
      out.push({
        securable,
        principal: at(t.principals, p, "principal", n),
        privileges,
        mechanism,
        onDestroy,
        reasons: rs.map((r) => at(reasons, r, "reason", n)),
      });
  });
  return out;
}

/** True when `data` is a report of format 2 (or later). */
export function isTabulatedReport(data: unknown): data is ReportGrantTables & { readonly format: number } {
  return (
    typeof data === "object" &&
    data !== null &&
    typeof (data as { format?: unknown }).format === "number" &&
    (data as { format: number }).format >= 2
  );
}
