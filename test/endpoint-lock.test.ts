import { TerraformVariable } from "cdktf";
import { AgentServingEndpoint, AgentStackContext } from "../lib";
import { agent, newStack, synthError } from "./helpers";

const lock = { endpoints: { "test/Agent": { name: "sales-agent", routeOptimized: false } } };

describe("endpoint lock: changes that would replace a deployed endpoint", () => {
  test("the lock records every endpoint's identity by construct path", () => {
    const s = newStack();
    agent(s);
    expect(AgentStackContext.of(s).endpointLock()).toEqual(lock);
  });

  test("DBA-EP-008 fires when a protected endpoint's name changes", () => {
    const s = newStack();
    agent(s, { endpoint: { name: "sales-agent-v2" } });
    AgentStackContext.of(s).useEndpointLock(lock);
    const msg = synthError(s);
    expect(msg).toContain("[DBA-EP-008] test/Agent (prop name)");
    expect(msg).toContain('name "sales-agent" -> "sales-agent-v2"');
  });

  test("DBA-EP-008 fires when routeOptimized changes", () => {
    const s = newStack();
    agent(s, { endpoint: { routeOptimized: true } });
    AgentStackContext.of(s).useEndpointLock(lock);
    expect(synthError(s)).toContain("routeOptimized false -> true");
  });

  test("DBA-EP-008 is silent when nothing identity-bearing changes, or the endpoint is unprotected by choice", () => {
    const same = newStack();
    agent(same, { endpoint: { model: { name: "main.agents.sales_agent", version: "4" } } });
    const stack = same;
    AgentStackContext.of(stack).useEndpointLock(lock);
    expect(synthError(same)).toBe("");
    const unprotected = newStack();
    agent(unprotected, { endpoint: { name: "sales-agent-v2", protect: false } });
    AgentStackContext.of(unprotected).useEndpointLock(lock);
    expect(synthError(unprotected)).toBe("");
  });

  test("DBA-EP-009 fires when a deployed endpoint's construct id was renamed, and is silent otherwise", () => {
    const s = newStack();
    agent(s);
    AgentStackContext.of(s).useEndpointLock({
      endpoints: { ...lock.endpoints, "test/OldAgent": { name: "old-agent", routeOptimized: false } },
    });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-EP-009] test/OldAgent");
    expect(msg).toContain("the next apply would destroy it");
    const ok = newStack();
    agent(ok);
    AgentStackContext.of(ok).useEndpointLock(lock);
    expect(synthError(ok)).toBe("");
  });

  describe("an endpoint name from a Terraform reference", () => {
    /** A stack whose endpoint name is a variable; `unrelatedFirst` declares and uses another variable before it. */
    const build = (unrelatedFirst: boolean, variable = "endpoint_name") => {
      const s = newStack();
      const tags = unrelatedFirst
        ? { region: new TerraformVariable(s, "region", { type: "string" }).stringValue }
        : undefined;
      const name = new TerraformVariable(s, variable, { type: "string" });
      agent(s, { endpoint: { name: name.stringValue, ...(tags ? { tags } : {}) } });
      return s;
    };

    test("the lock records its expression, which an unrelated variable declared first does not change", () => {
      const before = AgentStackContext.of(build(false)).endpointLock();
      expect(before).toEqual({
        endpoints: { "test/Agent": { name: "${var.endpoint_name}", routeOptimized: false } },
      });
      const after = build(true);
      expect(AgentStackContext.of(after).endpointLock()).toEqual(before);
      AgentStackContext.of(after).useEndpointLock(before);
      expect(synthError(after)).toBe("");
    });

    test("DBA-EP-008 still fires when the endpoint is named by another reference", () => {
      const s = build(false, "other_name");
      AgentStackContext.of(s).useEndpointLock({
        endpoints: { "test/Agent": { name: "${var.endpoint_name}", routeOptimized: false } },
      });
      expect(synthError(s)).toContain('name "${var.endpoint_name}" -> "${var.other_name}"');
    });

    test("DBA-EP-003 sees two endpoints named by one variable as one name", () => {
      const s = newStack();
      const name = new TerraformVariable(s, "endpoint_name", { type: "string" });
      const { policy } = agent(s, { endpoint: { name: name.stringValue } });
      new AgentServingEndpoint(s, "Second", {
        name: name.stringValue,
        model: { name: "main.agents.sales_agent", version: "3" },
        authPolicy: policy,
      });
      expect(synthError(s)).toContain(
        '[DBA-EP-003] test/Second (prop name): endpoint name "${var.endpoint_name}"',
      );
    });

    test("a name an earlier release recorded as cdktf token text is not compared (it names nothing stable)", () => {
      const s = build(true);
      AgentStackContext.of(s).useEndpointLock({
        endpoints: { "test/Agent": { name: "${TfToken[TOKEN.1]}", routeOptimized: false } },
      });
      expect(synthError(s)).toBe("");
    });
  });
});
