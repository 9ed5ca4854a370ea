import { App, TerraformStack, Testing } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import "cdktf/lib/testing/adapters/jest";
import { ModelServing } from "@cdktf/provider-databricks/lib/model-serving";
import { AgentTesting } from "../lib";
import { formatStackSummary } from "../lib/constructs/summary";
import { toReportFile } from "../lib/constructs/report-file";
import { agent, newStack, thrown } from "./helpers";

// What a platform repo's setup.js does (the engine's TypeScript template).
Testing.setupJest();

describe("AgentTesting.synth", () => {
  test("returns the Terraform as Testing.synth gives it, the report, the lock and the MLflow files", () => {
    const stack = newStack("sales");
    agent(stack);
    const out = AgentTesting.synth(stack);
    expect(out.terraform).toHaveResource(ModelServing);
    expect(out.terraform).toHaveResourceWithProperties(ModelServing, { name: "sales-agent" });
    expect(JSON.parse(out.terraform)).toEqual(JSON.parse(Testing.synth(stack)));
    expect(out.report.stack).toBe("sales");
    expect(out.report.summary.errors).toBe(0);
    expect(Object.keys(out.endpointLock.endpoints)).toEqual(["sales/Agent"]);
    expect(Object.keys(out.mlflow)).toEqual(["sales-agent"]);
    expect(out.mlflow["sales-agent"]!.authPolicy.user_auth_policy).toEqual({
      api_scopes: ["dashboards.genie"],
    });
    expect(out.mlflow["sales-agent"]!.metadata.on_behalf_of_user).toBe(true);
  });

  test("runs the validations that plain Testing.synth skips: a missing dependency fails with its rule id", () => {
    const stack = newStack("broken");
    agent(stack, { endpoint: { environment: { COST_GENIE_SPACE_ID: "01f0c0ffee0000000000000000000009" } } });
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(thrown(() => AgentTesting.synth(stack))).toContain("[DBA-GENIE-004]");
  });
});

describe("the per-stack summary synth prints", () => {
  test("names the endpoints, counts grants by how they are realised, and says what is left for owners", () => {
    const stack = newStack("sales");
    agent(stack);
    const text = formatStackSummary(toReportFile(AgentTesting.synth(stack).report), "cdktf.out/stacks/sales");
    expect(text.split("\n")[0]).toBe("[cdktf-databricks-agents] stack sales: 1 endpoint (sales-agent)");
    expect(text).toMatch(/grants: +\d+ grants \(\d+ on objects the stack owns, /);
    expect(text).toMatch(
      /owners: +\d+ shared objects? needs? their owners to grant access: commands in cdktf\.out\/stacks\/sales\/agent-report\.json/,
    );
    expect(text).toContain("findings: 0 errors, 0 warnings, 0 acknowledged");
    expect(text).toContain(
      "files:    cdktf.out/stacks/sales/agent-report.json, endpoint-lock.json, mlflow.json",
    );
  });

  test("a stack without agents says there is nothing left for owners", () => {
    const stack = newStack("empty");
    const text = formatStackSummary(toReportFile(AgentTesting.synth(stack).report), "out");
    expect(text).toContain("stack empty: 0 endpoints");
    expect(text).toContain("nothing left for the owners of shared objects");
    expect(text).toContain("0 grants\n");
  });
});

describe("skipValidation does not switch off the agent rules", () => {
  const outdir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "skip-validation-"));

  test("a blocking finding fails synth even with skipValidation, and nothing is written", () => {
    const dir = outdir();
    const app = new App({ outdir: dir, skipValidation: true });
    const stack = new TerraformStack(app, "skipped");
    new DatabricksProvider(stack, "databricks", {});
    agent(stack, { endpoint: { environment: { COST_GENIE_SPACE_ID: "01f0c0ffee0000000000000000000009" } } });
    expect(thrown(() => app.synth())).toMatch(
      /validations were skipped \(skipValidation\)[\s\S]*\[DBA-GENIE-004\]/,
    );
    expect(fs.existsSync(path.join(dir, "stacks", "skipped", "cdk.tf.json"))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a correct stack synthesizes with skipValidation", () => {
    const dir = outdir();
    const app = new App({ outdir: dir, skipValidation: true });
    const stack = new TerraformStack(app, "fine");
    new DatabricksProvider(stack, "databricks", {});
    agent(stack);
    expect(thrown(() => app.synth())).toBe("");
    expect(fs.existsSync(path.join(dir, "stacks", "fine", "agent-report.json"))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("artifact writing does not depend on owning the stack's synthesizer", () => {
  test("a synthesizer the user sets after the agents are declared is used, and the agent files are still written", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-synth-"));
    const app = new App({ outdir: dir });
    const stack = new TerraformStack(app, "custom");
    new DatabricksProvider(stack, "databricks", {});
    agent(stack);
    const original = stack.synthesizer;
    let used = 0;
    stack.synthesizer = {
      synthesize: (session) => {
        used++;
        original.synthesize(session);
      },
    };
    app.synth();
    expect(used).toBe(1);
    for (const f of ["cdk.tf.json", "agent-report.json", "endpoint-lock.json", "mlflow.json"])
      expect(fs.existsSync(path.join(dir, "stacks", "custom", f))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
