/**
 * Where a variant allocates: V8's sampling heap profiler with the objects that garbage collection freed
 * included (a CPU profile shows GC time, not who made the garbage). One process, no timing: the figures
 * are bytes sampled every 16 KB of allocation, so each row is statistical (read them to about 10%).
 *
 *   npx tsx bench/alloc-profile.ts <library|raw> <N> [shape] [phase] [rows]
 *
 * `phase` is `synth` (the default: from the end of construction to the end of `app.synth()`) or `all`
 * (construction too). A row is a function, or a builtin (`sort`, `join`, ...) with the function calling it.
 */
import * as fs from "fs";
import * as inspector from "inspector";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { build, loadLib, type Variant } from "./variants";
import { SHAPES, workload, type Shape } from "./workload";

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

const [variantArg, nArg, shapeArg = "endpoints", phase = "synth", rowsArg = "30"] = process.argv.slice(2);
if (
  (variantArg !== "library" && variantArg !== "raw") ||
  !Number.isInteger(Number(nArg)) ||
  !SHAPES.includes(shapeArg as Shape) ||
  (phase !== "synth" && phase !== "all")
) {
  console.error(
    "usage: npx tsx bench/alloc-profile.ts <library|raw> <N> [endpoints|apps|mixed] [synth|all] [rows]",
  );
  process.exit(2);
}
const variant: Variant = variantArg;
process.env.DBA_SUMMARY = "off";

const session = new inspector.Session();
session.connect();
const post = <T>(method: string, params: object = {}): Promise<T> =>
  new Promise((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))),
  );

const label = (n: SamplingNode): string =>
  `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*\/(node_modules|dist|bench)\//, "$1/")}:${n.callFrame.lineNumber + 1}`;

async function main(): Promise<void> {
  const lib = variant === "library" ? loadLib() : undefined;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "alloc-profile-"));
  try {
    const app = new App({ outdir });
    await post("HeapProfiler.enable");
    const start = () =>
      post("HeapProfiler.startSampling", {
        samplingInterval: 16384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    if (phase === "all") await start();
    build(variant, app, workload(shapeArg as Shape, Number(nArg), 1), lib);
    if (phase === "synth") await start();
    app.synth();
    const { profile } = await post<{ profile: { head: SamplingNode } }>("HeapProfiler.stopSampling");
    const bytes = new Map<string, number>();
    let total = 0;
    const walk = (n: SamplingNode, caller: string | undefined): void => {
      const own = label(n);
      // A builtin (no url) is shown with its caller: `sort <- mergeGrants ...`.
      const row = n.callFrame.url === "" && caller !== undefined ? `${own} <- ${caller}` : own;
      bytes.set(row, (bytes.get(row) ?? 0) + n.selfSize);
      total += n.selfSize;
      for (const c of n.children) walk(c, n.callFrame.url === "" ? caller : own);
    };
    walk(profile.head, undefined);
    console.log(
      `${variant} ${shapeArg} N=${nArg} (${phase}): ${(total / 1e6).toFixed(0)} MB allocated (sampled)`,
    );
    for (const [row, b] of [...bytes].sort((x, y) => y[1] - x[1]).slice(0, Number(rowsArg)))
      console.log(`${(b / 1e6).toFixed(1).padStart(8)} MB  ${row}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

void main();
