import { App, TerraformStack } from "cdktf";
import { synthHarness } from "../synth-harness";
import * as fs from "fs";
import { AgentAuthPolicy, GenieResourceBundle, RULES, SqlWarehouse } from "../../lib";
import { GENIE_MCP, GenieMcpStack, type GenieMcpStackProps } from "./stack";

const STACK = "genie-mcp";

const { tempDir, synthWith, file, read, snapshotTests, mlflowEntry } = synthHarness(STACK);
const synthInto = (props?: GenieMcpStackProps): { outdir: string; error: string } =>
  synthWith((app) => new GenieMcpStack(app, STACK, props));

interface Tf {
  output: Record<string, { value: string }>;
  resource: {
    databricks_model_serving: Record<
      string,
      { config: { served_entities: { environment_vars: Record<string, string> }[] } }
    >;
  };
}

describe("genie-mcp example (seed 001: Genie as an MCP server on behalf of the user)", () => {
  const synth = synthInto();
  const { outdir } = synth;
  snapshotTests(synth, "genie-mcp-agent");

  test("the derived policy: mcp.genie on behalf of the user, only the LLM for passthrough (Genie never falls back)", () => {
    expect(mlflowEntry(outdir, "genie-mcp-agent").auth_policy).toEqual({
      system_auth_policy: {
        resources: {
          api_version: "1",
          databricks: { serving_endpoint: [{ name: GENIE_MCP.llm }] },
        },
      },
      user_auth_policy: { api_scopes: ["mcp.genie"] },
    });
  });

  test("the MCP server URL is the managed Genie MCP path, exposed as a Terraform output and to the agent", () => {
    const url = `${GENIE_MCP.workspaceHost}/api/2.0/mcp/genie/${GENIE_MCP.spaceId}`;
    const tf = read(outdir, "cdk.tf.json") as Tf;
    const outputs = Object.entries(tf.output).filter(([k]) => k.startsWith("GenieMcpServerUrl"));
    expect(outputs.map(([, o]) => o.value)).toEqual([url]);
    const env = Object.values(tf.resource.databricks_model_serving)[0]!.config.served_entities[0]!
      .environment_vars;
    expect(env.GENIE_MCP_SERVER_URL).toBe(url);
    expect(env.SALES_GENIE_SPACE_ID).toBe(GENIE_MCP.spaceId);
    expect(env.DATABRICKS_USE_IDENTITY_PASSTHROUGH).toBe("true");
  });

  test("mcpServerUrl drops trailing slashes of the host", () => {
    const app = new App({ outdir: tempDir() });
    const stack = new GenieMcpStack(app, STACK, { workspaceHost: "https://example.cloud.databricks.com//" });
    expect(stack.mcpServerUrl).toBe(
      `https://example.cloud.databricks.com/api/2.0/mcp/genie/${GENIE_MCP.spaceId}`,
    );
    expect(stack.genie.mcpServerUrl("https://h.example")).toBe(
      `https://h.example/api/2.0/mcp/genie/${GENIE_MCP.spaceId}`,
    );
  });

  test("seed 001's hand-written scopes ['dashboards.genie'] fail synth with DBA-SCOPE-005 on the policy, and write no cdk.tf.json", () => {
    const broken = synthInto({ apiScopes: ["dashboards.genie"] });
    expect(RULES["DBA-SCOPE-005"]!.acknowledgeable).toBe(false);
    expect(broken.error).toContain("[DBA-SCOPE-005] genie-mcp/Policy (prop apiScopes)");
    expect(broken.error).toContain("managed MCP server, which refuses");
    expect(broken.error).toContain('replace "dashboards.genie" with "mcp.genie"');
    // One precise finding, not a pile: the generic missing-scope and unused-scope rules stay quiet.
    expect(broken.error).not.toContain("DBA-SCOPE-001");
    expect(broken.error).not.toContain("DBA-SCOPE-002");
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
  });

  test("the fix, ['mcp.genie'] by hand, synthesizes and gives exactly the derived policy", () => {
    const fixed = synthInto({ apiScopes: ["mcp.genie"] });
    expect(fixed.error).toBe("");
    expect(mlflowEntry(fixed.outdir, "genie-mcp-agent").auth_policy).toEqual(
      mlflowEntry(outdir, "genie-mcp-agent").auth_policy,
    );
    expect(read(fixed.outdir, "cdk.tf.json")).toEqual(read(outdir, "cdk.tf.json"));
  });

  test("an extra scope the agent does not need fails with DBA-SCOPE-002 (least privilege)", () => {
    const broken = synthInto({ apiScopes: ["mcp.genie", "sql.statement-execution"] });
    expect(broken.error).toContain("[DBA-SCOPE-002] genie-mcp/Policy (prop apiScopes)");
    expect(broken.error).toContain('scope "sql.statement-execution" is not needed');
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
  });

  // With mcp.genie given, DBA-SCOPE-005 is quiet and the Conversation-API scope is simply unused.
  test("['dashboards.genie', 'mcp.genie'] fails with DBA-SCOPE-002: dashboards.genie is not needed over MCP", () => {
    const broken = synthInto({ apiScopes: ["dashboards.genie", "mcp.genie"] });
    expect(broken.error).toContain(
      '[DBA-SCOPE-002] genie-mcp/Policy (prop apiScopes): scope "dashboards.genie"',
    );
  });

  test("the scope follows the interface: the same space through the Conversation API derives dashboards.genie", () => {
    const stack = new TerraformStack(new App({ outdir: tempDir() }), "x");
    const conversation = new GenieResourceBundle(stack, "SalesGenie", {
      domain: "sales",
      spaceId: GENIE_MCP.spaceId,
      warehouse: SqlWarehouse.fromId(GENIE_MCP.warehouseId),
      tables: ["main.sales.orders"],
      interface: "conversation",
    });
    const policy = new AgentAuthPolicy(stack, "Policy", { onBehalfOfUser: [conversation] });
    expect(policy.derivedScopes).toEqual(["dashboards.genie"]);
    const mcp = new GenieMcpStack(new App({ outdir: tempDir() }));
    expect(mcp.policy.derivedScopes).toEqual(["mcp.genie"]);
  });
});
