import * as path from "path";
import { ENGINES } from "../../lib/engine/compat";
import { ENGINE_NAME } from "../../lib/engine/current";
import { probeEngineSetup } from "../../lib/engine/guard";
import { engineSetupProblems } from "../../lib/engine/setup-problems";

// Runs in both Jest runs: jest.config.js (cdktf) and jest.cdktn.config.js (cdktn, ENGINE_NAME "cdktn").
describe("the flavour this run is bound to", () => {
  const e = ENGINES[ENGINE_NAME];

  test("the engine module loaded is the one ENGINE_NAME names", () => {
    // Under cdktn the request "cdktf" is renamed to cdktn (moduleNameMapper), like dist/cdktn's imports.
    expect(require.resolve("cdktf")).toContain(`${path.sep}node_modules${path.sep}${e.engine}${path.sep}`);
    expect(require.resolve("@cdktf/provider-databricks/lib/provider")).toContain(
      `${path.sep}node_modules${path.sep}${e.bindings.split("/").join(path.sep)}${path.sep}`,
    );
  });

  test("this repository's own installation passes the real probe", () => {
    const setup = probeEngineSetup();
    expect(setup.engine).toBe(ENGINE_NAME);
    expect(setup.own[e.engine]?.version).toBe(e.engineRange.min);
    expect(setup.own[e.bindings]?.version).toBe(e.bindingsTested);
    expect(setup.otherFlavourLoaded).toEqual([]);
    expect(engineSetupProblems(setup)).toEqual([]);
  });
});
