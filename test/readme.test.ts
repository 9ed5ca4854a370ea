import * as fs from "fs";
import * as path from "path";
import { ENGINES, RULES } from "../lib";
import { CONSTRUCTS_RANGE, npmRange, PACKAGE_NAME, TYPESCRIPT_RANGE } from "../lib/engine/compat";
import { AUTH_POLICY_HELP } from "../lib/constructs/agent-auth-policy-props";
import { SERVING_ENDPOINT_HELP } from "../lib/constructs/agent-serving-endpoint-props";
import { GENIE_BUNDLE_HELP } from "../lib/constructs/genie-resource-bundle-props";

const root = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const blocks = (lang: string): string[] =>
  [...readme.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
const squash = (s: string): string => s.replace(/\s+/g, " ").trim();

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "__snapshots__" ? [] : filesUnder(rel);
    return rel.endsWith(".ts") || rel.endsWith(".ts.tmpl") ? [rel] : [];
  });
}

/** The README's compatibility table, from the one table of supported engines. */
function compatibilityTable(): string {
  return (
    [
      "| engine | import from | provider bindings | Databricks provider | `constructs` | Node.js (CLI) | TypeScript |",
      "|---|---|---|---|---|---|---|",
      ...Object.values(ENGINES)
        .map((e) =>
          [
            `\`${e.engine}\` ${npmRange(e.engineRange)}, \`${e.cli}\``,
            `\`${e.entry}\``,
            `\`${e.bindings}\` ${e.bindingsTested} (${npmRange(e.bindingsRange)})`,
            e.provider,
            npmRange(e.constructsRange),
            npmRange(e.cliNode),
            npmRange(TYPESCRIPT_RANGE),
          ].join(" | "),
        )
        .map((row) => `| ${row} |`),
    ].join("\n") +
    `\n\nThe package's peer range for \`constructs\` is ${npmRange(CONSTRUCTS_RANGE)}; each engine narrows it as above.`
  );
}

describe("README stays true", () => {
  test("the rule catalog table is generated from lib/rules/catalog.ts", () => {
    const table = readme.split("<!-- rules:begin -->\n")[1]!.split("\n<!-- rules:end -->")[0]!;
    const expected = [
      "| id | severity | acknowledgeable | catches | fix |",
      "|---|---|---|---|---|",
      ...Object.values(RULES).map(
        (r) =>
          `| \`${r.id}\` | ${r.severity} | ${r.acknowledgeable ? "yes" : "no"} | ${r.title} | ${r.fix.replace(/\|/g, "\\|")} |`,
      ),
    ].join("\n");
    expect(table).toBe(expected);
  });

  test("every TypeScript block is code that runs in an example or a test", () => {
    // The consumer test's fixtures (*.ts.tmpl) as the cdktf platform repo gets them.
    const cdktf = { engine: "cdktf", bindings: ENGINES.cdktf.bindings, library: ENGINES.cdktf.entry };
    const render = (text: string): string =>
      text.replace(/\{\{(engine|bindings|library)\}\}/g, (_, k: keyof typeof cdktf) => cdktf[k]);
    const sources = [...filesUnder("examples"), ...filesUnder("test")].map((f) =>
      squash(render(fs.readFileSync(path.join(root, f), "utf8"))),
    );
    const orphans = blocks("ts").filter((b) => !sources.some((src) => src.includes(squash(b))));
    expect(orphans).toEqual([]);
  });

  test("the Python blocks are executed by python/tests/test_readme.py, and the check command is a bin of this package", () => {
    expect(blocks("python")).toHaveLength(2);
    expect(fs.readFileSync(path.join(root, "python/tests/test_readme.py"), "utf8")).toContain("README.md");
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const used = blocks("sh").flatMap((b) => [...b.matchAll(/npx (dba-[\w-]+)/g)].map((m) => m[1]!));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((b) => !(b in pkg.bin))).toEqual([]);
  });

  test("every npm script the README runs exists, and the first-screen commands are the documented ones", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const scripts = blocks("sh").flatMap((b) => [...b.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(scripts.filter((s) => !(s in pkg.scripts))).toEqual([]);
    expect(pkg.scripts.test).toBe("jest");
    const cdktf = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));
    expect(cdktf.app).toContain("examples/health-monitor/main.ts");
    // Install once, then synthesize the bundled example, then test: no second install.
    const commands = blocks("sh")[0]!
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter(Boolean);
    expect(commands).toEqual(["npm ci", "npx cdktf synth", "npm test"]);
    expect(readme.split("\n").findIndex((l) => l.startsWith("npm test"))).toBeLessThan(30);
  });

  test("the compatibility table is generated from lib/engine/compat.ts", () => {
    const table = readme.split("<!-- compat:begin -->\n")[1]!.split("\n<!-- compat:end -->")[0]!;
    expect(table).toBe(compatibilityTable());
  });

  test("the install lines are the ones the consumer test runs, in its order", () => {
    const script = fs.readFileSync(path.join(root, "scripts/consumer-test.sh"), "utf8");
    const line = (name: string): string => script.match(new RegExp(`^${name}='([^']+)'$`, "m"))![1]!;
    const installBlocks = blocks("sh").filter((b) => b.includes(`npm install ${PACKAGE_NAME} `));
    const commands = (b: string): string[] => b.split("\n").filter((l) => l.startsWith("npm install"));
    expect(installBlocks.map(commands)).toEqual([
      [line("CDKTF_INSTALL_DEV"), line("CDKTF_INSTALL")],
      [line("CDKTN_INSTALL_DEV"), line("CDKTN_INSTALL")],
    ]);
    for (const e of Object.values(ENGINES)) {
      expect(readme).toContain(`npm install ${PACKAGE_NAME} ${e.bindings}@${e.bindingsTested}`);
      expect(readme).toContain(`from \`${e.entry}\``);
    }
  });

  test("every construct prop is in the reference", () => {
    const props = [GENIE_BUNDLE_HELP, AUTH_POLICY_HELP, SERVING_ENDPOINT_HELP].flatMap((h) => Object.keys(h));
    expect(props.filter((p) => !readme.includes(`| \`${p}\` |`))).toEqual([]);
  });

  test("every example is listed in the README", () => {
    const examples = fs
      .readdirSync(path.join(root, "examples"))
      .filter((d) => fs.existsSync(path.join(root, "examples", d, "main.ts")));
    expect(examples.filter((e) => !readme.includes(`examples/${e}/`))).toEqual([]);
  });
});
