import { AgentStackContext } from "../lib";
import { agent, newStack, synthError } from "./helpers";

const NEW_SCOPE = "newservice.things";

const findings = (s: ReturnType<typeof newStack>): string[] =>
  AgentStackContext.of(s)
    .evaluate()
    .findings.filter((f) => !f.acknowledged)
    .map((f) => f.ruleId);

describe("additionalServingScopes: an escape-hatch scope reaches api_scopes and counts as needed", () => {
  test("a scope listed only in additionalServingScopes is in the derived api_scopes (it was dropped)", () => {
    const s = newStack();
    const { policy } = agent(s, {
      policy: (b) => ({ onBehalfOfUser: [b], additionalServingScopes: [NEW_SCOPE] }),
    });
    expect(synthError(s)).toBe("");
    expect(policy.apiScopes).toEqual(["dashboards.genie", NEW_SCOPE]);
    expect(policy.toMlflowDict().user_auth_policy).toEqual({ api_scopes: ["dashboards.genie", NEW_SCOPE] });
  });

  test("the fix DBA-SCOPE-003 suggests (list the scope in additionalServingScopes) passes without DBA-SCOPE-002", () => {
    const broken = newStack();
    agent(broken, { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie", NEW_SCOPE] }) });
    expect(synthError(broken)).toContain(
      'If "newservice.things" is a new scope, list it in additionalServingScopes',
    );

    const fixed = newStack();
    const { policy } = agent(fixed, {
      policy: (b) => ({
        onBehalfOfUser: [b],
        apiScopes: ["dashboards.genie", NEW_SCOPE],
        additionalServingScopes: [NEW_SCOPE],
      }),
    });
    expect(findings(fixed)).toEqual([]);
    expect(synthError(fixed)).toBe("");
    expect(policy.toMlflowDict().user_auth_policy).toEqual({ api_scopes: ["dashboards.genie", NEW_SCOPE] });
  });

  test("hand-given apiScopes without the escape-hatch scope miss it (DBA-SCOPE-001)", () => {
    const s = newStack();
    agent(s, {
      policy: (b) => ({
        onBehalfOfUser: [b],
        apiScopes: ["dashboards.genie"],
        additionalServingScopes: [NEW_SCOPE],
      }),
    });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-SCOPE-001]");
    expect(msg).toContain(NEW_SCOPE);
  });
});
