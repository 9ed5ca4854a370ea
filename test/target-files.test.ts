// The per-stack files (mlflow.json, apps.json) and the per-target layout (mlflow/<key>/, apps/<key>/).
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AgentApp, AgentServingEndpoint, AgentStackContext, Principal } from "../lib";
import { main as exportMain } from "../bin/export";
import { endpointFiles, type AppsFile, type MlflowFile } from "../lib/constructs/target-files";
import { appYamlText } from "../lib/constructs/app-handoff";
import { agent, newStack, thrown } from "./helpers";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "target-files-"));
  dirs.push(dir);
  return dir;
}

/** Every file under `dir`, by path relative to it, with its text. */
function tree(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of Object.entries(tree(p))) out[`${e.name}/${k}`] = v;
    else out[e.name] = fs.readFileSync(p, "utf8");
  }
  return out;
}

/**
 * A stack with two endpoints (one named by a variable) and two apps (one reaching the sales agent on
 * behalf of the user, with user scopes and notes), declared in `order`.
 */
function build(stack: TerraformStack, order: readonly string[]): void {
  const { policy } = agent(stack);
  const make: Record<string, () => unknown> = {
    byVariable: () =>
      new AgentServingEndpoint(stack, "Variable", {
        name: new TerraformVariable(stack, "endpoint_name", { type: "string" }).stringValue,
        model: { name: "main.agents.sales_agent", version: "4" },
        authPolicy: policy,
      }),
    app: () =>
      new AgentApp(stack, "App", {
        name: "sales-app",
        authPolicy: policy,
        consumers: [Principal.group("sales-analysts")],
        environment: { LOG_LEVEL: "info" },
      }),
    plainApp: () => new AgentApp(stack, "PlainApp", { name: "plain-app" }),
  };
  for (const k of order) make[k]!();
}

/** Synthesize `build` into a fresh outdir; the stack's output directory. */
function synth(order: readonly string[], configure: (s: TerraformStack) => void = () => undefined): string {
  const outdir = tempDir();
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "files");
  new DatabricksProvider(stack, "databricks", {});
  build(stack, order);
  configure(stack);
  app.synth();
  return path.join(outdir, "stacks", "files");
}

const ORDER = ["byVariable", "app", "plainApp"];

/** The per-target layout, asked for as the README shows. */
const perTarget = (stack: TerraformStack): void => {
  AgentStackContext.of(stack).configureFiles({ perTargetFiles: true });
};
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

