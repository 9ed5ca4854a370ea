import * as fs from "fs";
import { additiveCommands, additivePayload } from "../grants/permissions-api";
import type { PlannedGrant } from "../grants/plan";
import { Principal, type PrincipalKind } from "../model/principal";
import {
  grantRows,
  isTabulatedReport,
  REPORT_FORMAT,
  splitReason,
  type ReportGrantLine,
  type ReportGrantRow,
  type ReportGrantTables,
} from "../model/report-format";
import { RESOURCE_KINDS, type ResourceKind } from "../model/resource-kinds";
import { describeSecurable, secretScope, uc, ws, type Securable } from "../model/securable";
import { UC_SECURABLE_TYPES, WORKSPACE_OBJECT_TYPES } from "../model/securable-types";
import type { Acknowledgement } from "../rules/acknowledgement";
import type { Finding } from "../rules/evaluate";
import {
  ON_DESTROY,
  roleAction,
  type DeployerRole,
  type ReportApp,
  type ReportHead,
  type StackReport,
} from "./report";
import { pushTo } from "../model/record";

/** What the legend says about the tables (the README's report section says the same at length). */
const ABOUT: Readonly<Record<string, string>> = {
  grants:
    "[securable, mechanism, privileges, [principal, reason, ...], ...]: numbers are indexes into securables, principals and reasons",
  reasons:
    "[requester, need]: the reason reads `requesters[requester]: needs[need]`, or `requesters[requester]` alone",
  commands:
    "npx dba-report commands agent-report.json [object]: the exact commands per object of requiredActions",
  rows: "npx dba-report grants agent-report.json [text]: every grant as one line, reasons spelled out",
};

/** An acknowledgement in the file, with the number of findings it accepted (they are not repeated). */
export interface ReportFileAcknowledgement extends Acknowledgement {
  readonly findings: number;
}

/** `agent-report.json` as written (format 2): every distinct string once, grants pointing at them. */
export interface ReportFile extends Omit<ReportGrantTables, "legend"> {
  readonly format: number;
  readonly stack: string;
  readonly summary: StackReport["summary"];
  readonly legend: {
    readonly about: Readonly<Record<string, string>>;
    /** What `terraform destroy` (or removing the grant from the stack) does, per mechanism. */
    readonly onDestroy: Readonly<Record<string, string>>;
  };
  /** Findings no acknowledgement accepted, complete. */
  readonly findings: readonly Finding[];
  readonly acknowledgements: readonly ReportFileAcknowledgement[];
  readonly cli: string;
  /** What owners must do: how many objects, how to print the commands, the roles no ACL grants. */
  readonly requiredActions: {
    readonly objects: number;
    readonly commands: string;
    readonly roles: readonly DeployerRole[];
  };
  readonly endpoints: StackReport["endpoints"];
  /** @default - absent when the stack has no app */
  readonly apps?: readonly ReportApp[];
}

/** A sorted table of distinct strings and each string's index. O(n log n). */
function table(values: Iterable<string>): { list: string[]; index: Map<string, number> } {
  // The default sort of strings is by UTF-16 code units, as `<` compares them, without a callback per comparison.
  const list = [...new Set(values)].sort();
  const index = new Map<string, number>();
  for (let i = 0; i < list.length; i++) index.set(list[i]!, i);
  return { list, index };
}

/** How the file spells a string of the plan: Terraform references as their expressions. */
export type Spell = (raw: string) => string;

/**
 * The sorted table of the distinct spellings of `raw` (distinct strings), and the index of each raw
 * string's spelling in it. `spell` runs once per raw string, not once per use: a plan of 50,000 grants
 * holds about 20,000 distinct strings in 500,000 places. Two raw strings spelled alike (two tokens of
 * one Terraform expression) share one entry.
 */
export function spelledTable(
  raw: ReadonlySet<string>,
  spell: Spell,
): { list: string[]; index: Map<string, number> } {
  const spelled: string[] = [];
  let same = true;
  for (const r of raw) {
    const s = spell(r);
    spelled.push(s);
    if (s !== r) same = false;
  }
  const t = table(spelled);
  if (same) return t;
  const index = new Map<string, number>();
  let i = 0;
  for (const r of raw) index.set(r, t.index.get(spelled[i++]!)!);
  return { list: t.list, index };
}

