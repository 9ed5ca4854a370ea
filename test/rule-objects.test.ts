import {
  AgentServingEndpoint,
  AgentStackContext,
  GenieResourceBundle,
  Principal,
  RULES,
  SqlWarehouse,
} from "../lib";
import type { GrantRequest } from "../lib/grants/grant-request";
import { pairKey, type PlannedGrant } from "../lib/grants/plan";
import { AgentConfigError } from "../lib/model/problem";
import { describeSecurable, securableKey, uc, ws, type Securable } from "../lib/model/securable";
import { acknowledgementOf, type Acknowledgement } from "../lib/rules/acknowledgement";
import * as acknowledgementModule from "../lib/rules/acknowledgement";
import * as appModule from "../lib/rules/app-rules";
import { ALL_RULES, GRANT_RULES, STACK_RULES } from "../lib/rules/all-rules";
import * as constructionModule from "../lib/rules/construction-rules";
import * as endpointModule from "../lib/rules/endpoint-rules";
import { evaluateRules, type Evaluation } from "../lib/rules/evaluate";
import * as genieModule from "../lib/rules/genie-rules";
import {
  grantRuleInput,
  previousGrantKey,
  type GrantRuleContext,
  type GrantRuleInput,
} from "../lib/rules/grant-model";
import * as grantModule from "../lib/rules/grant-rules";
import * as providerModule from "../lib/rules/provider-rules";
import * as ruleModule from "../lib/rules/rule";
import { runRule, type GrantRule, type Rule, type StackRule } from "../lib/rules/rule";
import * as scopeModule from "../lib/rules/scope-rules";
import { credentialInPropsProblem, manualAuthVariables } from "../lib/rules/secret-rules";
import * as secretModule from "../lib/rules/secret-rules";
import type { StackModel } from "../lib/rules/stack-model";
import * as versionModule from "../lib/rules/version-rules";
import { agent, newStack, SPACE_ID_2, WAREHOUSE_ID } from "./helpers";

const SECRET = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
const CTX = "test/DatabricksAgents";
const EMPTY_STACK: StackModel = { bundles: [], policies: [], endpoints: [] };

// ---------------------------------------------------------------------------------------------
// The catalog is derived from the rule objects
// ---------------------------------------------------------------------------------------------

const isRule = (v: unknown): v is Rule =>
  typeof v === "object" && v !== null && typeof (v as Rule).id === "string" && "reads" in v;
const exported = [
  acknowledgementModule,
  appModule,
  constructionModule,
  endpointModule,
  genieModule,
  grantModule,
  ruleModule,
  providerModule,
  scopeModule,
  secretModule,
  versionModule,
].flatMap((m) => Object.values(m).filter(isRule));

describe("rules as objects", () => {
  test("the catalog is the rule objects, in order, each id once", () => {
    expect(Object.keys(RULES)).toEqual(ALL_RULES.map((r) => r.id));
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^DBA-[A-Z]+-\d{3}$/);
      expect(RULES[r.id]).toEqual({
        id: r.id,
        severity: r.severity,
        acknowledgeable: r.acknowledgeable,
        title: r.title,
        fix: r.fix,
      });
    }
  });

  test("every rule object a rule module exports is in the catalog exactly once", () => {
    expect(exported.length).toBe(ALL_RULES.length);
    for (const r of exported) expect(ALL_RULES.filter((x) => x === r)).toHaveLength(1);
  });

  test("checked rules run over the stack or the grants; the others say where they are checked", () => {
    for (const r of ALL_RULES)
      if (r.reads === "none") expect(r.checkedIn.length).toBeGreaterThan(5);
      else expect(typeof r.check).toBe("function");
    expect(GRANT_RULES.map((r) => r.id)).toEqual([
      ...Array.from({ length: 11 }, (_, i) => `DBA-GRANT-${String(i + 1).padStart(3, "0")}`),
      "DBA-PROV-003",
      "DBA-APP-009",
    ]);
    expect(STACK_RULES.length).toBeGreaterThan(20);
  });

  test("a check returns problems without a rule id: the evaluator stamps it", () => {
    const fired = manualAuthVariables.check({
      ...EMPTY_STACK,
      endpoints: [
        {
          path: "s/Agent",
          name: "a",
          entities: [],
          traffic: {},
          environment: { DATABRICKS_TOKEN: "x" },
          entityEnvironments: {},
          secretNames: [],
          managedEnvironment: [],
          hasSystemDependencies: true,
          protect: false,
          routeOptimized: false,
        },
      ],
    });
    expect(fired).toHaveLength(1);
    expect(fired[0]).not.toHaveProperty("ruleId");
  });
});

