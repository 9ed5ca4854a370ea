import type { CatalogOnlyRule } from "./rule";

/*
 * Rules checked outside the evaluator: a construct's props when it is constructed (they throw an
 * AgentConfigError listing every malformed prop at once), and the installed packages when the library
 * loads. Their entries live here so the catalog lists them; each says where it is checked.
 */

/** DBA-CFG-001: a malformed prop. */
export const malformedProp: CatalogOnlyRule = {
  id: "DBA-CFG-001",
  severity: "error",
  acknowledgeable: false,
  title: "A prop is malformed (wrong type, format or unknown name).",
  fix: "Correct the prop as the message says.",
  reads: "none",
  checkedIn: "each construct's constructor (lib/model/schemas.ts parseProps and the constructs)",
};

/** DBA-CFG-002: a dependency with a malformed name or id. */
export const malformedReference: CatalogOnlyRule = {
  id: "DBA-CFG-002",
  severity: "error",
  acknowledgeable: false,
  title: "A dependency is declared with a malformed name or id.",
  fix: "Correct the reference (full UC name, warehouse id, endpoint name).",
  reads: "none",
  checkedIn: "AgentAuthPolicy's constructor (each dependency's problems())",
};

/** DBA-CFG-003: an agent construct outside any stack. */
export const outsideStack: CatalogOnlyRule = {
  id: "DBA-CFG-003",
  severity: "error",
  acknowledgeable: false,
  title: "An agent construct is created outside any TerraformStack (e.g. directly under the App).",
  fix: "Create it inside a stack: pass the stack, or a construct in it, as the scope.",
  reads: "none",
  checkedIn: "each agent construct's constructor (sameCopyScope in lib/constructs/agent-stack-context.ts)",
};

/** DBA-CFG-004: a user construct with the reserved id of the stack context. */
export const reservedContextId: CatalogOnlyRule = {
  id: "DBA-CFG-004",
  severity: "error",
  acknowledgeable: false,
  title:
    "A construct directly in a stack has the id `DatabricksAgents`, reserved for the library's stack context.",
  fix: "Rename the construct (e.g. `DatabricksAgentsConfig`).",
  reads: "none",
  checkedIn: "AgentStackContext.of, when the first agent construct of the stack is created",
};

/** DBA-PKG-001: a missing or unsupported engine, bindings or `constructs`. */
export const unsupportedPackage: CatalogOnlyRule = {
  id: "DBA-PKG-001",
  severity: "error",
  acknowledgeable: false,
  title:
    "The engine, its Databricks provider bindings or `constructs` is missing or of an unsupported version (checked when the library loads).",
  fix: "Install the versions of the README's compatibility table for your engine, and import the matching flavour.",
  reads: "none",
  checkedIn: "lib/engine/setup-problems.ts, when the library loads",
};

/** DBA-PKG-002: a second copy of a package, or both flavours in one app. */
export const duplicatePackage: CatalogOnlyRule = {
  id: "DBA-PKG-002",
  severity: "error",
  acknowledgeable: false,
  title:
    "A second copy of the engine, `constructs`, the bindings or this library is loaded, or both flavours in one app (checked when the library loads).",
  fix: "Install from the registry or a packed tarball, not a directory or `npm link`; `npm dedupe`; `overrides` for a pinned copy.",
  reads: "none",
  checkedIn: "lib/engine/setup-problems.ts, when the library loads",
};

/** DBA-PKG-003: a Node.js older than the engine CLI needs. */
export const nodeTooOld: CatalogOnlyRule = {
  id: "DBA-PKG-003",
  severity: "error",
  acknowledgeable: false,
  title:
    "The Node.js running the app is older than the installed engine CLI needs (cdktn-cli needs >= 22.19.0).",
  fix: "Run the app and the CLI with a Node.js the CLI supports.",
  reads: "none",
  checkedIn: "lib/engine/setup-problems.ts, when the library loads",
};
