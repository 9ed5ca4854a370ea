import { Annotations, App, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentSynthError,
  AgentTesting,
  GenieResourceBundle,
  SqlWarehouse,
  UcTable,
  type GenieResourceBundleProps,
} from "../lib";
import { agent, DEPLOYER, newStack, thrown } from "./helpers";

// A Genie space variable without a bundle: DBA-GENIE-004.
const UNDECLARED = { endpoint: { environment: { COST_GENIE_SPACE_ID: "01f0c0ffee0000000000000000000009" } } };

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A temporary outdir holding what a previous synth of stacks `a`, `b` and `c` left. */
function staleOutdir(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-output-"));
  dirs.push(outdir);
  for (const s of ["a", "b", "c"]) {
    fs.mkdirSync(path.join(outdir, "stacks", s, "mlflow", "x"), { recursive: true });
    for (const f of ["cdk.tf.json", "agent-report.json", "endpoint-lock.json", "mlflow/x/auth_policy.json"])
      fs.writeFileSync(path.join(outdir, "stacks", s, f), '{"stale":true}');
  }
  fs.writeFileSync(path.join(outdir, "manifest.json"), '{"stale":true}');
  return outdir;
}

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
    .sort();
}

/** A stack deploying to its own workspace (so one endpoint name in every stack is no DBA-EP-010). */
function stackIn(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new DatabricksProvider(stack, "databricks", { host: `https://${id}.cloud.databricks.com` });
  return stack;
}

/** Stack `a` correct, `b` and `c` broken, declared in that order. */
function brokenApp(outdir: string, skipValidation = false): App {
  const app = new App({ outdir, skipValidation });
  agent(stackIn(app, "a"));
  agent(stackIn(app, "b"), UNDECLARED);
  agent(stackIn(app, "c"), UNDECLARED);
  return app;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("synth is all or nothing across the app's stacks", () => {
  test("a failure in a later stack leaves no file of an earlier stack and removes the stale outputs and manifest", () => {
    const outdir = staleOutdir();
    const e = caught(() => brokenApp(outdir).synth());
    expect(e).toBeInstanceOf(AgentSynthError);
    expect(files(outdir)).toEqual([]);
  });

  test("the same under skipValidation, which does not switch the agent rules off", () => {
    const outdir = staleOutdir();
    const message = thrown(() => brokenApp(outdir, true).synth());
    expect(message).toMatch(/validations were skipped \(skipValidation\)[\s\S]*\[DBA-GENIE-004\]/);
    expect(files(outdir)).toEqual([]);
  });

  test("a failing validation of a stack without agents, declared after the agents, also writes nothing", () => {
    const outdir = staleOutdir();
    const app = new App({ outdir });
    agent(stackIn(app, "a"));
    const plain = stackIn(app, "b");
    plain.node.addValidation({ validate: () => ["the plain stack is misconfigured"] });
    expect(thrown(() => app.synth())).toContain("[b] the plain stack is misconfigured");
    // Stack c is not in this app: left as it is (without a manifest nothing reads it).
    expect(files(outdir)).toEqual(files(outdir).filter((f) => f.startsWith("stacks/c/")));
    expect(files(path.join(outdir, "stacks", "c"))).toHaveLength(4);
  });

  test("an error the validations cannot see (a later stack's error annotation) also leaves no stale output", () => {
    const outdir = staleOutdir();
    const app = new App({ outdir });
    agent(stackIn(app, "a"));
    const plain = stackIn(app, "b");
    Annotations.of(plain).addError("the plain stack failed at synth");
    expect(thrown(() => app.synth())).toContain("the plain stack failed at synth");
    expect(files(outdir)).toEqual(files(outdir).filter((f) => f.startsWith("stacks/c/")));
  });

  test("a correct app writes every stack and the manifest (silent case)", () => {
    const outdir = staleOutdir();
    const app = new App({ outdir });
    agent(stackIn(app, "a"));
    agent(stackIn(app, "b"));
    app.synth();
    expect(files(path.join(outdir, "stacks", "a"))).toEqual(
      expect.arrayContaining(["agent-report.json", "cdk.tf.json", "endpoint-lock.json", "mlflow.json"]),
    );
    expect(fs.readFileSync(path.join(outdir, "stacks", "a", "cdk.tf.json"), "utf8")).not.toContain("stale");
    // The per-target MLflow directory a previous synth left (`mlflow/x/`) is gone: nothing there looks current.
    expect(files(path.join(outdir, "stacks", "a", "mlflow"))).toEqual([]);
    expect(
      Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "a", "mlflow.json"), "utf8"))),
    ).toEqual(["sales-agent"]);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks).toHaveProperty(
      "b",
    );
  });

  test("a warning is annotated once although the app is validated before the engine validates each stack", () => {
    const outdir = staleOutdir();
    const app = new App({ outdir });
    const stack = stackIn(app, "a");
    agent(stack);
    // An unused bundle: warning DBA-GENIE-005.
    new GenieResourceBundle(stack, "Unused", {
      domain: "unused",
      spaceId: "01f0c0ffee0000000000000000000003",
      warehouse: SqlWarehouse.fromId("4b9b953939869799"),
      tables: ["main.sales.orders"],
    });
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const warnings = (manifest.stacks.a.annotations as { message: string }[]).filter((a) =>
      a.message.includes("DBA-GENIE-005"),
    );
    expect(warnings).toHaveLength(1);
  });
});

