/**
 * Error quality, table-driven: the most likely user mistakes, each with the rule it must hit and
 * what its message must say: the construct path, the value received (masked when it may be a
 * secret), what is allowed, and the fix. One row is a non-mistake (a mixed-case email is fine).
 *
 * A row with `bug` documents a known deficiency of the message; the row still checks everything
 * else, and FUZZ_KNOWN_BUGS=1 checks the deficient part too (see fuzz.test.ts for the bug list).
 */
import type { TerraformStack } from "cdktf";
import {
  AgentAuthPolicy,
  AgentConfigError,
  AgentStackContext,
  GenieResourceBundle,
  GenieSpace,
  Principal,
  SecretRef,
  SqlWarehouse,
  UcTable,
} from "../../lib";
import { agent, newStack, synthValid } from "../helpers";
import { INCLUDE_KNOWN_BUGS } from "./fuzz-kit";

const SECRET = "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c";
const SERVED = (version: string, name = "main.agents.sales_agent") => ({ name, version });

interface Mistake {
  /** What the user got wrong. */
  readonly mistake: string;
  readonly build: (stack: TerraformStack) => void;
  readonly rule: string;
  /** Construct path the message must name. */
  readonly path: string;
  /** Substrings of the `received:`, `allowed:` and `fix:` lines. */
  readonly received: string;
  readonly allowed: string;
  readonly fix: string;
  /** The received value may be secret: it must be masked, and the secret must appear nowhere. */
  readonly secret?: string;
  /** A known deficiency (checked only with FUZZ_KNOWN_BUGS=1). */
  readonly bug?: { readonly id: string; readonly received?: string; readonly fix?: string };
}

