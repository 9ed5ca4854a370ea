import * as fs from "fs";
import * as path from "path";
import { ENGINES } from "../../lib/engine/compat";
import { ENGINE_DIFFERENCES, PROVIDER_VERSIONS } from "./engine-differences";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const map = require("./engine-map.cjs") as {
  renameRequest(r: string): string;
  substituteFile(f: string): string;
  CURRENT: string;
  CURRENT_CDKTN: string;
};
const root = path.join(__dirname, "..", "..");
const read = (rel: string): string => fs.readFileSync(path.join(root, rel), "utf8");

describe("the cdktn variant used by scripts/engine-alias.cjs and jest.cdktn.config.js", () => {
  test("test/engines/current.cdktn.ts is lib/engine/current.ts as scripts/build.mjs renames it", () => {
    // The build's rename of current.ts (scripts/build.mjs, `renames[CURRENT]`), and the import's new place.
    const expected = read("lib/engine/current.ts")
      .replace('ENGINE_NAME: EngineName = "cdktf";', 'ENGINE_NAME: EngineName = "cdktn";')
      .replace('from "./compat"', 'from "../../lib/engine/compat"');
    expect(read("test/engines/current.cdktn.ts")).toBe(expected);
    expect(read("scripts/build.mjs")).toContain(
      `[CURRENT]: [[/ENGINE_NAME: EngineName = "cdktf";/g, 'ENGINE_NAME: EngineName = "cdktn";']]`,
    );
  });

  test("module names are renamed as the build renames lib/engine/index.ts", () => {
    expect(map.renameRequest("cdktf")).toBe("cdktn");
    expect(map.renameRequest("cdktf/lib/_tokens")).toBe("cdktn/lib/_tokens");
    expect(map.renameRequest("@cdktf/provider-databricks/lib/grant")).toBe(
      "@cdktn/provider-databricks/lib/grant",
    );
    expect(map.renameRequest("@cdktf/provider-databricks")).toBe("@cdktn/provider-databricks");
    for (const untouched of ["cdktf-cli", "cdktfx", "@cdktf/provider-aws", "constructs", "./cdktf"])
      expect(map.renameRequest(untouched)).toBe(untouched);
    expect(map.substituteFile(map.CURRENT)).toBe(map.CURRENT_CDKTN);
    expect(map.substituteFile(path.join(path.dirname(map.CURRENT), "compat.ts"))).toMatch(/compat\.ts$/);
  });

  test("the tolerated differences are the compatibility table's provider versions and nothing else", () => {
    expect(PROVIDER_VERSIONS).toEqual({ cdktf: ENGINES.cdktf.provider, cdktn: ENGINES.cdktn.provider });
    expect(ENGINE_DIFFERENCES.map((d) => d.at)).toEqual([
      "version",
      '["//"].metadata.version',
      "terraform.required_providers.databricks.version",
    ]);
  });
});