// ---------------------------------------------------------------------------------------------
// DBA-SEC-001's construction-time findings come from the rule's module
// ---------------------------------------------------------------------------------------------

describe("DBA-SEC-001 at construction is the rule module's problem", () => {
  const problemsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof AgentConfigError) return e.problems;
      throw e;
    }
    return [];
  };

  test("a credential in a tag or the description is found by the props check (before any other check of the endpoint)", () => {
    const s = newStack();
    const { policy } = agent(s);
    const problems = problemsOf(
      () =>
        new AgentServingEndpoint(s, "Tagged", {
          name: "tagged-agent",
          model: { name: "main.agents.sales_agent", version: "3" },
          authPolicy: policy,
          tags: { owner: SECRET },
          description: `token ${SECRET}`,
        }),
    );
    expect(problems).toEqual([
      credentialInPropsProblem("test/Tagged", "tags.owner"),
      credentialInPropsProblem("test/Tagged", "description"),
    ]);
  });

  test("a credential anywhere else in the props", () => {
    const s = newStack();
    const problems = problemsOf(
      () =>
        new GenieResourceBundle(s, "Leaky", {
          domain: "hr",
          spaceId: SPACE_ID_2,
          warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
          tables: ["main.hr.people"],
          functions: [`main.hr.${SECRET}`],
        }),
    );
    expect(problems).toContainEqual(credentialInPropsProblem("test/Leaky", "functions[0]"));
  });
});

// ---------------------------------------------------------------------------------------------
// The grant rules: pure functions over a grant-rule input, each with a firing and a silent case
// ---------------------------------------------------------------------------------------------

const users = Principal.group("users");
const analysts = Principal.group("sales-analysts");
const WAREHOUSE = ws("sql_warehouse", WAREHOUSE_ID);
const KNOWLEDGE_ASSISTANT = ws("knowledge_assistant", "01f0a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b");
const TABLE = uc("table", "main.sales.orders");

const planned = (
  securable: Securable,
  principal: Principal,
  realisation: PlannedGrant["realisation"],
  privileges: string[] = ["CAN_USE"],
): PlannedGrant => ({
  securable,
  principal,
  securableKey: securableKey(securable),
  key: pairKey(securable, principal.key),
  privileges,
  reasons: ["test"],
  realisation,
  requestedBy: ["test/Agent"],
  manualRequests: 0,
});
const request = (principal: Principal, securable: Securable = WAREHOUSE): GrantRequest => ({
  principal,
  securable,
  privilege: "CAN_USE",
  reason: "test",
  requestedBy: "test/Agent",
});

interface GrantCase {
  readonly rule: string;
  readonly fire: GrantRuleInput;
  readonly silent: GrantRuleInput;
  readonly says: string;
}
const input = (plan: PlannedGrant[], requests: GrantRequest[] = [], context: GrantRuleContext = {}) =>
  grantRuleInput(plan, requests, CTX, context);

