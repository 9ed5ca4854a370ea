/**
 * A deliberately wrong stack, built with the library and broken through its escape hatch
 * (`endpoint.resource.addOverride`): the library's own checks pass, and the real provider must refuse
 * it at `terraform validate`. scripts/ci-terraform.sh synthesizes it and expects validate to fail,
 * proving the offline check can fail.
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { AgentAuthPolicy, AgentServingEndpoint, Principal, ServingEndpoint } from "../../../lib";

const app = new App();
const stack = new TerraformStack(app, "broken-escape-hatch");
new LocalBackend(stack, { path: "terraform.broken-escape-hatch.tfstate" });
new DatabricksProvider(stack, "databricks", {});
const policy = new AgentAuthPolicy(stack, "Policy", { system: [ServingEndpoint.fromName("databricks-claude-sonnet-4")] });
const endpoint = new AgentServingEndpoint(stack, "Agent", {
  name: "broken-agent",
  model: { name: "main.agents.broken_agent", version: "1" },
  authPolicy: policy,
  consumers: [Principal.group("analysts")],
});
// The escape hatch lets anything through: an argument the provider's schema does not have.
endpoint.resource.addOverride("config.served_entities.0.workload_sizes", "Small");
app.synth();
