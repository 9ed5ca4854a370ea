import * as fs from "fs";
import * as path from "path";
import type { TerraformStack } from "cdktf";
import { ENGINES, EngineSetupError } from "../lib";
import { CONSTRUCTS_RANGE, npmRange, PACKAGE_NAME } from "../lib/engine/compat";
import { assertEngineSetup } from "../lib/engine/guard";
import { engineSetupProblems, type EngineSetup } from "../lib/engine/setup-problems";
import { agent, newStack, thrown } from "./helpers";

const pkg = (dir: string, version: string) => ({ dir, version });
/** A correct cdktf app: one copy of everything, the CLI on a Node.js it supports. */
const good = (over: Partial<EngineSetup> = {}): EngineSetup => ({
  engine: "cdktf",
  own: {
    cdktf: pkg("/app/node_modules/cdktf", "0.21.0"),
    "@cdktf/provider-databricks": pkg("/app/node_modules/@cdktf/provider-databricks", "15.16.1"),
    constructs: pkg("/app/node_modules/constructs", "10.8.1"),
  },
  app: {
    cdktf: [pkg("/app/node_modules/cdktf", "0.21.0")],
    constructs: [pkg("/app/node_modules/constructs", "10.8.1")],
  },
  otherFlavourLoaded: [],
  otherLibraryCopies: [],
  libraryDir: "/app/node_modules/cdktf-databricks-agents/dist/cdktf/lib",
  nodeVersion: "20.20.2",
  cli: pkg("/app/node_modules/cdktf-cli", "0.21.0"),
  ...over,
});
const ids = (s: EngineSetup) => engineSetupProblems(s).map((p) => `${p.ruleId} ${p.prop}`);

