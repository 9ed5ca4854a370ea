"use strict";
/**
 * The one description of "this source, run under cdktn" used by the Node preload
 * (scripts/engine-alias.cjs) and the cdktn Jest run (jest.cdktn.config.js, test/engines/jest-resolver.cjs).
 * It mirrors what scripts/build.mjs does for dist/cdktn: the engine's module names are renamed, and
 * lib/engine/current.ts is replaced by its cdktn variant (test/engines/current.cdktn.ts, which
 * test/engines/current-variant.test.ts keeps equal to the build's rename of the real file).
 * Plain CommonJS with no dependencies: it is loaded before any TypeScript loader.
 */
const fs = require("fs");
const path = require("path");

const ROOT = fs.realpathSync(path.resolve(__dirname, "..", ".."));

/** The real module and its cdktn variant, as absolute file names (symlinks resolved, as Node caches them). */
const CURRENT = path.join(ROOT, "lib", "engine", "current.ts");
const CURRENT_CDKTN = path.join(ROOT, "test", "engines", "current.cdktn.ts");

/** Packages of the cdktf flavour, by the directory they are installed in (never loaded under the alias). */
const CDKTF_PACKAGES = ["cdktf", "@cdktf/provider-databricks"];

/** `cdktf` -> `cdktn`, `cdktf/<sub>` -> `cdktn/<sub>`, `@cdktf/provider-databricks[/<sub>]` -> `@cdktn/...`. */
function renameRequest(request) {
  if (typeof request !== "string") return request;
  if (request === "cdktf" || request.startsWith("cdktf/")) return "cdktn" + request.slice("cdktf".length);
  const b = "@cdktf/provider-databricks";
  if (request === b || request.startsWith(b + "/"))
    return "@cdktn/provider-databricks" + request.slice(b.length);
  return request;
}

/** The file to load instead of a resolved one: only lib/engine/current.ts is substituted. */
function substituteFile(resolved) {
  return resolved === CURRENT ? CURRENT_CDKTN : resolved;
}

/** The cdktf-flavour package a file belongs to (by its node_modules directory), or undefined. */
function cdktfPackageOf(file) {
  if (typeof file !== "string") return undefined;
  const norm = file.split(path.sep).join("/");
  return CDKTF_PACKAGES.find((p) => norm.includes(`/node_modules/${p}/`));
}

/** The same renames as Jest moduleNameMapper entries. */
const JEST_MODULE_NAME_MAPPER = {
  "^cdktf$": "cdktn",
  "^cdktf/(.*)$": "cdktn/$1",
  "^@cdktf/provider-databricks$": "@cdktn/provider-databricks",
  "^@cdktf/provider-databricks/(.*)$": "@cdktn/provider-databricks/$1",
};

module.exports = {
  ROOT,
  CURRENT,
  CURRENT_CDKTN,
  CDKTF_PACKAGES,
  renameRequest,
  substituteFile,
  cdktfPackageOf,
  JEST_MODULE_NAME_MAPPER,
};
