import { synthHarness, reportRows } from "../synth-harness";
import * as fs from "fs";
import { LakebaseInstance, UcTable } from "../../lib";
import { OBO_APP, OboAppStack, type OboAppStackProps } from "./stack";

const STACK = "obo-app";
const OBO_FLAG = "DATABRICKS_USE_IDENTITY_PASSTHROUGH";

const { synthWith, file, read, mlflowEntry } = synthHarness(STACK);
const synthInto = (props?: OboAppStackProps): { outdir: string; error: string } =>
  synthWith((app) => new OboAppStack(app, STACK, props));

interface ModelServingJson {
  name: string;
  route_optimized: boolean;
  config: { served_entities: { environment_vars: Record<string, string> }[] };
}
interface Tf {
  resource: {
    databricks_model_serving: Record<string, ModelServingJson>;
    databricks_grant: Record<string, { principal: string; privileges: string[]; table?: string }>;
  };
}
interface PolicyJson {
  system_auth_policy: { resources?: { api_version: string; databricks: Record<string, { name: string }[]> } };
  user_auth_policy: { api_scopes?: string[] };
}
interface ReportJson {
  findings: { ruleId: string }[];
  grants: { securable: string; principal: string; privileges: string[] }[];
}

const endpointOf = (tf: Tf): [string, ModelServingJson] =>
  Object.entries(tf.resource.databricks_model_serving)[0]!;
const envOf = (tf: Tf): Record<string, string> =>
  endpointOf(tf)[1].config.served_entities[0]!.environment_vars;

const OBO_SCOPES = [
  "dashboards.genie",
  "serving.serving-endpoints",
  "sql.statement-execution",
  "sql.warehouses",
  "vectorsearch.vector-search-endpoints",
  "vectorsearch.vector-search-indexes",
];