const GRANT_CASES: GrantCase[] = [
  {
    rule: "DBA-GRANT-001",
    fire: input([planned(WAREHOUSE, analysts, "authoritative")]),
    silent: input([planned(WAREHOUSE, analysts, "additive")]),
    says: "its ACL is made authoritative",
  },
  {
    rule: "DBA-GRANT-002",
    fire: input([], [request(analysts)], { hiddenPrincipalNames: new Set(["sales-analysts"]) }),
    silent: input([], [request(analysts)], { hiddenPrincipalNames: new Set(["other"]) }),
    says: "hidden) service principal",
  },
  {
    rule: "DBA-GRANT-003",
    fire: input([], [request(users)]),
    silent: input([], [request(analysts)]),
    says: 'group "users" holds every workspace user',
  },
  {
    rule: "DBA-GRANT-004",
    fire: input([planned(WAREHOUSE, analysts, "additive")], [], {
      foreign: [
        {
          kind: "databricks_permissions",
          securableKey: `ws:sql_warehouse:${WAREHOUSE_ID}`,
          path: "test/Raw",
        },
      ],
    }),
    silent: input([planned(WAREHOUSE, analysts, "additive")], [], {
      foreign: [
        {
          kind: "databricks_permissions",
          securableKey: "ws:sql_warehouse:0000000000000000",
          path: "test/Raw",
        },
      ],
    }),
    says: "which the grant plan also manages",
  },
  {
    rule: "DBA-GRANT-005",
    fire: input([planned(WAREHOUSE, Principal.group("admins"), "additive")]),
    silent: input([planned(WAREHOUSE, Principal.group("ops"), "additive")]),
    says: "the admins group is listed",
  },
  {
    rule: "DBA-GRANT-006",
    fire: input([], [request(Principal.user("not an email"))]),
    silent: input([], [request(Principal.user("someone@example.com"))]),
    says: "user name is not an email address",
  },
  {
    rule: "DBA-GRANT-007",
    fire: input([planned(ws("genie_space", SPACE_ID_2), analysts, "authoritative", ["CAN_RUN"])]),
    silent: input([planned(ws("genie_space", SPACE_ID_2), analysts, "additive", ["CAN_RUN"])]),
    says: "the provider has no Genie ACL",
  },
  {
    rule: "DBA-GRANT-008",
    fire: input([planned(WAREHOUSE, analysts, "authoritative")]),
    silent: input([planned(WAREHOUSE, analysts, "authoritative")], [], {
      warehouseOwners: new Set([WAREHOUSE_ID]),
    }),
    says: "without an IS_OWNER entry",
  },
  {
    rule: "DBA-GRANT-009",
    fire: input([planned(TABLE, analysts, "report", ["SELECT"])], [], {
      ownedGrants: [{ key: "nothing", label: "table:main.sales.other for group:sales-analysts" }],
    }),
    silent: input([planned(TABLE, analysts, "uc_grant", ["SELECT"])], [], {
      ownedGrants: [
        {
          key: `uc:table:main.sales.orders\u0000group:sales-analysts`,
          label: "table:main.sales.orders for group:sales-analysts",
        },
      ],
    }),
    says: "matches no grant the stack plans",
  },
  {
    rule: "DBA-GRANT-010",
    fire: input([planned(WAREHOUSE, analysts, "authoritative")], [], {
      authoritativeElsewhere: new Map([[`ws:sql_warehouse:${WAREHOUSE_ID}`, "other"]]),
    }),
    silent: input([planned(WAREHOUSE, analysts, "authoritative")], [], {
      authoritativeElsewhere: new Map([["ws:sql_warehouse:0000000000000000", "other"]]),
    }),
    says: "stack other also manages",
  },
  {
    rule: "DBA-GRANT-011",
    fire: input([planned(ws("sql_warehouse", "wh-${TfToken[TOKEN.1]}"), analysts, "additive")]),
    silent: input([planned(ws("sql_warehouse", "${TfToken[TOKEN.1]}"), analysts, "additive")]),
    says: "mixes a Terraform reference with literal text",
  },
  (() => {
    // The previous report granted SELECT on the table; the plan now wants MODIFY instead (adds and removes).
    const previousGrants = new Map([
      [previousGrantKey(describeSecurable(TABLE), analysts.key), ["SELECT"] as readonly string[]],
    ]);
    return {
      rule: "DBA-PROV-003",
      fire: input([planned(TABLE, analysts, "uc_grant", ["MODIFY"])], [], { previousGrants }),
      // Only additions (the union first) is what the fix asks for: silent.
      silent: input([planned(TABLE, analysts, "uc_grant", ["MODIFY", "SELECT"])], [], { previousGrants }),
      says: "adds MODIFY and removes SELECT in one apply",
    };
  })(),
  (() => {
    const sp = Principal.servicePrincipal("${TfToken[TOKEN.7]}");
    const own = request(sp);
    const byHand = request(sp);
    const names = { targetIdentityNames: new Set([sp.name]), targetIdentityRequests: new Set([own]) };
    return {
      rule: "DBA-APP-009",
      fire: input([], [own, byHand], names),
      silent: input([], [own], names),
      says: "names an app's service principal",
    };
  })(),
];

