#!/usr/bin/env node
// Build both flavours of the library from one source (npm run build; also run by prepack):
//   dist/cdktf/  lib + bin compiled as written (cdktf 0.21, @cdktf/provider-databricks)
//   dist/cdktn/  lib compiled after renaming the engine's module names in the two seam files only
//                (lib/engine/index.ts, lib/engine/current.ts): cdktn 0.24, @cdktn/provider-databricks
// Each flavour is type-checked against its own engine. The build fails if any other file names an
// engine module, or if a flavour's output requires the other flavour's packages.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const fail = (msg) => {
  console.error(`build: ${msg}`);
  process.exit(1);
};
const filesUnder = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });

// The renames, per flavour: [pattern, replacement]. Only module specifiers and the engine name.
const SEAM = "lib/engine/index.ts";
const CURRENT = "lib/engine/current.ts";
const ENGINE_SPECIFIER = /from "(cdktf|cdktn)(\/[^"]*)?"|from "@(cdktf|cdktn)\/provider-[^"]*"/;
const renames = {
  [SEAM]: [
    [/from "cdktf"/g, 'from "cdktn"'],
    [/from "cdktf\//g, 'from "cdktn/'],
    [/from "@cdktf\/provider-databricks\//g, 'from "@cdktn/provider-databricks/'],
  ],
  [CURRENT]: [[/ENGINE_NAME: EngineName = "cdktf";/g, 'ENGINE_NAME: EngineName = "cdktn";']],
};

// 1. Only the seam names engine modules.
for (const file of filesUnder(path.join(root, "lib")).filter((f) => f.endsWith(".ts"))) {
  const rel = path.relative(root, file).split(path.sep).join("/");
  if (rel !== SEAM && ENGINE_SPECIFIER.test(fs.readFileSync(file, "utf8")))
    fail(`${rel} imports an engine module; only ${SEAM} may (import from "../engine" instead)`);
}

fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
const staging = path.join(root, ".build", "cdktn");
fs.rmSync(staging, { recursive: true, force: true });

// 2. cdktf: the source as written.
execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });

// 3. cdktn: a copy of lib/ with the renames, compiled against cdktn.
fs.cpSync(path.join(root, "lib"), path.join(staging, "lib"), { recursive: true });
for (const [rel, rules] of Object.entries(renames)) {
  const file = path.join(staging, rel);
  let text = fs.readFileSync(file, "utf8");
  for (const [pattern, replacement] of rules) {
    if (!pattern.test(text)) fail(`${rel}: expected to rename ${pattern} for cdktn, found nothing`);
    text = text.replace(pattern, replacement);
  }
  fs.writeFileSync(file, text);
}
fs.writeFileSync(
  path.join(staging, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../../tsconfig.build.json",
      compilerOptions: { rootDir: ".", outDir: "../../dist/cdktn" },
      include: ["lib/**/*.ts"],
      exclude: [],
    },
    null,
    2,
  ),
);
execFileSync(process.execPath, [tsc, "-p", path.join(staging, "tsconfig.json")], { stdio: "inherit" });
fs.rmSync(path.join(root, ".build"), { recursive: true, force: true });

// 4. No flavour loads the other's packages.
const requires = /require\("(@?cdkt[fn])[/"]|from "(@?cdkt[fn])[/"]/g;
for (const [flavour, forbidden] of [
  ["cdktf", ["cdktn", "@cdktn"]],
  ["cdktn", ["cdktf", "@cdktf"]],
]) {
  const dir = path.join(root, "dist", flavour);
  for (const file of filesUnder(dir).filter((f) => /\.(js|d\.ts)$/.test(f)))
    for (const m of fs.readFileSync(file, "utf8").matchAll(requires))
      if (forbidden.includes(m[1] ?? m[2])) fail(`${path.relative(root, file)} requires ${m[0]}: a second engine`);
}
// 5. Members marked @internal are not in the type declarations (stripInternal).
const internal =
  /\/\*\*(?:(?!\*\/)[\s\S])*@internal[\s\S]*?\*\/\s*(?:export\s+)?(?:(?:public|static|readonly|async|function|class|const|get|set)\s+)*([A-Za-z_$][\w$]*)/g;
let stripped = 0;
for (const file of filesUnder(path.join(root, "lib")).filter((f) => f.endsWith(".ts"))) {
  const rel = path.relative(path.join(root, "lib"), file).replace(/\.ts$/, ".d.ts");
  for (const m of fs.readFileSync(file, "utf8").matchAll(internal))
    for (const flavour of ["cdktf", "cdktn"]) {
      const dts = fs.readFileSync(path.join(root, "dist", flavour, "lib", rel), "utf8");
      if (new RegExp(`\\b${m[1]}\\b`).test(dts)) fail(`@internal ${m[1]} is in dist/${flavour}/lib/${rel}`);
      stripped++;
    }
}
if (stripped === 0) fail("found no @internal member to check: the check is broken");
console.log(`build: dist/cdktf and dist/cdktn (${stripped / 2} @internal members stripped from the declarations)`);
