// The per-stack files (mlflow.json, apps.json) and the per-target layout (mlflow/<key>/, apps/<key>/).
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AgentApp, AgentServingEndpoint, Principal } from "../lib";
import { agent } from "./helpers";

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

describe("the per-target layout", () => {
  test("mlflow/<key>/ and apps/<key>/ are byte for byte what 0.1 wrote", () => {
    const dir = synth(ORDER);
    const layout = { mlflow: tree(path.join(dir, "mlflow")), apps: tree(path.join(dir, "apps")) };
    expect(Object.keys(layout.mlflow)).toHaveLength(4);
    expect(Object.keys(layout.apps)).toHaveLength(4);
    expect(layout).toMatchSnapshot();
  });
});