/**
 * For each acknowledged finding, the acknowledgement (first in declaration order) that accepted it: the
 * same rule and reason at the finding's path or an ancestor of it. Indexed by rule, then reason, then
 * path (maps in maps, no key string built per lookup), so the cost grows with findings times path
 * depth, not findings times acknowledgements.
 */
export function acceptedBy(acks: readonly Acknowledgement[]): (f: Finding) => number {
  const first = new Map<string, Map<string, Map<string, number>>>();
  for (let i = 0; i < acks.length; i++) {
    const a = acks[i]!;
    let byReason = first.get(a.ruleId);
    if (byReason === undefined) first.set(a.ruleId, (byReason = new Map()));
    let byPath = byReason.get(a.reason);
    if (byPath === undefined) byReason.set(a.reason, (byPath = new Map()));
    if (!byPath.has(a.path)) byPath.set(a.path, i);
  }
  return (f) => {
    const byPath = first.get(f.ruleId)?.get(f.acknowledged!.reason);
    if (byPath === undefined) return -1;
    let best = -1;
    for (let path = f.path; ; path = path.slice(0, path.lastIndexOf("/"))) {
      const i = byPath.get(path);
      if (i !== undefined && (best < 0 || i < best)) best = i;
      if (!path.includes("/")) break;
    }
    return best;
  };
}

/** One grant as the file tabulates it: the strings of its row, before or after they are spelled. */
export type FileGrant = Pick<
  ReportGrantRow,
  "securable" | "principal" | "privileges" | "mechanism" | "reasons"
>;

/** The report as written: linear in its rows, plus the sorts of its tables. */
export function toReportFile(r: StackReport): ReportFile {
  return reportFileOf(r, r.grants, r.requiredActions.length - r.deployerRoles.length);
}