const ruleById = (id: string): GrantRule => GRANT_RULES.find((r) => r.id === id)!;
/** Every grant rule over one input, each isolated, as the stack context runs them. */
const grantProblems = (
  plan: Parameters<typeof grantRuleInput>[0],
  requests: Parameters<typeof grantRuleInput>[1],
  path: string,
  context: Parameters<typeof grantRuleInput>[3] = {},
) => GRANT_RULES.flatMap((r) => runRule(r, grantRuleInput(plan, requests, path, context), path));

describe("grant rules: each fires on its case and stays silent on the closest correct one", () => {
  test.each(GRANT_CASES.map((c) => [c.rule, c] as const))("%s fires", (id, c) => {
    const found = ruleById(id).check(c.fire);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((p) => p.message).join("\n")).toContain(c.says);
    expect(grantProblems(c.fire.plan, c.fire.requests, CTX, c.fire).map((p) => p.ruleId)).toContain(id);
  });

  test.each(GRANT_CASES.map((c) => [c.rule, c] as const))("%s is silent", (id, c) => {
    expect(ruleById(id).check(c.silent)).toEqual([]);
  });

  test("DBA-GRANT-007 reads the bound provider: knowledge_assistant_id is in databricks_permissions from 1.116", () => {
    const plan = [planned(KNOWLEDGE_ASSISTANT, analysts, "authoritative", ["CAN_QUERY"])];
    const rule = ruleById("DBA-GRANT-007");
    expect(rule.check(input(plan, [], { providerVersion: "1.99.0" })).map((p) => p.message)).toEqual([
      "knowledge assistant 01f0a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b cannot be managed authoritatively: databricks_permissions of the bound provider 1.99.0 has no knowledge_assistant_id (provider 1.116.0 adds it; the cdktn flavour binds one that has it)",
    ]);
    expect(rule.check(input(plan, [], { providerVersion: "1.132.0" }))).toEqual([]);
    // Then DBA-GRANT-001 asks for the acknowledgement, as on any referenced object.
    expect(ruleById("DBA-GRANT-001").check(input(plan, [], { providerVersion: "1.132.0" }))).toHaveLength(1);
  });

  test("a principal's rules see it once, from its first request, however many Principal objects name it", () => {
    const later = { ...request(Principal.group("users")), requestedBy: "test/Later" };
    const found = ruleById("DBA-GRANT-003").check(
      input([], [request(users), later, request(users), { ...request(analysts), requestedBy: "test/B" }]),
    );
    expect(found.map((p) => [p.path, p.received])).toEqual([["test/Agent", '"users"']]);
  });

  test("every grant rule has a case", () => {
    expect(GRANT_CASES.map((c) => c.rule).sort()).toEqual(GRANT_RULES.map((r) => r.id).sort());
  });
});

// ---------------------------------------------------------------------------------------------
// Isolation: a rule that throws is a finding, and the others still run
// ---------------------------------------------------------------------------------------------

const throwingStackRule: StackRule = {
  id: "DBA-TEST-001",
  severity: "warning",
  acknowledgeable: false,
  title: "A rule that fails.",
  fix: "None.",
  reads: "stack",
  check: (m) => {
    const missing = m.bundles.find((b) => b.domain === "nope");
    // A defect: reads a property of undefined, with a credential in the error text.
    if (missing === undefined)
      throw new TypeError(`Cannot read properties of undefined (reading '${SECRET}')`);
    return [];
  },
};
const throwingGrantRule: GrantRule = {
  id: "DBA-TEST-002",
  severity: "error",
  acknowledgeable: false,
  title: "A grant rule that fails.",
  fix: "None.",
  reads: "grants",
  check: () => {
    throw "a thrown string\nover two lines";
  },
};
const malformedRule: StackRule = {
  id: "DBA-TEST-003",
  severity: "error",
  acknowledgeable: false,
  title: "A rule that returns something that is not a list.",
  fix: "None.",
  reads: "stack",
  check: () => undefined as unknown as [],
};

