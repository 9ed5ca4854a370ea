"use strict";
/**
 * Run this repository's sources under cdktn without editing them: a CommonJS preload that does, at
 * module resolution, what scripts/build.mjs does to the source of dist/cdktn.
 *
 *   NODE_OPTIONS="--require ./scripts/engine-alias.cjs" npx tsx examples/quickstart/main.ts
 *
 * - "cdktf", "cdktf/<sub>"                  -> "cdktn", "cdktn/<sub>"
 * - "@cdktf/provider-databricks[/<sub>]"    -> "@cdktn/provider-databricks[/<sub>]"
 * - lib/engine/current.ts (ENGINE_NAME)     -> test/engines/current.cdktn.ts (ENGINE_NAME = "cdktn"),
 *   so the load-time guard (lib/engine/guard.ts) checks the installation as the cdktn flavour.
 *
 * Never two engines in one process: resolving any file of cdktf or @cdktf/provider-databricks throws,
 * and at exit require.cache is checked again (exit code 1 if a cdktf file is in it). With
 * DBA_ENGINE_ALIAS_REPORT=<file>, each process appends one JSON line saying what it loaded, so a
 * caller can prove the alias was active. NODE_OPTIONS is inherited by child processes (npx, tsx's
 * worker): each one installs the hooks again.
 */
const Module = require("module");
const fs = require("fs");
const map = require("../test/engines/engine-map.cjs");

if (!globalThis[Symbol.for("cdktf-databricks-agents/engine-alias")]) {
  globalThis[Symbol.for("cdktf-databricks-agents/engine-alias")] = true;

  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    const resolved = map.substituteFile(
      resolveFilename.call(this, map.renameRequest(request), parent, isMain, options),
    );
    const pkg = map.cdktfPackageOf(resolved);
    if (pkg)
      throw new Error(
        `engine-alias: ${resolved} (${pkg}) would load a second engine under cdktn ` +
          `(requested as "${request}" from ${parent && parent.filename}); one process, one engine`,
      );
    return resolved;
  };

  process.on("exit", () => {
    const loaded = Object.keys(require.cache);
    const cdktf = loaded.filter((f) => map.cdktfPackageOf(f));
    const count = (dir) =>
      loaded.filter((f) => f.split("\\").join("/").includes(`/node_modules/${dir}/`)).length;
    const facts = {
      pid: process.pid,
      node: process.versions.node,
      argv: process.argv.slice(1),
      cdktn: count("cdktn"),
      cdktnBindings: count("@cdktn/provider-databricks"),
      cdktf: cdktf.length,
      realCurrent: loaded.includes(map.CURRENT),
      cdktnCurrent: loaded.includes(map.CURRENT_CDKTN),
    };
    if (process.env.DBA_ENGINE_ALIAS_REPORT)
      fs.appendFileSync(process.env.DBA_ENGINE_ALIAS_REPORT, JSON.stringify(facts) + "\n");
    if (cdktf.length > 0 || facts.realCurrent) {
      process.stderr.write(
        `engine-alias: cdktf modules loaded under cdktn (${cdktf.length}):\n  ${cdktf.slice(0, 10).join("\n  ")}\n` +
          (facts.realCurrent ? `  and the real ${map.CURRENT}\n` : ""),
      );
      process.exitCode = 1;
    }
  });
}
