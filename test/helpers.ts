import { App, Testing, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  GenieResourceBundle,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
  type AgentAuthPolicyProps,
  type AgentServingEndpointProps,
  type GenieResourceBundleProps,
} from "../lib";

export const WAREHOUSE_ID = "4b9b953939869799";
export const SPACE_ID = "01f0c0ffee0000000000000000000001";
export const SPACE_ID_2 = "01f0c0ffee0000000000000000000002";
export const DEPLOYER = Principal.servicePrincipal("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b");

/** A fresh stack in a fresh app. */
export function newStack(id = "test"): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new DatabricksProvider(stack, "databricks", {});
  return stack;
}

/** Synth with validations; returns the parsed Terraform JSON. */
export function synthValid(stack: TerraformStack): Record<string, Record<string, Record<string, unknown>>> {
  return JSON.parse(Testing.synth(stack, true));
}

/** Synth with validations and return the error message ("" when it passed). */
export function synthError(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

/** Run `fn` and return the message it throws ("" when it does not). */
export function thrown(fn: () => unknown): string {
  try {
    fn();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

export interface AgentOptions {
  bundle?: Partial<GenieResourceBundleProps>;
  policy?: (bundle: GenieResourceBundle) => AgentAuthPolicyProps;
  endpoint?: Partial<AgentServingEndpointProps>;
}

/** A small, correct agent: one Genie bundle on behalf of the user, an LLM through passthrough. */
export function agent(
  stack: TerraformStack,
  o: AgentOptions = {},
): { bundle: GenieResourceBundle; policy: AgentAuthPolicy; endpoint: AgentServingEndpoint } {
  const bundle = new GenieResourceBundle(stack, "SalesGenie", {
    domain: "sales",
    spaceId: SPACE_ID,
    warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
    tables: ["main.sales.orders"],
    ...o.bundle,
  });
  const policy = new AgentAuthPolicy(
    stack,
    "Policy",
    o.policy
      ? o.policy(bundle)
      : { system: [ServingEndpoint.fromName("databricks-claude-sonnet-4")], onBehalfOfUser: [bundle] },
  );
  const endpoint = new AgentServingEndpoint(stack, "Agent", {
    name: "sales-agent",
    model: { name: "main.agents.sales_agent", version: "3" },
    authPolicy: policy,
    consumers: [Principal.group("sales-analysts")],
    deployer: DEPLOYER,
    ...o.endpoint,
  });
  return { bundle, policy, endpoint };
}

/**
 * A stack with {@link agent} whose schema grant `main.sales` for `sales-analysts` the stack declares it
 * owns (mechanism `uc_grant`), DBA-GRANT-001 acknowledged: the pair `usePreviousReport` checks.
 */
export function ownedSchemaGrant(): { stack: TerraformStack; context: AgentStackContext } {
  const stack = newStack();
  agent(stack);
  const context = AgentStackContext.of(stack);
  context.configureGrants({
    ownedGrants: [{ securable: "schema:main.sales", principal: Principal.group("sales-analysts") }],
  });
  context.acknowledge(
    stack,
    "DBA-GRANT-001",
    "schema main.sales is created for this agent and only this stack grants on it",
  );
  return { stack, context };
}

/** Synthesize an app into a fresh temporary directory; returns the directory. */
export function synthApp(build: (app: App) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-test-"));
  const app = new App({ outdir });
  build(app);
  app.synth();
  return outdir;
}

/** Read a synthesized stack's files from an app output directory. */
export function readStack(
  outdir: string,
  stack: string,
): { tf: Record<string, unknown>; report: Record<string, unknown>; dir: string } {
  const dir = path.join(outdir, "stacks", stack);
  return {
    dir,
    tf: JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")),
    report: JSON.parse(fs.readFileSync(path.join(dir, "agent-report.json"), "utf8")),
  };
}

export { AgentStackContext };
