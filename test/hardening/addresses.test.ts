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
  "databricks_grant.DatabricksAgents_Grant_uc_catalog_main_group_platform-health-readers_8de4f47d_69465848",
  "databricks_grant.DatabricksAgents_Grant_uc_catalog_main_servicePrincipal_6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b_dddf57a8_AD66E539",
  "databricks_grant.DatabricksAgents_Grant_uc_function_main_health_monitor_cost_by_sku_group_platform-health-readers_efcd967e_49A1AC1A",
  "databricks_grant.DatabricksAgents_Grant_uc_function_main_health_monitor_cost_by_sku_servicePrincipal_6f1c2a3b-4d5e-4f60-_9280e083_0C193EB6",
  "databricks_grant.DatabricksAgents_Grant_uc_model_main_agents_health_monitor_agent_servicePrincipal_6f1c2a3b-4d5e-4f60-8a_a52a54fc_AA50070F",
  "databricks_grant.DatabricksAgents_Grant_uc_schema_main_agents_servicePrincipal_6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b_ee9850e5_47EFBCFA",
  "databricks_grant.DatabricksAgents_Grant_uc_schema_main_health_monitor_group_platform-health-readers_bc46bf7c_B916C81E",
  "databricks_grant.DatabricksAgents_Grant_uc_schema_main_health_monitor_servicePrincipal_6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4_9de09d5d_7B5DFA42",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_dim_sku_prices_group_platform-health-readers_f15c076d_91529CB3",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_dim_sku_prices_servicePrincipal_6f1c2a3b-4d5e-4f60-_7a619b63_A271081A",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_audit_events_group_platform-health-readers_31961fcd_223CC06E",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_audit_events_servicePrincipal_6f1c2a3b-4d5e-4f_61021e91_D491AC66",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_dq_results_group_platform-health-readers_e7477770_B2B010C0",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_dq_results_servicePrincipal_6f1c2a3b-4d5e-4f60_fd3d14ca_B50DB03B",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_job_runs_group_platform-health-readers_c011295f_E80A8504",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_job_runs_servicePrincipal_6f1c2a3b-4d5e-4f60-8_e4c74785_52E700BD",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_query_history_group_platform-health-readers_76abd33f_720072BA",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_query_history_servicePrincipal_6f1c2a3b-4d5e-4_45cdfb04_287D748E",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_usage_group_platform-health-readers_c19a4a0e_96AB130C",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_usage_servicePrincipal_6f1c2a3b-4d5e-4f60-8a9b_291cc1d5_C35237FD",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_warehouse_events_group_platform-health-readers_186b0312_28B0D68A",
  "databricks_grant.DatabricksAgents_Grant_uc_table_main_health_monitor_fact_warehouse_events_servicePrincipal_6f1c2a3b-4d5_b55ace40_9C748598",
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
