/**
 * What each engine flavour of this library supports: the one home of the compatibility facts. The
 * engine guard, the package's peer ranges (checked by a test) and the README's compatibility table read it.
 * Pure data: no engine import here.
 */
export type EngineName = "cdktf" | "cdktn";

/** A half-open version range `>= min` and `< below`. */
export interface VersionRange {
  readonly min: string;
  readonly below: string;
}

/** One engine flavour: the engine, its Databricks provider bindings, the CLI and where to import from. */
export interface EngineSupport {
  /** npm package of the engine. */
  readonly engine: EngineName;
  /** Engine versions this flavour is built and tested against. */
  readonly engineRange: VersionRange;
  /** npm package of the prebuilt Databricks provider bindings. */
  readonly bindings: string;
  /** Bindings versions supported. */
  readonly bindingsRange: VersionRange;
  /** The bindings version the library is tested with. */
  readonly bindingsTested: string;
  /** The Terraform provider version those bindings pin in `required_providers`. */
  readonly provider: string;
  /** npm package of the engine's CLI. */
  readonly cli: string;
  /** Node.js versions the CLI runs on (its `engines.node`). */
  readonly cliNode: VersionRange;
  /** The module a platform repo imports this flavour from. */
  readonly entry: string;
  /** `constructs` versions the engine and its bindings accept. */
  readonly constructsRange: VersionRange;
}

/** The library's npm package name. */
export const PACKAGE_NAME = "cdktf-databricks-agents";

/** `constructs` versions any flavour accepts (the peer range; each engine narrows it). */
export const CONSTRUCTS_RANGE: VersionRange = { min: "10.4.2", below: "11.0.0" };

/** TypeScript versions a platform repo can compile and test with (ts-jest 29 does not support TypeScript 7). */
export const TYPESCRIPT_RANGE: VersionRange = { min: "5.4.0", below: "7.0.0" };

/** The two flavours, built from one source. */
export const ENGINES: Readonly<Record<EngineName, EngineSupport>> = {
  cdktf: {
    engine: "cdktf",
    engineRange: { min: "0.21.0", below: "0.22.0" },
    bindings: "@cdktf/provider-databricks",
    bindingsRange: { min: "15.16.1", below: "16.0.0" },
    bindingsTested: "15.16.1",
    provider: "1.99.0",
    cli: "cdktf-cli",
    cliNode: { min: "20.9.0", below: "999.0.0" },
    entry: PACKAGE_NAME,
    constructsRange: { min: "10.4.2", below: "11.0.0" },
  },
  cdktn: {
    engine: "cdktn",
    engineRange: { min: "0.24.0", below: "0.25.0" },
    bindings: "@cdktn/provider-databricks",
    bindingsRange: { min: "18.7.0", below: "19.0.0" },
    bindingsTested: "18.7.0",
    provider: "1.132.0",
    cli: "cdktn-cli",
    cliNode: { min: "22.19.0", below: "999.0.0" },
    entry: `${PACKAGE_NAME}/cdktn`,
    constructsRange: { min: "10.6.0", below: "10.8.0" },
  },
};

/** A range in npm's syntax, e.g. `>=0.21.0 <0.22.0`. */
export function npmRange(r: VersionRange): string {
  return r.below === "999.0.0" ? `>=${r.min}` : `>=${r.min} <${r.below}`;
}