const MISTAKES: Mistake[] = [
  {
    mistake: "table name without its catalog (two parts)",
    build: (s) => agent(s, { bundle: { tables: ["main.billing"] } }),
    rule: "DBA-CFG-002",
    path: "test/SalesGenie (prop tables[0])",
    received: '"main.billing"',
    allowed: "catalog.schema.name",
    fix: 'full three-level name of the table, e.g. "main.sales.orders"',
  },
  {
    mistake: "Genie bundle without its warehouse (JavaScript caller)",
    build: (s) => agent(s, { bundle: { warehouse: undefined } }),
    rule: "DBA-GENIE-001",
    path: "test/SalesGenie (prop warehouse)",
    received: "undefined",
    allowed: "SqlWarehouse.fromId(id)",
    fix: "warehouse: SqlWarehouse.fromId(",
  },
  {
    mistake: "misspelled OBO scope",
    build: (s) => agent(s, { policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboard.genie"] }) }),
    rule: "DBA-SCOPE-003",
    path: "test/Policy (prop apiScopes)",
    received: '"dashboard.genie"',
    allowed: "a scope Model Serving accepts",
    fix: 'did you mean "dashboards.genie"?',
  },
  {
    mistake: "dashboards.genie for Genie over MCP",
    build: (s) =>
      agent(s, {
        bundle: { interface: "mcp" },
        policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie"] }),
      }),
    rule: "DBA-SCOPE-005",
    path: "test/Policy (prop apiScopes)",
    received: '["dashboards.genie"]',
    allowed: '"mcp.genie"',
    fix: 'replace "dashboards.genie" with "mcp.genie"',
  },
  {
    mistake: "literal API token in environment",
    build: (s) => agent(s, { endpoint: { environment: { OPENAI_API_KEY: SECRET } } }),
    rule: "DBA-SEC-001",
    path: "test/Agent (prop environment.OPENAI_API_KEY)",
    received: "<redacted, 40 characters>",
    allowed: "SecretRef.of(scope, key)",
    fix: "move OPENAI_API_KEY to `secrets`",
    secret: SECRET,
  },
  {
    mistake: "API token passed as a string in secrets",
    build: (s) => agent(s, { endpoint: { secrets: { OPENAI_API_KEY: SECRET as never } } }),
    rule: "DBA-CFG-001",
    path: "test/Agent (prop secrets.OPENAI_API_KEY)",
    received: "<redacted, 40 characters>",
    allowed: "SecretRef.of(scope, key)",
    fix: "reference a Databricks secret",
    secret: SECRET,
  },
  {
    mistake: "traffic routes that do not sum to 100",
    build: (s) =>
      agent(s, {
        endpoint: {
          model: undefined,
          servedEntities: [
            { name: "current", model: SERVED("3") },
            { name: "candidate", model: SERVED("4") },
          ],
          traffic: { current: 90, candidate: 5 },
        },
      }),
    rule: "DBA-EP-001",
    path: "test/Agent (prop traffic)",
    received: '{"current":90,"candidate":5}',
    allowed: "sum to 100",
    fix: "sums to 100",
  },
  {
    mistake: "a route to a misspelled served entity",
    build: (s) => agent(s, { endpoint: { traffic: { curent: 100 } } }),
    rule: "DBA-EP-002",
    path: "test/Agent (prop traffic.curent)",
    received: '"curent"',
    allowed: '"current"',
    fix: "declared served entity",
  },
  {
    mistake: 'model version "latest"',
    build: (s) => agent(s, { endpoint: { model: SERVED("latest") } }),
    rule: "DBA-EP-005",
    path: 'test/Agent (prop served entity "current" version)',
    received: '"latest"',
    allowed: 'version number such as "7"',
    fix: "serve an explicit version",
  },
  {
    mistake: "served model that is not in Unity Catalog",
    build: (s) => agent(s, { endpoint: { model: SERVED("7", "health_monitor_agent") } }),
    rule: "DBA-EP-007",
    path: 'test/Agent (prop served entity "current" model name)',
    received: '"health_monitor_agent"',
    allowed: "catalog.schema.name",
    fix: "catalog.schema.model",
  },
  {
    mistake: "unknown prop (consumer for consumers)",
    build: (s) => agent(s, { endpoint: { consumer: [Principal.group("x")] } as never }),
    rule: "DBA-CFG-001",
    path: "test/Agent (prop consumer)",
    received: '"consumer"',
    allowed: "consumers",
    fix: "correct its spelling",
  },
  {
    mistake: "endpoint name with spaces",
    build: (s) => agent(s, { endpoint: { name: "sales agent" } }),
    rule: "DBA-EP-004",
    path: "test/Agent (prop name)",
    received: '"sales agent"',
    allowed: "letters, digits, '-' and '_'",
    fix: '"health-monitor-agent"',
  },
  {
    mistake: "warehouse name instead of its id",
    build: (s) => agent(s, { bundle: { warehouse: SqlWarehouse.fromId("Starter Warehouse") } }),
    rule: "DBA-CFG-002",
    path: "test/SalesGenie (prop warehouse)",
    received: '"Starter Warehouse"',
    allowed: "16 lower-case hexadecimal characters",
    fix: "Connection details",
  },
  {
    mistake: "Genie room URL instead of the space id",
    build: (s) =>
      agent(s, { bundle: { spaceId: "https://adb-1.azuredatabricks.net/genie/rooms/01f0c0ffee" } }),
    rule: "DBA-CFG-001",
    path: "test/SalesGenie (prop spaceId)",
    received: '"https://adb-1.azuredatabricks.net/genie/rooms/01f0c0ffee"',
    allowed: "32 hex characters",
    fix: "/genie/rooms/<id>",
  },
  {
    mistake: "the admins group as a consumer",
    build: (s) => agent(s, { endpoint: { consumers: [Principal.group("admins")] } }),
    rule: "DBA-GRANT-005",
    path: "test/Agent (prop principal)",
    received: '"admins"',
    allowed: "any group but admins",
    fix: "remove admins",
  },
  {
    mistake: "a UC table declared on behalf of the user",
    build: (s) =>
      agent(s, { policy: (b) => ({ onBehalfOfUser: [b, UcTable.fromName("main.sales.orders")] }) }),
    rule: "DBA-SCOPE-007",
    path: "test/Policy (prop onBehalfOfUser)",
    received: "UC table main.sales.orders",
    allowed: "Genie",
    fix: "query them through Genie",
  },
  {
    mistake: "a bare Genie space (not a bundle) for passthrough",
    build: (s) =>
      agent(s, {
        policy: (b) => ({
          onBehalfOfUser: [b],
          system: [GenieSpace.fromId("01f0c0ffee0000000000000000000009")],
        }),
      }),
    rule: "DBA-GENIE-003",
    path: "test/Policy (prop system)",
    received: "Genie space 01f0c0ffee0000000000000000000009",
    allowed: "GenieResourceBundle",
    fix: "new GenieResourceBundle(",
  },
  {
    mistake: "DATABRICKS_TOKEN with passthrough dependencies",
    build: (s) =>
      agent(s, {
        policy: (b) => ({ system: [b] }),
        endpoint: { secrets: { DATABRICKS_TOKEN: SecretRef.of("agents", "pat") } },
      }),
    rule: "DBA-SEC-002",
    path: "test/Agent (prop environment/secrets)",
    received: "DATABRICKS_TOKEN",
    allowed: "no manual-auth variables",
    fix: "remove them",
  },
  {
    mistake: "setting a Genie space variable the library manages",
    build: (s) =>
      agent(s, { endpoint: { environment: { SALES_GENIE_SPACE_ID: "01f0c0ffee0000000000000000000001" } } }),
    rule: "DBA-EP-006",
    path: "test/Agent (prop environment.SALES_GENIE_SPACE_ID)",
    received: "SALES_GENIE_SPACE_ID",
    allowed: "each variable set once",
    fix: "remove SALES_GENIE_SPACE_ID from environment",
  },
  {
    mistake: "MLflow version too old for on-behalf-of-user",
    build: (s) => agent(s, { policy: (b) => ({ onBehalfOfUser: [b], mlflowVersion: "2.18.0" }) }),
    rule: "DBA-VER-001",
    path: "test/Policy (prop mlflowVersion)",
    received: '"2.18.0"',
    allowed: "2.22.1 or later",
    fix: "mlflow>=2.22.1",
  },
  {
    mistake: "workload size in lower case",
    build: (s) => agent(s, { endpoint: { workloadSize: "small" as never } }),
    rule: "DBA-CFG-001",
    path: "test/Agent (prop workloadSize)",
    received: '"small"',
    allowed: '"Small", "Medium" or "Large"',
    fix: "concurrency tier",
  },
  {
    mistake: "an Apps-only scope",
    build: (s) =>
      agent(s, {
        policy: (b) => ({ onBehalfOfUser: [b], apiScopes: ["dashboards.genie", "catalog.tables:read"] }),
      }),
    rule: "DBA-SCOPE-004",
    path: "test/Policy (prop apiScopes)",
    received: '"catalog.tables:read"',
    allowed: "scopes Model Serving accepts",
    fix: 'remove "catalog.tables:read"',
  },
  {
    mistake: "two bundles with one domain (case differs) in one policy",
    build: (s) => {
      const warehouse = SqlWarehouse.fromId("4b9b953939869799");
      const a = new GenieResourceBundle(s, "CostA", {
        domain: "cost",
        spaceId: "01f0c0ffee0000000000000000000001",
        warehouse,
        tables: ["main.a.b"],
      });
      const b = new GenieResourceBundle(s, "CostB", {
        domain: "Cost",
        spaceId: "01f0c0ffee0000000000000000000002",
        warehouse,
        tables: ["main.a.c"],
      });
      new AgentAuthPolicy(s, "Policy", { onBehalfOfUser: [a, b] });
    },
    rule: "DBA-GENIE-006",
    path: "test/Policy",
    received: "test/CostA, test/CostB",
    allowed: "one bundle per domain",
    fix: "distinct `domain`",
  },
  {
    mistake: "an authoritative ACL on the shared warehouse",
    build: (s) => {
      agent(s);
      AgentStackContext.of(s).configureGrants({
        overrides: { "sql_warehouse:4b9b953939869799": "authoritative" },
      });
    },
    rule: "DBA-GRANT-001",
    path: "test/DatabricksAgents (prop grant mechanism of ws:sql_warehouse:4b9b953939869799)",
    received: '"authoritative"',
    allowed: '"report" or "additive"',
    fix: "use the additive or report mechanism",
  },
  {
    mistake: "environment variable name with a dash",
    build: (s) => agent(s, { endpoint: { environment: { "log-level": "info" } } }),
    rule: "DBA-CFG-001",
    path: "test/Agent (prop environment.log-level)",
    received: "",
    allowed: "[A-Za-z_][A-Za-z0-9_]*",
    fix: "",
    // FIXED [E1] (was excluded): the message shows the value ("info"), not the bad name, and its fix is about secrets.
    bug: { id: "E1", received: '"log-level"', fix: "LOG_LEVEL" },
  },
];

/** The message's block for `rule` at `path`: its header and its received / allowed / fix lines. */
function block(
  message: string,
  rule: string,
  path: string,
): Record<"header" | "received" | "allowed" | "fix", string> | undefined {
  const lines = message.split("\n");
  const start = lines.findIndex(
    (l) =>
      l.includes(`[${rule}] ${path}`) &&
      (l.includes(`[${rule}] ${path}:`) || l.includes(`[${rule}] ${path} (`)),
  );
  if (start < 0) return undefined;
  const out = { header: lines[start]!, received: "", allowed: "", fix: "" };
  for (const l of lines.slice(start + 1)) {
    const m = /^\s+(received|allowed|fix):\s+(.*)$/.exec(l);
    if (!m) break;
    out[m[1] as "received" | "allowed" | "fix"] = m[2]!;
  }
  return out;
}

function messageOf(build: (s: TerraformStack) => void): {
  message: string;
  stack: TerraformStack;
  atConstruction: boolean;
} {
  const stack = newStack();
  try {
    build(stack);
  } catch (e) {
    expect(e).toBeInstanceOf(AgentConfigError);
    return { message: (e as Error).message, stack, atConstruction: true };
  }
  try {
    synthValid(stack);
  } catch (e) {
    return { message: (e as Error).message, stack, atConstruction: false };
  }
  return { message: "", stack, atConstruction: false };
}

describe("the most likely user mistakes get a message naming the path, the value, what is allowed and the fix", () => {
  test.each(MISTAKES.map((m) => [m.mistake, m] as const))("%s", (_name, m) => {
    const { message } = messageOf(m.build);
    expect(message).not.toBe("");
    const b = block(message, m.rule, m.path);
    if (b === undefined) throw new Error(`no [${m.rule}] ${m.path} in:\n${message}`);
    expect(b.received).toContain(m.received);
    expect(b.allowed).toContain(m.allowed);
    expect(b.fix).toContain(m.fix);
    expect(b.received.length).toBeGreaterThan(0);
    expect(b.allowed.length).toBeGreaterThan(0);
    expect(b.fix.length).toBeGreaterThan(0);
    if (m.secret !== undefined) {
      expect(b.received).toMatch(/^<redacted/);
      expect(message).not.toContain(m.secret);
      expect(message).not.toContain(m.secret.slice(3, 20));
    }
    if (m.bug !== undefined && INCLUDE_KNOWN_BUGS) {
      if (m.bug.received !== undefined) expect(b.received).toContain(m.bug.received);
      if (m.bug.fix !== undefined) expect(b.fix).toContain(m.bug.fix);
    }
  });

  test("not a mistake: a mixed-case email is accepted and granted in lower case", () => {
    const stack = newStack();
    agent(stack, { endpoint: { consumers: [Principal.user("Alice.Smith@Example.COM")] } });
    const tf = synthValid(stack);
    const text = JSON.stringify(tf);
    expect(text).toContain('"user_name":"alice.smith@example.com"');
    const report = JSON.stringify(AgentStackContext.of(stack).report());
    expect(report).toContain('"principal":"user:alice.smith@example.com"');
    expect(report).toContain('{\\"principal\\":\\"alice.smith@example.com\\",\\"add\\":[\\"SELECT\\"]}');
    expect(text + report).not.toMatch(/Alice\.Smith|Example\.COM/);
  });

  test(`the table covers at least 20 mistakes (${MISTAKES.length})`, () => {
    expect(MISTAKES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(MISTAKES.map((m) => m.rule)).size).toBeGreaterThanOrEqual(15);
  });
});
