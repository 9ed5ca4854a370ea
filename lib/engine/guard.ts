/**
 * Runs when the library is loaded, before the engine is: refuses to work with a missing or unsupported
 * engine, a second copy of the engine, `constructs` or the provider bindings, the other flavour in the
 * same app, or a Node.js too old for the installed CLI. A second copy would otherwise synthesize with
 * exit 0 and grants silently missing.
 */
import * as fs from "fs";
import * as path from "path";
import { formatProblem, type Problem } from "../model/problem";
import { ENGINES, PACKAGE_NAME, type EngineName } from "./compat";
import { ENGINE_NAME } from "./current";
import { engineSetupProblems, type EngineSetup, type InstalledPackage } from "./setup-problems";

/** Thrown on load when the app's installation cannot work; lists every problem at once. */
export class EngineSetupError extends Error {
  constructor(public readonly problems: readonly Problem[]) {
    super(
      `${PACKAGE_NAME} cannot run in this app (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map(formatProblem).join("\n"),
    );
    this.name = "EngineSetupError";
  }
}

const REGISTRY = Symbol.for(`${PACKAGE_NAME}/loaded-copies`);

function installed(pkg: string, from: string): InstalledPackage | undefined {
  try {
    const manifest = require.resolve(`${pkg}/package.json`, { paths: [from] });
    const version = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: unknown }).version;
    return { dir: fs.realpathSync(path.dirname(manifest)), version: String(version) };
  } catch {
    return undefined;
  }
}

/** The facts about the running app, as the guard sees them. */
export function probeEngineSetup(engine: EngineName = ENGINE_NAME): EngineSetup {
  const e = ENGINES[engine];
  const other = ENGINES[engine === "cdktf" ? "cdktn" : "cdktf"];
  const libraryDir = fs.realpathSync(path.join(__dirname, ".."));
  const appRoots = [...new Set([process.cwd(), require.main?.path].filter((x): x is string => !!x))];
  const pkgs = [e.engine, e.bindings, "constructs"];
  const own = Object.fromEntries(pkgs.map((p) => [p, installed(p, __dirname)] as const));
  const app = Object.fromEntries(
    pkgs.map(
      (p) => [p, appRoots.map((r) => installed(p, r)).filter((x): x is InstalledPackage => !!x)] as const,
    ),
  );
  // Loaded modules of the other flavour (require.cache holds absolute file names).
  const loaded = Object.keys(require.cache ?? {});
  const otherFlavourLoaded = [other.engine, other.bindings].filter((p) =>
    loaded.some((f) =>
      f.includes(`${path.sep}node_modules${path.sep}${p.split("/").join(path.sep)}${path.sep}`),
    ),
  );
  const registry = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= []) as {
    engine: EngineName;
    dir: string;
  }[];
  const otherLibraryCopies = registry.filter((c) => c.engine !== engine || c.dir !== libraryDir);
  const cli = appRoots.map((r) => installed(e.cli, r)).find((x) => !!x);
  const otherFlavourInstalled = [__dirname, ...appRoots]
    .map((r) => installed(other.engine, r))
    .find((x) => !!x);
  return {
    engine,
    own,
    app,
    otherFlavourLoaded,
    otherLibraryCopies,
    libraryDir,
    nodeVersion: process.versions.node,
    ...(cli ? { cli } : {}),
    ...(otherFlavourInstalled ? { otherFlavourInstalled } : {}),
  };
}

/** Throw {@link EngineSetupError} when the app's installation cannot work; register this copy otherwise. */
export function assertEngineSetup(setup: EngineSetup = probeEngineSetup()): void {
  const problems = engineSetupProblems(setup);
  if (problems.length > 0) throw new EngineSetupError(problems);
  const registry = (globalThis as Record<symbol, unknown>)[REGISTRY] as { engine: EngineName; dir: string }[];
  if (!registry.some((c) => c.engine === setup.engine && c.dir === setup.libraryDir))
    registry.push({ engine: setup.engine, dir: setup.libraryDir });
}

assertEngineSetup();
