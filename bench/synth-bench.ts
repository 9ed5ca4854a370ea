/**
 * Synth benchmark (issue 17): N agents shaped like seed 000 (health-monitor), built once with the
 * library and once by hand with the raw provider classes (ModelServing, App, Permissions, outputs), per
 * shape; then the README's main command beside its app alone and raw cdktf's equivalent app. Every
 * target is printed with its measured ratio, its limit, and OK or MISSED. It is a measurement: the exit
 * code is 0 when targets are missed, and nonzero only when the variants do not emit the same Terraform.
 *
 *   npm run bench                                    # N = 1000,2000, 3 runs, shapes endpoints,apps,mixed
 *   BENCH_N=100 BENCH_RUNS=1 BENCH_SHAPES=apps BENCH_MAIN=0 npm run bench
 *
 * Environment:
 *   BENCH_N        sizes, comma-separated (default 1000,2000)
 *   BENCH_RUNS     runs per point and per main command; the tables show medians (default 3)
 *   BENCH_SHAPES   endpoints (Model Serving), apps (Databricks Apps), mixed (alternating); default all three
 *   BENCH_STACKS   stacks the agents are split into, contiguously (default 1: everything in one stack)
 *   BENCH_LIB      the library to load: default the built package dist/cdktf/lib (built first when missing
 *                  or older than lib/); `lib` for the TypeScript source under tsx; or a scratch copy whose
 *                  node_modules resolves to this repository's (symlink), so cdktf is one instance
 *   BENCH_VARIANTS variants to run (default library,raw)
 *   BENCH_MAIN     0 skips the main-command comparison
 *   BENCH_JSON     write every run's measurements (all fields, not only the medians) to this file
 *
 * Each (shape, variant, N, run) is a fresh child process (`--child <shape> <variant> <N> [stacks]`).
 * bench/README.md describes the phases and the checks.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { mainCommand, type CommandRun } from "./main-command";
import { checkEquivalence, runChild, spawnPoint, type Measurement } from "./measure";
import {
  mb,
  medianOf,
  Medians,
  ms,
  shapeTables,
  summaryTable,
  TARGET_SIZES,
  verdictBlock,
  verdicts,
  type Verdict,
} from "./report";
import { VARIANTS, type Variant } from "./variants";
import { SHAPES, type Shape } from "./workload";

const ROOT = path.join(__dirname, "..");
const DIST_LIB = path.join(ROOT, "dist", "cdktf", "lib");

const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });

/** The library the children load, made absolute for them; the built package is built when stale. */
function prepareLibrary(): string {
  if (process.env.BENCH_LIB !== undefined) {
    process.env.BENCH_LIB = path.resolve(process.env.BENCH_LIB);
    const rel = path.relative(ROOT, process.env.BENCH_LIB);
    const shown = rel.startsWith("..") ? process.env.BENCH_LIB : rel;
    return `${shown} (BENCH_LIB${/\/lib\/?$/.test(process.env.BENCH_LIB) ? ", under tsx" : ""})`;
  }
  const newestSource = Math.max(...filesUnder(path.join(ROOT, "lib")).map((f) => fs.statSync(f).mtimeMs));
  const built = fs.existsSync(DIST_LIB) ? filesUnder(DIST_LIB).filter((f) => f.endsWith(".js")) : [];
  const oldestBuilt = built.length > 0 ? Math.min(...built.map((f) => fs.statSync(f).mtimeMs)) : 0;
  let how = "up to date";
  if (oldestBuilt < newestSource) {
    how =
      built.length === 0
        ? "missing: built now with npm run build"
        : "older than lib/: rebuilt with npm run build";
    const res = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    if (res.status !== 0) throw new Error(`npm run build failed (exit ${res.status})`);
  }
  process.env.BENCH_LIB = DIST_LIB;
  return `${path.relative(ROOT, DIST_LIB)} (the built package, compiled JavaScript; ${how})`;
}

const list = (name: string, fallback: string): string[] =>
  (process.env[name] ?? fallback)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

