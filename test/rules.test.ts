import * as fs from "fs";
import * as path from "path";
import {
  AgentAuthPolicy,
  AgentStackContext,
  GenieResourceBundle,
  GenieSpace,
  KnowledgeAssistant,
  LakebaseInstance,
  RULES,
  SecretRef,
  ServingEndpoint,
  SqlWarehouse,
  UcTable,
} from "../lib";
import {
  agent,
  newStack,
  SPACE_ID,
  SPACE_ID_2,
  synthError,
  WAREHOUSE_ID,
  type AgentOptions,
} from "./helpers";
import type { TerraformStack } from "cdktf";

const llm = ServingEndpoint.fromName("databricks-claude-sonnet-4");

interface Case {
  readonly rule: string;
  /** A stack where the rule must fire. */
  readonly fire: AgentOptions | ((s: TerraformStack) => void);
  /** The closest correct stack, where it must stay silent. */
  readonly silent: AgentOptions | ((s: TerraformStack) => void);
  /** Text the message must contain when it fires. */
  readonly says?: string;
  /** Construct path the message must name. */
  readonly at?: string;
}

const bundleless = (fn: (s: TerraformStack) => void) => fn;

/** An endpoint serving versions 3, 4, ... of the sales agent under `names`, with a traffic split. */
const split = (traffic: Record<string, number>, names: string[] = ["a", "b"]): AgentOptions => ({
  endpoint: {
    model: undefined,
    servedEntities: names.map((name, i) => ({
      name,
      model: { name: "main.agents.sales_agent", version: String(3 + i) },
    })),
    traffic,
  },
});

