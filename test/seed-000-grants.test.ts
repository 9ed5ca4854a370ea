import { Testing } from "cdktf";
import { HealthMonitorStack } from "../examples/health-monitor/stack";
import { AgentStackContext } from "../lib";

const DEPLOYER = "servicePrincipal:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";
const READERS = "group:platform-health-readers";
const ADMINS = "group:platform-admins";

/**
 * The complete grant plan of seed 000's health-monitor agent, written out by hand:
 * - consumers (READERS) use the six Genie spaces and the LLM on their own behalf, so they need CAN_RUN on
 *   each space, CAN_USE on the warehouse, SELECT on every table, EXECUTE on the function, the parents'
 *   USE_* grants, CAN_QUERY on the LLM and CAN_QUERY on the agent endpoint;
 * - the deployer needs the same data access for passthrough (Databricks checks the creator), CAN_USE on
 *   Lakebase, and EXECUTE on the served model (+ USE_SCHEMA main.agents);
 * - managers (ADMINS) get CAN_MANAGE on the endpoint, which the stack owns.
 * Shared objects (Genie, warehouse, LLM, Lakebase) are not owned: by default they are reported, never ACL'd.
 */
const EXPECTED: [string, string, string, string][] = [
  ["catalog main", READERS, "USE_CATALOG", "report"],
  ["catalog main", DEPLOYER, "USE_CATALOG", "report"],
  ["function main.health_monitor.cost_by_sku", READERS, "EXECUTE", "report"],
  ["function main.health_monitor.cost_by_sku", DEPLOYER, "EXECUTE", "report"],
  ["model main.agents.health_monitor_agent", DEPLOYER, "EXECUTE", "report"],
  ["schema main.agents", DEPLOYER, "USE_SCHEMA", "report"],
  ["schema main.health_monitor", READERS, "USE_SCHEMA", "report"],
  ["schema main.health_monitor", DEPLOYER, "USE_SCHEMA", "report"],
  ["table main.health_monitor.dim_sku_prices", READERS, "SELECT", "report"],
  ["table main.health_monitor.dim_sku_prices", DEPLOYER, "SELECT", "report"],
  ["table main.health_monitor.fact_audit_events", READERS, "SELECT", "report"],
  ["table main.health_monitor.fact_audit_events", DEPLOYER, "SELECT", "report"],
  ["table main.health_monitor.fact_dq_results", READERS, "SELECT", "report"],
  ["table main.health_monitor.fact_dq_results", DEPLOYER, "SELECT", "report"],
  ["table main.health_monitor.fact_job_runs", READERS, "SELECT", "report"],
  ["table main.health_monitor.fact_job_runs", DEPLOYER, "SELECT", "report"],
  ["table main.health_monitor.fact_query_history", READERS, "SELECT", "report"],
  ["table main.health_monitor.fact_query_history", DEPLOYER, "SELECT", "report"],
  ["table main.health_monitor.fact_usage", READERS, "SELECT", "report"],
  ["table main.health_monitor.fact_usage", DEPLOYER, "SELECT", "report"],
  ["table main.health_monitor.fact_warehouse_events", READERS, "SELECT", "report"],
  ["table main.health_monitor.fact_warehouse_events", DEPLOYER, "SELECT", "report"],
  ["database instance health-monitor-memory", DEPLOYER, "CAN_USE", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d01", READERS, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d01", DEPLOYER, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d02", READERS, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d02", DEPLOYER, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d03", READERS, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d03", DEPLOYER, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d04", READERS, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d04", DEPLOYER, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d05", READERS, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d05", DEPLOYER, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d06", READERS, "CAN_RUN", "report"],
  ["genie space 01f0a1b2c3d4e5f60718293a4b5c6d06", DEPLOYER, "CAN_RUN", "report"],
  ["serving endpoint databricks-claude-sonnet-4", READERS, "CAN_QUERY", "report"],
  ["serving endpoint databricks-claude-sonnet-4", DEPLOYER, "CAN_QUERY", "report"],
  ["serving endpoint health-monitor-agent", ADMINS, "CAN_MANAGE", "owned_acl"],
  ["serving endpoint health-monitor-agent", READERS, "CAN_QUERY", "owned_acl"],
  ["sql warehouse 4b9b953939869799", READERS, "CAN_USE", "report"],
  ["sql warehouse 4b9b953939869799", DEPLOYER, "CAN_USE", "report"],
];

test("seed 000: the full grant plan equals the table written here", () => {
  const stack = new HealthMonitorStack(Testing.app());
  Testing.synth(stack, true);
  const plan = AgentStackContext.of(stack)
    .report()
    .grants.map((g) => [g.securable, g.principal, g.privileges.join(","), g.mechanism]);
  expect(plan).toEqual(EXPECTED);
});

test("seed 000: no databricks_grant (shared UC objects are reported), one databricks_permissions (the endpoint), no databricks_grants", () => {
  const stack = new HealthMonitorStack(Testing.app());
  const tf = JSON.parse(Testing.synth(stack, true));
  expect(tf.resource.databricks_grant).toBeUndefined();
  expect(EXPECTED.filter((r) => r[3] === "report")).toHaveLength(39);
  expect(Object.keys(tf.resource.databricks_permissions)).toHaveLength(1);
  expect(tf.resource.databricks_grants).toBeUndefined();
});