function main(): void {
  const sizes = list("BENCH_N", TARGET_SIZES.join(",")).map(Number);
  const runs = Number(process.env.BENCH_RUNS ?? "3");
  const stacks = Number(process.env.BENCH_STACKS ?? "1");
  const shapes = list("BENCH_SHAPES", SHAPES.join(",")) as Shape[];
  const variants = list("BENCH_VARIANTS", VARIANTS.join(",")) as Variant[];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(runs >= 1) || !(stacks >= 1))
    throw new Error("BENCH_N must be positive integers, BENCH_RUNS and BENCH_STACKS at least 1");
  const unknownShape = shapes.find((s) => !SHAPES.includes(s));
  if (unknownShape)
    throw new Error(`BENCH_SHAPES: unknown shape ${unknownShape}; allowed: ${SHAPES.join(", ")}`);
  const unknownVariant = variants.find((v) => !VARIANTS.includes(v));
  if (unknownVariant)
    throw new Error(`BENCH_VARIANTS: unknown variant ${unknownVariant}; allowed: ${VARIANTS.join(", ")}`);

  const started = performance.now();
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2));
  const library = prepareLibrary();
  console.log(
    `synth-bench: shapes=${shapes.join(",")} N=${sizes.join(",")} runs=${runs} stacks=${stacks}; node ${process.version}, ${os.cpus().length} cpus; load average at start ${loadAtStart.join(" ")}`,
  );
  console.log(`library: ${library}`);
  if (variants.includes("library") && variants.includes("raw"))
    for (const shape of shapes)
      console.log(
        `equivalence check (${shape}, N=${Math.min(24, Math.max(stacks, 12))}, ${stacks} stack(s)): identical bodies: ${checkEquivalence(shape, Math.min(24, Math.max(stacks, 12)), stacks)}`,
      );

  const all: (Measurement | CommandRun)[] = [];
  const med = new Medians();
  for (const shape of shapes)
    for (const n of sizes) {
      const byVariant = new Map<Variant, Measurement[]>(variants.map((v) => [v, []]));
      for (let r = 0; r < runs; r++)
        for (const v of variants) {
          const m = spawnPoint(__filename, shape, v, n, stacks);
          byVariant.get(v)!.push(m);
          all.push(m);
          process.stderr.write(
            `  ${shape} ${v} N=${n} run ${r + 1}/${runs}: ${ms(m.totalMs)} ms, ${mb(m.peakRss)} MB\n`,
          );
        }
      // Same resource types and counts in every run of both variants, or fail loudly.
      const signature = (m: Measurement): string => JSON.stringify(m.counts);
      if (new Set([...byVariant.values()].flat().map(signature)).size !== 1)
        throw new Error(
          `RESOURCE MISMATCH (${shape}, N=${n}):\n${[...byVariant.entries()].map(([v, xs]) => `  ${v}: ${xs.map(signature).join(" / ")}`).join("\n")}`,
        );
      for (const xs of byVariant.values()) med.set(medianOf(xs));
    }

  const allVerdicts: Verdict[] = [];
  for (const shape of shapes) {
    console.log(
      `\n## shape ${shape}: medians of ${runs} run(s), each a fresh child process; times are wall clock\n`,
    );
    console.log(shapeTables(shape, sizes, variants, med));
    const vs = verdicts(shape, sizes, med);
    allVerdicts.push(...vs);
    if (vs.length > 0) console.log(`\ntargets (${shape}):\n\n${verdictBlock(vs)}`);
  }

  if (process.env.BENCH_MAIN !== "0") all.push(...mainCommand(runs));

  if (allVerdicts.length > 0) {
    console.log(`\n## summary (for the README): medians of ${runs}, library = ${library}\n`);
    console.log(summaryTable(shapes, sizes, med));
    const missed = allVerdicts.filter((v) => !v.ok).length;
    console.log(`\ntargets: ${allVerdicts.length - missed} OK, ${missed} MISSED`);
  }
  const loadAtEnd = os.loadavg().map((x) => x.toFixed(2));
  console.log(
    `\nwall time of the whole benchmark: ${((performance.now() - started) / 1000).toFixed(1)} s; load average (1, 5, 15 min) at start ${loadAtStart.join(" ")}, at end ${loadAtEnd.join(" ")} (${os.cpus().length} cpus)`,
  );
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(all, null, 2)}\n`);
}

const argv = process.argv.slice(2);
if (argv[0] === "--child") {
  const m = runChild(argv[1] as Shape, argv[2] as Variant, Number(argv[3]), Number(argv[4] ?? "1"));
  process.stdout.write(`\n${JSON.stringify(m)}\n`);
} else {
  main();
}