describe("engine setup rules (checked when the library loads)", () => {
  test("a correct cdktf app and a correct cdktn app: silent", () => {
    expect(ids(good())).toEqual([]);
    const cdktn = good({
      engine: "cdktn",
      own: {
        cdktn: pkg("/a/node_modules/cdktn", "0.24.0"),
        "@cdktn/provider-databricks": pkg("/a/node_modules/@cdktn/provider-databricks", "18.7.0"),
        constructs: pkg("/a/node_modules/constructs", "10.7.2"),
      },
      app: {},
      nodeVersion: "24.19.0",
      cli: pkg("/a/node_modules/cdktn-cli", "0.24.0"),
    });
    expect(ids(cdktn)).toEqual([]);
  });

  test("DBA-PKG-001: a missing engine names the install line", () => {
    const [p, ...rest] = engineSetupProblems(good({ own: { ...good().own, cdktf: undefined } }));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ ruleId: "DBA-PKG-001", prop: "cdktf", received: "not installed" });
    expect(p!.fix).toContain('npm install cdktf@">=0.21.0 <0.22.0" @cdktf/provider-databricks@15.16.1');
  });

  test("DBA-PKG-001: the cdktf flavour imported in a cdktn app points to the cdktn import first", () => {
    const [p] = engineSetupProblems(
      good({
        own: { ...good().own, cdktf: undefined },
        otherFlavourInstalled: pkg("/app/node_modules/cdktn", "0.24.0"),
      }),
    );
    expect(p!.fix).toMatch(
      /^this app uses cdktn 0\.24\.0: import from "cdktf-databricks-agents\/cdktn" instead of "cdktf-databricks-agents"/,
    );
  });

  test("DBA-PKG-001: an engine older than supported, and constructs outside the engine's range", () => {
    const problems = engineSetupProblems(
      good({
        own: {
          ...good().own,
          cdktf: pkg("/app/node_modules/cdktf", "0.20.11"),
          constructs: pkg("/app/node_modules/constructs", "10.3.0"),
        },
      }),
    );
    expect(problems.map((p) => [p.ruleId, p.prop, p.received, p.allowed])).toEqual([
      ["DBA-PKG-001", "cdktf", "0.20.11 at /app/node_modules/cdktf", "cdktf@>=0.21.0 <0.22.0"],
      ["DBA-PKG-001", "constructs", "10.3.0 at /app/node_modules/constructs", "constructs@>=10.4.2 <11.0.0"],
    ]);
  });

  test("DBA-PKG-002: the app and the library resolve different copies (install from a directory, npm link)", () => {
    const linked = good({
      own: { ...good().own, cdktf: pkg("/src/lib/node_modules/cdktf", "0.21.0") },
    });
    const [p, ...rest] = engineSetupProblems(linked);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ ruleId: "DBA-PKG-002", prop: "cdktf" });
    expect(p!.received).toBe(
      "app: 0.21.0 at /app/node_modules/cdktf; library: 0.21.0 at /src/lib/node_modules/cdktf",
    );
    expect(p!.fix).toContain('"overrides": { "cdktf": "$cdktf" }');
    expect(p!.fix).toContain("npm ls cdktf");
  });

  test("DBA-PKG-002: the other flavour loaded in the same app, and a second copy of this library", () => {
    expect(
      ids(
        good({
          otherFlavourLoaded: ["@cdktn/provider-databricks"],
          otherLibraryCopies: [
            { engine: "cdktn", dir: "/app/node_modules/cdktf-databricks-agents/dist/cdktn/lib" },
          ],
        }),
      ),
    ).toEqual(["DBA-PKG-002 @cdktn/provider-databricks", `DBA-PKG-002 ${PACKAGE_NAME}`]);
  });

  test("DBA-PKG-003: Node.js older than the installed CLI needs; silent without that CLI", () => {
    const cdktn = (nodeVersion: string, cli = true): EngineSetup =>
      good({
        engine: "cdktn",
        own: {
          cdktn: pkg("/a/cdktn", "0.24.0"),
          "@cdktn/provider-databricks": pkg("/a/p", "18.7.0"),
          constructs: pkg("/a/c", "10.7.2"),
        },
        app: {},
        nodeVersion,
        ...(cli ? { cli: pkg("/a/cdktn-cli", "0.24.0") } : { cli: undefined }),
      });
    const [p] = engineSetupProblems(cdktn("20.20.2"));
    expect(p).toMatchObject({
      ruleId: "DBA-PKG-003",
      received: "Node.js 20.20.2",
      allowed: "Node.js >=22.19.0",
    });
    expect(p!.message).toContain("cdktn-cli 0.24.0 needs Node.js >=22.19.0");
    expect(ids(cdktn("22.19.0"))).toEqual([]);
    expect(ids(cdktn("20.20.2", false))).toEqual([]);
  });

  test("the error lists every problem once, with what, allowed and fix", () => {
    const setup = good({
      own: { ...good().own, cdktf: undefined },
      otherFlavourLoaded: ["cdktn"],
    });
    expect(() => assertEngineSetup(setup)).toThrow(EngineSetupError);
    try {
      assertEngineSetup(setup);
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain(`${PACKAGE_NAME} cannot run in this app (2 problems)`);
      expect(msg.match(/\[DBA-PKG-001\]/g)).toHaveLength(1);
      expect(msg.match(/\[DBA-PKG-002\]/g)).toHaveLength(1);
      expect(msg.match(/ fix: /g)).toHaveLength(2);
    }
  });

  test("the package's peer ranges are the compatibility table's", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
    const expected: Record<string, string> = { constructs: npmRange(CONSTRUCTS_RANGE) };
    for (const e of Object.values(ENGINES)) {
      expected[e.engine] = npmRange(e.engineRange);
      expected[e.bindings] = npmRange(e.bindingsRange);
      expect(manifest.devDependencies[e.bindings]).toBe(e.bindingsTested);
      expect(manifest.peerDependenciesMeta[e.engine]).toEqual({ optional: true });
    }
    expect(manifest.peerDependencies).toEqual(expected);
  });
});

describe("construct-time backstop: a scope from another copy of the engine or constructs", () => {
  test("DBA-PKG-002 instead of a synth with grants and ACLs silently missing", () => {
    let foreign: typeof import("cdktf") | undefined;
    jest.isolateModules(() => {
      // A second copy of the engine, as an install from a directory gives: require inside an isolated registry.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      foreign = require("cdktf") as typeof import("cdktf");
    });
    const stack = new foreign!.TerraformStack(new foreign!.App(), "other-copy");
    const msg = thrown(() => agent(stack as unknown as TerraformStack));
    expect(msg).toContain("[DBA-PKG-002] other-copy (prop constructs)");
    expect(msg).toContain("comes from another copy of constructs than the library's");
    expect(msg).toMatch(/fix: +install cdktf-databricks-agents from the registry or a packed tarball/);
  });

  test("silent with the app's own copies", () => {
    expect(thrown(() => agent(newStack("same-copy")))).toBe("");
  });
});
