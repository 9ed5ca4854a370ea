import {
  AgentApp,
  AgentAuthPolicy,
  AgentStackContext,
  AgentTesting,
  Principal,
  ServingEndpoint,
} from "../lib";
import { agent, newStack, synthError, thrown } from "./helpers";

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

describe("callerIdentity: the caller's identity is a declared need, not an acknowledgement", () => {
  test('"current-user" derives iam.current-user:read on Model Serving, beside the dependencies\' scopes', () => {
    const s = newStack();
    const { policy } = agent(s, {
      policy: (b) => ({ onBehalfOfUser: [b], callerIdentity: ["current-user"] }),
    });
    expect(synthError(s)).toBe("");
    expect(policy.toMlflowDict().user_auth_policy).toEqual({
      api_scopes: ["dashboards.genie", "iam.current-user:read"],
    });
  });

  test('"access-control" derives iam.access-control:read; both, sorted and de-duplicated', () => {
    const s = newStack();
    const { policy } = agent(s, {
      policy: (b) => ({
        onBehalfOfUser: [b],
        callerIdentity: ["current-user", "access-control", "current-user"],
      }),
    });
    expect(synthError(s)).toBe("");
    expect(policy.apiScopes).toEqual([
      "dashboards.genie",
      "iam.access-control:read",
      "iam.current-user:read",
    ]);
  });

  test("iam.current-user:read given by hand: DBA-SCOPE-002 without callerIdentity (naming it in the fix), silent with it", () => {
    const scopes = ["dashboards.genie", "iam.current-user:read"];
    const without = newStack();
    agent(without, { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: scopes }) });
    const msg = synthError(without);
    expect(msg).toContain("[DBA-SCOPE-002]");
    expect(msg).toContain('add "current-user" to callerIdentity');

    const withIt = newStack();
    agent(withIt, {
      policy: (b) => ({ onBehalfOfUser: [b], apiScopes: scopes, callerIdentity: ["current-user"] }),
    });
    expect(findings(withIt)).toEqual([]);
  });

  test("callerIdentity with hand-given scopes that lack its scope: DBA-SCOPE-001 naming callerIdentity", () => {
    const s = newStack();
    agent(s, {
      policy: (b) => ({
        onBehalfOfUser: [b],
        apiScopes: ["dashboards.genie"],
        callerIdentity: ["access-control"],
      }),
    });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-SCOPE-001]");
    expect(msg).toContain('callerIdentity "access-control"');
    expect(msg).toContain("iam.access-control:read is missing");
  });

  test("an agent that only reads the caller's identity is on behalf of the user (user_auth_policy, ai-bridge)", () => {
    const s = newStack();
    const { policy } = agent(s, {
      policy: () => ({
        system: [ServingEndpoint.fromName("databricks-claude-sonnet-4")],
        callerIdentity: ["current-user"],
      }),
    });
    expect(synthError(s)).toBe("");
    expect(policy.usesOnBehalfOfUser).toBe(true);
    expect(policy.toMlflowDict().user_auth_policy).toEqual({ api_scopes: ["iam.current-user:read"] });
    expect(policy.pipRequirements.some((r) => r.startsWith("databricks-ai-bridge"))).toBe(true);
  });

  test("a value outside the list fails at construction naming the prop, what was received and what is allowed", () => {
    const s = newStack();
    const msg = thrown(
      () => new AgentAuthPolicy(s, "Policy", { callerIdentity: ["groups" as unknown as "current-user"] }),
    );
    expect(msg).toContain("[DBA-CFG-001]");
    expect(msg).toContain("callerIdentity");
    expect(msg).toContain('"current-user", "access-control"');
  });

  test("on Databricks Apps both are implicit: nothing derived, and a hand-given one is DBA-APP-006 (implicit)", () => {
    const build = (userApiScopes?: string[]) => {
      const s = newStack();
      const policy = new AgentAuthPolicy(s, "Policy", {
        onBehalfOfUser: [ServingEndpoint.fromName("databricks-claude-sonnet-4")],
        callerIdentity: ["access-control", "current-user"],
      });
      new AgentApp(s, "App", {
        name: "sales-app",
        authPolicy: policy,
        consumers: [Principal.group("sales-analysts")],
        ...(userApiScopes ? { userApiScopes } : {}),
      });
      return s;
    };
    const derived = build();
    expect(findings(derived)).toEqual([]);
    const tf = JSON.parse(AgentTesting.synth(derived).terraform) as {
      resource: Record<string, Record<string, { user_api_scopes?: string[] }>>;
    };
    expect(Object.values(tf.resource.databricks_app!)[0]!.user_api_scopes).toEqual(["model-serving"]);

    const byHand = build(["iam.current-user:read", "model-serving"]);
    const msg = synthError(byHand);
    expect(msg).toContain("[DBA-APP-006]");
    expect(msg).toContain('scope "iam.current-user:read" is granted to every app implicitly');
  });
});
