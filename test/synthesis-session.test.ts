import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { AgentAuthPolicy, ServingEndpoint } from "../lib";
import { agent, AgentStackContext, readStack } from "./helpers";

/*
 * One synthesis evaluates the rules once: the synth gate's evaluation serves the engine's validation
 * and the files. What a synthesis computed never outlives it: a change between two synths of one app
 * shows in the second.
 */

function appWithAgent(): { app: App; stack: TerraformStack; outdir: string; ep: ReturnType<typeof agent> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-session-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "agents");
  new DatabricksProvider(stack, "databricks", {});
  // The bundle in both modes: DBA-AUTH-001 warns (a finding that an acknowledgement silences).
  const ep = agent(stack, {
    policy: (bundle) => ({
      system: [ServingEndpoint.fromName("databricks-claude-sonnet-4"), bundle],
      onBehalfOfUser: [bundle],
    }),
  });
  return { app, stack, outdir, ep };
}

afterEach(() => jest.restoreAllMocks());

test("app.synth() runs the agent rules once per stack (the gate's evaluation serves the engine's validation)", () => {
  const { app } = appWithAgent();
  const evaluate = jest.spyOn(AgentStackContext.prototype, "evaluate");
  app.synth();
  expect(evaluate).toHaveBeenCalledTimes(1);
});

test("each synthesis evaluates again: an acknowledgement added after a synth shows in the next one", () => {
  const { app, stack, outdir, ep } = appWithAgent();
  app.synth();
  const first = readStack(outdir, "agents").report.summary as Record<string, number>;
  expect(first).toMatchObject({ warnings: 1, acknowledged: 0 });
  AgentStackContext.of(stack).acknowledge(
    ep.policy as AgentAuthPolicy,
    "DBA-AUTH-001",
    "evaluation runs as the service principal",
  );
  app.synth();
  const second = readStack(outdir, "agents").report.summary as Record<string, number>;
  expect(second).toMatchObject({ warnings: 0, acknowledged: 1 });
});

test("each synthesis renders the endpoint again: an escape-hatch block added after a synth shows in the lock", () => {
  const { app, outdir, ep } = appWithAgent();
  app.synth();
  const lockFile = path.join(readStack(outdir, "agents").dir, "endpoint-lock.json");
  const before = JSON.parse(fs.readFileSync(lockFile, "utf8")) as {
    endpoints: Record<string, { aiGateway?: boolean }>;
  };
  expect(before.endpoints[ep.endpoint.node.path]?.aiGateway).toBeUndefined();
  ep.endpoint.resource.addOverride("ai_gateway", { usage_tracking_config: { enabled: true } });
  app.synth();
  const after = JSON.parse(fs.readFileSync(lockFile, "utf8")) as {
    endpoints: Record<string, { aiGateway?: boolean }>;
  };
  expect(after.endpoints[ep.endpoint.node.path]?.aiGateway).toBe(true);
});