describe("what a person reads when synth fails", () => {
  test("one error lists every finding of every failing stack once, grouped by stack, without the engine's hint", () => {
    const e = caught(() => brokenApp(staleOutdir()).synth()) as AgentSynthError;
    expect(e.failures.map((f) => f.stack)).toEqual(["b", "c"]);
    const lines = e.message.split("\n");
    expect(lines[0]).toBe("Validation failed with the following errors:");
    expect(lines.filter((l) => l.startsWith("stack "))).toEqual([
      "stack b: 1 blocking problem",
      "stack c: 1 blocking problem",
    ]);
    expect(lines.filter((l) => l.includes("[DBA-GENIE-004]"))).toEqual([
      expect.stringMatching(/^ {2}\[b\] \[DBA-GENIE-004\] b\/Agent/),
      expect.stringMatching(/^ {2}\[c\] \[DBA-GENIE-004\] c\/Agent/),
    ]);
    expect(e.message).not.toContain("skipValidation: true");
    expect(e.stack).not.toMatch(/\n\s+at /);
  });

  test("Terraform references appear as their expressions, in app.synth() and AgentTesting.synth", () => {
    const build = (stack: TerraformStack): void => {
      const space = new TerraformVariable(stack, "space_id", { type: "string" });
      agent(stack, {
        // No warehouse (a JavaScript caller can omit it): DBA-GENIE-001 names the space.
        bundle: { spaceId: space.stringValue, warehouse: undefined } as Partial<GenieResourceBundleProps>,
      });
    };
    const app = new App({ outdir: staleOutdir() });
    build(stackIn(app, "a"));
    const viaApp = thrown(() => app.synth());
    const stack = newStack("t");
    build(stack);
    const viaTesting = thrown(() => AgentTesting.synth(stack));
    for (const message of [viaApp, viaTesting]) {
      expect(message).toContain("[DBA-GENIE-001]");
      expect(message).toContain("Genie space ${var.space_id}");
      expect(message).not.toContain("TfToken");
    }
  });

  test("Terraform references appear as their expressions in construction errors too", () => {
    const stack = newStack("t");
    const table = new TerraformVariable(stack, "table", { type: "string" }).stringValue;
    const viaPolicy = thrown(() => new AgentAuthPolicy(stack, "P", { system: [UcTable.fromName(table)] }));
    const viaBundle = thrown(() => agent(stack, { bundle: { tables: [`main.sales.${table}x`] } }));
    expect(viaPolicy).toContain('received: "${var.table}"');
    expect(viaBundle).toContain('received: "main.sales.${var.table}x"');
    for (const message of [viaPolicy, viaBundle]) expect(message).not.toContain("TfToken");
  });

  test("node main.js prints every finding once, without a stack trace, and exits with 1", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-main-"));
    dirs.push(dir);
    // Always the cdktf flavour (the child process has no module mapping): what lib/ imports as is.
    const root = path.join(__dirname, "..");
    const lib = path.join(root, "lib");
    const helpers = path.join(__dirname, "helpers");
    const cdktf = path.join(root, "node_modules", "cdktf");
    const provider = path.join(root, "node_modules", "@cdktf", "provider-databricks", "lib", "provider");
    fs.writeFileSync(
      path.join(dir, "main.ts"),
      [
        `import { App, TerraformStack } from ${JSON.stringify(cdktf)};`,
        `import { DatabricksProvider } from ${JSON.stringify(provider)};`,
        `import ${JSON.stringify(lib)};`,
        `import { agent } from ${JSON.stringify(helpers)};`,
        `const app = new App({ outdir: ${JSON.stringify(path.join(dir, "out"))} });`,
        `for (const id of ["a", "b", "c"]) {`,
        `  const stack = new TerraformStack(app, id);`,
        `  new DatabricksProvider(stack, "databricks", { host: \`https://\${id}.cloud.databricks.com\` });`,
        `  agent(stack, id === "a" ? {} : ${JSON.stringify(UNDECLARED)});`,
        `}`,
        `app.synth();`,
      ].join("\n"),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, DBA_SUMMARY: "off" };
    delete env.JEST_WORKER_ID;
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, "main.ts")], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.match(/\[DBA-GENIE-004\]/g)).toHaveLength(2);
    expect(run.stderr).toContain("stack b: 1 blocking problem\n");
    expect(run.stderr).toContain("stack c: 1 blocking problem\n");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain("skipValidation: true");
    expect(run.stderr).not.toContain("Node.js v");
    expect(files(path.join(dir, "out"))).toEqual([]);
  });
});

