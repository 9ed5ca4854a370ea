/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time and by inclusive time.
 *
 *   npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [filter] [rows]
 *
 * `filter` keeps inclusive rows whose "function file:line" contains it (e.g. `/lib/`). Line numbers are
 * those of the code V8 ran: profile compiled JavaScript (see bench/README.md) for lines that match the
 * TypeScript; under tsx every lib/ function reports line 2.
 */
import * as fs from "fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, filter = "", rowsArg = "30"] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [filter] [rows]");
  process.exit(2);
}
const rows = Number(rowsArg);
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const root = `${process.cwd()}/`;
const label = (n: ProfileNode): string =>
  `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^file:\/\//, "").replace(root, "")}:${n.callFrame.lineNumber + 1}`;

const sampled = new Map<number, number>();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (const [id, us] of sampled) {
  total += us;
  const own = label(byId.get(id)!);
  self.set(own, (self.get(own) ?? 0) + us);
  const seen = new Set<string>(); // count recursive frames once
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
    const l = label(byId.get(x)!);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + us);
  }
}
const print = (title: string, m: Map<string, number>, keep: (l: string) => boolean): void => {
  console.log(`\n${title}`);
  [...m.entries()]
    .filter(([l]) => keep(l))
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .forEach(([l, us]) => console.log(`${(us / 1000).toFixed(0).padStart(8)} ms  ${l}`));
};
console.log(`sampled ${(total / 1000).toFixed(0)} ms`);
print("self time", self, () => true);
print(`inclusive time${filter ? ` (matching "${filter}")` : ""}`, inclusive, (l) => l.includes(filter));