describe("obo-app example (seed 002: one app-wide on-behalf-of-user switch)", () => {
  const obo = synthInto(); // default: onBehalfOfUser true
  const sys = synthInto({ onBehalfOfUser: false });

  test("both settings synthesize without errors or warnings", () => {
    expect(obo.error).toBe("");
    expect(sys.error).toBe("");
    expect((reportRows(read(obo.outdir, "agent-report.json")) as ReportJson).findings).toEqual([]);
    expect((reportRows(read(sys.outdir, "agent-report.json")) as ReportJson).findings).toEqual([]);
  });

  describe.each([
    ["onBehalfOfUser: true (default)", obo],
    ["onBehalfOfUser: false", sys],
  ])("%s", (_label, result) => {
    test("cdk.tf.json matches the snapshot", () => {
      expect(read(result.outdir, "cdk.tf.json")).toMatchSnapshot();
    });
    test("the stack report matches the snapshot", () => {
      expect(read(result.outdir, "agent-report.json")).toMatchSnapshot();
    });
    test("the MLflow auth policy and metadata match the snapshot", () => {
      expect(mlflowEntry(result.outdir, "support-obo-agent").auth_policy).toMatchSnapshot();
      expect(mlflowEntry(result.outdir, "support-obo-agent").metadata).toMatchSnapshot();
    });
  });

  test("on: the minimal scopes for all four dependencies, no system resources", () => {
    expect(mlflowEntry(obo.outdir, "support-obo-agent").auth_policy).toEqual({
      system_auth_policy: {},
      user_auth_policy: { api_scopes: OBO_SCOPES },
    });
  });

  test("off: no scopes; the four dependencies and what they imply are system resources", () => {
    const policy = mlflowEntry(sys.outdir, "support-obo-agent").auth_policy as PolicyJson;
    expect(policy.user_auth_policy).toEqual({});
    expect(policy.system_auth_policy.resources).toEqual({
      api_version: "1",
      databricks: {
        genie_space: [{ name: OBO_APP.genieSpaceId }],
        serving_endpoint: [{ name: OBO_APP.embeddingEndpoint }, { name: OBO_APP.llm }],
        sql_warehouse: [{ name: OBO_APP.warehouseId }],
        table: [
          { name: "main.support.customers" },
          { name: "main.support.sla_breaches" },
          { name: "main.support.tickets" },
        ],
        vector_search_index: [{ name: OBO_APP.index }],
      },
    });
  });

  test("the OBO flag env var is set when on and absent when off; the Genie space id is set in both", () => {
    const on = envOf(read(obo.outdir, "cdk.tf.json") as Tf);
    const off = envOf(read(sys.outdir, "cdk.tf.json") as Tf);
    expect(on[OBO_FLAG]).toBe("true");
    expect(off).not.toHaveProperty(OBO_FLAG);
    expect(on.SUPPORT_GENIE_SPACE_ID).toBe(OBO_APP.genieSpaceId);
    expect(off.SUPPORT_GENIE_SPACE_ID).toBe(OBO_APP.genieSpaceId);
  });

  test("OBO needs databricks-ai-bridge and MLflow 2.22.1; passthrough does not", () => {
    const on = mlflowEntry(obo.outdir, "support-obo-agent").metadata;
    const off = mlflowEntry(sys.outdir, "support-obo-agent").metadata;
    expect(on.min_mlflow_version).toBe("2.22.1");
    expect(on.pip_requirements.some((r) => r.startsWith("databricks-ai-bridge"))).toBe(true);
    expect(off.pip_requirements.some((r) => r.startsWith("databricks-ai-bridge"))).toBe(false);
  });

  test("who needs access moves with the switch: the consumer group (on) or the deployer (off)", () => {
    const holders = (outdir: string, securable: string): string[] =>
      (reportRows(read(outdir, "agent-report.json")) as ReportJson).grants
        .filter((g) => g.securable === securable)
        .map((g) => g.principal);
    const group = `group:${OBO_APP.consumers}`;
    const deployer = `servicePrincipal:${OBO_APP.deployer}`;
    for (const securable of [
      `sql warehouse ${OBO_APP.warehouseId}`,
      `genie space ${OBO_APP.genieSpaceId}`,
      `table ${OBO_APP.index}`,
      `vector search endpoint ${OBO_APP.vectorSearchEndpoint}`,
      `serving endpoint ${OBO_APP.embeddingEndpoint}`,
      `serving endpoint ${OBO_APP.llm}`,
      "table main.support.tickets",
    ]) {
      expect([securable, holders(obo.outdir, securable)]).toEqual([securable, [group]]);
      expect([securable, holders(sys.outdir, securable)]).toEqual([securable, [deployer]]);
    }
    // Calling the agent itself is the consumers' in both modes.
    expect(holders(sys.outdir, "serving endpoint support-obo-agent")).toEqual([group]);
  });

  test("flipping the switch is an in-place update: same endpoint address, name and route_optimized", () => {
    const [onAddress, on] = endpointOf(read(obo.outdir, "cdk.tf.json") as Tf);
    const [offAddress, off] = endpointOf(read(sys.outdir, "cdk.tf.json") as Tf);
    expect(offAddress).toBe(onAddress);
    expect([off.name, off.route_optimized]).toEqual([on.name, on.route_optimized]);
    expect(off.config).not.toEqual(on.config);
  });

  test("a dependency that cannot be reached on behalf of the user breaks the switch: DBA-SCOPE-007 on the policy, no cdk.tf.json", () => {
    const memory = LakebaseInstance.fromName("support-agent-memory");
    const broken = synthInto({ extraDependencies: [memory] });
    expect(broken.error).toContain("[DBA-SCOPE-007] obo-app/Policy (prop onBehalfOfUser)");
    expect(broken.error).toContain(
      "Lakebase instance support-agent-memory cannot be reached on behalf of the user",
    );
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
    // The same dependency is fine for passthrough.
    expect(synthInto({ onBehalfOfUser: false, extraDependencies: [memory] }).error).toBe("");
  });

  test("a UC table read directly cannot be on behalf of the user either (go through Genie or SQL)", () => {
    const broken = synthInto({ extraDependencies: [UcTable.fromName("main.support.tickets")] });
    expect(broken.error).toContain("[DBA-SCOPE-007] obo-app/Policy (prop onBehalfOfUser)");
    expect(broken.error).toContain("UC table main.support.tickets cannot be reached on behalf of the user");
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
  });
});
