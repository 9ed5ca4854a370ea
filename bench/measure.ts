/**
 * Measuring one point (shape, variant, N) in a fresh child process, and the checks that both variants
 * emit the same Terraform: resource bodies at a small N, resource types and counts at every point.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { App, TerraformStack } from "cdktf";
import { build, loadLib, type Variant } from "./variants";
import { workload, type Shape } from "./workload";

export interface Counts {
  readonly resources: Record<string, number>;
  readonly outputs: number;
}

export interface Measurement {
  readonly shape: Shape;
  readonly variant: Variant;
  readonly n: number;
  readonly stacks: number;
  readonly constructMs: number;
  readonly validateMs: number;
  /**
   * Time inside the library's rule evaluation (`AgentStackContext.evaluate`), which runs once, in the
   * synth gate at the start of `app.synth()`: part of `synthMs`, not of `validateMs` (the engine's
   * validation reuses the result). 0 for raw.
   */
  readonly rulesMs: number;
  readonly rulesCpuMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  /** CPU time (user + system, all threads: GC helpers included) of the same phases. */
  readonly constructCpuMs: number;
  readonly validateCpuMs: number;
  readonly synthCpuMs: number;
  readonly totalCpuMs: number;
  /** RSS at the end of construct and of synth, bytes. */
  readonly rssAfterConstruct: number;
  readonly rssAfterSynth: number;
  /** Bytes of every cdk.tf.json. */
  readonly tfJsonBytes: number;
  /** Bytes of every agent-report.json (0 for raw). */
  readonly reportBytes: number;
  /** Bytes of everything written (the library adds the report, the lock, the MLflow files, app.yaml). */
  readonly outBytes: number;
  /** Peak RSS of the child (getrusage maxrss), bytes. */
  readonly peakRss: number;
  /** V8 heap still in use after synth once a full GC has run (what the app retains), bytes. */
  readonly liveHeapAfterSynth: number;
  /** RSS after imports, before building anything, bytes. */
  readonly baseRss: number;
  readonly counts: Counts;
}

/** The numeric fields, which the parent takes medians of. */
export const NUMERIC_FIELDS = [
  "constructMs",
  "validateMs",
  "rulesMs",
  "rulesCpuMs",
  "synthMs",
  "totalMs",
  "constructCpuMs",
  "validateCpuMs",
  "synthCpuMs",
  "totalCpuMs",
  "rssAfterConstruct",
  "rssAfterSynth",
  "tfJsonBytes",
  "reportBytes",
  "outBytes",
  "peakRss",
  "liveHeapAfterSynth",
  "baseRss",
] as const satisfies readonly (keyof Measurement)[];

export function dirBytes(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .reduce(
      (sum, e) =>
        sum + (e.isDirectory() ? dirBytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size),
      0,
    );
}

/** The stacks' working directories of a synthesized app. */
const stackDirs = (outdir: string): string[] =>
  fs.readdirSync(path.join(outdir, "stacks")).map((s) => path.join(outdir, "stacks", s));

const bytesOf = (outdir: string, file: string): number =>
  stackDirs(outdir).reduce(
    (sum, d) => sum + (fs.existsSync(path.join(d, file)) ? fs.statSync(path.join(d, file)).size : 0),
    0,
  );

type TfJson = { resource?: Record<string, Record<string, unknown>>; output?: Record<string, unknown> };
const tfJsons = (outdir: string): [string, TfJson][] =>
  stackDirs(outdir).map((d) => [
    path.basename(d),
    JSON.parse(fs.readFileSync(path.join(d, "cdk.tf.json"), "utf8")) as TfJson,
  ]);

