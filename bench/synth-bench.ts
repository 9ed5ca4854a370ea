/**
 * Synth benchmark: N agents shaped like seed 000 (health-monitor), built once with the library and once
 * by hand with the raw provider classes (ModelServing, Grant, Permissions), in one app.
 *
 *   npx tsx bench/synth-bench.ts                      # N = 100,500,1000,2000, 3 runs per point
 *   BENCH_N=100,500 BENCH_RUNS=5 npx tsx bench/synth-bench.ts
 *
 * Environment:
 *   BENCH_N        sizes, comma-separated (default 100,500,1000,2000)
 *   BENCH_RUNS     runs per (variant, N) point; the table shows medians (default 3)
 *   BENCH_STACKS   stacks the agents are split into, contiguously (default 1: everything in one stack)
 *   BENCH_LIB      directory of the library to benchmark (default ../lib); e.g. a scratch copy with a fix.
 *                  Its node_modules must resolve to this repository's (symlink), so cdktf is one instance.
 *   BENCH_VARIANTS variants to run (default library,raw)
 *   BENCH_JSON     write every run's raw measurements to this file
 *
 * First both variants are synthesized at N=12 and compared resource by resource (fails loudly on any
 * difference); then every (variant, N, run) is a fresh child process (`--child <variant> <N> [stacks]`),
 * so peak RSS is per point, and resource types and counts must match across variants and runs.
 * Phases, identical for both variants (modules, the library included, are loaded before the clock starts):
 *   construct  new App + stacks + every construct
 *   validate   time inside TerraformStack.runAllValidations() (the library's rules run here)
 *   synth      app.synth() into a temp dir, minus the validate time: prepareStack, aspects (the library
 *              realises its grant plan here), toTerraform, json-stable-stringify, writing files (the
 *              library also writes agent-report.json, endpoint-lock.json and the MLflow files)
 * Wall and CPU time (process.cpuUsage) are both recorded; peak RSS is getrusage's maxrss of the child.
 * Profile one point: node --import tsx --cpu-prof bench/synth-bench.ts --child library 1000, then
 * npx tsx bench/cpuprofile-top.ts <file>; bench/README.md shows how to get TypeScript line numbers.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ModelServing } from "@cdktf/provider-databricks/lib/model-serving";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";

type Lib = typeof import("../lib");
type Variant = "library" | "raw";

// ---------------------------------------------------------------------------------------------------
// The workload: seed 000 times N, with warehouses and tables shared across agents.
// ---------------------------------------------------------------------------------------------------

const WAREHOUSE_POOL = 20;
const TABLE_POOL = 300;
const SCHEMA_POOL = 10;
const FUNCTION_POOL = 10;
const LLM = "databricks-claude-sonnet-4";
const DEPLOYER = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";
const MANAGERS = "platform-admins";
const OBO_FLAG = "DATABRICKS_USE_IDENTITY_PASSTHROUGH";
const ACK_REASON =
  "Seed 000: evaluation and notebooks must run as the service principal; Model Serving runs on behalf of the user.";
/** Seed 000's six domains, with how many tables and functions each space has. */
const DOMAINS: readonly { domain: string; tables: number; functions: number }[] = [
  { domain: "cost", tables: 2, functions: 1 },
  { domain: "security", tables: 1, functions: 0 },
  { domain: "performance", tables: 2, functions: 0 },
  { domain: "reliability", tables: 1, functions: 0 },
  { domain: "quality", tables: 1, functions: 0 },
  { domain: "unified", tables: 3, functions: 0 },
];

const hex = (s: string, n: number): string => createHash("sha256").update(s).digest("hex").slice(0, n);
const pad = (i: number): string => String(i).padStart(4, "0");
const WAREHOUSES = Array.from({ length: WAREHOUSE_POOL }, (_, k) => hex(`warehouse-${k}`, 16));
const TABLES = Array.from(
  { length: TABLE_POOL },
  (_, k) => `main.health_monitor_${k % SCHEMA_POOL}.fact_${String(k).padStart(3, "0")}`,
);
const FUNCTIONS = Array.from(
  { length: FUNCTION_POOL },
  (_, k) => `main.health_monitor_${k % SCHEMA_POOL}.cost_by_sku_${k}`,
);

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample<T>(pool: readonly T[], k: number, next: () => number): T[] {
  const picked = new Set<number>();
  while (picked.size < k) picked.add(Math.floor(next() * pool.length));
  return [...picked].map((i) => pool[i]!);
}

