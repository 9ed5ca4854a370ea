/**
 * Names Unity Catalog treats as one, and names whose characters cannot be seen or imitate others.
 *
 * UC identifiers are case-insensitive and stored in lower case: every UC securable is planned under its
 * lower-case name (lib/model/uc-name.ts `canonicalUcName`, applied by `uc()` in lib/model/securable.ts), so
 * two spellings are one grant. Group names are matched exactly by UC and workspace ACLs and stay as given;
 * emails and application ids are lower-cased. Invisible and lookalike characters are refused at
 * construction by one check (lib/model/name-characters.ts).
 */
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { TerraformStack } from "cdktf";
import {
  AgentAuthPolicy,
  AgentConfigError,
  AgentServingEndpoint,
  AgentStackContext,
  AgentTesting,
  GenieResourceBundle,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
  UcFunction,
  UcTable,
} from "../lib";
import { mergeGrants } from "../lib/grants/plan";
import { uc } from "../lib/model/securable";
import { DEPLOYER, newStack, SPACE_ID, synthError, thrown, WAREHOUSE_ID } from "./helpers";

type Json = Record<string, unknown>;
const GROUP = Principal.group("sales-analysts");

/** One agent reaching `tables` (passthrough, through a Genie bundle) and `direct` UC tables, in the order given. */
function stackWith(
  tables: readonly string[],
  direct: readonly string[] = [],
  configure?: (ctx: AgentStackContext) => void,
): TerraformStack {
  const s = newStack();
  const bundle = new GenieResourceBundle(s, "SalesGenie", {
    domain: "sales",
    spaceId: SPACE_ID,
    warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
    tables: [...tables],
  });
  const policy = new AgentAuthPolicy(s, "Policy", {
    system: [
      bundle,
      ...direct.map((t) => UcTable.fromName(t)),
      ServingEndpoint.fromName("databricks-claude-sonnet-4"),
    ],
  });
  new AgentServingEndpoint(s, "Agent", {
    name: "sales-agent",
    model: { name: "main.agents.sales_agent", version: "3" },
    authPolicy: policy,
    consumers: [GROUP],
    deployer: DEPLOYER,
  });
  configure?.(AgentStackContext.of(s));
  return s;
}

/** The plan as `<securable> | <principal> | <privileges> | <mechanism>` rows. */
const planRows = (s: TerraformStack): string[] =>
  AgentStackContext.of(s)
    .report()
    .grants.map((g) => `${g.securable} | ${g.principal} | ${g.privileges.join(",")} | ${g.mechanism}`);
const ucRows = (s: TerraformStack): string[] =>
  planRows(s).filter(
    (r) => /^(catalog|schema|table) /.test(r) && r.includes("servicePrincipal") && !r.includes("main.agents"),
  );
const resources = (tf: Json, type: string): Json[] =>
  Object.values(((tf.resource as Record<string, Record<string, Json>>)[type] ?? {}) as Record<string, Json>);

