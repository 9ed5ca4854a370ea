import { synthHarness, reportRows } from "../synth-harness";
import { UNITY_GATEWAY, UnityGatewayStack } from "./stack";

const STACK = "unity-gateway";

const { synthWith, read, snapshotTests, mlflowEntry } = synthHarness(STACK);

interface ReportJson {
  findings: { ruleId: string }[];
  grants: { securable: string; principal: string; privileges: string[]; mechanism: string }[];
}

describe("unity-gateway example (Unity Gateway model and MCP services, a Lakebase Autoscaling project)", () => {
  const synth = synthWith((app) => new UnityGatewayStack(app, STACK));
  const { outdir } = synth;
  snapshotTests(synth, "gateway-agent");

  test("the policy: the model service for passthrough, ai-gateway for the MCP service; MLflow 3.17.0", () => {
    expect(mlflowEntry(outdir, "gateway-agent").auth_policy).toEqual({
      system_auth_policy: {
        resources: {
          api_version: "1",
          databricks: { uc_model_service: [{ name: UNITY_GATEWAY.modelService }] },
        },
      },
      user_auth_policy: { api_scopes: ["ai-gateway"] },
    });
    expect(mlflowEntry(outdir, "gateway-agent").metadata.min_mlflow_version).toBe("3.17.0");
  });

  test("grants: EXECUTE on each service and CAN_USE on the project, with the parents' USE_*, all additive", () => {
    const report = reportRows(read(outdir, "agent-report.json")) as ReportJson;
    const on = (s: string) => report.grants.filter((g) => g.securable === s);
    expect(on(`model_service ${UNITY_GATEWAY.modelService}`).map((g) => g.privileges)).toEqual([["EXECUTE"]]);
    // The consumers (on behalf of the user) and the app's service principal.
    expect(on(`mcp_service ${UNITY_GATEWAY.mcpService}`)).toHaveLength(2);
    expect(on(`database project ${UNITY_GATEWAY.lakebaseProject}`).map((g) => g.privileges)).toEqual([
      ["CAN_USE"],
    ]);
    expect(on("schema main.gateway").length).toBeGreaterThan(0);
    expect(
      report.grants.filter(
        (g) => g.securable !== "serving endpoint gateway-agent" && g.mechanism === "report",
      ),
    ).toEqual([]);
  });
});
