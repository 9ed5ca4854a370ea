/**
 * Terraform addresses are public API: a changed construct id or logical-id scheme means destroy and
 * create (a serving endpoint loses its URL, identity and permissions). The seed-000 stack's
 * addresses are written out literally here, so an accidental change fails CI. A deliberate change
 * updates this list together with a `moved` block (or a migration note) in the same commit.
 */
import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HealthMonitorStack } from "../../examples/health-monitor/stack";

const RESOURCE_ADDRESSES = [
  "databricks_model_serving.HealthMonitor_Endpoint_6D12052E",
  "databricks_permissions.HealthMonitor_Permissions_69B94341",
];

/** Outputs are addressed by name too (other stacks and scripts read them). */
const OUTPUT_NAMES = [
  "HealthMonitor_Name_CE2A55B9",
  "HealthMonitor_ServingEndpointId_253FDB5F",
  "HealthMonitor_Url_AFE7871F",
];

function synthSeed000(): Record<string, Record<string, Record<string, unknown>>> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-addresses-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    new HealthMonitorStack(app);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "health-monitor", "cdk.tf.json"), "utf8"));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe("stable Terraform addresses of the seed-000 stack", () => {
  const tf = synthSeed000();

  test("every resource address (<type>.<name>) is exactly the pinned list", () => {
    const addresses = Object.entries(tf.resource ?? {})
      .flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`))
      .sort();
    expect(addresses).toEqual(RESOURCE_ADDRESSES);
  });

  test("output names are pinned, and nothing is read through data sources", () => {
    expect(Object.keys(tf.output ?? {}).sort()).toEqual(OUTPUT_NAMES);
    expect(tf.data).toBeUndefined();
  });

  test("the endpoint address comes from its construct id, not from its endpoint name", () => {
    const serving = tf.resource!.databricks_model_serving as Record<string, { name: string }>;
    expect(Object.keys(serving)).toEqual(["HealthMonitor_Endpoint_6D12052E"]);
    expect(serving.HealthMonitor_Endpoint_6D12052E!.name).toBe("health-monitor-agent");
  });
});
