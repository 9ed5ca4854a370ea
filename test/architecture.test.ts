import * as fs from "fs";
import * as path from "path";

const lib = path.join(__dirname, "..", "lib");
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? files(path.join(dir, e.name))
        : e.name.endsWith(".ts")
          ? [path.join(dir, e.name)]
          : [],
    );

/** lib/ as a graph of relative imports, type-only imports included (they are design dependencies too). */
function importGraph(): Map<string, string[]> {
  const all = new Set(files(lib));
  const resolve = (from: string, spec: string): string | undefined =>
    [
      `${path.resolve(path.dirname(from), spec)}.ts`,
      path.join(path.resolve(path.dirname(from), spec), "index.ts"),
    ].find((f) => all.has(f));
  const graph = new Map<string, string[]>();
  for (const f of all) {
    const text = fs.readFileSync(f, "utf8");
    const specs = [
      ...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]*)"|^import\s+"(\.[^"]*)"/gm),
    ].map((m) => (m[1] ?? m[2])!);
    graph.set(
      f,
      specs.map((s) => resolve(f, s)).filter((x): x is string => x !== undefined),
    );
  }
  return graph;
}

/** Every cycle's members (strongly connected components with more than one file, or a self-import). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(path.relative(lib, w));
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test("lib/ has no import cycle (type-only imports included)", () => {
  expect(cycles(importGraph())).toEqual([]);
});

test("the cycle check finds a cycle when there is one", () => {
  const g = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a"]],
    ["d", ["a"]],
  ]);
  expect(cycles(g)).toHaveLength(1);
});

test("lib/model, lib/rules and lib/grants import nothing from lib/constructs or the engine", () => {
  const graph = importGraph();
  const bad = [...graph.entries()].flatMap(([f, deps]) =>
    /[/\\](model|rules|grants)[/\\]/.test(f)
      ? deps
          .filter((d) => /[/\\](constructs|engine)[/\\]/.test(d))
          .map((d) => `${path.relative(lib, f)} -> ${path.relative(lib, d)}`)
      : [],
  );
  expect(bad).toEqual([]);
});