describe("report commands for ids given as Terraform references", () => {
  test("read the value from Terraform in the stack's directory and pass it: the commands run as printed", () => {
    const stack = newStack("t");
    const wh = new TerraformVariable(stack, "warehouse_id", { type: "string" });
    agent(stack, { bundle: { warehouse: SqlWarehouse.fromId(wh.stringValue) } });
    const action = AgentTesting.synth(stack).report.requiredActions.find((a) =>
      a.object.includes("warehouse"),
    )!;
    expect(action.object).toBe("sql warehouse ${var.warehouse_id}");
    expect(action.commands[0]).toMatch(
      /^# REF_1: read from Terraform \(run where cdktf\.out\/stacks\/t is, /,
    );
    expect(action.commands[1]).toBe(
      `REF_1=$(echo '"\${var.warehouse_id}"' | terraform -chdir=cdktf.out/stacks/t console | jq -r .)`,
    );

    // Run them with stand-ins for terraform (evaluates the one variable) and the Databricks CLI (records argv).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-commands-"));
    dirs.push(dir);
    const log = path.join(dir, "argv");
    fs.writeFileSync(
      path.join(dir, "terraform"),
      `#!/bin/sh\n[ "$1" = "-chdir=cdktf.out/stacks/t" ] && [ "$2" = console ] || exit 3\n` +
        `[ "$(cat)" = '"\${var.warehouse_id}"' ] || exit 4\necho '"4b9b953939869799"'\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(dir, "databricks"), `#!/bin/sh\nprintf '%s\\n' "$@" > ${log}\n`, {
      mode: 0o755,
    });
    const run = spawnSync("sh", ["-ec", action.commands.join("\n")], {
      env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(fs.readFileSync(log, "utf8").trim().split("\n").slice(-2)).toEqual([
      "warehouses",
      "4b9b953939869799",
    ]);
  });

  test("silent: literal ids give the commands alone", () => {
    const stack = newStack("t");
    agent(stack);
    for (const a of AgentTesting.synth(stack).report.requiredActions)
      expect(a.commands.join("\n")).not.toMatch(/REF_|terraform/);
  });
});

describe("placement errors are the library's own", () => {
  test("DBA-CFG-003: an endpoint created directly under the App", () => {
    const message = thrown(
      () =>
        new AgentServingEndpoint(new App({ outdir: staleOutdir() }), "Agent", {
          name: "sales-agent",
          model: { name: "main.agents.sales_agent", version: "3" },
          deployer: DEPLOYER,
        } as never),
    );
    expect(message).toContain("[DBA-CFG-003] Agent:");
    expect(message).toMatch(/received: +scope the app/);
    expect(message).toMatch(/allowed: +a TerraformStack or a construct inside one/);
    expect(message).toMatch(/fix: +create it inside a stack/);
  });

  test("DBA-CFG-003: a bundle under a construct that is in no stack", () => {
    const outside = new Construct(new App({ outdir: staleOutdir() }), "Shared");
    const message = thrown(
      () =>
        new GenieResourceBundle(outside, "Genie", {
          domain: "sales",
          spaceId: "01f0c0ffee0000000000000000000001",
          warehouse: SqlWarehouse.fromId("4b9b953939869799"),
          tables: ["main.sales.orders"],
        }),
    );
    expect(message).toContain("[DBA-CFG-003] Shared/Genie:");
    expect(message).toContain('received: scope "Shared", which is in no stack');
  });

  test("DBA-CFG-004: a user construct with the reserved id DatabricksAgents", () => {
    const stack = newStack("s");
    new Construct(stack, "DatabricksAgents");
    const message = thrown(() => agent(stack));
    expect(message).toContain("[DBA-CFG-004] s/DatabricksAgents:");
    expect(message).toContain('received: a Construct with id "DatabricksAgents"');
    expect(message).toContain('rename your construct (for example "DatabricksAgentsConfig")');
  });

  test("silent: a construct with another id beside the agents", () => {
    const stack = newStack("s");
    new Construct(stack, "DatabricksAgentsConfig");
    expect(thrown(() => AgentTesting.synth((agent(stack), stack)))).toBe("");
  });
});
