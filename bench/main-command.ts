/**
 * The README's main command side by side: `npx cdktf synth` of the bundled example (cdktf.json's app),
 * that app command alone, and raw cdktf's equivalent app (bench/raw-health-monitor.ts), each a fresh
 * process, interleaved run by run. Before the times count, the three outputs must hold the same
 * resource and output bodies. The CLI's version check is turned off (CHECKPOINT_DISABLE=1) in every
 * command, so no network round trip is timed.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { differences, summary } from "./measure";
import { median, sec, table } from "./report";

const ROOT = path.join(__dirname, "..");

export interface CommandRun {
  readonly kind: "main-command";
  readonly command: string;
  readonly run: number;
  readonly wallMs: number;
}

interface Command {
  readonly label: string;
  /** The shell command, run from the repository root. */
  readonly line: (outdir: string) => string;
  readonly env: (outdir: string) => Record<string, string>;
}

function commands(): Command[] {
  const appCommand = (JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string })
    .app;
  return [
    { label: "npx cdktf synth", line: (o) => `npx cdktf synth --output ${o}`, env: () => ({}) },
    { label: `${appCommand} (app alone)`, line: () => appCommand, env: (o) => ({ CDKTF_OUTDIR: o }) },
    {
      label: "npx tsx bench/raw-health-monitor.ts (raw cdktf)",
      line: () => "npx tsx bench/raw-health-monitor.ts",
      env: (o) => ({ CDKTF_OUTDIR: o }),
    },
  ];
}

function runOnce(c: Command, outdir: string): number {
  const t0 = performance.now();
  const res = spawnSync(c.line(outdir), {
    cwd: ROOT,
    shell: true,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...c.env(outdir) },
  });
  const wall = performance.now() - t0;
  if (res.status !== 0)
    throw new Error(`${c.label} failed (exit ${res.status}):\n${res.stderr}\n${res.stdout}`);
  return wall;
}

/** Run every command `runs` times; fail loudly when their outputs differ; print the medians. */
export function mainCommand(runs: number): CommandRun[] {
  const cmds = commands();
  const all: CommandRun[] = [];
  for (let r = 0; r < runs; r++) {
    const dirs = cmds.map(() => fs.mkdtempSync(path.join(os.tmpdir(), "synth-bench-main-")));
    try {
      cmds.forEach((c, i) => {
        const wallMs = runOnce(c, dirs[i]!);
        all.push({ kind: "main-command", command: c.label, run: r + 1, wallMs });
        process.stderr.write(`  ${c.label} run ${r + 1}/${runs}: ${Math.round(wallMs)} ms\n`);
      });
      for (let i = 1; i < cmds.length; i++) {
        const diffs = differences(dirs[0]!, dirs[i]!, [cmds[0]!.label, cmds[i]!.label]);
        if (diffs.length > 0) throw new Error(`MAIN COMMAND EQUIVALENCE FAILED:\n  ${diffs.join("\n  ")}`);
      }
      if (r === 0)
        console.log(`main command: the three outputs hold the same resources (${summary(dirs[0]!)})`);
    } finally {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  }
  const med = cmds.map((c) => median(all.filter((x) => x.command === c.label).map((x) => x.wallMs)));
  const raw = med[2]!;
  console.log(`\nThe README's main command, medians of ${runs} (wall time, each a fresh process):\n`);
  console.log(
    table([
      ["command", "what", "wall s", "vs raw app"],
      ...cmds.map((c, i) => [
        c.label,
        [
          "the CLI: reads cdktf.json, runs the app, reads its output",
          "the example's app alone",
          "same resources, no library",
        ][i]!,
        sec(med[i]!),
        `${(med[i]! / raw).toFixed(2)}x`,
      ]),
    ]),
  );
  return all;
}