describe("a rule that throws (DBA-RULE-001)", () => {
  const stack = () => {
    const s = newStack();
    agent(s, { bundle: { tables: [] } });
    return AgentStackContext.of(s).toModel();
  };
  const run = (rules: readonly Rule[], model: StackModel = stack()): Evaluation =>
    evaluateRules(model, input([], [request(users)]), [], rules);

  test("fires: the failure is an error finding naming the rule, masked, and every other rule still runs", () => {
    const e = run([throwingStackRule, ...ALL_RULES, throwingGrantRule, malformedRule]);
    const failed = e.findings.filter((f) => f.ruleId === "DBA-RULE-001");
    expect(failed.map((f) => f.message)).toEqual([
      `rule DBA-TEST-001 failed: TypeError: Cannot read properties of undefined (reading '<redacted, 40 characters>')`,
      "rule DBA-TEST-002 failed: a thrown string over two lines",
      "rule DBA-TEST-003 failed: TypeError: the check returned something that is not a list of problems",
    ]);
    for (const f of failed) {
      expect(f.severity).toBe("error");
      expect(f.path).toBe(CTX);
      expect(f.fix).toContain("the other rules ran");
    }
    expect(e.blocking.map((f) => f.ruleId)).toContain("DBA-RULE-001");
    expect(JSON.stringify(e)).not.toContain(SECRET);
    // The stack rules and the grant rules after the failing ones still reported.
    expect(e.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(["DBA-GENIE-002", "DBA-GRANT-003"]),
    );
  });

  test("is silent when every rule runs", () => {
    const e = run(ALL_RULES);
    expect(e.findings.map((f) => f.ruleId)).not.toContain("DBA-RULE-001");
    expect(e.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(["DBA-GENIE-002", "DBA-GRANT-003"]),
    );
  });

  test("a failing grant rule is isolated, and the other grant rules still run", () => {
    const original = GRANT_RULES[0]!;
    const check = original.check;
    (original as { check: GrantRule["check"] }).check = () => {
      throw new Error("boom");
    };
    try {
      const found = grantProblems([], [request(users)], CTX);
      expect(found.map((p) => p.ruleId)).toEqual(["DBA-RULE-001", "DBA-GRANT-003"]);
      expect(found[0]!.message).toBe("rule DBA-GRANT-001 failed: Error: boom");
    } finally {
      (original as { check: GrantRule["check"] }).check = check;
    }
  });

  test("cannot be acknowledged", () => {
    expect(RULES["DBA-RULE-001"]).toMatchObject({ severity: "error", acknowledgeable: false });
  });
});

// ---------------------------------------------------------------------------------------------
// Acknowledgements narrowed to one finding (appliesTo)
// ---------------------------------------------------------------------------------------------