export function countsOf(outdir: string): Counts {
  const resources: Record<string, number> = {};
  let outputs = 0;
  for (const [, json] of tfJsons(outdir)) {
    for (const [type, r] of Object.entries(json.resource ?? {}))
      resources[type] = (resources[type] ?? 0) + Object.keys(r).length;
    outputs += Object.keys(json.output ?? {}).length;
  }
  return { resources: Object.fromEntries(Object.entries(resources).sort()), outputs };
}

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Build, validate and synthesize one point in this process (the child) and measure it. */
export function runChild(shape: Shape, variant: Variant, n: number, stacks: number): Measurement {
  const lib = variant === "library" ? loadLib() : undefined;
  const baseRss = process.memoryUsage.rss();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `synth-bench-${variant}-`));
  const groups = workload(shape, n, stacks);
  try {
    const [t0, c0] = [performance.now(), cpu()];
    const app = new App({ outdir });
    build(variant, app, groups, lib);
    const [t1, c1] = [performance.now(), cpu()];
    const rssAfterConstruct = process.memoryUsage.rss();
    let validateMs = 0;
    let validateCpuMs = 0;
    let rulesMs = 0;
    let rulesCpuMs = 0;
    if (lib) {
      const proto = lib.AgentStackContext.prototype;
      const evaluate = proto.evaluate;
      proto.evaluate = function (this: typeof proto) {
        const [v0, vc0] = [performance.now(), cpu()];
        try {
          return evaluate.call(this);
        } finally {
          rulesMs += performance.now() - v0;
          rulesCpuMs += cpu() - vc0;
        }
      };
    }
    for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
      const run = stack.runAllValidations.bind(stack);
      stack.runAllValidations = () => {
        const [v0, vc0] = [performance.now(), cpu()];
        try {
          run();
        } finally {
          validateMs += performance.now() - v0;
          validateCpuMs += cpu() - vc0;
        }
      };
    }
    app.synth();
    const [t2, c2] = [performance.now(), cpu()];
    // Measure before reading the output back (parsing it would raise the peak).
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const rssAfterSynth = process.memoryUsage.rss();
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const liveHeapAfterSynth = gc ? process.memoryUsage().heapUsed : NaN;
    if (app.node.children.length === 0) throw new Error("unreachable: keeps the app alive until here");
    return {
      shape,
      variant,
      n,
      stacks,
      constructMs: t1 - t0,
      validateMs,
      rulesMs,
      rulesCpuMs,
      synthMs: t2 - t1 - validateMs,
      totalMs: t2 - t0,
      constructCpuMs: c1 - c0,
      validateCpuMs,
      synthCpuMs: c2 - c1 - validateCpuMs,
      totalCpuMs: c2 - c0,
      rssAfterConstruct,
      rssAfterSynth,
      liveHeapAfterSynth,
      tfJsonBytes: bytesOf(outdir, "cdk.tf.json"),
      reportBytes: bytesOf(outdir, "agent-report.json"),
      outBytes: dirBytes(outdir),
      peakRss,
      baseRss,
      counts: countsOf(outdir),
    };
  } finally {
    // BENCH_KEEP=1 keeps a child's output directory (its path goes to stderr) to look at the files.
    if (process.env.BENCH_KEEP === "1") process.stderr.write(`kept ${outdir}\n`);
    else fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Run one point in a fresh child (this file's entry with `--child`), so its peak RSS is its own. */
export function spawnPoint(
  entry: string,
  shape: Shape,
  variant: Variant,
  n: number,
  stacks: number,
): Measurement {
  const res = spawnSync(
    process.execPath,
    [...process.execArgv, "--expose-gc", entry, "--child", shape, variant, String(n), String(stacks)],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: process.env },
  );
  if (res.status !== 0)
    throw new Error(
      `child ${shape} ${variant} N=${n} failed (exit ${res.status}):\n${res.stderr}\n${res.stdout}`,
    );
  return JSON.parse(res.stdout.trim().split("\n").pop()!) as Measurement;
}

// ---------------------------------------------------------------------------------------------------
// Equivalence: both variants synthesize the same resources and outputs (names and metadata aside).
// ---------------------------------------------------------------------------------------------------

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/**
 * Every resource body (without `//` metadata) and every output, per stack, sorted; a reference to a
 * resource (`${databricks_app.<id>.url}`) reads by that resource's `name` instead of its logical id.
 */
export function normalised(outdir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [stack, json] of tfJsons(outdir)) {
    const names = new Map<string, string>();
    for (const [type, rs] of Object.entries(json.resource ?? {}))
      for (const [id, body] of Object.entries(rs as Record<string, { name?: unknown }>))
        if (typeof body.name === "string") names.set(`${type}.${id}`, body.name);
    const deref = (s: string): string =>
      s.replace(/\$\{(databricks_[a-z_]+)\.([^.}]+)\./g, (_m, type: string, id: string) => {
        return `\${${type}.${names.get(`${type}.${id}`) ?? `?${id}`}.`;
      });
    for (const [type, rs] of Object.entries(json.resource ?? {}))
      for (const body of Object.values(rs as Record<string, Record<string, unknown>>)) {
        const rest: Record<string, unknown> = { ...body };
        delete rest["//"];
        (out[type] ??= []).push(`${stack} ${deref(stable(rest))}`);
      }
    for (const o of Object.values(json.output ?? {}))
      (out.output ??= []).push(`${stack} ${deref(stable(o))}`);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** The differences between two synthesized outdirs (at most three examples per type and side). */
export function differences(a: string, b: string, labels: readonly [string, string]): string[] {
  const [x, y] = [normalised(a), normalised(b)];
  const diffs: string[] = [];
  for (const t of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
    const [xs, ys] = [x[t] ?? [], y[t] ?? []];
    if (xs.length !== ys.length) diffs.push(`${t}: ${labels[0]} ${xs.length}, ${labels[1]} ${ys.length}`);
    const [inX, inY] = [new Set(xs), new Set(ys)];
    for (const v of xs.filter((v) => !inY.has(v)).slice(0, 3)) diffs.push(`${t}: only in ${labels[0]}: ${v}`);
    for (const v of ys.filter((v) => !inX.has(v)).slice(0, 3)) diffs.push(`${t}: only in ${labels[1]}: ${v}`);
  }
  return diffs;
}

/** A one-line summary of what an outdir holds: `type count, ...`. */
export function summary(outdir: string): string {
  const x = normalised(outdir);
  return Object.keys(x)
    .sort()
    .map((t) => `${t} ${x[t]!.length}`)
    .join(", ");
}

/** Synthesize both variants of a shape at a small N in this process and fail loudly on any difference. */
export function checkEquivalence(shape: Shape, n: number, stacks: number): string {
  const dirs = {
    library: fs.mkdtempSync(path.join(os.tmpdir(), "synth-bench-check-lib-")),
    raw: fs.mkdtempSync(path.join(os.tmpdir(), "synth-bench-check-raw-")),
  };
  try {
    for (const variant of ["library", "raw"] as const) {
      const app = new App({ outdir: dirs[variant] });
      build(variant, app, workload(shape, n, stacks));
      const log = console.log; // the library's stack summary: noise in the benchmark's own output
      console.log = () => undefined;
      try {
        app.synth();
      } finally {
        console.log = log;
      }
    }
    const diffs = differences(dirs.library, dirs.raw, ["library", "raw"]);
    if (diffs.length > 0)
      throw new Error(
        `EQUIVALENCE CHECK FAILED (${shape}, N=${n}, stacks=${stacks}):\n  ${diffs.join("\n  ")}`,
      );
    return summary(dirs.library);
  } finally {
    for (const d of Object.values(dirs)) fs.rmSync(d, { recursive: true, force: true });
  }
}