/** True when two privilege lists are equal, entry by entry. */
function samePrivileges(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A grant line of the file as it is built: the securable, mechanism and privileges, then its members. */
type OpenLine = (string | number | readonly string[] | number[])[];

/**
 * The file from the report's head and its grants (in the plan's order), without the report's rows: what
 * synth writes. `ownerObjects` is the number of objects whose commands `dba-report commands` prints.
 * `spell` gives the text of the rows' strings (synth passes the plan's raw strings and resolves their
 * references here, once per distinct string); the head is used as it is.
 */
export function reportFileOf(
  r: ReportHead,
  grantRows: readonly FileGrant[],
  ownerObjects: number,
  spell: Spell = (s) => s,
): ReportFile {
  const distinct = {
    securables: new Set<string>(),
    principals: new Set<string>(),
    reasons: new Set<string>(),
  };
  const used = new Set<string>();
  for (let i = 0; i < grantRows.length; i++) {
    const g = grantRows[i]!;
    distinct.securables.add(g.securable);
    distinct.principals.add(g.principal);
    used.add(g.mechanism);
    const rs = g.reasons;
    for (let j = 0; j < rs.length; j++) distinct.reasons.add(rs[j]!);
  }
  const securables = spelledTable(distinct.securables, spell);
  const principals = spelledTable(distinct.principals, spell);
  const reasonSet = spelledTable(distinct.reasons, spell);
  const parts = reasonSet.list.map(splitReason);
  const requesters = table(parts.map((p) => p[0]));
  const needs = table(parts.flatMap((p) => (p.length > 1 ? [p[1]!] : [])));
  const reasons = parts.map((p) =>
    p.length > 1 ? [requesters.index.get(p[0])!, needs.index.get(p[1]!)!] : [requesters.index.get(p[0])!],
  );
  const grants: OpenLine[] = [];
  let line: OpenLine | undefined;
  let prev: FileGrant | undefined;
  let prevSecurable = -1;
  for (let i = 0; i < grantRows.length; i++) {
    const g = grantRows[i]!;
    // Lines join grants by the securable as the file spells it (its index), as a reader sees them.
    const securable = securables.index.get(g.securable)!;
    const sameLine =
      prev !== undefined &&
      securable === prevSecurable &&
      g.mechanism === prev.mechanism &&
      samePrivileges(g.privileges, prev.privileges);
    if (line === undefined || !sameLine) grants.push((line = [securable, g.mechanism, g.privileges]));
    prev = g;
    prevSecurable = securable;
    const rs = g.reasons;
    const member = new Array<number>(rs.length + 1);
    member[0] = principals.index.get(g.principal)!;
    for (let j = 0; j < rs.length; j++) member[j + 1] = reasonSet.index.get(rs[j]!)!;
    line.push(member);
  }
  const covers = r.acknowledgements.map(() => 0);
  const findings: Finding[] = [];
  const accepted = acceptedBy(r.acknowledgements);
  for (const f of r.findings) {
    const i = f.acknowledged === undefined ? -1 : accepted(f);
    if (i < 0) findings.push(f);
    else covers[i]!++;
  }
  return {
    format: REPORT_FORMAT,
    stack: r.stack,
    summary: r.summary,
    legend: {
      about: ABOUT,
      onDestroy: Object.fromEntries(Object.entries(ON_DESTROY).filter(([m]) => used.has(m))),
    },
    findings,
    acknowledgements: r.acknowledgements.map((a, i) => ({ ...a, findings: covers[i]! })),
    cli: r.cli,
    securables: securables.list,
    principals: principals.list,
    requesters: requesters.list,
    needs: needs.list,
    reasons,
    grants: grants as unknown as ReportGrantLine[],
    requiredActions: {
      objects: ownerObjects,
      commands: ABOUT.commands!,
      roles: r.deployerRoles,
    },
    endpoints: r.endpoints,
    ...(r.apps !== undefined ? { apps: r.apps } : {}),
  };
}

/**
 * Write a report file: the top-level object key by key, every array one entry per line (diffable,
 * greppable), never the whole text as one string.
 */
export function writeReportFile(file: string, data: ReportFile): void {
  const fd = fs.openSync(file, "w");
  try {
    const entries = Object.entries(data).filter(([, v]) => v !== undefined);
    entries.forEach(([k, v], i) => {
      fs.writeSync(fd, `${i === 0 ? "{" : ",\n"}${JSON.stringify(k)}:`);
      if (!Array.isArray(v) || v.length === 0) {
        fs.writeSync(fd, JSON.stringify(v));
        return;
      }
      const chunk: string[] = [];
      v.forEach((x: unknown, j) => {
        chunk.push(`${j === 0 ? "[\n" : ",\n"}${JSON.stringify(x)}`);
        if (chunk.length === 500) fs.writeSync(fd, chunk.splice(0).join(""));
      });
      fs.writeSync(fd, `${chunk.join("")}\n]`);
    });
    fs.writeSync(fd, "}\n");
  } finally {
    fs.closeSync(fd);
  }
}

/** A report as a person reads it, from a file of any format: every grant as a row, and the commands. */
export interface ReportView {
  readonly format: number;
  readonly stack: string;
  readonly grants: readonly ReportGrantRow[];
  /** Per object, the commands that grant what Terraform does not apply, then the roles no ACL grants. */
  readonly requiredActions: readonly { readonly object: string; readonly commands: readonly string[] }[];
}

/** The error a report that cannot be read raises: names the field and what was expected. */
export class ReportFileError extends Error {}

/** Read `agent-report.json` of format 1 (rows and commands as written) or 2 (tables, commands rebuilt). */
export function readReport(data: unknown): ReportView {
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new ReportFileError("the report is not a JSON object (expected agent-report.json)");
  const o = data as Record<string, unknown>;
  const stack = typeof o.stack === "string" ? o.stack : "";
  if (!isTabulatedReport(data)) {
    if (!Array.isArray(o.grants)) throw new ReportFileError("grants: expected an array of grant rows");
    return {
      format: 1,
      stack,
      grants: o.grants as ReportGrantRow[],
      requiredActions: Array.isArray(o.requiredActions)
        ? (o.requiredActions as ReportView["requiredActions"])
        : [],
    };
  }
  if (data.format > REPORT_FORMAT)
    throw new ReportFileError(
      `format: ${data.format} is newer than this library reads (${REPORT_FORMAT}); use the library version that wrote it`,
    );
  for (const k of ["securables", "principals", "requesters", "needs", "reasons", "grants"] as const)
    if (!Array.isArray(data[k])) throw new ReportFileError(`${k}: expected an array (format ${data.format})`);
  let grants: ReportGrantRow[];
  try {
    grants = grantRows(data);
  } catch (e) {
    throw new ReportFileError((e as Error).message);
  }
  const f = data as unknown as ReportFile;
  const roles = Array.isArray(f.requiredActions?.roles) ? f.requiredActions.roles : [];
  for (const r of roles)
    if (RESOURCE_KINDS[r.kind as ResourceKind]?.deployerRole === undefined)
      throw new ReportFileError(
        `requiredActions.roles: ${JSON.stringify(r.kind)} is not a kind with a deployer role`,
      );
  const cli = typeof f.cli === "string" ? f.cli : "databricks";
  return {
    format: data.format,
    stack,
    grants,
    requiredActions: [...ownerCommands(grants, cli, stack), ...roles.map(roleAction)],
  };
}

/** Securable descriptions (`table main.s.t`, `genie space 01f...`, `secret scope s`) and what they describe. */
const PREFIXES: readonly { prefix: string; make: (rest: string) => Securable }[] = [
  { prefix: "secret scope ", make: (rest: string) => secretScope(rest) },
  ...UC_SECURABLE_TYPES.map((t) => ({ prefix: `${t} `, make: (rest: string) => uc(t, rest) })),
  ...WORKSPACE_OBJECT_TYPES.map((t) => ({
    prefix: `${t.replace(/_/g, " ")} `,
    make: (rest: string) => ws(t, rest),
  })),
].sort((a, b) => b.prefix.length - a.prefix.length);

/** The securable a report names ({@link describeSecurable} read back). */
export function parseSecurable(description: string): Securable {
  const p = PREFIXES.find((x) => description.startsWith(x.prefix));
  if (p === undefined)
    throw new ReportFileError(`securables: ${JSON.stringify(description)} names no known securable type`);
  const s = p.make(description.slice(p.prefix.length));
  if (describeSecurable(s) !== description)
    throw new ReportFileError(
      `securables: ${JSON.stringify(description)} is not spelled as the library writes it`,
    );
  return s;
}

const PRINCIPALS: Readonly<Record<PrincipalKind, (name: string) => Principal>> = {
  user: (n) => Principal.user(n),
  group: (n) => Principal.group(n),
  servicePrincipal: (n) => Principal.servicePrincipal(n),
};

/**
 * The commands of the `report` mechanism, per object, from grant rows: what the report's
 * `requiredActions` listed in format 1. A Terraform expression in a value (`${var.space_id}`, as a
 * resolved report spells a reference) is read from Terraform first, as at synth.
 */
function ownerCommands(
  rows: readonly ReportGrantRow[],
  cli: string,
  stack: string,
): { object: string; commands: string[] }[] {
  // Expressions stand in as tokens while the commands are built, then are spelled out again.
  const tokens = new Map<string, string>();
  const asToken = (text: string): string =>
    text.replace(/\$\{[^{}]*\}/g, (expr) => {
      let t = [...tokens].find(([, e]) => e === expr)?.[0];
      if (t === undefined) tokens.set((t = `\${TfToken[REPORT.${tokens.size}]}`), expr);
      return t;
    });
  const spell = (text: string): string =>
    text.replace(/\$\{TfToken\[REPORT\.\d+\]\}/g, (t) => tokens.get(t)!);
  const groups = new Map<string, ReportGrantRow[]>();
  for (const g of rows) if (g.mechanism === "report") pushTo(groups, g.securable, g);
  return [...groups].map(([object, grants]) => {
    const securable = parseSecurable(asToken(object));
    const planned = grants.map((g): PlannedGrant => {
      const i = g.principal.indexOf(":");
      const make = PRINCIPALS[g.principal.slice(0, i) as PrincipalKind];
      if (make === undefined)
        throw new ReportFileError(`principals: ${JSON.stringify(g.principal)} is not kind:name`);
      return {
        securable,
        principal: make(asToken(g.principal.slice(i + 1))),
        securableKey: object,
        key: `${object}\u0000${g.principal}`,
        privileges: g.privileges,
        reasons: g.reasons,
        realisation: "report",
        requestedBy: [],
        manualRequests: 0,
      };
    });
    return {
      object,
      commands: additiveCommands(additivePayload(securable, planned, cli), `cdktf.out/stacks/${stack}`).map(
        spell,
      ),
    };
  });
}