describe("acknowledgements narrowed with appliesTo", () => {
  /** A policy with two unneeded scopes: two DBA-SCOPE-002 findings on one construct. */
  const twoUnusedScopes = () => {
    const s = newStack();
    const { policy } = agent(s, {
      policy: (b) => ({
        onBehalfOfUser: [b],
        apiScopes: ["dashboards.genie", "sql.warehouses", "serving.serving-endpoints"],
      }),
    });
    return { s, policy, model: AgentStackContext.of(s).toModel() };
  };
  const evaluateWith = (model: StackModel, acks: Acknowledgement[], grants = input([])) =>
    evaluateRules(model, grants, acks);
  const scope002 = (e: Evaluation) =>
    e.findings
      .filter((f) => f.ruleId === "DBA-SCOPE-002")
      .map((f) => [f.received, f.acknowledged?.reason ?? null]);
  const REASON = "the agent also runs ad-hoc SQL for the user";

  test("without appliesTo an acknowledgement accepts every finding of the rule at the scope, as before", () => {
    const { s, policy, model } = twoUnusedScopes();
    const e = evaluateWith(model, [acknowledgementOf("DBA-SCOPE-002", policy.node.path, REASON)]);
    expect(scope002(e)).toEqual([
      ['"serving.serving-endpoints"', REASON],
      ['"sql.warehouses"', REASON],
    ]);
    expect(e.blocking).toEqual([]);
    // The same as the stack context's 3-argument acknowledge.
    AgentStackContext.of(s).acknowledge(policy, "DBA-SCOPE-002", REASON);
    expect(AgentStackContext.of(s).evaluate().findings).toEqual(e.findings);
  });

  test("appliesTo accepts only the named finding (by its received value); the other still blocks", () => {
    const { policy, model } = twoUnusedScopes();
    const e = evaluateWith(model, [
      acknowledgementOf("DBA-SCOPE-002", policy.node.path, REASON, { appliesTo: ["sql.warehouses"] }),
    ]);
    expect(scope002(e)).toEqual([
      ['"serving.serving-endpoints"', null],
      ['"sql.warehouses"', REASON],
    ]);
    expect(e.blocking.map((f) => [f.ruleId, f.received])).toEqual([
      ["DBA-SCOPE-002", '"serving.serving-endpoints"'],
    ]);
    expect(e.findings.map((f) => f.ruleId)).not.toContain("DBA-ACK-002");
    expect(e.acknowledgements[0]!.appliesTo).toEqual(["sql.warehouses"]);
  });

  test("an entry names a finding by its prop, or by a key its rule documents", () => {
    const s = newStack();
    const { policy } = agent(s, {
      policy: (b) => ({
        system: [b, SqlWarehouse.fromId(WAREHOUSE_ID)],
        onBehalfOfUser: [b, SqlWarehouse.fromId(WAREHOUSE_ID)],
      }),
    });
    const model = AgentStackContext.of(s).toModel();
    const auth = (acks: Acknowledgement[]) =>
      evaluateWith(model, acks)
        .findings.filter((f) => f.ruleId === "DBA-AUTH-001")
        .map((f) => [f.message.split(" is declared")[0], f.acknowledged !== undefined]);
    expect(
      auth([
        acknowledgementOf("DBA-AUTH-001", policy.node.path, REASON, {
          appliesTo: [`sql_warehouse:${WAREHOUSE_ID}`],
        }),
      ]),
    ).toEqual([
      ['Genie space 01f0c0ffee0000000000000000000001 (domain "sales")', false],
      [`SQL warehouse ${WAREHOUSE_ID}`, true],
    ]);
    const grants = input([
      planned(WAREHOUSE, analysts, "authoritative"),
      planned(TABLE, analysts, "uc_grant", ["SELECT"]),
    ]);
    const g001 = (appliesTo: string[]) =>
      evaluateWith(EMPTY_STACK, [acknowledgementOf("DBA-GRANT-001", "test", REASON, { appliesTo })], grants)
        .findings.filter((f) => f.ruleId === "DBA-GRANT-001")
        .map((f) => [f.prop, f.acknowledged !== undefined]);
    expect(g001([`sql_warehouse:${WAREHOUSE_ID}`])).toEqual([
      ["grant mechanism of ws:sql_warehouse:4b9b953939869799", true],
      ["ownedGrants (table main.sales.orders, group:sales-analysts)", false],
    ]);
    expect(g001(["table:main.sales.orders for group:sales-analysts"])).toEqual([
      ["grant mechanism of ws:sql_warehouse:4b9b953939869799", false],
      ["ownedGrants (table main.sales.orders, group:sales-analysts)", true],
    ]);
    expect(g001(["ownedGrants (table main.sales.orders, group:sales-analysts)"])).toEqual([
      ["grant mechanism of ws:sql_warehouse:4b9b953939869799", false],
      ["ownedGrants (table main.sales.orders, group:sales-analysts)", true],
    ]);
    const g003 = evaluateWith(
      EMPTY_STACK,
      [acknowledgementOf("DBA-GRANT-003", "test", REASON, { appliesTo: ["group:users"] })],
      input([], [request(users)]),
    ).findings.find((f) => f.ruleId === "DBA-GRANT-003");
    expect(g003?.acknowledged).toEqual({ reason: REASON });
  });

  test("a stale appliesTo entry is DBA-ACK-002; the used one is not", () => {
    const { policy, model } = twoUnusedScopes();
    const e = evaluateWith(model, [
      acknowledgementOf("DBA-SCOPE-002", policy.node.path, REASON, {
        appliesTo: ["sql.warehouses", "mcp.genie"],
      }),
    ]);
    const stale = e.findings.filter((f) => f.ruleId === "DBA-ACK-002");
    expect(stale).toEqual([
      {
        ruleId: "DBA-ACK-002",
        severity: "warning",
        path: policy.node.path,
        prop: "acknowledge(DBA-SCOPE-002).appliesTo",
        message: 'acknowledges DBA-SCOPE-002 for "mcp.genie" but no finding here has that name',
        received: '"mcp.genie"',
        allowed: `a finding's prop, its received value or the key its rule documents, of a DBA-SCOPE-002 finding at or below ${policy.node.path}`,
        fix: "remove the entry, or correct it to a name the finding has (its prop or received value in agent-report.json)",
      },
    ]);
  });

  test("an unnarrowed acknowledgement that matches nothing keeps its DBA-ACK-002 message", () => {
    const { policy, model } = twoUnusedScopes();
    const e = evaluateWith(model, [acknowledgementOf("DBA-AUTH-001", policy.node.path, REASON)]);
    expect(e.findings.filter((f) => f.ruleId === "DBA-ACK-002").map((f) => f.message)).toEqual([
      "acknowledges DBA-AUTH-001 but nothing here triggers it",
    ]);
  });

  test("an empty or malformed appliesTo is DBA-ACK-001 and accepts nothing", () => {
    const { policy, model } = twoUnusedScopes();
    const e = evaluateWith(model, [
      acknowledgementOf("DBA-SCOPE-002", policy.node.path, REASON, { appliesTo: [] }),
      acknowledgementOf("DBA-SCOPE-002", policy.node.path, REASON, {
        appliesTo: ["", 7 as unknown as string],
      }),
      acknowledgementOf("DBA-SCOPE-002", policy.node.path, REASON, {
        appliesTo: "sql.warehouses" as unknown as string[],
      }),
    ]);
    expect(e.findings.filter((f) => f.ruleId === "DBA-ACK-001").map((f) => [f.prop, f.message])).toEqual([
      [
        "acknowledge(DBA-SCOPE-002).appliesTo",
        "appliesTo is empty, so the acknowledgement would accept nothing",
      ],
      ["acknowledge(DBA-SCOPE-002).appliesTo", "appliesTo is not a list of finding names"],
      ["acknowledge(DBA-SCOPE-002).appliesTo[0]", "is not a finding's name"],
      ["acknowledge(DBA-SCOPE-002).appliesTo[1]", "is not a finding's name"],
    ]);
    expect(scope002(e)).toEqual([
      ['"serving.serving-endpoints"', null],
      ['"sql.warehouses"', null],
    ]);
  });

  test("the acknowledgement keeps a copy of the list and has no appliesTo when none is given", () => {
    const list = ["sql.warehouses"];
    const a = acknowledgementOf("DBA-SCOPE-002", "test/Policy", REASON, { appliesTo: list });
    list.push("other");
    expect(a).toEqual({
      ruleId: "DBA-SCOPE-002",
      path: "test/Policy",
      reason: REASON,
      appliesTo: ["sql.warehouses"],
    });
    expect(Object.keys(acknowledgementOf("DBA-SCOPE-002", "test/Policy", REASON))).toEqual([
      "ruleId",
      "path",
      "reason",
    ]);
  });

  test("the names an entry matches never reach the findings or the report", () => {
    const e = evaluateWith(EMPTY_STACK, [], input([], [request(users)]));
    expect(JSON.stringify(e)).not.toContain("appliesTo");
  });
});
