/**
 * Compares the synth output of every example under cdktf with its output under cdktn (both trees
 * written by scripts/compare-engines.sh). Every file must exist in both trees and be JSON-equal; the
 * only differences allowed are the engine's and the provider's version strings, each at one exact
 * place and with exactly the expected pair of values (./engine-differences.ts). An allowed difference that is
 * missing also fails: it would mean the cdktn run did not run cdktn.
 *
 * Usage: tsx test/engines/compare-outputs.ts CDKTF_DIR CDKTN_DIR ALIAS_REPORT EXAMPLE...
 * Exit code 0 when every example matches; 1 with a readable diff otherwise.
 */
import * as fs from "fs";
import * as path from "path";
import { ENGINE_DIFFERENCES } from "./engine-differences";

const [cdktfDir, cdktnDir, aliasReport, ...examples] = process.argv.slice(2);
if (!cdktfDir || !cdktnDir || !aliasReport || examples.length === 0) {
  console.error("usage: compare-outputs.ts CDKTF_DIR CDKTN_DIR ALIAS_REPORT EXAMPLE...");
  process.exit(2);
}

const ALLOWED = ENGINE_DIFFERENCES;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Difference {
  readonly at: string;
  readonly cdktf: string;
  readonly cdktn: string;
}

const pathOf = (parent: string, key: string | number): string =>
  typeof key === "number"
    ? `${parent}[${key}]`
    : /^[A-Za-z_$][\w$]*$/.test(key)
      ? parent
        ? `${parent}.${key}`
        : key
      : `${parent}[${JSON.stringify(key)}]`;
const show = (v: Json | undefined): string => {
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

function differences(
  a: Json | undefined,
  b: Json | undefined,
  at = "",
  out: Difference[] = [],
): Difference[] {
  const isObj = (v: Json | undefined): v is { [k: string]: Json } =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) differences(a[i], b[i], pathOf(at, i), out);
  } else if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      differences(a[k], b[k], pathOf(at, k), out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push({ at: at || "(root)", cdktf: show(a), cdktn: show(b) });
  }
  return out;
}

const filesUnder = (dir: string, rel = ""): string[] =>
  fs.existsSync(path.join(dir, rel))
    ? fs
        .readdirSync(path.join(dir, rel), { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory() ? filesUnder(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)],
        )
        .sort()
    : [];

// The alias's own record: in every example, some process loaded cdktn and the cdktn ENGINE_NAME, none cdktf.
interface AliasFacts {
  node: string;
  argv: string[];
  cdktn: number;
  cdktnBindings: number;
  cdktf: number;
  realCurrent: boolean;
  cdktnCurrent: boolean;
}
const aliasFacts: AliasFacts[] = fs.existsSync(aliasReport)
  ? fs
      .readFileSync(aliasReport, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AliasFacts)
  : [];

let failed = false;
let exampleFailed = false;
const fail = (lines: string[]): void => {
  failed = exampleFailed = true;
  for (const l of lines) console.log(`  FAIL ${l}`);
};

for (const example of examples) {
  const a = path.join(cdktfDir, example);
  const b = path.join(cdktnDir, example);
  const filesA = filesUnder(a);
  const filesB = filesUnder(b);
  const stacks = filesA.filter((f) => /^stacks\/[^/]+\/cdk\.tf\.json$/.test(f));
  exampleFailed = false;
  const ran = aliasFacts.filter((f) => f.argv.some((x) => x.endsWith(`examples/${example}/main.ts`)));
  const app = ran.find((f) => f.cdktn > 0);
  console.log(`${example}:${app ? ` (cdktn app: ${app.cdktn} cdktn modules, Node.js ${app.node})` : ""}`);
  if (!app || !app.cdktnCurrent || app.cdktnBindings === 0)
    fail([`the cdktn run of ${example} did not load cdktn, its bindings and the cdktn ENGINE_NAME`]);
  if (ran.some((f) => f.cdktf > 0 || f.realCurrent))
    fail([`the cdktn run of ${example} loaded cdktf modules`]);
  if (filesA.length === 0) fail([`no output under ${a}`]);
  for (const f of filesA.filter((x) => !filesB.includes(x))) fail([`${f}: only under cdktf`]);
  for (const f of filesB.filter((x) => !filesA.includes(x))) fail([`${f}: only under cdktn`]);

  const tolerated = new Map<string, string>();
  for (const file of filesA.filter((x) => filesB.includes(x))) {
    const textA = fs.readFileSync(path.join(a, file), "utf8");
    const textB = fs.readFileSync(path.join(b, file), "utf8");
    if (!file.endsWith(".json")) {
      if (textA !== textB) fail([`${file}: differs (not JSON; compared byte for byte)`]);
      continue;
    }
    const diffs = differences(JSON.parse(textA) as Json, JSON.parse(textB) as Json);
    const allowedHere = ALLOWED.filter((x) => x.file.test(file));
    const unexpected: string[] = [];
    for (const d of diffs) {
      const ok = allowedHere.find(
        (x) => x.at === d.at && d.cdktf === JSON.stringify(x.cdktf) && d.cdktn === JSON.stringify(x.cdktn),
      );
      if (ok) tolerated.set(`${ok.what}: ${ok.at} ${ok.cdktf} vs ${ok.cdktn}`, "");
      else unexpected.push(`${file}: ${d.at}: cdktf ${d.cdktf}  cdktn ${d.cdktn}`);
    }
    for (const x of allowedHere)
      if (!diffs.some((d) => d.at === x.at))
        unexpected.push(
          `${file}: ${x.at}: expected ${x.cdktf} vs ${x.cdktn} (${x.what}), found no difference`,
        );
    if (unexpected.length > 0)
      fail([
        ...unexpected.slice(0, 40),
        ...(unexpected.length > 40 ? [`... ${unexpected.length - 40} more`] : []),
      ]);
  }

  for (const s of stacks) {
    const tf = JSON.parse(fs.readFileSync(path.join(a, s), "utf8")) as {
      resource?: Record<string, Record<string, unknown>>;
      data?: Record<string, Record<string, unknown>>;
      output?: Record<string, unknown>;
    };
    const count = (o?: Record<string, Record<string, unknown>>): number =>
      Object.values(o ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    const byType = Object.entries(tf.resource ?? {})
      .map(([t, r]) => `${t.replace(/^databricks_/, "")} ${Object.keys(r).length}`)
      .join(", ");
    const files = filesA.filter((f) => f.startsWith(path.posix.dirname(s) + "/")).length;
    console.log(
      `  stack ${s.split("/")[1]}: ${count(tf.resource)} resources (${byType}), ${count(tf.data)} data sources, ` +
        `${Object.keys(tf.output ?? {}).length} outputs, ${files} files`,
    );
  }
  console.log(
    exampleFailed
      ? `  ${filesA.length} files compared: DIFFERENT (above); the tolerated differences found:`
      : `  ${filesA.length} files compared; identical apart from:`,
  );
  for (const t of tolerated.keys()) console.log(`    ${t}`);
}

console.log(failed ? "compare-engines: FAILED" : "compare-engines: cdktf and cdktn outputs match");
process.exit(failed ? 1 : 0);
