/**
 * The README's TypeScript snippets, run here verbatim (test/readme.test.ts checks each README block
 * appears in this file or in an example), so the documentation cannot rot.
 */
import { App, TerraformStack } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AgentStackContext } from "../lib";
import { HealthMonitorStack } from "../examples/health-monitor/stack";
import { agent, newStack, synthValid } from "./helpers";

test("README: acknowledging a rule on a construct", () => {
  const stack = newStack();
  const { policy } = agent(stack, { policy: (b) => ({ system: [b], onBehalfOfUser: [b] }) });
  // prettier-ignore
  AgentStackContext.of(stack).acknowledge(policy, "DBA-AUTH-001", "evaluation must run as the service principal");
  expect(
    AgentStackContext.of(stack)
      .evaluate()
      .findings.find((f) => f.ruleId === "DBA-AUTH-001")?.acknowledged,
  ).toBeDefined();
});

test("README: configuring grant mechanisms", () => {
  const stack = newStack();
  agent(stack);
  AgentStackContext.of(stack).configureGrants({
    mechanism: "additive", // default "report"
    overrides: { "sql_warehouse:4b9b953939869799": "report" },
  });
  const tf = synthValid(stack);
  const data = Object.values(
    (tf.resource as Record<string, Record<string, { input: { payload: string } }>>).terraform_data,
  );
  const kinds = data.map((d) => JSON.parse(d.input.payload) as { apiType: string }).map((p) => p.apiType);
  expect(kinds.sort()).toEqual([
    "catalog",
    "function",
    "genie",
    "schema",
    "schema",
    "serving-endpoints",
    "table",
  ]);
});

test("README: snapshot-testing a stack in CI", () => {
  const build = (a: App): TerraformStack => new HealthMonitorStack(a);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "health-monitor-"));
  const app = new App({ outdir });
  build(app);
  app.synth();
  expect(fs.existsSync(path.join(outdir, "stacks", "health-monitor", "cdk.tf.json"))).toBe(true);
});

test("README: an acknowledgement narrowed to one finding", () => {
  const stack = newStack();
  const { policy } = agent(stack, {
    policy: (b) => ({
      onBehalfOfUser: [b],
      apiScopes: ["dashboards.genie", "sql.warehouses", "sql.statement-execution"],
    }),
  });
  // prettier-ignore
  AgentStackContext.of(stack).acknowledge(policy, "DBA-SCOPE-002", "the agent runs ad-hoc SQL as the user", { appliesTo: ["sql.warehouses"] });
  const findings = AgentStackContext.of(stack)
    .evaluate()
    .findings.filter((f) => f.ruleId === "DBA-SCOPE-002");
  expect(findings.map((f) => [f.received, f.acknowledged !== undefined])).toEqual([
    ['"sql.statement-execution"', false],
    ['"sql.warehouses"', true],
  ]);
});
