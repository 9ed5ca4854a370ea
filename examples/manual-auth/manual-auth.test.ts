import { synthHarness, reportRows } from "../synth-harness";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../lib";
import { MANUAL_AUTH, MANUAL_AUTH_REASON, ManualAuthStack, type ManualAuthStackProps } from "./stack";

const STACK = "manual-auth";

const { synthWith, file, read, snapshotTests } = synthHarness(STACK);
const synthInto = (props?: ManualAuthStackProps): { outdir: string; error: string } =>
  synthWith((app) => new ManualAuthStack(app, STACK, props));

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));

interface Tf {
  resource: {
    databricks_model_serving: Record<
      string,
      { config: { served_entities: { environment_vars: Record<string, string> }[] } }
    >;
    databricks_grant: Record<
      string,
      { principal: string; privileges: string[]; foreign_connection?: string }
    >;
  };
}
interface ReportJson {
  summary: { errors: number; warnings: number; acknowledged: number };
  findings: { ruleId: string; path: string; acknowledged?: { reason: string } }[];
  requiredActions: { object: string; commands: string[] }[];
}

// Fake credentials shaped like real ones (built at run time so no scanner mistakes the source for a leak).
const FAKE_PAT = `dapi${"0123456789abcdef".repeat(2)}`;
const FAKE_API_KEY = `sk-${"a1B2c3D4e5".repeat(3)}`;

describe("manual-auth example (seed 003: manual OAuth service-principal authentication)", () => {
  const synth = synthInto();
  const { outdir } = synth;
  snapshotTests(synth, "weather-agent");

  test("the OAuth credentials reach the endpoint as secret references, the host as a plain value", () => {
    const tf = read(outdir, "cdk.tf.json") as Tf;
    const env = Object.values(tf.resource.databricks_model_serving)[0]!.config.served_entities[0]!
      .environment_vars;
    expect(env).toMatchObject({
      DATABRICKS_HOST: MANUAL_AUTH.workspaceHost,
      DATABRICKS_CLIENT_ID: `{{secrets/${MANUAL_AUTH.secretScope}/oauth-client-id}}`,
      DATABRICKS_CLIENT_SECRET: `{{secrets/${MANUAL_AUTH.secretScope}/oauth-client-secret}}`,
    });
  });

  test("DBA-SEC-002 is reported as acknowledged on the endpoint, with the reason", () => {
    const report = reportRows(read(outdir, "agent-report.json")) as ReportJson;
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, acknowledged: 1 });
    // Format 2 counts acknowledged findings per acknowledgement instead of repeating them.
    expect(report.findings).toEqual([]);
    expect((report as unknown as { acknowledgements: unknown[] }).acknowledgements).toEqual([
      expect.objectContaining({
        ruleId: "DBA-SEC-002",
        path: "manual-auth/WeatherAgent",
        reason: MANUAL_AUTH_REASON,
        findings: 1,
      }),
    ]);
  });

  test("the manual service principal itself gets what each declared dependency needs", () => {
    const report = reportRows(read(outdir, "agent-report.json")) as ReportJson;
    // Neither the connection nor the LLM endpoint is owned by the stack: their grants are required actions
    // (ready-to-run commands that only add), never a databricks_grant that would replace other privileges.
    expect((read(outdir, "cdk.tf.json") as Tf).resource.databricks_grant).toBeUndefined();
    const connection = report.requiredActions.find(
      (a) => a.object === `foreign_connection ${MANUAL_AUTH.connection}`,
    );
    expect(connection?.commands.join("\n")).toContain(
      `{"principal":"${MANUAL_AUTH.agentServicePrincipal}","add":["USE_CONNECTION"]}`,
    );
    const llm = report.requiredActions.find((a) => a.object === `serving endpoint ${MANUAL_AUTH.llm}`);
    expect(llm?.commands.join("\n")).toContain(
      `"service_principal_name":"${MANUAL_AUTH.agentServicePrincipal}","permission_level":"CAN_QUERY"`,
    );
  });

  test("without the acknowledgement synth fails with DBA-SEC-002 on the endpoint's path, and writes no cdk.tf.json", () => {
    expect(RULES["DBA-SEC-002"]!.acknowledgeable).toBe(true);
    const broken = synthInto({ acknowledgeManualAuth: false });
    expect(broken.error).toContain("[DBA-SEC-002] manual-auth/WeatherAgent (prop environment/secrets)");
    expect(broken.error).toContain(
      "DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET switch the Databricks SDK",
    );
    expect(broken.error).toContain("grant the manual identity access to every declared resource");
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
  });

  test.each([
    ["a pasted PAT under a secret-looking name", "DATABRICKS_TOKEN", FAKE_PAT],
    ["an API key under an innocent name (caught by its value)", "WEATHER_SERVICE_AUTH", FAKE_API_KEY],
  ])(
    "%s in `environment` fails with DBA-SEC-001, and the value is in no message and no file",
    (_label, name, value) => {
      const broken = synthInto({ extraEnvironment: { [name]: value } });
      expect(broken.error).toContain(`[DBA-SEC-001] manual-auth/WeatherAgent (prop environment.${name})`);
      expect(broken.error).toContain(`received: <redacted, ${value.length} characters>`);
      expect(broken.error).not.toContain(value);
      expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
      for (const f of filesUnder(broken.outdir)) expect(fs.readFileSync(f, "utf8")).not.toContain(value);
    },
  );
});