describe("UC names that differ only in case are one securable", () => {
  test("fires: two spellings of one table (and of its catalog and schema) give one grant each, in lower case", () => {
    const s = stackWith(["main.sales.orders"], ["Main.Sales.ORDERS"]);
    AgentTesting.synth(s);
    expect(ucRows(s)).toEqual([
      "catalog main | servicePrincipal:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | USE_CATALOG | report",
      "schema main.sales | servicePrincipal:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | USE_SCHEMA | report",
      "table main.sales.orders | servicePrincipal:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | SELECT | report",
    ]);
    const actions = AgentStackContext.of(s)
      .report()
      .requiredActions.map((a) => a.object);
    expect(actions.filter((o) => /orders/i.test(o))).toEqual(["table main.sales.orders"]);
  });

  test("fires: one mixed-case name alone is planned as UC stores it (lower case)", () => {
    const s = stackWith(["MAIN.Sales.Orders"]);
    AgentTesting.synth(s);
    expect(ucRows(s).map((r) => r.split(" | ")[0])).toEqual([
      "catalog main",
      "schema main.sales",
      "table main.sales.orders",
    ]);
  });

  test("fires: owned grants become one databricks_grant per pair, whatever spelling the request and the declaration use", () => {
    const s = stackWith(["main.sales.orders"], ["Main.Sales.Orders"], (ctx) => {
      ctx.configureGrants({
        ownedGrants: [{ securable: "table:MAIN.SALES.ORDERS", principal: DEPLOYER }],
      });
      ctx.acknowledge(
        ctx,
        "DBA-GRANT-001",
        "the orders table belongs to this agent and only this stack grants on it",
      );
    });
    const tf = JSON.parse(AgentTesting.synth(s).terraform) as Json;
    const grants = resources(tf, "databricks_grant").map(
      (g) => `${g.table} | ${g.principal} | ${String(g.privileges)}`,
    );
    expect(grants).toEqual(["main.sales.orders | 6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | SELECT"]);
  });

  test("fires: additive grants on a catalog in two spellings are one step on the lower-case catalog", () => {
    const s = stackWith(["main.sales.orders", "Main.Finance.Ledger"], [], (ctx) =>
      ctx.configureGrants({ mechanism: "additive" }),
    );
    const tf = JSON.parse(AgentTesting.synth(s).terraform) as Json;
    const payloads = resources(tf, "terraform_data")
      .map((d) => JSON.parse(String((d.input as Json).payload)) as Json)
      .filter((p) => JSON.stringify(p).includes('"catalog"'));
    expect(payloads).toHaveLength(1);
    expect(JSON.stringify(payloads[0])).toContain('"main"');
    expect(JSON.stringify(payloads[0])).not.toContain("Main");
  });

  test("fires: an override names the object in any spelling; two spellings of one object are refused", () => {
    const s = stackWith(["main.sales.orders"], [], (ctx) =>
      ctx.configureGrants({ overrides: { "table:Main.Sales.Orders": "additive" } }),
    );
    AgentTesting.synth(s);
    expect(planRows(s).filter((r) => r.startsWith("table "))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^table main\.sales\.orders \| .* \| additive$/)]),
    );
    expect(planRows(s).filter((r) => r.startsWith("table ") && !r.endsWith("additive"))).toEqual([]);

    const message = thrown(() =>
      AgentStackContext.of(newStack()).configureGrants({
        overrides: { "table:main.sales.orders": "report", "table:Main.Sales.Orders": "additive" },
      }),
    );
    expect(message).toContain("[DBA-CFG-001]");
    expect(message).toContain("overrides.table:main.sales.orders");
    expect(message).toContain('same Unity Catalog object as "table:Main.Sales.Orders"');
    expect(message).toContain("keep one of the two keys");
  });

  test("fires: escape-hatch requests with plain-object securables merge with the library's own", () => {
    const plan = mergeGrants(
      [
        {
          principal: GROUP,
          securable: { family: "uc", type: "function", name: "Main.Tools.Lookup" },
          privilege: "EXECUTE",
          reason: "manual",
          requestedBy: "a",
          manual: true,
        },
        ...UcFunction.fromName("main.tools.lookup")
          .accessNeeds("consumer")
          .map((n) => ({ principal: GROUP, ...n, reason: "declared", requestedBy: "b" })),
      ],
      { owned: new Set(), defaultMechanism: "report", overrides: new Map() },
    );
    expect(
      plan.map((g) => `${g.securable.family === "uc" ? g.securable.name : ""} ${g.privileges.join(",")}`),
    ).toEqual(["main USE_CATALOG", "main.tools.lookup EXECUTE", "main.tools USE_SCHEMA"]);
    expect(plan[1]!.requestedBy).toEqual(["a", "b"]);
  });

  test("determinism: the spellings in either declaration order give byte-identical Terraform, report and MLflow files", () => {
    const a = AgentTesting.synth(
      stackWith(["main.sales.orders", "Main.Sales.Orders"], ["MAIN.sales.orders"]),
    );
    const b = AgentTesting.synth(
      stackWith(["Main.Sales.Orders", "main.sales.orders"], ["MAIN.sales.orders"]),
    );
    expect(b.terraform).toBe(a.terraform);
    expect(JSON.stringify(b.report)).toBe(JSON.stringify(a.report));
    expect(JSON.stringify(b.mlflow)).toBe(JSON.stringify(a.mlflow));
    const c = mergeGrants(
      [uc("table", "A.B.C"), uc("table", "a.b.c")].map((securable, i) => ({
        principal: GROUP,
        securable,
        privilege: "SELECT",
        reason: `r${i}`,
        requestedBy: `p${i}`,
      })),
      { owned: new Set(), defaultMechanism: "report", overrides: new Map() },
    );
    const d = mergeGrants(
      [uc("table", "a.b.c"), uc("table", "A.B.C")].map((securable, i) => ({
        principal: GROUP,
        securable,
        privilege: "SELECT",
        reason: `r${1 - i}`,
        requestedBy: `p${1 - i}`,
      })),
      { owned: new Set(), defaultMechanism: "report", overrides: new Map() },
    );
    expect(JSON.stringify(d)).toBe(JSON.stringify(c));
  });

  test("fires: a raw databricks_grant on a spelling of a planned table is the clash it is (DBA-GRANT-004)", () => {
    const s = stackWith(["main.sales.orders"]);
    new Grant(s, "Manual", { table: "Main.Sales.Orders", principal: DEPLOYER.name, privileges: ["SELECT"] });
    expect(synthError(s)).toContain("[DBA-GRANT-004] test/Manual");
  });

  test("silent: names that differ in more than case stay two securables", () => {
    const s = stackWith(["main.sales.orders", "main.sales.orders_v2"]);
    AgentTesting.synth(s);
    expect(
      ucRows(s)
        .filter((r) => r.startsWith("table "))
        .map((r) => r.split(" | ")[0]),
    ).toEqual(["table main.sales.orders", "table main.sales.orders_v2"]);
  });
});

