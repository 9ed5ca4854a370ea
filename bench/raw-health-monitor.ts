/**
 * Raw cdktf's equivalent of the bundled example (examples/health-monitor, `npx cdktf synth`): the same
 * cdk.tf.json resources and outputs, written by hand with the provider's classes and no library. The
 * benchmark's main-command part runs it beside the example and checks that both emit the same bodies.
 *
 *   CDKTF_OUTDIR=<dir> npx tsx bench/raw-health-monitor.ts
 */
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { ModelServing } from "@cdktf/provider-databricks/lib/model-serving";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";

const app = new App();
const stack = new TerraformStack(app, "health-monitor");
new LocalBackend(stack, { path: "terraform.health-monitor.tfstate" });
new DatabricksProvider(stack, "databricks", {});

const endpoint = new ModelServing(stack, "Endpoint", {
  name: "health-monitor-agent",
  routeOptimized: false,
  config: {
    servedEntities: [
      {
        name: "current",
        entityName: "main.agents.health_monitor_agent",
        entityVersion: "7",
        workloadSize: "Small",
        workloadType: "CPU",
        scaleToZeroEnabled: true,
        environmentVars: {
          COST_GENIE_SPACE_ID: "01f0a1b2c3d4e5f60718293a4b5c6d01",
          DATABRICKS_USE_IDENTITY_PASSTHROUGH: "true",
          ENABLE_MLFLOW_TRACING: "true",
          LOG_LEVEL: "info",
          PERFORMANCE_GENIE_SPACE_ID: "01f0a1b2c3d4e5f60718293a4b5c6d03",
          QUALITY_GENIE_SPACE_ID: "01f0a1b2c3d4e5f60718293a4b5c6d05",
          RELIABILITY_GENIE_SPACE_ID: "01f0a1b2c3d4e5f60718293a4b5c6d04",
          SECURITY_GENIE_SPACE_ID: "01f0a1b2c3d4e5f60718293a4b5c6d02",
          UNIFIED_GENIE_SPACE_ID: "01f0a1b2c3d4e5f60718293a4b5c6d06",
        },
      },
    ],
    trafficConfig: { routes: [{ servedEntityName: "current", trafficPercentage: 100 }] },
  },
  tags: [
    { key: "agent", value: "health-monitor" },
    { key: "team", value: "platform" },
  ],
  lifecycle: {
    preventDestroy: true,
    ignoreChanges: ["description", "budget_policy_id", "email_notifications"],
  },
});
const where = "health-monitor/HealthMonitor";
new TerraformOutput(stack, "Name", { value: endpoint.name, description: `Name of ${where}` });
new TerraformOutput(stack, "ServingEndpointId", {
  value: endpoint.servingEndpointId,
  description: `serving_endpoint_id of ${where} (use it, not the name, for permissions)`,
});
new TerraformOutput(stack, "Url", { value: endpoint.endpointUrl, description: `Invocation URL of ${where}` });
// The Genie spaces, their tables and function, the warehouse, the LLM and Lakebase are shared objects:
// their grants are left to the owners (the library's default `report` mechanism writes none either).
new Permissions(stack, "Permissions", {
  servingEndpointId: endpoint.servingEndpointId,
  accessControl: [
    { groupName: "platform-admins", permissionLevel: "CAN_MANAGE" },
    { groupName: "platform-health-readers", permissionLevel: "CAN_QUERY" },
  ],
});

app.synth();
