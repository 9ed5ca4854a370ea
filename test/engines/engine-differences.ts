/**
 * The complete list of ways the synthesized output may differ between cdktf and cdktn: the engine's
 * version string (manifest.json and each stack's "//".metadata block) and the Databricks provider
 * version each flavour's bindings pin in required_providers. Used by test/engines/compare-outputs.ts
 * (scripts/compare-engines.sh) and by the cdktn Jest run's snapshot serializer
 * (test/engines/cdktn-snapshot-serializer.ts). Nothing else may differ.
 */
import * as fs from "fs";
import * as path from "path";
import { ENGINES } from "../../lib/engine/compat";

/** The installed version of a package, read from disk (not required: no engine is loaded for this). */
const installedVersion = (pkg: string): string =>
  JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "node_modules", pkg, "package.json"), "utf8"))
    .version;

export interface EngineDifference {
  /** Which output files (relative to the synth output directory). */
  readonly file: RegExp;
  /** The JSON path of the value. */
  readonly at: string;
  readonly cdktf: string;
  readonly cdktn: string;
  readonly what: string;
}

export const ENGINE_VERSIONS = { cdktf: installedVersion("cdktf"), cdktn: installedVersion("cdktn") };
export const PROVIDER_VERSIONS = { cdktf: ENGINES.cdktf.provider, cdktn: ENGINES.cdktn.provider };

export const ENGINE_DIFFERENCES: readonly EngineDifference[] = [
  { file: /^manifest\.json$/, at: "version", ...ENGINE_VERSIONS, what: "engine version (manifest)" },
  {
    file: /^stacks\/[^/]+\/cdk\.tf\.json$/,
    at: '["//"].metadata.version',
    ...ENGINE_VERSIONS,
    what: "engine version (stack metadata)",
  },
  {
    file: /^stacks\/[^/]+\/cdk\.tf\.json$/,
    at: "terraform.required_providers.databricks.version",
    ...PROVIDER_VERSIONS,
    what: "provider version",
  },
];