describe("principals: emails and ids are case-insensitive, group names exact", () => {
  test("fires: two spellings of one email are one principal", () => {
    expect(Principal.user("Alice@Example.com").key).toBe(Principal.user("alice@example.COM").key);
  });

  test("silent: two spellings of a group name are two principals (UC finds groups by exact name)", () => {
    expect(Principal.group("FinOps").key).not.toBe(Principal.group("finops").key);
    const plan = mergeGrants(
      [Principal.group("FinOps"), Principal.group("finops")].map((principal) => ({
        principal,
        securable: uc("catalog", "main"),
        privilege: "USE_CATALOG",
        reason: "r",
        requestedBy: "p",
      })),
      { owned: new Set(), defaultMechanism: "report", overrides: new Map() },
    );
    expect(plan.map((g) => g.principal.name)).toEqual(["FinOps", "finops"]);
  });
});

describe("invisible and lookalike characters are refused at construction", () => {
  /** Build something and return its AgentConfigError message ("" when nothing was thrown). */
  const configError = (build: () => unknown): string => {
    try {
      build();
      return "";
    } catch (e) {
      expect(e).toBeInstanceOf(AgentConfigError);
      return (e as Error).message;
    }
  };
  const policyWith = (
    dependency: ReturnType<typeof UcTable.fromName> | ReturnType<typeof ServingEndpoint.fromName>,
  ) => configError(() => new AgentAuthPolicy(newStack(), "Policy", { system: [dependency] }));

  test.each([
    [
      "U+200B zero width space in a table name",
      () => policyWith(UcTable.fromName("main.sa\u200bles.orders")),
      "U+200B ZERO WIDTH SPACE",
      'at character 8 of "main.sa<U+200B>les.orders"',
      "retype the name without U+200B",
    ],
    [
      "U+202E right-to-left override in a group name",
      () => configError(() => Principal.group("finops\u202eadmins")),
      "U+202E RIGHT-TO-LEFT OVERRIDE",
      'at character 7 of "finops<U+202E>admins"',
      "without U+202E",
    ],
    [
      "a no-break space in a group name",
      () => configError(() => Principal.group("sales\u00a0analysts")),
      "U+00A0 NO-BREAK SPACE",
      'at character 6 of "sales<U+00A0>analysts"',
      "without U+00A0",
    ],
    [
      "a Cyrillic letter in a Latin table name",
      () => policyWith(UcTable.fromName("main.sales.\u043erders")),
      "mixes scripts in one identifier: U+043E (a Cyrillic letter)",
      'at character 12 of "main.sales.<U+043E>rders", whose other letters are Latin',
      "in one script",
    ],
    [
      "a whitespace-only group name",
      () => configError(() => Principal.group("   ")),
      "is only whitespace",
      "Principal.group",
      "give the group's display name itself",
    ],
    [
      "a trailing space in a group name",
      () => configError(() => Principal.group("finops ")),
      "ends with a space, U+0020",
      'at character 7 of "finops<U+0020>"',
      "remove the trailing space",
    ],
    [
      "a fullwidth letter in a catalog name",
      () => policyWith(UcTable.fromName("\uff4dain.sales.orders")),
      'U+FF4D, a compatibility form of "m"',
      "at character 1",
      'write "m" instead of U+FF4D',
    ],
    [
      "a decomposed accent in a schema name",
      () => policyWith(UcTable.fromName("main.cafe\u0301.orders")),
      "U+0301, a combining mark",
      "at character 10",
      'write the composed character "é"',
    ],
    [
      "a Cyrillic letter in a user's email domain",
      () => configError(() => Principal.user("alice@ex\u0430mple.com")),
      "U+0430 (a Cyrillic letter)",
      "at character 9",
      "in one script",
    ],
    [
      "U+200B in a serving endpoint dependency",
      () => policyWith(ServingEndpoint.fromName("databricks-\u200bclaude")),
      "endpoint name has an invisible character, U+200B",
      "at character 12",
      "retype the endpoint name without U+200B",
    ],
  ])("fires: %s", (_what, build, message, where, fix) => {
    const text = build();
    expect(text).toMatch(/\[DBA-CFG-00[12]\]/);
    expect(text).toContain(message);
    expect(text).toContain(where);
    expect(text).toContain("allowed:  visible characters");
    expect(text).toContain(fix);
  });

  test("fires: the endpoint's name and the grant settings' keys are checked by the schemas", () => {
    const s = newStack();
    const policy = new AgentAuthPolicy(s, "Policy", {
      system: [ServingEndpoint.fromName("databricks-claude-sonnet-4")],
    });
    const endpoint = thrown(
      () =>
        new AgentServingEndpoint(s, "Agent", {
          name: "sales\u200b-agent",
          model: { name: "main.agents.sales_agent", version: "3" },
          authPolicy: policy,
        }),
    );
    expect(endpoint).toContain("[DBA-CFG-001] test/Agent (prop name)");
    expect(endpoint).toContain('U+200B ZERO WIDTH SPACE, at character 6 of "sales<U+200B>-agent"');
    const settings = thrown(() =>
      AgentStackContext.of(newStack()).configureGrants({
        overrides: { "table:main.sales.\u043erders": "additive" },
        warehouseOwners: { [`${WAREHOUSE_ID}\u00a0`]: DEPLOYER },
      }),
    );
    expect(settings).toContain("U+043E (a Cyrillic letter)");
    expect(settings).toContain("U+00A0 NO-BREAK SPACE");
  });

  test.each([
    ["Cyrillic", "продажи.отчёты.заказы"],
    ["Latin with accents", "données.ventes.été_2026"],
    ["Han", "主.销售.订单"],
    ["Japanese (Han, Katakana, Hiragana)", "main.データ.売上の表"],
    ["Korean with Latin", "main.매출.orders_2026"],
    ["Greek", "κύριος.πωλήσεις.παραγγελίες"],
    ["Persian with its zero width non-joiner", "main.sales.می\u200cخواهم"],
    ["German ß and Turkish İ", "main.straße.İstanbul"],
    ["one script per part", "main.продажи.orders"],
  ])("silent: a table name in %s", (_what, name) => {
    expect(policyWith(UcTable.fromName(name))).toBe("");
  });

  test("silent: group names and emails in one script, with spaces inside", () => {
    for (const name of ["表 équipe", "Platform-Readers", "Отдел продаж", "account users", "データ チーム"])
      expect(configError(() => Principal.group(name))).toBe("");
    expect(configError(() => Principal.user("José.Müller@example.com"))).toBe("");
    expect(configError(() => Principal.user("иван@пример.рф"))).toBe("");
  });

  test("silent: a stack whose names are non-ASCII in one script synthesizes", () => {
    const s = stackWith(["données.ventes.commandes", "продажи.отчёты.заказы"]);
    expect(synthError(s)).toBe("");
  });
});
