import { App, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  GenieResourceBundle,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
} from "../../lib";

const app = new App();
const stack = new TerraformStack(app, "quickstart");
new DatabricksProvider(stack, "databricks", {});
// README:begin
const sales = new GenieResourceBundle(stack, "SalesGenie", {
  domain: "sales", // sets SALES_GENIE_SPACE_ID on the endpoint
  spaceId: "01f0c0ffee0000000000000000000001",
  warehouse: SqlWarehouse.fromId("4b9b953939869799"),
  tables: ["main.sales.orders", "main.sales.customers"],
});
const policy = new AgentAuthPolicy(stack, "Policy", {
  system: [ServingEndpoint.fromName("databricks-claude-sonnet-4")], // passthrough
  onBehalfOfUser: [sales], // scopes derived: dashboards.genie
});
new AgentServingEndpoint(stack, "SalesAgent", {
  name: "sales-agent",
  model: { name: "main.agents.sales_agent", version: "3" },
  authPolicy: policy,
  consumers: [Principal.group("sales-analysts")],
  deployer: Principal.servicePrincipal("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"),
});
// README:end
app.synth();