/** Run dba-export; its exit code and what it printed. */
function runExport(argv: readonly string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = exportMain(
    argv,
    (x) => out.push(x),
    (x) => err.push(x),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("the per-stack files", () => {
  test("one mlflow.json and one apps.json per stack, however many targets: no per-target directory", () => {
    const dir = synth(ORDER);
    expect(fs.readdirSync(dir).sort()).toEqual([
      "agent-report.json",
      "apps.json",
      "cdk.tf.json",
      "endpoint-lock.json",
      "mlflow.json",
    ]);
    const mlflow = readJson<MlflowFile>(path.join(dir, "mlflow.json"));
    expect(Object.keys(mlflow)).toEqual(["files-Variable", "sales-agent"]);
    expect(Object.keys(mlflow["sales-agent"]!)).toEqual(["auth_policy", "metadata"]);
    const apps = readJson<AppsFile>(path.join(dir, "apps.json"));
    expect(Object.keys(apps)).toEqual(["plain-app", "sales-app"]);
    expect(Object.keys(apps["sales-app"]!)).toEqual(["handoff"]);
  });

  test("no apps.json for a stack without apps", () => {
    const dir = synth(["byVariable"]);
    expect(fs.readdirSync(dir).sort()).toEqual([
      "agent-report.json",
      "cdk.tf.json",
      "endpoint-lock.json",
      "mlflow.json",
    ]);
  });

  test("the report's keys name the entries", () => {
    const dir = synth(ORDER);
    const report = readJson<{
      endpoints: { path: string; mlflowKey: string }[];
      apps: { appsKey: string }[];
    }>(path.join(dir, "agent-report.json"));
    expect(report.endpoints.map((e) => e.mlflowKey)).toEqual(["sales-agent", "files-Variable"]);
    expect(report.apps.map((a) => a.appsKey)).toEqual(["sales-app", "plain-app"]);
    expect(JSON.stringify(report)).not.toMatch(/mlflowDir|handoffDir/);
  });

  test("byte-identical whatever the declaration order", () => {
    const a = synth(ORDER);
    const b = synth([...ORDER].reverse());
    for (const f of ["mlflow.json", "apps.json"])
      expect(fs.readFileSync(path.join(b, f), "utf8")).toBe(fs.readFileSync(path.join(a, f), "utf8"));
  });

  test("each entry holds exactly the per-target files' content", () => {
    const dir = synth(ORDER, perTarget);
    const mlflow = readJson<MlflowFile>(path.join(dir, "mlflow.json"));
    for (const [key, entry] of Object.entries(mlflow)) {
      expect(fs.readFileSync(path.join(dir, "mlflow", key, "auth_policy.json"), "utf8")).toBe(
        `${JSON.stringify(entry.auth_policy, null, 2)}\n`,
      );
      expect(fs.readFileSync(path.join(dir, "mlflow", key, "metadata.json"), "utf8")).toBe(
        `${JSON.stringify(entry.metadata, null, 2)}\n`,
      );
    }
    const apps = readJson<AppsFile>(path.join(dir, "apps.json"));
    for (const [key, entry] of Object.entries(apps)) {
      expect(fs.readFileSync(path.join(dir, "apps", key, "app.yaml"), "utf8")).toBe(
        appYamlText(entry.handoff),
      );
      expect(readJson(path.join(dir, "apps", key, "handoff.json"))).toEqual(entry.handoff);
    }
  });

  test("a previous synth's mlflow/, apps/ and apps.json are removed", () => {
    const outdir = tempDir();
    const stackDir = path.join(outdir, "stacks", "files");
    for (const d of ["mlflow/old-agent", "apps/old-app"])
      fs.mkdirSync(path.join(stackDir, d), { recursive: true });
    fs.writeFileSync(path.join(stackDir, "mlflow/old-agent/auth_policy.json"), "{}");
    fs.writeFileSync(path.join(stackDir, "apps/old-app/app.yaml"), "env: []");
    fs.writeFileSync(path.join(stackDir, "apps.json"), "{}");
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "files");
    new DatabricksProvider(stack, "databricks", {});
    build(stack, ["byVariable"]);
    app.synth();
    for (const f of ["mlflow", "apps", "apps.json"])
      expect(fs.existsSync(path.join(stackDir, f))).toBe(false);
  });

  test("switching the per-target layout off removes it at the next synth", () => {
    const outdir = tempDir();
    const run = (on: boolean): void => {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "files");
      new DatabricksProvider(stack, "databricks", {});
      build(stack, ORDER);
      if (on) perTarget(stack);
      app.synth();
    };
    run(true);
    expect(fs.existsSync(path.join(outdir, "stacks", "files", "mlflow", "sales-agent"))).toBe(true);
    run(false);
    expect(fs.existsSync(path.join(outdir, "stacks", "files", "mlflow"))).toBe(false);
    expect(fs.existsSync(path.join(outdir, "stacks", "files", "apps"))).toBe(false);
  });
});

describe("configureFiles", () => {
  test("a malformed setting fails with DBA-CFG-001, naming the path, the prop, the value and the fix", () => {
    const message = thrown(() =>
      AgentStackContext.of(newStack()).configureFiles({ perTargetFiles: "yes" as unknown as boolean }),
    );
    expect(message).toContain("[DBA-CFG-001] test/DatabricksAgents.configureFiles (prop perTargetFiles)");
    expect(message).toContain('"yes"');
    expect(message).toContain("dba-export");
  });
  test("an unknown setting fails with DBA-CFG-001", () => {
    const message = thrown(() =>
      AgentStackContext.of(newStack()).configureFiles({ perTargetFile: true } as unknown as {
        perTargetFiles: boolean;
      }),
    );
    expect(message).toMatch(/\[DBA-CFG-001\][^\n]*unknown prop/);
  });
  test("a valid setting is accepted (silent case)", () => {
    const context = AgentStackContext.of(newStack());
    expect(thrown(() => context.configureFiles({ perTargetFiles: true }))).toBe("");
    expect(context.fileSettings).toEqual({ perTargetFiles: true });
  });
});

