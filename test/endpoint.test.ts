import { TerraformVariable } from "cdktf";
import { AgentServingEndpoint, AgentStackContext, Principal, SecretRef } from "../lib";
import { agent, newStack, synthValid, thrown } from "./helpers";

type Json = Record<string, unknown>;
const only = (tf: Json, type: string): Json => {
  const all = (tf.resource as Record<string, Record<string, Json>>)[type] ?? {};
  const values = Object.values(all);
  expect(values).toHaveLength(1);
  return values[0]!;
};
const entity = (serving: Json): Json => ((serving.config as Json).served_entities as Json[])[0]!;

describe("AgentServingEndpoint", () => {
  test("sets served-entity name, size, scale-to-zero, routes and route_optimized explicitly", () => {
    const s = newStack();
    agent(s);
    const serving = only(synthValid(s), "databricks_model_serving");
    expect(serving.name).toBe("sales-agent");
    expect(serving.route_optimized).toBe(false);
    expect(entity(serving)).toMatchObject({
      name: "current",
      entity_name: "main.agents.sales_agent",
      entity_version: "3",
      workload_size: "Small",
      workload_type: "CPU",
      scale_to_zero_enabled: false,
    });
    expect((serving.config as Json).traffic_config).toEqual({
      routes: [{ served_entity_name: "current", traffic_percentage: 100 }],
    });
  });

  test("environment holds the Genie space id and the OBO flag from the policy, and secrets as references only", () => {
    const s = newStack();
    agent(s, {
      endpoint: {
        environment: { LOG_LEVEL: "info" },
        secrets: { OPENAI_API_KEY: SecretRef.of("agents", "openai") },
      },
    });
    const env = entity(only(synthValid(s), "databricks_model_serving")).environment_vars;
    expect(env).toEqual({
      DATABRICKS_USE_IDENTITY_PASSTHROUGH: "true",
      LOG_LEVEL: "info",
      OPENAI_API_KEY: "{{secrets/agents/openai}}",
      SALES_GENIE_SPACE_ID: "01f0c0ffee0000000000000000000001",
    });
  });

  test("the OBO flag name is configurable and can be switched off; no flag without OBO", () => {
    const renamed = newStack();
    agent(renamed, { endpoint: { oboFlagEnvVar: "AGENT_OBO" } });
    const env1 = entity(only(synthValid(renamed), "databricks_model_serving")).environment_vars as Json;
    expect(env1.AGENT_OBO).toBe("true");
    expect(env1.DATABRICKS_USE_IDENTITY_PASSTHROUGH).toBeUndefined();

    const off = newStack();
    agent(off, { endpoint: { oboFlagEnvVar: false } });
    expect(
      Object.keys(entity(only(synthValid(off), "databricks_model_serving")).environment_vars as Json),
    ).toEqual(["SALES_GENIE_SPACE_ID"]);

    const systemOnly = newStack();
    agent(systemOnly, { policy: (b) => ({ system: [b] }) });
    expect(
      (entity(only(synthValid(systemOnly), "databricks_model_serving")).environment_vars as Json)
        .DATABRICKS_USE_IDENTITY_PASSTHROUGH,
    ).toBeUndefined();
  });

  test("create-only fields are ignored after creation and protect sets prevent_destroy (default on)", () => {
    const s = newStack();
    agent(s, { endpoint: { description: "Sales agent", budgetPolicyId: "bp-1" } });
    const serving = only(synthValid(s), "databricks_model_serving");
    expect(serving.description).toBe("Sales agent");
    expect(serving.lifecycle).toEqual({
      ignore_changes: ["description", "budget_policy_id", "email_notifications"],
      prevent_destroy: true,
    });

    const unprotected = newStack();
    agent(unprotected, { endpoint: { protect: false } });
    expect(
      (only(synthValid(unprotected), "databricks_model_serving").lifecycle as Json).prevent_destroy,
    ).toBe(false);
  });

  test("tags are sorted by key and template sequences in literals are escaped", () => {
    const s = newStack();
    agent(s, {
      endpoint: {
        tags: { team: "sales", cost: "${var.x}" },
        environment: { GREETING: "hello %{name} ${user}" },
        description: "costs ${USD}",
      },
    });
    const serving = only(synthValid(s), "databricks_model_serving");
    expect(serving.tags).toEqual([
      { key: "cost", value: "$${var.x}" },
      { key: "team", value: "sales" },
    ]);
    expect((entity(serving).environment_vars as Json).GREETING).toBe("hello %%{name} $${user}");
    expect(serving.description).toBe("costs $${USD}");
  });

  test("Terraform references stay references (not escaped)", () => {
    const s = newStack();
    const version = new TerraformVariable(s, "agent_version", { type: "string" });
    agent(s, {
      endpoint: {
        model: { name: "main.agents.sales_agent", version: version.stringValue },
        environment: { REGION: `eu-${version.stringValue}` },
      },
    });
    const serving = only(synthValid(s), "databricks_model_serving");
    expect(entity(serving).entity_version).toBe("${var.agent_version}");
    expect((entity(serving).environment_vars as Json).REGION).toBe("eu-${var.agent_version}");
  });

  test("consumers get CAN_QUERY through databricks_permissions on serving_endpoint_id, sorted, lower-cased", () => {
    const s = newStack();
    agent(s, {
      endpoint: {
        consumers: [Principal.user("Zoe@Example.com"), Principal.group("sales-analysts")],
        managers: [Principal.group("ml-platform")],
      },
    });
    const perms = only(synthValid(s), "databricks_permissions");
    expect(perms.serving_endpoint_id).toMatch(
      /^\$\{databricks_model_serving\.Agent_Endpoint_[0-9A-F]+\.serving_endpoint_id\}$/,
    );
    expect(perms.access_control).toEqual([
      { group_name: "ml-platform", permission_level: "CAN_MANAGE" },
      { group_name: "sales-analysts", permission_level: "CAN_QUERY" },
      { permission_level: "CAN_QUERY", user_name: "zoe@example.com" },
    ]);
  });

  test("a deployer that is also a consumer is listed at CAN_MANAGE on its own endpoint, never lower", () => {
    const s = newStack();
    const deployer = Principal.servicePrincipal("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b");
    agent(s, { endpoint: { consumers: [Principal.group("sales-analysts"), deployer] } });
    expect(only(synthValid(s), "databricks_permissions").access_control).toEqual([
      { group_name: "sales-analysts", permission_level: "CAN_QUERY" },
      { permission_level: "CAN_MANAGE", service_principal_name: "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b" },
    ]);
  });

  test("no permissions resource when nobody is granted on the endpoint", () => {
    const s = newStack();
    agent(s, { endpoint: { consumers: [] } });
    const tf = synthValid(s);
    expect((tf.resource as Json).databricks_permissions).toBeUndefined();
  });

  test("a canary split keeps explicit names and routes", () => {
    const s = newStack();
    agent(s, {
      endpoint: {
        model: undefined,
        servedEntities: [
          { name: "v3", model: { name: "main.agents.sales_agent", version: "3" } },
          { name: "v4", model: { name: "main.agents.sales_agent", version: "4" }, workloadSize: "Medium" },
        ],
        traffic: { v4: 10, v3: 90 },
      },
    });
    const serving = only(synthValid(s), "databricks_model_serving");
    const config = serving.config as Json;
    expect(
      (config.served_entities as Json[]).map((e) => [e.name, e.entity_version, e.workload_size]),
    ).toEqual([
      ["v3", "3", "Small"],
      ["v4", "4", "Medium"],
    ]);
    expect((config.traffic_config as Json).routes).toEqual([
      { served_entity_name: "v3", traffic_percentage: 90 },
      { served_entity_name: "v4", traffic_percentage: 10 },
    ]);
  });

  test("outputs name, serving_endpoint_id and URL", () => {
    const s = newStack();
    agent(s);
    const outputs = synthValid(s).output as Record<string, Json>;
    expect(Object.values(outputs).map((o) => o.value)).toEqual([
      expect.stringMatching(/\.name\}$/),
      expect.stringMatching(/\.serving_endpoint_id\}$/),
      expect.stringMatching(/\.endpoint_url\}$/),
    ]);
  });

  test("a value mixing a reference with a literal ${ (or a $ right before it) is refused, not mangled", () => {
    const s = newStack();
    const region = new TerraformVariable(s, "region", { type: "string" });
    for (const value of [
      `US$${region.stringValue}`,
      `\${${region.stringValue}}`,
      `${region.stringValue} %{x}`,
    ])
      expect(thrown(() => agent(newStack(), { endpoint: { environment: { REGION: value } } }))).toContain(
        "mixes a Terraform reference",
      );
    expect(
      thrown(() => agent(s, { endpoint: { environment: { REGION: `eu-${region.stringValue} %` } } })),
    ).toBe("");
  });

  test("DBA-MLF-001 warns when the MLflow policy holds a Terraform reference, which the files show as an expression", () => {
    const s = newStack();
    const space = new TerraformVariable(s, "space", { type: "string" });
    agent(s, { bundle: { spaceId: space.stringValue }, policy: (b) => ({ system: [b] }) });
    const f = AgentStackContext.of(s)
      .evaluate()
      .findings.find((x) => x.ruleId === "DBA-MLF-001");
    expect(f?.severity).toBe("warning");
    expect(JSON.stringify(AgentStackContext.of(s).report())).toContain("${var.space}");
    const literal = newStack();
    agent(literal, { policy: (b) => ({ system: [b] }) });
    expect(
      AgentStackContext.of(literal)
        .evaluate()
        .findings.map((x) => x.ruleId),
    ).not.toContain("DBA-MLF-001");
  });

  test("an endpoint without a policy has no dependencies and no OBO flag", () => {
    const s = newStack();
    new AgentServingEndpoint(s, "Bare", { name: "bare", model: { name: "main.agents.bare", version: "1" } });
    const env = entity(only(synthValid(s), "databricks_model_serving")).environment_vars as Json;
    expect(env).toEqual({});
  });
});
