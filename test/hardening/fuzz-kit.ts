/**
 * Shared machinery of the hardening suite: the seed and run budget, a `check` wrapper around
 * fast-check that tells how to reproduce a failure, the figures printed at the end, the outcome
 * oracle (a case ends in a synthesized stack or in the library's own error, never in a crash),
 * Terraform's template un-escaping, and the leak scanner.
 */
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AgentConfigError } from "../../lib";

// ---------------------------------------------------------------------------------------------
// Seed and budget
// ---------------------------------------------------------------------------------------------

/** The seed used when FUZZ_SEED is not set. Fixed, so CI runs are reproducible. */
export const DEFAULT_SEED = 20_000_000;

function parseSeed(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_SEED;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return n | 0;
}

/** The seed of this run: env FUZZ_SEED, or {@link DEFAULT_SEED}. */
export const SEED = parseSeed(process.env.FUZZ_SEED);

/** The total number of generated cases the default budget spreads over the properties. */
export const DEFAULT_BUDGET = 10_800;

/** The budget of a plain `npm test` (a tenth of the full one, so the suite stays quick). */
export const QUICK_BUDGET = DEFAULT_BUDGET / 10;

/**
 * FUZZ_RUNS sets the approximate total number of generated cases (default {@link QUICK_BUDGET};
 * `npm run test:fuzz`, which CI runs, sets the full {@link DEFAULT_BUDGET}); every property scales its
 * share accordingly, e.g. `FUZZ_RUNS=100000` for a nightly run.
 */
export const BUDGET = (() => {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw.trim() === "") return QUICK_BUDGET;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`FUZZ_RUNS must be a positive number, got ${raw}`);
  return n;
})();

/** Runs for a property whose share of the default budget is `base`. */
export function runs(base: number): number {
  return Math.max(1, Math.round((base * BUDGET) / DEFAULT_BUDGET));
}

/**
 * Whether the input classes that once exposed library bugs (each marked `// FIXED [Bn]:`) are
 * generated. Every bug this suite found (B1-B17, E1) is fixed, so they are on; set
 * FUZZ_KNOWN_BUGS=0 to leave them out while bisecting a regression.
 */
export const INCLUDE_KNOWN_BUGS = process.env.FUZZ_KNOWN_BUGS !== "0";

