import { appYamlText } from "../../lib/constructs/app-handoff";
import * as fs from "fs";
import { synthHarness, reportRows } from "../synth-harness";
import { GENIE_MCP } from "../genie-mcp/stack";
import { GenieMcpAppStack } from "./stack";
import type { AgentAppProps } from "../../lib";

const STACK = "genie-mcp-app";
const { synthWith, file, read, mlflowEntry, appsEntry } = synthHarness(STACK);
const synthInto = (o?: Partial<AgentAppProps>) => synthWith((app) => new GenieMcpAppStack(app, STACK, o));

interface Tf {
  resource: {
    databricks_app: Record<string, { user_api_scopes: string[] }>;
    databricks_permissions: Record<string, { app_name?: string; serving_endpoint_id?: string }>;
  };
}
interface Report {
  grants: { securable: string; principal: string; privileges: string[]; reasons: string[] }[];
}

describe("genie-mcp-app example (seed 001: one policy on Model Serving and on Databricks Apps)", () => {
  const synth = synthInto();
  const { outdir } = synth;

  test("synthesizes without errors", () => expect(synth.error).toBe(""));
  test("cdk.tf.json matches the snapshot", () => expect(read(outdir, "cdk.tf.json")).toMatchSnapshot());
  test("the stack report matches the snapshot", () =>
    expect(read(outdir, "agent-report.json")).toMatchSnapshot());
  test("the MLflow files and the app handoff match the snapshot", () => {
    expect(mlflowEntry(outdir, "genie-mcp-agent").auth_policy).toMatchSnapshot();
    expect(appsEntry(outdir, "genie-mcp").handoff).toMatchSnapshot();
    expect(appYamlText(appsEntry(outdir, "genie-mcp").handoff)).toMatchSnapshot();
  });

  test("the same dependency: mcp.genie on Model Serving, genie on Apps", () => {
    const policy = mlflowEntry(outdir, "genie-mcp-agent").auth_policy;
    expect(policy.user_auth_policy.api_scopes).toEqual(["mcp.genie"]);
    const app = Object.values((read(outdir, "cdk.tf.json") as Tf).resource.databricks_app)[0]!;
    expect(app.user_api_scopes).toEqual(["genie"]);
  });

  test("each target owns its ACL; the consumers' own access is planned once for both", () => {
    const perms = Object.values((read(outdir, "cdk.tf.json") as Tf).resource.databricks_permissions);
    expect(perms.map((p) => (p.app_name ? "app" : "endpoint")).sort()).toEqual(["app", "endpoint"]);
    const report = reportRows(read(outdir, "agent-report.json")) as Report;
    const space = report.grants.filter((g) => g.securable === `genie space ${GENIE_MCP.spaceId}`);
    expect(space).toHaveLength(1);
    expect(space[0]!.reasons).toEqual([
      `consumer of app genie-mcp, on behalf of user: Genie space ${GENIE_MCP.spaceId} (domain "sales")`,
      `consumer of genie-mcp-agent, on behalf of user: Genie space ${GENIE_MCP.spaceId} (domain "sales")`,
    ]);
  });

  test("seed 001's Model Serving scope on the app (mcp.genie) fails synth with DBA-APP-001 naming genie, and writes nothing", () => {
    const broken = synthInto({ userApiScopes: ["mcp.genie"] });
    expect(broken.error).toContain("[DBA-APP-001] genie-mcp-app/GenieMcpApp (prop userApiScopes)");
    expect(broken.error).toContain('replace "mcp.genie" with "genie"');
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
  });

  test("an undeclared Genie space in the app's environment fails synth with DBA-GENIE-004", () => {
    const broken = synthInto({ environment: { COST_GENIE_SPACE_ID: "01f0b7e3c9d24a1f8e6b5c4d3a2f1e99" } });
    expect(broken.error).toContain(
      "[DBA-GENIE-004] genie-mcp-app/GenieMcpApp (prop environment.COST_GENIE_SPACE_ID)",
    );
  });
});
