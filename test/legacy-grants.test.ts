import { Testing } from "cdktf";
import { HealthMonitorStack } from "../examples/health-monitor/stack";
import { ManualAuthStack } from "../examples/manual-auth/stack";
import { AgentStackContext } from "../lib";

/** The addresses release 0.1.0 created for seed 000: one databricks_grant per shared UC (securable, principal). */
const RELEASE_0_1_GRANTS = [
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
];
/** And for the manual-auth example: the deployer's READ on its secret scope. */
const RELEASE_0_1_SECRET_ACL =
  "databricks_secret_acl.DatabricksAgents_SecretAcl_secret_weather-agent_servicePrincipal_c81d4e2a-3f5b-4a6c-9d7e-0f1a2b3c4d5e_fa23be5a_21C6B064";

type Removed = { from: string; lifecycle: { destroy: boolean } }[];
const removedOf = (tf: string): Removed | undefined => (JSON.parse(tf) as { removed?: Removed }).removed;

describe("forgetLegacyGrants: upgrading from a release that used databricks_grant on shared objects", () => {
  test("emits a removed block (destroy = false) for exactly the addresses that release created", () => {
    const stack = new HealthMonitorStack(Testing.app());
    AgentStackContext.of(stack).configureGrants({ forgetLegacyGrants: true });
    const removed = removedOf(Testing.synth(stack, true))!;
    expect(removed.map((r) => r.from)).toEqual([...RELEASE_0_1_GRANTS].sort());
    expect(removed.every((r) => r.lifecycle.destroy === false)).toBe(true);
  });

  test("the deployer's old secret ACL is forgotten too", () => {
    const stack = new ManualAuthStack(Testing.app());
    AgentStackContext.of(stack).configureGrants({ forgetLegacyGrants: true });
    expect(removedOf(Testing.synth(stack, true))!.map((r) => r.from)).toContain(RELEASE_0_1_SECRET_ACL);
  });

  test("off by default: no removed block", () => {
    expect(removedOf(Testing.synth(new HealthMonitorStack(Testing.app()), true))).toBeUndefined();
  });
});