/** How to reproduce a failure of the named test. */
export function reproduce(testName: string): string {
  return `Reproduce: FUZZ_SEED=${SEED} npx jest test/hardening -t ${JSON.stringify(testName)}`;
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

/** What the suite counts and prints at the end. */
export const figures = {
  /** fast-check runs (one generated input each). */
  cases: 0,
  /** Construct prop sets (bundle, policy, endpoint) and grant-plan inputs among them. */
  propSets: 0,
  /** Cases that ended in a successful synth. */
  synthesized: 0,
  /** Cases that ended in AgentConfigError at construction. */
  configErrors: 0,
  /** Cases that ended in a synth validation error with [DBA-...] ids. */
  validationErrors: 0,
  /** Cases that went through app.synth() into a temporary directory. */
  appSynths: 0,
  /** Anything else thrown (TypeError, ...). */
  crashes: 0,
  /** app.synth() failed but left the stack's cdk.tf.json behind. */
  partialOutputs: 0,
  /** A secret or secret reference target found in an output, the report or a message. */
  leaks: 0,
  /** Distinct sha256 of the seed-000 stack over the shuffled orders. */
  distinctHashes: new Set<string>(),
};

/** The summary line printed at the end of the run. */
export function summaryLine(ms: number): string {
  const f = figures;
  return (
    `hardening figures (seed ${SEED}, budget ${BUDGET}): cases generated ${f.cases}, prop sets ${f.propSets} ` +
    `(synthesized ${f.synthesized}, config errors ${f.configErrors}, validation errors ${f.validationErrors}, ` +
    `app.synth ${f.appSynths}), crashes ${f.crashes}, partial outputs ${f.partialOutputs}, leaks ${f.leaks}, ` +
    `distinct hashes ${f.distinctHashes.size}, runtime ${(ms / 1000).toFixed(1)} s`
  );
}

/**
 * `fc.check` with this run's seed and the property's share of the budget; on failure, throws
 * fast-check's report (seed, path, counterexample, error) plus the command that reproduces it.
 */
export function check<Ts>(
  testName: string,
  property: fc.IProperty<Ts>,
  baseRuns: number,
  options: Partial<fc.Parameters<Ts>> = {},
): void {
  const numRuns = options.numRuns ?? runs(baseRuns);
  const details = fc.check(property, { seed: SEED, ...options, numRuns });
  figures.cases += details.failed ? details.numRuns : numRuns;
  if (details.failed) {
    const pathHint =
      details.counterexamplePath === null
        ? ""
        : ` (to replay only the counterexample, pass { seed: ${SEED}, path: "${details.counterexamplePath}", endOnFailure: true } to fc.assert)`;
    const cause = details.errorInstance as Error | undefined;
    const got = cause instanceof Error ? `\nGot error: ${cause.message}` : "";
    throw new Error(
      `${fc.defaultReportMessage(details) ?? "property failed"}${got}\n\n${reproduce(testName)}${pathHint}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------------------------

/** How a case ended. Anything else is a crash and fails the property. */
export type Outcome =
  | { readonly kind: "synthesized"; readonly json: string }
  | { readonly kind: "config"; readonly error: AgentConfigError }
  | { readonly kind: "validation"; readonly message: string };

/** Thrown by the oracle for a crash, so fast-check shrinks to the smallest input that crashes. */
export class CrashError extends Error {
  constructor(stage: string, cause: unknown) {
    const e = cause as Error | undefined;
    const top = topFrame(e);
    super(
      `CRASH at ${stage}: ${e?.name ?? typeof cause}: ${e?.message ?? String(cause)}` +
        (top ? `\n    top frame: ${top}` : ""),
    );
    this.name = "CrashError";
    figures.crashes++;
  }
}

/** The first stack frame of an error (where it was thrown). */
export function topFrame(e: Error | undefined): string | undefined {
  return e?.stack
    ?.split("\n")
    .find((l) => l.trim().startsWith("at "))
    ?.trim();
}

const RULE_ID = /^DBA-[A-Z]+-\d{3}$/;

/** True for the library's construction error: an AgentConfigError listing well-formed problems. */
export function isLibraryConfigError(e: unknown): e is AgentConfigError {
  return (
    e instanceof AgentConfigError &&
    Array.isArray(e.problems) &&
    e.problems.length > 0 &&
    e.problems.every(
      (p) =>
        RULE_ID.test(p.ruleId) &&
        typeof p.path === "string" &&
        p.path.length > 0 &&
        typeof p.fix === "string" &&
        p.fix.length > 0,
    ) &&
    e.message.includes("[DBA-")
  );
}

/** True for cdktf's validation failure carrying the library's findings. */
export function isLibraryValidationError(e: unknown): e is Error {
  return (
    e instanceof Error &&
    /^Validation failed with the following errors:/.test(e.message) &&
    // every listed error is one of the library's findings
    e.message
      .split("\n")
      .filter((l) => /^ {2}\[[^\]]*\] /.test(l))
      .every((l) => /^ {2}\[[^\]]*\] \[DBA-[A-Z]+-\d{3}\]/.test(l)) &&
    e.message.includes("[DBA-")
  );
}

/** Run `build`; an AgentConfigError is an outcome, anything else thrown is a crash. */
export function construct(build: () => void): AgentConfigError | undefined {
  try {
    build();
    return undefined;
  } catch (e) {
    if (isLibraryConfigError(e)) return e;
    throw new CrashError("construction", e);
  }
}

/** Run a synth; a library validation error is an outcome, anything else thrown is a crash. */
export function synthesize(run: () => string): Outcome {
  try {
    return { kind: "synthesized", json: run() };
  } catch (e) {
    if (isLibraryValidationError(e)) return { kind: "validation", message: e.message };
    throw new CrashError("synth", e);
  }
}

/** Count an outcome in the figures. */
export function count(o: Outcome): void {
  if (o.kind === "synthesized") figures.synthesized++;
  else if (o.kind === "config") figures.configErrors++;
  else figures.validationErrors++;
}

// ---------------------------------------------------------------------------------------------
// Terraform template un-escaping
// ---------------------------------------------------------------------------------------------

/** One piece of a Terraform string template: literal text or an interpolation. */
export type Segment = { readonly lit: string } | { readonly ref: string };

/** A literal `%{` directive or an unterminated `${` in what should be a plain value. */
export class TemplateError extends Error {}

/**
 * Parse a JSON string the way Terraform parses it where an expression is expected (HCL template
 * rules): `$${` is a literal `${`, `%%{` a literal `%{`, `${expr}` an interpolation, `%{` a
 * directive. `$` or `%` followed by anything else is literal.
 */
export function parseTemplate(s: string): Segment[] {
  const out: Segment[] = [];
  let lit = "";
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
      lit += `${s[i]}{`;
      i += 3;
    } else if (s.startsWith("${", i)) {
      const end = s.indexOf("}", i + 2);
      if (end < 0) throw new TemplateError(`unterminated interpolation in ${JSON.stringify(s)}`);
      if (lit !== "") out.push({ lit });
      lit = "";
      out.push({ ref: s.slice(i + 2, end) });
      i = end + 1;
    } else if (s.startsWith("%{", i)) {
      throw new TemplateError(`template directive in ${JSON.stringify(s)}`);
    } else {
      lit += s[i];
      i++;
    }
  }
  if (lit !== "") out.push({ lit });
  return out;
}

/** Merge adjacent literals (so two segmentations of one value compare equal). */
export function normaliseSegments(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if ("lit" in s && s.lit === "") continue;
    if ("lit" in s && last !== undefined && "lit" in last) out[out.length - 1] = { lit: last.lit + s.lit };
    else out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Leaks
// ---------------------------------------------------------------------------------------------

/** What must never be visible: secret-looking literals, and secret reference targets outside `{{secrets/...}}`. */
export interface Secrets {
  readonly literals: Set<string>;
  readonly refs: { readonly scope: string; readonly key: string }[];
}

export function newSecrets(): Secrets {
  return { literals: new Set(), refs: [] };
}

/**
 * Every leak of `secrets` in `text` (labelled with `where`); [] when clean. A key may appear only
 * inside its `{{secrets/scope/key}}` reference. A scope may also appear where the deployer's READ
 * grant on it is realised or reported (the additive step's `"scope" = "<scope>"` payload field and
 * its address; the report's `secret scope <scope>` and its `secrets put-acl -- <scope>` command), which
 * names the scope, never the key.
 */
export function findLeaks(secrets: Secrets, text: string, where: string): string[] {
  const leaks: string[] = [];
  for (const s of secrets.literals) {
    if (text.includes(s)) leaks.push(`${where}: secret literal ${s}`);
    else {
      // nor a long piece of it (a truncated echo, or a detector that masks only part of the value)
      const piece = longSubstring(s, text);
      if (piece !== undefined) leaks.push(`${where}: ${piece.length} characters of secret literal ${s}`);
    }
  }
  // A reference whose scope or key is not a valid name is refused at construction and never used:
  // its text is no secret target (the same text may legitimately be echoed as another prop's value).
  const valid = /^[A-Za-z0-9_.-]{1,128}$/;
  const refs = secrets.refs.filter((r) => valid.test(r.scope) && valid.test(r.key));
  if (refs.length > 0) {
    let rest = text;
    const cut = (s: string): void => {
      rest = rest.split(s).join("…");
    };
    for (const r of refs) cut(`{{secrets/${r.scope}/${r.key}}}`);
    // The places that name a scope (never a key) are cut before keys are looked for: a key spelled
    // like a scope is not leaked by the scope's own grant.
    for (const r of refs) {
      cut(`"scope":"${r.scope}"`);
      cut(`\\"scope\\":\\"${r.scope}\\"`); // the additive payload inside cdk.tf.json
      cut(`secret scope ${r.scope}`);
      cut(`put-acl -- ${r.scope} `);
      cut(`_secret_${r.scope}_`);
    }
    for (const r of refs)
      if (rest.includes(r.key)) leaks.push(`${where}: secret key ${r.key} outside {{secrets/...}}`);
    for (const r of refs) {
      cut(`"scope": "${r.scope}"`);
      cut(`"scope":"${r.scope}"`);
      cut(`secret scope ${r.scope}`);
      cut(`_secret_${r.scope}_`);
      cut(`"scope" = "${r.scope}"`);
      cut(`put-acl -- ${r.scope} `);
    }
    for (const r of refs)
      if (rest.includes(r.scope)) leaks.push(`${where}: secret scope ${r.scope} outside {{secrets/...}}`);
  }
  return leaks;
}

/** Length of the shortest piece of a secret literal that counts as a leak. */
export const LEAK_WINDOW = 12;

/** A piece of `secret` at least {@link LEAK_WINDOW} characters long found in `text`, or undefined. */
export function longSubstring(secret: string, text: string): string | undefined {
  if (secret.length <= LEAK_WINDOW) return undefined;
  for (let i = 0; i + LEAK_WINDOW <= secret.length; i++) {
    const piece = secret.slice(i, i + LEAK_WINDOW);
    if (text.includes(piece)) return piece;
  }
  return undefined;
}

/**
 * Raw token text (`${TfToken[TOKEN.n]}`, cdktf's placeholder for a Terraform reference) in a file or a
 * message: the reader sees a placeholder instead of the reference. [] when clean.
 */
export function findRawTokens(texts: readonly (readonly [string, string])[]): string[] {
  return texts.flatMap(([where, text]) => {
    const m = /.{0,60}TfToken\[[^\]]*\]/.exec(text);
    return m === null ? [] : [`${where}: ${m[0]}`];
  });
}

/** Fail when a file or a message holds raw token text. */
export function assertNoRawTokens(texts: readonly (readonly [string, string])[]): void {
  const found = findRawTokens(texts);
  if (found.length > 0)
    throw new Error(`RAW TOKEN TEXT (TfToken[...]) instead of a reference:\n  ${found.join("\n  ")}`);
}

/** Fail (and count) when anything leaked. */
export function assertNoLeaks(secrets: Secrets, texts: readonly (readonly [string, string])[]): void {
  const leaks = texts.flatMap(([where, text]) => findLeaks(secrets, text, where));
  if (leaks.length > 0) {
    figures.leaks++;
    throw new Error(`LEAK:\n  ${leaks.join("\n  ")}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Temporary directories
// ---------------------------------------------------------------------------------------------

/** One scratch directory for Testing.app() (Testing.synth writes nothing; avoids a temp dir per case). */
export const SCRATCH = fs.mkdtempSync(path.join(os.tmpdir(), "dba-hardening-"));

/** A fresh directory for one app.synth(). */
export function freshOutdir(): string {
  return fs.mkdtempSync(path.join(SCRATCH, "app-"));
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  if (fs.existsSync(dir)) walk("");
  return out.sort();
}

/** Remove the scratch directory. */
export function cleanScratch(): void {
  fs.rmSync(SCRATCH, { recursive: true, force: true });
}
