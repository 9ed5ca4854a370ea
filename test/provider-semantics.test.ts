import { TerraformVariable } from "cdktf";
import { AgentApp, AgentAuthPolicy, AgentStackContext, LakebaseInstance, ServingEndpoint } from "../lib";
import type { AgentServingEndpoint } from "../lib";
import { agent, DEPLOYER, newStack, ownedSchemaGrant, synthError } from "./helpers";

const BASE = { name: "sales-agent", routeOptimized: false };
type Lock = Parameters<AgentStackContext["useEndpointLock"]>[0];
const lockOf = (entry: Record<string, unknown>): Lock => ({
  endpoints: { "test/Agent": { ...BASE, ...entry } },
});
const findings = (s: ReturnType<typeof newStack>) =>
  AgentStackContext.of(s)
    .evaluate()
    .findings.filter((f) => !f.acknowledged)
    .map((f) => f.ruleId);

/** A stack whose endpoint gets `edit` through the escape hatch (the resource), then the lock `lock`. */
function build(edit: (e: AgentServingEndpoint) => void, lock?: Lock) {
  const s = newStack();
  const { endpoint } = agent(s);
  edit(endpoint);
  if (lock) AgentStackContext.of(s).useEndpointLock(lock);
  return { s, endpoint };
}
const telemetry = (e: AgentServingEndpoint, value: Record<string, unknown>) =>
  e.resource.addOverride("telemetry_config", value);
const burst = (e: AgentServingEndpoint, on: boolean) =>
  e.resource.addOverride("config.served_entities.0.burst_scaling_enabled", on);

describe("DBA-PROV-001: create-only fields of a deployed endpoint (telemetry_config, burst_scaling_enabled)", () => {
  test("the lock records them as set through the escape hatch, canonical whatever the key order; unset, the entry is unchanged", () => {
    const a = build((e) => {
      telemetry(e, { b: 1, a: { y: 2, x: 1 } });
      burst(e, true);
    });
    const b = build((e) => {
      burst(e, true);
      telemetry(e, { a: { x: 1, y: 2 }, b: 1 });
    });
    const entry = AgentStackContext.of(a.s).endpointLock().endpoints["test/Agent"];
    expect(entry).toEqual({
      ...BASE,
      createOnly: {
        "served_entities.current.burst_scaling_enabled": "true",
        telemetry_config: '{"a":{"x":1,"y":2},"b":1}',
      },
    });
    expect(JSON.stringify(AgentStackContext.of(b.s).endpointLock())).toBe(
      JSON.stringify(AgentStackContext.of(a.s).endpointLock()),
    );
    expect(AgentStackContext.of(build(() => undefined).s).endpointLock().endpoints["test/Agent"]).toEqual(
      BASE,
    );
  });

  test("a Terraform reference in a create-only field is recorded as its expression, never as token text", () => {
    const s = newStack();
    new TerraformVariable(s, "unrelated", { type: "string" });
    const table = new TerraformVariable(s, "telemetry_table", { type: "string" });
    const { endpoint } = agent(s);
    telemetry(endpoint, { table: table.stringValue });
    expect(AgentStackContext.of(s).endpointLock().endpoints["test/Agent"]!.createOnly).toEqual({
      telemetry_config: '{"table":"${var.telemetry_table}"}',
    });
  });

  test("fires when a deployed endpoint gets telemetry_config it was created without, naming the field, never its value", () => {
    const { s } = build((e) => telemetry(e, { secret_looking: "value-not-shown" }), lockOf({}));
    const msg = synthError(s);
    expect(msg).toContain("[DBA-PROV-001] test/Agent (prop telemetry_config)");
    expect(msg).toContain('telemetry_config is set on the deployed endpoint "sales-agent"');
    expect(msg).toContain("applies it only at creation");
    expect(msg).not.toContain("value-not-shown");
  });

  test("fires when burst_scaling_enabled changes or is removed, and when telemetry_config changes", () => {
    const was = lockOf({
      createOnly: { "served_entities.current.burst_scaling_enabled": "true", telemetry_config: '{"a":1}' },
    });
    const changed = build((e) => {
      burst(e, false);
      telemetry(e, { a: 2 });
    }, was);
    const msg = synthError(changed.s);
    expect(msg).toContain("served_entities.current.burst_scaling_enabled is changed");
    expect(msg).toContain("telemetry_config is changed");
    const removed = build(() => undefined, was);
    expect(synthError(removed.s)).toContain("served_entities.current.burst_scaling_enabled is removed");
  });

  test("silent when the fields are as deployed, when no lock is given, and for an endpoint not yet deployed", () => {
    const was = lockOf({ createOnly: { telemetry_config: '{"a":1}' } });
    expect(findings(build((e) => telemetry(e, { a: 1 }), was).s)).toEqual([]);
    expect(findings(build((e) => telemetry(e, { a: 1 })).s)).toEqual([]);
    const fresh = build((e) => telemetry(e, { a: 1 }), { endpoints: {} });
    expect(findings(fresh.s)).not.toContain("DBA-PROV-001");
  });

  test("acknowledgeable per field (e.g. the endpoint is recreated out of band)", () => {
    const { s } = build((e) => telemetry(e, { a: 1 }), lockOf({}));
    AgentStackContext.of(s).acknowledge(
      s.node.findChild("Agent"),
      "DBA-PROV-001",
      "recreated by the platform team",
      {
        appliesTo: ["telemetry_config"],
      },
    );
    expect(findings(s)).toEqual([]);
  });
});

