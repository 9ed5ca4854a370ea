/**
 * Terraform addresses are public API: a changed construct id or logical-id scheme means destroy and
 * create (a serving endpoint loses its URL, identity and permissions). The seed-000 stack's
 * addresses are written out literally here, so an accidental change fails CI. A deliberate change
 * updates this list together with a `moved` block (or a migration note) in the same commit.
 */
import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HealthMonitorStack } from "../../examples/health-monitor/stack";
import { AgentStackContext, Principal, SqlWarehouse } from "../../lib";
import { agent, synthValid } from "../helpers";

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

/**
 * A stack whose grants are keyed by Terraform references: a warehouse id and a consumer group from
 * variables, realised additively, and the group's grant on a table owned by the stack. With
 * `unrelatedFirst`, another variable is declared and used before them, which shifts cdktf's token counter.
 */
function referenceStack(unrelatedFirst: boolean): Record<string, Record<string, Record<string, unknown>>> {
  const s = new TerraformStack(Testing.app(), "refs");
  new DatabricksProvider(s, "databricks", {});
  const tags = unrelatedFirst
    ? { region: new TerraformVariable(s, "region", { type: "string" }).stringValue }
    : undefined;
  const warehouseId = new TerraformVariable(s, "warehouse_id", { type: "string" });
  const group = new TerraformVariable(s, "analysts", { type: "string" });
  agent(s, {
    bundle: { warehouse: SqlWarehouse.fromId(warehouseId.stringValue) },
    endpoint: { consumers: [Principal.group(group.stringValue)], ...(tags ? { tags } : {}) },
  });
  const ctx = AgentStackContext.of(s);
  ctx.configureGrants({
    mechanism: "additive",
    ownedGrants: [{ securable: "table:main.sales.orders", principal: Principal.group(group.stringValue) }],
  });
  ctx.acknowledge(
    s,
    "DBA-GRANT-001",
    "table main.sales.orders is this agent's own and only this stack grants on it",
  );
  return synthValid(s);
}

const addressesOf = (tf: Record<string, Record<string, Record<string, unknown>>>): string[] =>
  Object.entries(tf.resource ?? {})
    .flatMap(([type, resources]) => Object.keys(resources).map((name) => `${type}.${name}`))
    .sort();

describe("stable Terraform addresses of grants keyed by a Terraform reference", () => {
  test("they come from the reference's expression, not cdktf's token counter: pinned, and unchanged by an unrelated variable declared first", () => {
    const plain = addressesOf(referenceStack(false));
    expect(plain.join("\n")).not.toMatch(/TOKEN/);
    expect(plain).toEqual([
      "databricks_grant.DatabricksAgents_Grant_uc_table_main_sales_orders_group_var_analysts__aee247e4_6699B8BE",
      "databricks_model_serving.Agent_Endpoint_B138DBB7",
      "databricks_permissions.Agent_Permissions_BC9EC5A6",
      "terraform_data.DatabricksAgents_AddAcl_ws_genie_space_01f0c0ffee0000000000000000000001_87643d04_EE3DFBCC",
      "terraform_data.DatabricksAgents_AddAcl_ws_serving_endpoint_databricks-claude-sonnet-4_8a844916_FC7E9B4E",
      "terraform_data.DatabricksAgents_AddAcl_ws_sql_warehouse_var_warehouse_id__c36e9654_9B1F0C43",
      "terraform_data.DatabricksAgents_AddGrant_uc_catalog_main_6c7fa93d_535D9AFF",
      "terraform_data.DatabricksAgents_AddGrant_uc_model_main_agents_sales_agent_6f152573_E2C8C70B",
      "terraform_data.DatabricksAgents_AddGrant_uc_schema_main_agents_5d44465d_F1FC0371",
      "terraform_data.DatabricksAgents_AddGrant_uc_schema_main_sales_88e7a3cc_8848FB00",
    ]);
    expect(addressesOf(referenceStack(true))).toEqual(plain);
  });

  test("two uses of one variable are one principal: the endpoint's ACL lists it once, at the higher level", () => {
    const s = new TerraformStack(Testing.app(), "refs");
    new DatabricksProvider(s, "databricks", {});
    const group = new TerraformVariable(s, "analysts", { type: "string" });
    agent(s, {
      endpoint: {
        consumers: [Principal.group(group.stringValue), Principal.group(group.stringValue)],
        managers: [Principal.group(group.stringValue)],
      },
    });
    const acl = Object.values(synthValid(s).resource!.databricks_permissions!)[0] as {
      access_control: { group_name?: string; permission_level: string }[];
    };
    expect(acl.access_control).toEqual([{ group_name: "${var.analysts}", permission_level: "CAN_MANAGE" }]);
  });
});
