/**
 * What the benchmark prints: medians, the per-shape tables, the targets of issue 17 with OK or MISSED,
 * and the summary table the README holds.
 */
import { NUMERIC_FIELDS, type Measurement } from "./measure";
import type { Variant } from "./variants";
import type { Shape } from "./workload";

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const ms = (x: number): string => `${Math.round(x)}`;
export const sec = (x: number): string => (x / 1000).toFixed(2);
export const mb = (x: number): string => (x / 1048576).toFixed(1);
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}x` : "-");

/** A markdown table; the first two columns left-aligned, the rest right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const fmt = (r: readonly string[]): string =>
    `| ${r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" | ")} |`;
  const sep = `|${widths.map((w, c) => (c < 2 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [fmt(rows[0]!), sep, ...rows.slice(1).map(fmt)].join("\n");
}

/** The median of every numeric field over the runs of one point. */
export function medianOf(list: readonly Measurement[]): Measurement {
  const m: Record<string, unknown> = { ...list[0]! };
  for (const f of NUMERIC_FIELDS) m[f] = median(list.map((x) => x[f]));
  return m as unknown as Measurement;
}

/** Medians by point. */
export class Medians {
  private readonly byKey = new Map<string, Measurement>();
  set(m: Measurement): void {
    this.byKey.set(`${m.shape}:${m.variant}:${m.n}`, m);
  }
  get(shape: Shape, variant: Variant, n: number): Measurement | undefined {
    return this.byKey.get(`${shape}:${variant}:${n}`);
  }
}

const resourceCount = (m: Measurement): number =>
  Object.values(m.counts.resources).reduce((a, b) => a + b, 0);

/** Today's tables for one shape: wall time, sizes and peak RSS; then CPU per phase and live heap. */
export function shapeTables(
  shape: Shape,
  sizes: readonly number[],
  variants: readonly Variant[],
  med: Medians,
): string {
  const rows: string[][] = [
    [
      "N",
      "variant",
      "construct ms",
      "validate ms",
      "rules ms (in synth)",
      "synth ms",
      "total ms",
      "total CPU ms",
      "cdk.tf.json MB",
      "report MB",
      "all output MB",
      "peak RSS MB",
      "resources",
    ],
  ];
  const cpuRows: string[][] = [
    ["N", "variant", "construct CPU ms", "validate CPU ms", "synth CPU ms", "total CPU ms", "live heap MB"],
  ];
  for (const n of sizes) {
    for (const v of variants) {
      const m = med.get(shape, v, n)!;
      rows.push([
        String(n),
        v,
        ms(m.constructMs),
        ms(m.validateMs),
        ms(m.rulesMs),
        ms(m.synthMs),
        ms(m.totalMs),
        ms(m.totalCpuMs),
        mb(m.tfJsonBytes),
        mb(m.reportBytes),
        mb(m.outBytes),
        mb(m.peakRss),
        String(resourceCount(m)),
      ]);
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
    const [l, r] = [med.get(shape, "library", n), med.get(shape, "raw", n)];
    if (l && r)
      rows.push([
        String(n),
        "library/raw",
        ratio(l.constructMs, r.constructMs),
        ratio(l.validateMs, r.validateMs),
        "",
        ratio(l.synthMs, r.synthMs),
        ratio(l.totalMs, r.totalMs),
        ratio(l.totalCpuMs, r.totalCpuMs),
        ratio(l.tfJsonBytes, r.tfJsonBytes),
        "",
        ratio(l.outBytes, r.outBytes),
        ratio(l.peakRss, r.peakRss),
        "",
      ]);
  }
  const last = med.get(shape, variants[0]!, sizes[sizes.length - 1]!)!;
  const first = sizes[0]!;
  return [
    table(rows),
    "",
    "CPU time per phase (user + system, all threads: GC and loader threads included) and the heap the app" +
      " still holds after synth (after a full GC), medians:",
    "",
    table(cpuRows),
    "",
    `resources at N=${last.n}: ${JSON.stringify(last.counts)}`,
    `RSS after imports, N=${first}: ${variants.map((v) => `${v} ${mb(med.get(shape, v, first)!.baseRss)} MB`).join(", ")}`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------
// Targets (issue 17): ratios measured side by side in one run, never a timed test.
// ---------------------------------------------------------------------------------------------------

/** The limits, stated once; the targets block and the summary read them. */
export const LIMITS = {
  /** library/raw wall and CPU time at N=1000 and N=2000. */
  time: 1.1,
  /** library/raw peak RSS at N=1000 and N=2000. */
  peakRss: 1.25,
  /** library N=2000 over N=1000, every phase. */
  scaling: 2.1,
  /** everything the library writes over the raw variant's cdk.tf.json. */
  output: 2,
  /** agent-report.json over the cdk.tf.json it describes. */
  report: 1,
} as const;
/** The sizes the per-N targets are stated for, and the pair the scaling target compares. */
export const TARGET_SIZES: readonly number[] = [1000, 2000];

export interface Verdict {
  readonly shape: Shape;
  readonly what: string;
  readonly value: number;
  readonly limit: number;
  readonly ok: boolean;
}

const PHASES = [
  ["construct", "constructMs", "constructCpuMs"],
  ["validate", "validateMs", "validateCpuMs"],
  ["rules", "rulesMs", "rulesCpuMs"],
  ["synth", "synthMs", "synthCpuMs"],
  ["total", "totalMs", "totalCpuMs"],
] as const;

/**
 * Every target of one shape with its measured ratio: the per-N targets at every measured size, the
 * scaling target for every measured pair (N, 2N). Time is judged on wall clock, as the issue states it;
 * CPU time has its own line for the library/raw ratio and is shown beside the wall ratio for scaling.
 */
export function verdicts(shape: Shape, sizes: readonly number[], med: Medians): Verdict[] {
  const out: Verdict[] = [];
  const add = (what: string, value: number, limit: number): void => {
    out.push({ shape, what, value, limit, ok: value <= limit });
  };
  for (const n of sizes) {
    const [l, r] = [med.get(shape, "library", n), med.get(shape, "raw", n)];
    if (!l || !r) continue;
    add(`N=${n} library/raw wall time`, l.totalMs / r.totalMs, LIMITS.time);
    add(`N=${n} library/raw CPU time`, l.totalCpuMs / r.totalCpuMs, LIMITS.time);
    add(`N=${n} library/raw peak RSS`, l.peakRss / r.peakRss, LIMITS.peakRss);
    add(`N=${n} all library output / raw cdk.tf.json`, l.outBytes / r.tfJsonBytes, LIMITS.output);
    add(`N=${n} agent-report.json / library cdk.tf.json`, l.reportBytes / l.tfJsonBytes, LIMITS.report);
  }
  for (const n of sizes) {
    const [a, b] = [med.get(shape, "library", n), med.get(shape, "library", 2 * n)];
    if (!a || !b) continue;
    for (const [phase, wall, cpuField] of PHASES)
      add(
        `library N=${2 * n}/N=${n} ${phase} (CPU ${(b[cpuField] / a[cpuField]).toFixed(2)})`,
        b[wall] / a[wall],
        LIMITS.scaling,
      );
  }
  return out;
}

export function verdictBlock(vs: readonly Verdict[]): string {
  const rows = [
    ["shape", "target", "measured", "limit", "verdict"],
    ...vs.map((v) => [v.shape, v.what, v.value.toFixed(2), v.limit.toFixed(2), v.ok ? "OK" : "MISSED"]),
  ];
  return table(rows);
}

/** The README's summary: one row per shape and size, the ratios with their verdicts. */
export function summaryTable(shapes: readonly Shape[], sizes: readonly number[], med: Medians): string {
  const mark = (value: number, limit: number): string =>
    `${value.toFixed(2)}x ${value <= limit ? "OK" : "MISSED"}`;
  const rows: string[][] = [
    [
      "shape",
      "N",
      "library wall / CPU s",
      "raw wall / CPU s",
      `wall (≤ ${LIMITS.time}x)`,
      `CPU (≤ ${LIMITS.time}x)`,
      "peak RSS library / raw MB",
      `RSS (≤ ${LIMITS.peakRss}x)`,
      `output / raw tf.json (≤ ${LIMITS.output}x)`,
      `report / tf.json (≤ ${LIMITS.report}x)`,
      // What the library adds per agent, whatever the engine's own cost: informational, no limit.
      "library − raw per agent, wall / CPU ms",
    ],
  ];
  for (const shape of shapes)
    for (const n of sizes) {
      const [l, r] = [med.get(shape, "library", n), med.get(shape, "raw", n)];
      if (!l || !r) continue;
      rows.push([
        shape,
        String(n),
        `${sec(l.totalMs)} / ${sec(l.totalCpuMs)}`,
        `${sec(r.totalMs)} / ${sec(r.totalCpuMs)}`,
        mark(l.totalMs / r.totalMs, LIMITS.time),
        mark(l.totalCpuMs / r.totalCpuMs, LIMITS.time),
        `${mb(l.peakRss)} / ${mb(r.peakRss)}`,
        mark(l.peakRss / r.peakRss, LIMITS.peakRss),
        mark(l.outBytes / r.tfJsonBytes, LIMITS.output),
        mark(l.reportBytes / l.tfJsonBytes, LIMITS.report),
        `${((l.totalMs - r.totalMs) / n).toFixed(2)} / ${((l.totalCpuMs - r.totalCpuMs) / n).toFixed(2)}`,
      ]);
    }
  const scaling: string[][] = [
    ["shape", "sizes", ...PHASES.map(([phase]) => phase)].map((h, i) =>
      i < 2 ? h : `${h} (≤ ${LIMITS.scaling})`,
    ),
  ];
  for (const shape of shapes)
    for (const n of sizes) {
      const [a, b] = [med.get(shape, "library", n), med.get(shape, "library", 2 * n)];
      if (!a || !b) continue;
      scaling.push([
        shape,
        `N=${2 * n}/N=${n}`,
        ...PHASES.map(([, wall]) => {
          const x = b[wall] / a[wall];
          return `${x.toFixed(2)} ${x <= LIMITS.scaling ? "OK" : "MISSED"}`;
        }),
      ]);
    }
  return scaling.length > 1
    ? `${table(rows)}\n\nLibrary scaling, wall time:\n\n${table(scaling)}`
    : table(rows);
}