const CASES: Case[] = [
  {
    rule: "DBA-GENIE-001",
    fire: { bundle: { warehouse: undefined as unknown as SqlWarehouse } },
    silent: {},
    says: "has no SQL warehouse",
    at: "test/SalesGenie",
  },
  {
    rule: "DBA-GENIE-002",
    fire: { bundle: { tables: [] } },
    silent: {},
    says: "declares no tables",
    at: "test/SalesGenie",
  },
  {
    rule: "DBA-GENIE-003",
    fire: { policy: () => ({ system: [GenieSpace.fromId(SPACE_ID)] }) },
    silent: { policy: (b) => ({ system: [b] }) },
    says: "without its SQL warehouse, tables and functions",
    at: "test/Policy",
  },
  {
    rule: "DBA-AUTH-002",
    fire: {
      policy: () => ({ system: [llm, KnowledgeAssistant.fromId("01f0a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b")] }),
    },
    silent: {
      policy: () => ({
        system: [llm],
        onBehalfOfUser: [KnowledgeAssistant.fromId("01f0a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b")],
      }),
    },
    says: "MLflow has no resource kind for it",
    at: "test/Policy",
  },
  {
    rule: "DBA-GENIE-004",
    fire: { endpoint: { environment: { FINANCE_GENIE_SPACE_ID: SPACE_ID_2 } } },
    silent: { endpoint: { environment: { FINANCE_REGION: "eu" } } },
    says: "FINANCE_GENIE_SPACE_ID names a Genie space",
    at: "test/Agent",
  },
  {
    rule: "DBA-GENIE-005",
    fire: bundleless((s) => {
      agent(s);
      new GenieResourceBundle(s, "Orphan", {
        domain: "hr",
        spaceId: SPACE_ID_2,
        warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
        tables: ["main.hr.people"],
      });
    }),
    silent: {},
    says: "no AgentAuthPolicy uses it",
  },
  {
    rule: "DBA-GENIE-006",
    fire: bundleless((s) => {
      agent(s, {
        policy: (b) => ({
          onBehalfOfUser: [
            b,
            new GenieResourceBundle(s, "Sales2", {
              domain: "SALES",
              spaceId: SPACE_ID_2,
              warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
              tables: ["main.sales.x"],
            }),
          ],
        }),
      });
    }),
    silent: bundleless((s) => {
      agent(s, {
        policy: (b) => ({
          onBehalfOfUser: [
            b,
            new GenieResourceBundle(s, "Sales2", {
              domain: "sales_eu",
              spaceId: SPACE_ID_2,
              warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
              tables: ["main.sales.x"],
            }),
          ],
        }),
      });
    }),
    says: "would all set SALES_GENIE_SPACE_ID",
  },
  {
    rule: "DBA-SCOPE-001",
    fire: { policy: (b) => ({ onBehalfOfUser: [b, llm], apiScopes: ["dashboards.genie"] }) },
    silent: {
      policy: (b) => ({
        onBehalfOfUser: [b, llm],
        apiScopes: ["dashboards.genie", "serving.serving-endpoints"],
      }),
    },
    says: "serving.serving-endpoints is missing",
    at: "test/Policy",
  },
  {
    rule: "DBA-SCOPE-002",
    fire: { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie", "sql.warehouses"] }) },
    silent: { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie"] }) },
    says: 'scope "sql.warehouses" is not needed',
  },
  {
    rule: "DBA-SCOPE-003",
    fire: { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboard.genie"] }) },
    silent: { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie"] }) },
    says: 'did you mean "dashboards.genie"',
  },
  {
    rule: "DBA-SCOPE-004",
    fire: {
      policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie", "catalog.tables:read"] }),
    },
    silent: { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie"] }) },
    says: "accepted by Databricks Apps only",
  },
  {
    rule: "DBA-SCOPE-005",
    fire: {
      bundle: { interface: "mcp" },
      policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie"] }),
    },
    silent: {
      bundle: { interface: "mcp" },
      policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["mcp.genie"] }),
    },
    says: 'replace "dashboards.genie" with "mcp.genie"',
  },
  {
    rule: "DBA-SCOPE-006",
    fire: { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: [] }) },
    silent: { policy: (b) => ({ onBehalfOfUser: [b] }) },
    says: "apiScopes is empty",
  },
  {
    rule: "DBA-SCOPE-007",
    fire: { policy: (b) => ({ onBehalfOfUser: [b, UcTable.fromName("main.sales.orders")] }) },
    silent: { policy: (b) => ({ onBehalfOfUser: [b], system: [UcTable.fromName("main.sales.orders")] }) },
    says: "not reachable directly on behalf of the user",
  },
  {
    rule: "DBA-SEC-001",
    fire: { endpoint: { environment: { OPENAI_API_KEY: "sk-abcdefghijklmnopqrstuvwxyz012345" } } },
    silent: { endpoint: { secrets: { OPENAI_API_KEY: SecretRef.of("agents", "openai") } } },
    says: "OPENAI_API_KEY looks like a secret",
  },
  {
    rule: "DBA-SEC-002",
    fire: { endpoint: { secrets: { DATABRICKS_CLIENT_SECRET: SecretRef.of("agents", "sp-secret") } } },
    silent: { endpoint: { secrets: { EXTERNAL_API_KEY: SecretRef.of("agents", "api") } } },
    says: "DATABRICKS_CLIENT_SECRET switch the Databricks SDK to manual authentication",
  },
  {
    rule: "DBA-EP-001",
    fire: split({ a: 90, b: 20 }),
    silent: split({ a: 90, b: 10 }),
    says: "sum to 110, not 100",
  },
  {
    rule: "DBA-EP-002",
    fire: split({ a: 90, c: 10 }),
    silent: split({ a: 90, b: 10 }),
    says: 'route "c" names no served entity',
  },
  {
    rule: "DBA-EP-003",
    fire: split({ a: 100 }, ["a", "a"]),
    silent: split({ a: 100 }, ["a"]),
    says: 'served entity name "a" is used more than once',
  },
  {
    rule: "DBA-EP-004",
    fire: { endpoint: { name: "sales agent!" } },
    silent: { endpoint: { name: "sales_agent-2" } },
    says: "is not a valid serving endpoint name",
  },
  {
    rule: "DBA-EP-005",
    fire: { endpoint: { model: { name: "main.agents.sales_agent", version: "latest" } } },
    silent: { endpoint: { model: { name: "main.agents.sales_agent", version: 12 } } },
    says: "not pinned",
  },
  {
    rule: "DBA-EP-006",
    fire: { endpoint: { environment: { SALES_GENIE_SPACE_ID: SPACE_ID } } },
    silent: { endpoint: { environment: { SALES_REGION: "eu" } } },
    says: "also by the library",
  },
  {
    rule: "DBA-EP-007",
    fire: { endpoint: { model: { name: "sales_agent", version: "3" } } },
    silent: { endpoint: { model: { name: "main.agents.sales_agent", version: "3" } } },
    says: "model name has 1 part",
  },
  {
    rule: "DBA-VER-001",
    fire: {
      policy: (b) => ({
        onBehalfOfUser: [b],
        system: [LakebaseInstance.fromName("memory")],
        mlflowVersion: "2.22.1",
      }),
    },
    silent: {
      policy: (b) => ({
        onBehalfOfUser: [b],
        system: [LakebaseInstance.fromName("memory")],
        mlflowVersion: "3.3.2",
      }),
    },
    says: "DatabricksLakebase needs 3.3.2",
  },
  {
    rule: "DBA-ACK-001",
    fire: bundleless((s) => {
      const { policy } = agent(s);
      AgentStackContext.of(s).acknowledge(policy, "DBA-SCOPE-001", "we really want to skip this one");
    }),
    silent: bundleless((s) => {
      agent(s);
    }),
    says: "cannot be acknowledged",
  },
];

function build(c: Case["fire"]): TerraformStack {
  const s = newStack();
  if (typeof c === "function") c(s);
  else agent(s, c);
  return s;
}

function findingsOf(s: TerraformStack): string[] {
  const ctx = AgentStackContext.of(s);
  return ctx
    .evaluate()
    .findings.filter((f) => !f.acknowledged)
    .map((f) => f.ruleId);
}

describe("rule catalog: each rule fires on bad input and stays silent on the closest correct input", () => {
  test.each(CASES.map((c) => [c.rule, c] as const))("%s fires", (rule, c) => {
    const s = build(c.fire);
    expect(findingsOf(s)).toContain(rule);
    const info = RULES[rule]!;
    if (info.severity === "error") {
      const msg = synthError(s);
      expect(msg).toContain(`[${rule}]`);
      if (c.says) expect(msg).toContain(c.says);
      if (c.at) expect(msg).toContain(c.at);
      expect(msg).toMatch(/fix: +\S/);
    } else {
      const f = AgentStackContext.of(s)
        .evaluate()
        .findings.find((x) => x.ruleId === rule)!;
      if (c.says) expect(f.message).toContain(c.says);
    }
  });

  test.each(CASES.map((c) => [c.rule, c] as const))("%s is silent", (rule, c) => {
    const s = build(c.silent);
    expect(findingsOf(s)).not.toContain(rule);
    expect(synthError(s)).toBe("");
  });

  test("every rule of the catalog has a firing and a silent case here or in the named test file", () => {
    const covered = new Set([
      ...CASES.map((c) => c.rule),
      "DBA-CFG-001",
      "DBA-CFG-002",
      // test/synth-output.test.ts
      "DBA-CFG-003",
      "DBA-CFG-004",
      // the acknowledgements tests below
      "DBA-ACK-002",
      "DBA-AUTH-001",
      // test/endpoint.test.ts
      "DBA-MLF-001",
      // test/engine-setup.test.ts
      "DBA-PKG-001",
      "DBA-PKG-002",
      "DBA-PKG-003",
      // test/endpoint-lock.test.ts
      "DBA-EP-008",
      "DBA-EP-009",
      // test/collisions.test.ts
      "DBA-EP-010",
      // test/rule-objects.test.ts: GRANT_CASES (every grant rule, pure) and the isolation tests
      ...Object.keys(RULES).filter((id) => id.startsWith("DBA-GRANT-")),
      "DBA-RULE-001",
      // test/provider-semantics.test.ts (DBA-PROV-003 also in GRANT_CASES of test/rule-objects.test.ts)
      ...Object.keys(RULES).filter((id) => id.startsWith("DBA-PROV-")),
      // test/app.test.ts: every Apps rule fires there, and a correct app is silent
      ...Object.keys(RULES).filter((id) => id.startsWith("DBA-APP-")),
    ]);
    expect(Object.keys(RULES).filter((id) => !covered.has(id))).toEqual([]);
  });

  test("every rule id the library emits is in the catalog", () => {
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    // Rule objects state their id once (`id: "DBA-..."`); problems made outside the rule loop (props,
    // packages) still name theirs (`ruleId: "DBA-..."`). Both must be in the catalog.
    const emitted = new Set(
      files(path.join(__dirname, "..", "lib")).flatMap((f) =>
        [...fs.readFileSync(f, "utf8").matchAll(/(?:ruleId|\bid): "(DBA-[A-Z]+-\d{3})"/g)].map((m) => m[1]!),
      ),
    );
    expect(emitted.size).toBeGreaterThan(30);
    expect([...emitted].filter((id) => !(id in RULES))).toEqual([]);
  });
});

describe("acknowledgements", () => {
  test("DBA-AUTH-001 warns on a dependency in both modes and an acknowledgement with a reason silences it", () => {
    const s = newStack();
    const { policy } = agent(s, { policy: (b) => ({ system: [b], onBehalfOfUser: [b] }) });
    const before = AgentStackContext.of(s)
      .evaluate()
      .findings.filter((f) => f.ruleId === "DBA-AUTH-001");
    expect(before).toHaveLength(1);
    expect(before[0]!.severity).toBe("warning");
    expect(before[0]!.acknowledged).toBeUndefined();
    AgentStackContext.of(s).acknowledge(policy, "DBA-AUTH-001", "evaluation runs as the service principal");
    const after = AgentStackContext.of(s)
      .evaluate()
      .findings.filter((f) => f.ruleId === "DBA-AUTH-001");
    expect(after[0]!.acknowledged).toEqual({ reason: "evaluation runs as the service principal" });
    expect(synthError(s)).toBe("");
  });

  test("DBA-AUTH-001 is silent when each dependency has one mode", () => {
    const s = newStack();
    agent(s);
    expect(
      AgentStackContext.of(s)
        .evaluate()
        .findings.map((f) => f.ruleId),
    ).not.toContain("DBA-AUTH-001");
  });

  test("a short reason is refused and the finding stays blocking", () => {
    const s = newStack();
    const { policy } = agent(s, {
      policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie", "sql.warehouses"] }),
    });
    AgentStackContext.of(s).acknowledge(policy, "DBA-SCOPE-002", "because");
    const msg = synthError(s);
    expect(msg).toContain("[DBA-ACK-001]");
    expect(msg).toContain("at least 10 characters");
    expect(msg).toContain("[DBA-SCOPE-002]");
  });

  test("an acknowledgeable error with a reason no longer fails synth", () => {
    const s = newStack();
    const { policy } = agent(s, {
      policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie", "sql.warehouses"] }),
    });
    AgentStackContext.of(s).acknowledge(
      policy,
      "DBA-SCOPE-002",
      "the agent also runs ad-hoc SQL for the user",
    );
    expect(synthError(s)).toBe("");
  });

  test("DBA-ACK-002 reports an acknowledgement that matches nothing", () => {
    const s = newStack();
    const { policy } = agent(s);
    AgentStackContext.of(s).acknowledge(policy, "DBA-AUTH-001", "left over from an older design");
    const f = AgentStackContext.of(s)
      .evaluate()
      .findings.find((x) => x.ruleId === "DBA-ACK-002");
    expect(f?.severity).toBe("warning");
    expect(f?.message).toContain("nothing here triggers it");
  });

  test("DBA-ACK-002 is silent when the acknowledgement is used", () => {
    const s = newStack();
    const { policy } = agent(s, { policy: (b) => ({ system: [b], onBehalfOfUser: [b] }) });
    AgentStackContext.of(s).acknowledge(policy, "DBA-AUTH-001", "evaluation runs as the service principal");
    expect(
      AgentStackContext.of(s)
        .evaluate()
        .findings.map((f) => f.ruleId),
    ).not.toContain("DBA-ACK-002");
  });
});

describe("synth fails listing every error at once", () => {
  test("two independent errors in two constructs appear in one failure", () => {
    const s = newStack();
    agent(s, {
      bundle: { tables: [] },
      endpoint: { environment: { GITHUB_TOKEN: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" } },
    });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-GENIE-002] test/SalesGenie");
    expect(msg).toContain("[DBA-SEC-001] test/Agent");
    expect(msg).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(msg).toContain("<redacted, 40 characters>");
  });
});

describe("policy-level helpers", () => {
  test("unused stack-level policy without endpoint is fine", () => {
    const s = newStack();
    new AgentAuthPolicy(s, "P", { system: [llm] });
    expect(synthError(s)).toBe("");
  });
});