interface BundleSpec {
  readonly domain: string;
  readonly spaceId: string;
  readonly warehouseId: string;
  readonly tables: readonly string[];
  readonly functions: readonly string[];
}

interface AgentSpec {
  readonly id: string;
  readonly name: string;
  readonly model: string;
  readonly memory: string;
  readonly consumers: string;
  readonly bundles: readonly BundleSpec[];
}

/** Agent i is the same whatever N is (its own seed). */
function agentSpec(i: number): AgentSpec {
  const next = rng(0x5eed000 + i * 7919);
  return {
    id: `Agent${pad(i)}`,
    name: `agent-${pad(i)}`,
    model: `main.agents.agent_${pad(i)}`,
    memory: `agent-${pad(i)}-memory`,
    consumers: `agent-${pad(i)}-readers`,
    bundles: DOMAINS.map((d) => ({
      domain: d.domain,
      spaceId: hex(`space-${i}-${d.domain}`, 32),
      warehouseId: WAREHOUSES[Math.floor(next() * WAREHOUSES.length)]!,
      tables: sample(TABLES, d.tables, next),
      functions: sample(FUNCTIONS, d.functions, next),
    })),
  };
}

/** Agents 0..n-1 split contiguously into `stacks` groups. */
function workload(n: number, stacks: number): AgentSpec[][] {
  const agents = Array.from({ length: n }, (_, i) => agentSpec(i));
  return Array.from({ length: stacks }, (_, s) =>
    agents.slice(Math.floor((s * n) / stacks), Math.floor(((s + 1) * n) / stacks)),
  );
}

function newStack(app: App, s: number): TerraformStack {
  const stack = new TerraformStack(app, `agents-${s}`);
  new LocalBackend(stack, { path: `terraform.agents-${s}.tfstate` });
  new DatabricksProvider(stack, "databricks", {});
  return stack;
}

// ---------------------------------------------------------------------------------------------------
// Variant 1: the library.
// ---------------------------------------------------------------------------------------------------