describe("the per-target layout", () => {
  test("mlflow/<key>/ and apps/<key>/ are byte for byte what 0.1 wrote", () => {
    const dir = synth(ORDER, perTarget);
    const layout = { mlflow: tree(path.join(dir, "mlflow")), apps: tree(path.join(dir, "apps")) };
    expect(Object.keys(layout.mlflow)).toHaveLength(4);
    expect(Object.keys(layout.apps)).toHaveLength(4);
    expect(layout).toMatchSnapshot();
  });
});

describe("dba-export", () => {
  const stackDir = synth(ORDER, perTarget);
  const layout = (dir: string) => ({
    mlflow: tree(path.join(dir, "mlflow")),
    apps: tree(path.join(dir, "apps")),
  });

  test("without --target: every target's files, byte for byte the per-target layout (exit 0)", () => {
    const out = tempDir();
    const r = runExport([stackDir, "--out", out]);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain("OK: wrote 8 files (2 endpoints under mlflow/<key>/, 2 apps under apps/<key>/)");
    expect(layout(out)).toEqual(layout(stackDir));
  });

  test("--target of an endpoint: its auth_policy.json and metadata.json in --out, as the per-stack entry holds them", () => {
    const out = tempDir();
    const r = runExport([stackDir, "--target", "sales-agent", "--out", out]);
    expect(r.code).toBe(0);
    expect(tree(out)).toEqual(tree(path.join(stackDir, "mlflow", "sales-agent")));
    expect(tree(out)).toEqual(
      endpointFiles(readJson<MlflowFile>(path.join(stackDir, "mlflow.json"))["sales-agent"]!),
    );
  });

  test("--target of an app: its app.yaml and handoff.json", () => {
    const out = tempDir();
    expect(runExport([stackDir, "--target", "sales-app", "--out", out]).code).toBe(0);
    expect(tree(out)).toEqual(tree(path.join(stackDir, "apps", "sales-app")));
  });

  test("an unknown target fails (exit 1), naming the targets there are", () => {
    const r = runExport([stackDir, "--target", "sales", "--out", tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--target "sales" names no target');
    expect(r.err).toContain(
      "endpoints (mlflow.json): files-Variable, sales-agent; apps (apps.json): plain-app, sales-app",
    );
    // An Object.prototype name is no target either.
    expect(runExport([stackDir, "--target", "constructor", "--out", tempDir()]).code).toBe(1);
  });

  test("a directory that is no synthesized stack, or a malformed file, fails (exit 2) naming the file", () => {
    const empty = tempDir();
    const r = runExport([empty, "--out", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path.join(empty, "mlflow.json")}: (file) does not exist`);
    expect(runExport([path.join(empty, "nope"), "--out", tempDir()]).err).toContain(
      "(directory) does not exist",
    );
    expect(runExport([path.join(stackDir, "apps.json"), "--out", tempDir()]).err).toContain(
      "(directory) is not a directory",
    );
    fs.writeFileSync(path.join(empty, "mlflow.json"), "{nope");
    expect(runExport([empty, "--out", tempDir()]).err).toContain("mlflow.json: (file) is not valid JSON");
    fs.writeFileSync(
      path.join(empty, "mlflow.json"),
      JSON.stringify({ "../../etc": { auth_policy: {}, metadata: {} } }),
    );
    expect(runExport([empty, "--out", tempDir()]).err).toContain('"../../etc" is not a target key');
    fs.writeFileSync(path.join(empty, "mlflow.json"), JSON.stringify({ a: { auth_policy: {} } }));
    expect(runExport([empty, "--out", tempDir()]).err).toContain('"a".metadata is missing or not an object');
  });

  test("usage errors (exit 2)", () => {
    expect(runExport([stackDir]).err).toContain("--out <dir> is required");
    expect(runExport(["--out", tempDir()]).err).toContain("give exactly one stack directory");
    expect(runExport([stackDir, "--out", tempDir(), "--bogus"]).err).toContain("unknown option --bogus");
    expect(runExport(["--help"]).code).toBe(2);
  });

  test("the package's bin runs it", () => {
    const pkg = readJson<{ bin: Record<string, string> }>(path.join(__dirname, "..", "package.json"));
    expect(pkg.bin["dba-export"]).toBe("bin/dba-export.js");
    expect(fs.existsSync(path.join(__dirname, "..", pkg.bin["dba-export"]!))).toBe(true);
  });
});
