import { AgentStackContext } from "../lib";
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
});