function buildLibrary(lib: Lib, app: App, groups: AgentSpec[][]): void {
  const warehouses = new Map(WAREHOUSES.map((id) => [id, lib.SqlWarehouse.fromId(id)]));
  const llm = lib.ServingEndpoint.fromName(LLM);
  const deployer = lib.Principal.servicePrincipal(DEPLOYER);
  const managers = lib.Principal.group(MANAGERS);
  groups.forEach((agents, s) => {
    const stack = newStack(app, s);
    for (const a of agents) {
      const scope = new Construct(stack, a.id);
      const genie = a.bundles.map(
        (b) =>
          new lib.GenieResourceBundle(scope, `${b.domain[0]!.toUpperCase()}${b.domain.slice(1)}Genie`, {
            domain: b.domain,
            spaceId: b.spaceId,
            warehouse: warehouses.get(b.warehouseId)!,
            tables: b.tables,
            functions: b.functions,
          }),
      );
      const memory = lib.LakebaseInstance.fromName(a.memory);
      const policy = new lib.AgentAuthPolicy(scope, "Policy", {
        system: [llm, memory, ...genie],
        onBehalfOfUser: [llm, ...genie],
        mlflowVersion: "3.3.2",
      });
      lib.AgentStackContext.of(scope).acknowledge(policy, "DBA-AUTH-001", ACK_REASON);
      new lib.AgentServingEndpoint(scope, "Endpoint", {
        name: a.name,
        model: { name: a.model, version: "7" },
        workloadSize: "Small",
        scaleToZero: true,
        authPolicy: policy,
        environment: { LOG_LEVEL: "info", ENABLE_MLFLOW_TRACING: "true" },
        tags: { team: "platform", agent: a.name },
        consumers: [lib.Principal.group(a.consumers)],
        managers: [managers],
        deployer,
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Variant 2: the same resources by hand: raw provider classes, grants merged in a map.
// ---------------------------------------------------------------------------------------------------

const sortedRecord = (r: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function buildRaw(app: App, groups: AgentSpec[][]): void {
  groups.forEach((agents, s) => {
    const stack = newStack(app, s);
    for (const a of agents) {
      const env: Record<string, string> = {
        LOG_LEVEL: "info",
        ENABLE_MLFLOW_TRACING: "true",
        [OBO_FLAG]: "true",
      };
      for (const b of a.bundles) env[`${b.domain.toUpperCase()}_GENIE_SPACE_ID`] = b.spaceId;
      const endpoint = new ModelServing(stack, `${a.id}_Endpoint`, {
        name: a.name,
        routeOptimized: false,
        config: {
          servedEntities: [
            {
              name: "current",
              entityName: a.model,
              entityVersion: "7",
              workloadSize: "Small",
              workloadType: "CPU",
              scaleToZeroEnabled: true,
              environmentVars: sortedRecord(env),
            },
          ],
          trafficConfig: { routes: [{ servedEntityName: "current", trafficPercentage: 100 }] },
        },
        tags: [
          { key: "agent", value: a.name },
          { key: "team", value: "platform" },
        ],
        lifecycle: {
          preventDestroy: true,
          ignoreChanges: ["description", "budget_policy_id", "email_notifications"],
        },
      });
      const where = `${stack.node.id}/${a.id}`;
      new TerraformOutput(stack, `${a.id}_Name`, { value: endpoint.name, description: `Name of ${where}` });
      new TerraformOutput(stack, `${a.id}_ServingEndpointId`, {
        value: endpoint.servingEndpointId,
        description: `serving_endpoint_id of ${where} (use it, not the name, for permissions)`,
      });
      new TerraformOutput(stack, `${a.id}_Url`, {
        value: endpoint.endpointUrl,
        description: `Invocation URL of ${where}`,
      });
      new Permissions(stack, `${a.id}_Permissions`, {
        servingEndpointId: endpoint.servingEndpointId,
        accessControl: [
          { groupName: a.consumers, permissionLevel: "CAN_QUERY" },
          { groupName: MANAGERS, permissionLevel: "CAN_MANAGE" },
        ].sort((x, y) => (x.groupName < y.groupName ? -1 : 1)),
      });
      // Every grant on a shared object (the Genie spaces' tables and functions, their schemas and
      // catalogs, the served model, warehouses, spaces, LLM, Lakebase) is left to its owners: the
      // library's default mechanism (report) creates no resource for them, and neither does this variant.
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Child: build, validate, synth one point and print its measurements as one JSON line.
// ---------------------------------------------------------------------------------------------------

interface Counts {
  readonly resources: Record<string, number>;
  readonly outputs: number;
}

interface Measurement {
  readonly variant: Variant;
  readonly n: number;
  readonly stacks: number;
  readonly constructMs: number;
  readonly validateMs: number;
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
  /** Bytes of everything written (the library adds agent-report.json and the MLflow files). */
  readonly outBytes: number;
  /** Peak RSS of the child (getrusage maxrss), bytes. */
  readonly peakRss: number;
  /** V8 heap still in use after synth once a full GC has run (what the app retains), bytes. */
  readonly liveHeapAfterSynth: number;
  /** RSS after imports, before building anything, bytes. */
  readonly baseRss: number;
  readonly counts: Counts;
}

function loadLib(): Lib {
  const dir = path.resolve(process.env.BENCH_LIB ?? path.join(__dirname, "..", "lib"));
  return createRequire(__filename)(dir) as Lib; // index.ts under tsx, index.js when compiled
}

function build(variant: Variant, app: App, groups: AgentSpec[][], lib?: Lib): void {
  if (variant === "library") buildLibrary(lib ?? loadLib(), app, groups);
  else buildRaw(app, groups);
}

function dirBytes(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .reduce(
      (sum, e) =>
        sum + (e.isDirectory() ? dirBytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size),
      0,
    );
}

function tfJsonFiles(outdir: string): string[] {
  const stacks = path.join(outdir, "stacks");
  return fs.readdirSync(stacks).map((s) => path.join(stacks, s, "cdk.tf.json"));
}

type TfJson = { resource?: Record<string, Record<string, unknown>>; output?: Record<string, unknown> };

function countsOf(outdir: string): Counts {
  const resources: Record<string, number> = {};
  let outputs = 0;
  for (const file of tfJsonFiles(outdir)) {
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as TfJson;
    for (const [type, r] of Object.entries(json.resource ?? {}))
      resources[type] = (resources[type] ?? 0) + Object.keys(r).length;
    outputs += Object.keys(json.output ?? {}).length;
  }
  return { resources: Object.fromEntries(Object.entries(resources).sort()), outputs };
}

function runChild(variant: Variant, n: number, stacks: number): Measurement {
  const lib = variant === "library" ? loadLib() : undefined;
  const baseRss = process.memoryUsage.rss();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `synth-bench-${variant}-`));
  const groups = workload(n, stacks);
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  try {
    const [t0, c0] = [performance.now(), cpu()];
    const app = new App({ outdir });
    build(variant, app, groups, lib);
    const [t1, c1] = [performance.now(), cpu()];
    const rssAfterConstruct = process.memoryUsage.rss();
    let validateMs = 0;
    let validateCpuMs = 0;
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
    const tfJsonBytes = tfJsonFiles(outdir).reduce((sum, f) => sum + fs.statSync(f).size, 0);
    return {
      variant,
      n,
      stacks,
      constructMs: t1 - t0,
      validateMs,
      synthMs: t2 - t1 - validateMs,
      totalMs: t2 - t0,
      constructCpuMs: c1 - c0,
      validateCpuMs,
      synthCpuMs: c2 - c1 - validateCpuMs,
      totalCpuMs: c2 - c0,
      rssAfterConstruct,
      rssAfterSynth,
      liveHeapAfterSynth,
      tfJsonBytes,
      outBytes: dirBytes(outdir),
      peakRss,
      baseRss,
      counts: countsOf(outdir),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Equivalence check: both variants synthesize the same resources (names and metadata aside).
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

/** Every resource body (without `//` metadata), with endpoint references by endpoint name; sorted. */
function normalised(outdir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const file of tfJsonFiles(outdir)) {
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as TfJson;
    const endpoints = (json.resource?.databricks_model_serving ?? {}) as Record<string, { name: string }>;
    const deref = (s: string): string =>
      s.replace(/\$\{databricks_model_serving\.([^.}]+)\./g, (_m, id: string) => {
        return `\${databricks_model_serving.${endpoints[id]?.name ?? `?${id}`}.`;
      });
    for (const [type, rs] of Object.entries(json.resource ?? {}))
      for (const body of Object.values(rs as Record<string, Record<string, unknown>>)) {
        const rest: Record<string, unknown> = { ...body };
        delete rest["//"];
        (out[type] ??= []).push(`${path.basename(path.dirname(file))} ${deref(stable(rest))}`);
      }
    for (const o of Object.values(json.output ?? {}) as { value: string }[])
      (out.output ??= []).push(`${path.basename(path.dirname(file))} ${deref(stable(o.value))}`);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** Synthesize both variants at a small N in this process and fail loudly on any difference. */
function checkEquivalence(n: number, stacks: number): void {
  const dirs: Record<Variant, string> = {
    library: fs.mkdtempSync(path.join(os.tmpdir(), "synth-bench-check-lib-")),
    raw: fs.mkdtempSync(path.join(os.tmpdir(), "synth-bench-check-raw-")),
  };
  try {
    for (const variant of ["library", "raw"] as const) {
      const app = new App({ outdir: dirs[variant] });
      build(variant, app, workload(n, stacks));
      app.synth();
    }
    const [a, b] = [normalised(dirs.library), normalised(dirs.raw)];
    const types = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const diffs: string[] = [];
    for (const t of types) {
      const [x, y] = [a[t] ?? [], b[t] ?? []];
      if (x.length !== y.length) diffs.push(`${t}: library ${x.length}, raw ${y.length}`);
      const ys = new Set(y);
      const xs = new Set(x);
      for (const v of x.filter((v) => !ys.has(v)).slice(0, 3)) diffs.push(`${t}: only in library: ${v}`);
      for (const v of y.filter((v) => !xs.has(v)).slice(0, 3)) diffs.push(`${t}: only in raw: ${v}`);
    }
    if (diffs.length > 0)
      throw new Error(`EQUIVALENCE CHECK FAILED (N=${n}, stacks=${stacks}):\n  ${diffs.join("\n  ")}`);
    console.log(
      `equivalence check (N=${n}, ${stacks} stack(s)): identical resources — ${types.map((t) => `${t} ${a[t]!.length}`).join(", ")}`,
    );
  } finally {
    for (const d of Object.values(dirs)) fs.rmSync(d, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Parent: run every point in fresh children, compare counts, print medians and ratios.
// ---------------------------------------------------------------------------------------------------

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (x: number): string => `${Math.round(x)}`;
const mb = (x: number): string => (x / 1048576).toFixed(1);
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}x` : "-");

function spawnPoint(variant: Variant, n: number, stacks: number): Measurement {
  const res = spawnSync(
    process.execPath,
    [...process.execArgv, "--expose-gc", __filename, "--child", variant, String(n), String(stacks)],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: process.env },
  );
  if (res.status !== 0)
    throw new Error(`child ${variant} N=${n} failed (exit ${res.status}):\n${res.stderr}\n${res.stdout}`);
  const line = res.stdout.trim().split("\n").pop()!;
  return JSON.parse(line) as Measurement;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]): string =>
    `| ${r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" | ")} |`;
  const sep = `|${widths.map((w, c) => (c < 2 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [fmt(rows[0]!), sep, ...rows.slice(1).map(fmt)].join("\n");
}

function main(): void {
  const sizes = (process.env.BENCH_N ?? "100,500,1000,2000").split(",").map((s) => Number(s.trim()));
  const runs = Number(process.env.BENCH_RUNS ?? "3");
  const stacks = Number(process.env.BENCH_STACKS ?? "1");
  const variants = (process.env.BENCH_VARIANTS ?? "library,raw").split(",").map((s) => s.trim() as Variant);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(runs >= 1) || !(stacks >= 1))
    throw new Error("BENCH_N must be positive integers, BENCH_RUNS and BENCH_STACKS at least 1");
  const started = performance.now();
  const loadAtStart = os.loadavg().map((x) => x.toFixed(1));
  console.log(
    `synth-bench: N=${sizes.join(",")} runs=${runs} stacks=${stacks} lib=${process.env.BENCH_LIB ?? "lib/"} node ${process.version}, ${os.cpus().length} cpus`,
  );
  if (variants.includes("library") && variants.includes("raw"))
    checkEquivalence(Math.min(24, Math.max(stacks, 12)), stacks);

  const all: Measurement[] = [];
  const medians = new Map<string, Measurement>();
  for (const n of sizes) {
    const byVariant = new Map<Variant, Measurement[]>(variants.map((v) => [v, []]));
    for (let r = 0; r < runs; r++)
      for (const v of variants) {
        const m = spawnPoint(v, n, stacks);
        byVariant.get(v)!.push(m);
        all.push(m);
        process.stderr.write(
          `  ${v} N=${n} run ${r + 1}/${runs}: ${ms(m.totalMs)} ms, ${mb(m.peakRss)} MB\n`,
        );
      }
    // Same resource types and counts in every run of both variants, or fail loudly.
    const signature = (m: Measurement): string => JSON.stringify(m.counts);
    const sigs = new Set([...byVariant.values()].flat().map(signature));
    if (sigs.size !== 1)
      throw new Error(
        `RESOURCE MISMATCH at N=${n}:\n${[...byVariant.entries()].map(([v, ms_]) => `  ${v}: ${ms_.map(signature).join(" / ")}`).join("\n")}`,
      );
    for (const [v, list] of byVariant) {
      const pick = (f: (m: Measurement) => number): number => median(list.map(f));
      medians.set(`${v}:${n}`, {
        ...list[0]!,
        constructMs: pick((m) => m.constructMs),
        validateMs: pick((m) => m.validateMs),
        synthMs: pick((m) => m.synthMs),
        totalMs: pick((m) => m.totalMs),
        constructCpuMs: pick((m) => m.constructCpuMs),
        validateCpuMs: pick((m) => m.validateCpuMs),
        synthCpuMs: pick((m) => m.synthCpuMs),
        totalCpuMs: pick((m) => m.totalCpuMs),
        rssAfterConstruct: pick((m) => m.rssAfterConstruct),
        rssAfterSynth: pick((m) => m.rssAfterSynth),
        liveHeapAfterSynth: pick((m) => m.liveHeapAfterSynth),
        tfJsonBytes: pick((m) => m.tfJsonBytes),
        outBytes: pick((m) => m.outBytes),
        peakRss: pick((m) => m.peakRss),
        baseRss: pick((m) => m.baseRss),
      });
    }
  }

  const rows: string[][] = [
    [
      "N",
      "variant",
      "construct ms",
      "validate ms",
      "synth ms",
      "total ms",
      "total CPU ms",
      "cdk.tf.json MB",
      "all output MB",
      "peak RSS MB",
      "resources",
    ],
  ];
  for (const n of sizes) {
    for (const v of variants) {
      const m = medians.get(`${v}:${n}`)!;
      const resources = Object.values(m.counts.resources).reduce((a, b) => a + b, 0);
      rows.push([
        String(n),
        v,
        ms(m.constructMs),
        ms(m.validateMs),
        ms(m.synthMs),
        ms(m.totalMs),
        ms(m.totalCpuMs),
        mb(m.tfJsonBytes),
        mb(m.outBytes),
        mb(m.peakRss),
        String(resources),
      ]);
    }
    const [l, r] = [medians.get(`library:${n}`), medians.get(`raw:${n}`)];
    if (l && r)
      rows.push([
        String(n),
        "library/raw",
        ratio(l.constructMs, r.constructMs),
        ratio(l.validateMs, r.validateMs),
        ratio(l.synthMs, r.synthMs),
        ratio(l.totalMs, r.totalMs),
        ratio(l.totalCpuMs, r.totalCpuMs),
        ratio(l.tfJsonBytes, r.tfJsonBytes),
        ratio(l.outBytes, r.outBytes),
        ratio(l.peakRss, r.peakRss),
        "",
      ]);
  }
  const cpuRows: string[][] = [
    [
      "N",
      "variant",
      "construct CPU ms",
      "validate CPU ms",
      "synth CPU ms",
      "total CPU ms",
      "live heap after synth MB",
    ],
  ];
  for (const n of sizes)
    for (const v of variants) {
      const m = medians.get(`${v}:${n}`)!;
      cpuRows.push([
        String(n),
        v,
        ms(m.constructCpuMs),
        ms(m.validateCpuMs),
        ms(m.synthCpuMs),
        ms(m.totalCpuMs),
        mb(m.liveHeapAfterSynth),
      ]);
    }
  console.log(`\nmedians of ${runs} run(s); each run a fresh child process; times are wall clock\n`);
  console.log(table(rows));
  console.log(
    "\nCPU time (user + system, all threads: GC and module-loader threads included) per phase," +
      " and the heap the app still holds after synth (after a full GC), medians\n",
  );
  console.log(table(cpuRows));
  console.log(
    `\nresources per stack set at N=${sizes[sizes.length - 1]}: ${JSON.stringify(medians.get(`${variants[0]}:${sizes[sizes.length - 1]}`)!.counts)}`,
  );
  console.log(
    `RSS after imports (before building), N=${sizes[0]}: ${variants.map((v) => `${v} ${mb(medians.get(`${v}:${sizes[0]}`)!.baseRss)} MB`).join(", ")}`,
  );

  // Targets from the issue.
  const l1000 = medians.get("library:1000");
  const r1000 = medians.get("raw:1000");
  const l2000 = medians.get("library:2000");
  const verdicts: string[] = [];
  const verdict = (what: string, x: number, limit: number, unit = "x"): string =>
    `${what}: ${x.toFixed(2)}${unit} (target <= ${limit}${unit}) ${x <= limit ? "OK" : "MISSED"}`;
  if (l1000 && r1000) {
    verdicts.push(verdict("total time library/raw at N=1000", l1000.totalMs / r1000.totalMs, 1.25));
    verdicts.push(verdict("  same in CPU time", l1000.totalCpuMs / r1000.totalCpuMs, 1.25));
    verdicts.push(verdict("peak RSS library/raw at N=1000", l1000.peakRss / r1000.peakRss, 1.3));
  }
  if (l1000 && l2000) {
    verdicts.push(verdict("library total time N=2000 / N=1000", l2000.totalMs / l1000.totalMs, 2.2, ""));
    verdicts.push(verdict("  same in CPU time", l2000.totalCpuMs / l1000.totalCpuMs, 2.2, ""));
    verdicts.push(
      verdict("library validate time N=2000 / N=1000", l2000.validateMs / l1000.validateMs, 2.2, ""),
    );
  }
  if (verdicts.length > 0) console.log(`\ntargets:\n  ${verdicts.join("\n  ")}`);
  const load = os.loadavg().map((x) => x.toFixed(1));
  console.log(
    `\nwall time of the whole benchmark: ${((performance.now() - started) / 1000).toFixed(1)} s; load average at start ${loadAtStart.join(" ")}, at end ${load.join(" ")} (${os.cpus().length} cpus)`,
  );
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(all, null, 2)}\n`);
}

const argv = process.argv.slice(2);
if (argv[0] === "--child") {
  const m = runChild(argv[1] as Variant, Number(argv[2]), Number(argv[3] ?? "1"));
  process.stdout.write(`\n${JSON.stringify(m)}\n`);
} else {
  main();
}