describe("DBA-PROV-002: removing a deployed endpoint's ai_gateway block crashes the provider", () => {
  const gateway = (e: AgentServingEndpoint) =>
    e.resource.addOverride("ai_gateway", { inference_table_config: { enabled: true } });

  test("the lock records the block", () => {
    const { s } = build(gateway);
    expect(AgentStackContext.of(s).endpointLock().endpoints["test/Agent"]).toEqual({
      ...BASE,
      aiGateway: true,
    });
  });

  test("fires when the lock records a block and the stack has none", () => {
    const { s } = build(() => undefined, lockOf({ aiGateway: true }));
    const msg = synthError(s);
    expect(msg).toContain("[DBA-PROV-002] test/Agent (prop ai_gateway)");
    expect(msg).toContain("removing the block crashes the provider's update");
    expect(msg).toContain("disable its parts");
  });

  test("silent when the block is kept (its parts disabled), added, or never there", () => {
    const disabled = (e: AgentServingEndpoint) =>
      e.resource.addOverride("ai_gateway", { inference_table_config: { enabled: false } });
    expect(findings(build(disabled, lockOf({ aiGateway: true })).s)).toEqual([]);
    expect(findings(build(gateway, lockOf({})).s)).toEqual([]);
    expect(findings(build(() => undefined, lockOf({})).s)).toEqual([]);
  });

  test("a lock entry with a malformed new field is refused naming the allowed shape", () => {
    const s = newStack();
    agent(s);
    expect(() => AgentStackContext.of(s).useEndpointLock(lockOf({ aiGateway: "yes" }) as never)).toThrow(
      /"aiGateway"\?: boolean/,
    );
  });
});

describe("DBA-PROV-003: a databricks_grant that adds and removes privileges for one principal in one apply", () => {
  /** An owned schema grant (mechanism uc_grant), acknowledged, with the previous report's privileges. */
  const owned = (previous?: string[]) => {
    const { stack: s, context: ctx } = ownedSchemaGrant();
    if (previous)
      ctx.usePreviousReport({
        grants: [
          {
            securable: "schema main.sales",
            principal: "group:sales-analysts",
            privileges: previous,
            mechanism: "uc_grant",
          },
        ],
      });
    return s;
  };

  test("fires when the previous report's privileges for the pair lose one and gain another", () => {
    const msg = synthError(owned(["EXECUTE"]));
    expect(msg).toContain("[DBA-PROV-003] test/DatabricksAgents (prop grants)");
    expect(msg).toContain("adds USE_SCHEMA and removes EXECUTE in one apply");
    expect(msg).toContain("provider PR #5824");
    expect(msg).toContain("the union: EXECUTE, USE_SCHEMA, only additions");
  });

  test("silent with only additions, only removals, the same set, or no previous report", () => {
    expect(findings(owned([]))).toEqual([]);
    expect(findings(owned(["EXECUTE", "USE_SCHEMA"]))).toEqual([]);
    expect(findings(owned(["USE_SCHEMA"]))).toEqual([]);
    expect(findings(owned())).toEqual([]);
  });

  test("reads a whole agent-report.json (other fields ignored) and refuses one without grants", () => {
    const s = owned();
    const report = JSON.parse(JSON.stringify(AgentStackContext.of(s).report()));
    expect(() => AgentStackContext.of(owned()).usePreviousReport(report)).not.toThrow();
    expect(() => AgentStackContext.of(s).usePreviousReport({} as never)).toThrow(/usePreviousReport/);
  });
});

describe("the Lakebase deployer's databricks_superuser role is a required action in the report", () => {
  test("an endpoint with a Lakebase instance for passthrough lists the role, naming the instance and the endpoint", () => {
    const s = newStack();
    agent(s, {
      policy: (b) => ({ onBehalfOfUser: [b], system: [LakebaseInstance.fromName("agent-memory")] }),
    });
    const actions = AgentStackContext.of(s).report().requiredActions;
    const role = actions.find((a) => a.object.includes("databricks_superuser"))!;
    expect(role.object).toBe(
      "Lakebase instance agent-memory: role databricks_superuser (the Postgres role inside the Lakebase instance) for the deployer of sales-agent",
    );
    expect(role.commands).toContain('GRANT databricks_superuser TO "<deployer>";');
    expect(role.commands[0]).toContain("in Lakebase instance agent-memory");
  });

  test("no such action without Lakebase, nor on an app (its database resource gives the app's identity access)", () => {
    const none = newStack();
    agent(none);
    expect(
      AgentStackContext.of(none)
        .report()
        .requiredActions.filter((a) => a.object.includes("superuser")),
    ).toEqual([]);
    const s = newStack();
    const policy = new AgentAuthPolicy(s, "Policy", {
      system: [
        LakebaseInstance.fromName("agent-memory"),
        ServingEndpoint.fromName("databricks-claude-sonnet-4"),
      ],
    });
    new AgentApp(s, "App", { name: "sales-app", authPolicy: policy, deployer: DEPLOYER });
    expect(
      AgentStackContext.of(s)
        .report()
        .requiredActions.filter((a) => a.object.includes("superuser")),
    ).toEqual([]);
  });
});
