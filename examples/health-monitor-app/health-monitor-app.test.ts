import * as fs from "fs";
import { synthHarness, reportRows } from "../synth-harness";
import { HEALTH_MONITOR_SPACES } from "../health-monitor/stack";
import { HealthMonitorAppStack } from "./stack";
import type { AgentAppProps, AppHandoff } from "../../lib";
import { main } from "../../bin/check-app-yaml";
import { appYamlText } from "../../lib/constructs/app-handoff";

const STACK = "health-monitor-app";
const { synthWith, file, read, appsEntry } = synthHarness(STACK);
const synthInto = (o?: Partial<AgentAppProps>) =>
  synthWith((app) => new HealthMonitorAppStack(app, STACK, o));

interface Tf {
  resource: {
    databricks_app: Record<string, { user_api_scopes: string[]; resources: { name: string }[] }>;
  };
}
interface Report {
  grants: { securable: string; principal: string; privileges: string[]; mechanism: string }[];
  apps: { notes: string[] }[];
}

describe("health-monitor-app example (seed 000 on Databricks Apps)", () => {
  const synth = synthInto();
  const { outdir } = synth;

  test("synthesizes without errors", () => expect(synth.error).toBe(""));
  test("cdk.tf.json matches the snapshot", () => expect(read(outdir, "cdk.tf.json")).toMatchSnapshot());
  test("the stack report matches the snapshot", () =>
    expect(read(outdir, "agent-report.json")).toMatchSnapshot());
  test("the app handoff (handoff.json, app.yaml) matches the snapshot", () => {
    expect(appsEntry(outdir, "health-monitor").handoff).toMatchSnapshot();
    expect(appYamlText(appsEntry(outdir, "health-monitor").handoff)).toMatchSnapshot();
  });

  test("app resources for the spaces, the warehouse, the LLM and Lakebase; scopes genie and model-serving", () => {
    const app = Object.values((read(outdir, "cdk.tf.json") as Tf).resource.databricks_app)[0]!;
    expect(app.user_api_scopes).toEqual(["genie", "model-serving"]);
    expect(app.resources.map((r) => r.name)).toEqual([
      "database-health-monitor-memory",
      ...HEALTH_MONITOR_SPACES.map((s) => `genie-space-${s.spaceId}`).sort(),
      "serving-endpoint-databricks-claude-sonnet-4",
      "sql-warehouse-4b9b953939869799",
    ]);
  });

  test("every space's tables and the cost function reach the app's service principal through the grant plan", () => {
    const report = reportRows(read(outdir, "agent-report.json")) as Report;
    const sp = report.grants.filter((g) => g.principal.includes("service_principal_client_id"));
    const tables = [...new Set(HEALTH_MONITOR_SPACES.flatMap((s) => s.tables))].sort();
    expect(sp.map((g) => g.securable).sort()).toEqual(
      [
        "catalog main",
        "function main.health_monitor.cost_by_sku",
        "schema main.health_monitor",
        ...tables.map((t) => `table ${t}`),
      ].sort(),
    );
    expect(report.apps[0]!.notes.join(" ")).toMatch(/consent again.*restart/);
  });

  test("an undeclared Genie space in the app's environment fails synth with DBA-GENIE-004 and writes nothing", () => {
    const broken = synthInto({
      environment: { ADOPTION_GENIE_SPACE_ID: "01f0a1b2c3d4e5f60718293a4b5c6d99" },
    });
    expect(broken.error).toContain(
      "[DBA-GENIE-004] health-monitor-app/HealthMonitorApp (prop environment.ADOPTION_GENIE_SPACE_ID)",
    );
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
  });
});

describe("dba-check-app-yaml against the synthesized handoff", () => {
  const { outdir } = synthInto();
  // The handoff as the checker reads it: the stack directory and the app's key in apps.json.
  const handoff = [file(outdir, ""), "--target", "health-monitor"];
  const appYaml = file(outdir, "exported-app.yaml");
  fs.writeFileSync(appYaml, appYamlText(appsEntry(outdir, "health-monitor").handoff));
  const run = (...args: string[]) => {
    const out: string[] = [];
    const code = main(
      args,
      (s) => out.push(s),
      (s) => out.push(s),
    );
    return { code, out: out.join("\n") };
  };

  test("the written app.yaml, with the code's own command added, agrees (exit 0)", () => {
    const deployed = `${appYamlText(appsEntry(outdir, "health-monitor").handoff as AppHandoff)}command: ["python", "app.py"]\n`;
    const f = file(outdir, "deployed-app.yaml");
    fs.writeFileSync(f, deployed);
    expect(run(...handoff, f)).toEqual({ code: 0, out: expect.stringContaining("OK:") });
    expect(run(...handoff, appYaml).code).toBe(0);
  });

  test("a deployed app.yaml missing the OBO flag and pointing a space at another resource fails (exit 1)", () => {
    const text = fs
      .readFileSync(appYaml, "utf8")
      .replace(/ {2}- name: DATABRICKS_USE_IDENTITY_PASSTHROUGH\n {4}value: "true"\n/, "")
      .replace("valueFrom: genie-space-01f0a1b2c3d4e5f60718293a4b5c6d01", "valueFrom: elsewhere");
    const f = file(outdir, "bad-app.yaml");
    fs.writeFileSync(f, text);
    const r = run(...handoff, f);
    expect(r.code).toBe(1);
    expect(r.out).toContain('missing: DATABRICKS_USE_IDENTITY_PASSTHROUGH (value: "true")');
    expect(r.out).toContain(
      "different: COST_GENIE_SPACE_ID: expected valueFrom: genie-space-01f0a1b2c3d4e5f60718293a4b5c6d01",
    );
  });

  test("an exported handoff.json is read as before (exit 0)", () => {
    const exported = file(outdir, "handoff.json");
    fs.writeFileSync(exported, `${JSON.stringify(appsEntry(outdir, "health-monitor").handoff, null, 2)}\n`);
    expect(run(exported, appYaml).code).toBe(0);
  });

  test("a target that is no app, or none, exits 2 naming the apps there are", () => {
    expect(run(file(outdir, ""), "--target", "nope", appYaml)).toEqual({
      code: 2,
      out: expect.stringContaining(
        '--target "nope" names no target; endpoints (mlflow.json): none; apps (apps.json): health-monitor',
      ),
    });
    expect(run(file(outdir, ""), appYaml).out).toContain("--target is needed to pick a target");
  });

  test("a missing or malformed file exits 2 naming it", () => {
    expect(run(...handoff, file(outdir, "nope.yaml"))).toEqual({
      code: 2,
      out: expect.stringContaining("does not exist"),
    });
    const f = file(outdir, "broken.yaml");
    fs.writeFileSync(f, "env: [\n");
    expect(run(...handoff, f).out).toContain("is not valid YAML");
  });
});
