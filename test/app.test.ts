import type { TerraformStack } from "cdktf";
import {
  AgentApp,
  AgentServingEndpoint,
  AgentAuthPolicy,
  AgentStackContext,
  AgentTesting,
  DatabricksApp,
  GenieResourceBundle,
  GenieSpace,
  LakebaseInstance,
  Principal,
  SecretRef,
  ServingEndpoint,
  SqlWarehouse,
  UcConnection,
  UcFunction,
  LakebaseProject,
  UcTable,
  VectorSearchIndex,
  type AgentAppProps,
  type IAgentDependency,
} from "../lib";
import { appResourcesFor, appResourceName } from "../lib/model/app-resources";
import { RESOURCE_KINDS, type AgentResource, type ResourceKind } from "../lib/model/resource-kinds";
import { classifyAppScope, closestAppScope } from "../lib/model/app-scopes";
import { compareAppEnv, parseAppEnv } from "../lib/constructs/app-handoff";
import { formatStackSummary } from "../lib/constructs/summary";
import { toReportFile } from "../lib/constructs/report-file";
import { ENGINES } from "../lib/engine/compat";
import { ENGINE_NAME } from "../lib/engine/current";
import { newStack, SPACE_ID, SPACE_ID_2, synthError, thrown, WAREHOUSE_ID } from "./helpers";

const LLM = "databricks-claude-sonnet-4";
const CONSUMERS = Principal.group("sales-analysts");

function genie(stack: TerraformStack, id = "SalesGenie", o: { mcp?: boolean; spaceId?: string } = {}) {
  return new GenieResourceBundle(stack, id, {
    domain: id === "SalesGenie" ? "sales" : "cost",
    spaceId: o.spaceId ?? SPACE_ID,
    warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
    tables: ["main.sales.orders", "main.sales.customers"],
    functions: ["main.sales.lookup"],
    interface: o.mcp ? "mcp" : "conversation",
  });
}

/** An app over a policy built by `policy`, with consumers, on a fresh stack. */
function app(
  policy: (s: TerraformStack) => ConstructorParameters<typeof AgentAuthPolicy>[2],
  props: Partial<AgentAppProps> = {},
) {
  const stack = newStack();
  const p = new AgentAuthPolicy(stack, "Policy", policy(stack));
  const a = new AgentApp(stack, "App", {
    name: "sales-app",
    authPolicy: p,
    consumers: [CONSUMERS],
    ...props,
  });
  return { stack, policy: p, app: a };
}

const synth = (stack: TerraformStack) => AgentTesting.synth(stack);
const tfOf = (stack: TerraformStack) =>
  JSON.parse(synth(stack).terraform) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
const appResource = (stack: TerraformStack) =>
  Object.values(tfOf(stack).resource.databricks_app!)[0]! as {
    name: string;
    user_api_scopes?: string[];
    resources?: Record<string, unknown>[];
    lifecycle: { prevent_destroy: boolean };
  };
const grantsFor = (stack: TerraformStack, principal: string) =>
  synth(stack)
    .report.grants.filter((g) => g.principal === principal)
    .map((g) => `${g.securable}: ${g.privileges.join(",")}`)
    .sort();
const SP = "servicePrincipal:${databricks_app.App_20A90FB3.service_principal_client_id}";

describe("user_api_scopes derived for each dependency kind on behalf of the user", () => {
  // Written here, from REFERENCE.md's Apps scope names, not read from lib/model/app-scopes.ts.
  const TABLE: [string, (s: TerraformStack) => IAgentDependency, string[]][] = [
    ["serving endpoint", () => ServingEndpoint.fromName(LLM), ["model-serving"]],
    [
      "vector search index",
      () => VectorSearchIndex.fromName("main.docs.idx", { endpointName: "vs" }),
      ["vector-search"],
    ],
    [
      "vector search with managed embeddings",
      () =>
        VectorSearchIndex.fromName("main.docs.idx", {
          endpointName: "vs",
          embeddingEndpoint: ServingEndpoint.fromName("bge"),
        }),
      ["model-serving", "vector-search"],
    ],
    [
      "vector search over MCP",
      () => VectorSearchIndex.fromName("main.docs.idx", { endpointName: "vs", via: "mcp" }),
      ["vector-search"],
    ],
    ["SQL warehouse", () => SqlWarehouse.fromId(WAREHOUSE_ID), ["sql"]],
    ["SQL over MCP", () => SqlWarehouse.fromId(WAREHOUSE_ID, { via: "mcp" }), ["sql"]],
    ["Genie (Conversation API)", (s) => genie(s), ["genie"]],
    ["Genie over MCP", (s) => genie(s, "SalesGenie", { mcp: true }), ["genie"]],
    ["bare Genie space", () => GenieSpace.fromId(SPACE_ID), ["genie"]],
    ["UC connection", () => UcConnection.fromName("github"), ["catalog.connections", "model-serving"]],
    ["external MCP server", () => UcConnection.fromName("github", { via: "mcp" }), ["mcp.external"]],
    ["UC functions over MCP", () => UcFunction.fromName("main.tools.f", { via: "mcp" }), ["mcp.functions"]],
  ];

  test.each(TABLE)("%s", (_name, dep, scopes) => {
    const { stack } = app((s) => ({ onBehalfOfUser: [dep(s)] }));
    expect(appResource(stack).user_api_scopes).toEqual(scopes);
  });

  test("several dependencies: the sorted union, and nothing when nothing is on behalf of the user", () => {
    const { stack } = app((s) => ({
      onBehalfOfUser: [genie(s), SqlWarehouse.fromId(WAREHOUSE_ID), ServingEndpoint.fromName(LLM)],
    }));
    expect(appResource(stack).user_api_scopes).toEqual(["genie", "model-serving", "sql"]);
    const none = app(() => ({ system: [ServingEndpoint.fromName(LLM)] }));
    expect(appResource(none.stack).user_api_scopes).toBeUndefined();
  });

  test("the same policy on Model Serving derives its own vocabulary (mcp.genie), on Apps genie", () => {
    const { policy, app: a } = app((s) => ({ onBehalfOfUser: [genie(s, "SalesGenie", { mcp: true })] }));
    expect(policy.derivedScopes).toEqual(["mcp.genie"]);
    expect(a.userApiScopes).toEqual(["genie"]);
  });

  test.each([
    ["UC table", () => UcTable.fromName("main.sales.orders")],
    ["UC function through SQL", () => UcFunction.fromName("main.sales.f")],
    ["Lakebase", () => LakebaseInstance.fromName("memory")],
    ["another app", () => DatabricksApp.fromName("other-app")],
    ["Lakebase Autoscaling project", () => LakebaseProject.fromName("memory")],
  ])("%s on behalf of the user fails with DBA-APP-008", (_n, dep) => {
    const { stack } = app(() => ({ onBehalfOfUser: [dep()] }));
    expect(synthError(stack)).toContain("[DBA-APP-008] test/App (prop authPolicy)");
  });
});

describe("an OBO Genie space on an app", () => {
  test("gives genie, and the space, its warehouse, tables and functions to the consumers; nothing to the app's identity", () => {
    const { stack } = app((s) => ({ onBehalfOfUser: [genie(s)] }));
    expect(appResource(stack).user_api_scopes).toEqual(["genie"]);
    expect(grantsFor(stack, "group:sales-analysts")).toEqual([
      "app sales-app: CAN_USE",
      "catalog main: USE_CATALOG",
      `function main.sales.lookup: EXECUTE`,
      `genie space ${SPACE_ID}: CAN_RUN`,
      "schema main.sales: USE_SCHEMA",
      `sql warehouse ${WAREHOUSE_ID}: CAN_USE`,
      "table main.sales.customers: SELECT",
      "table main.sales.orders: SELECT",
    ]);
    expect(grantsFor(stack, SP)).toEqual([]);
    expect(appResource(stack).resources).toBeUndefined();
  });
});

describe("the app's own identity (system): app resources and the transitive grants", () => {
  test("app resources for what databricks_app expresses, with the permission each needs", () => {
    const { stack } = app((s) => ({
      system: [genie(s), ServingEndpoint.fromName(LLM), LakebaseInstance.fromName("memory")],
    }));
    expect(appResource(stack).resources).toEqual([
      {
        name: "database-memory",
        description: "Lakebase instance memory",
        database: {
          instance_name: "memory",
          database_name: "databricks_postgres",
          permission: "CAN_CONNECT_AND_CREATE",
        },
      },
      {
        name: `genie-space-${SPACE_ID}`,
        description: `Genie space ${SPACE_ID}`,
        genie_space: { name: SPACE_ID, space_id: SPACE_ID, permission: "CAN_RUN" },
      },
      {
        name: `serving-endpoint-${LLM}`,
        description: `serving endpoint ${LLM}`,
        serving_endpoint: { name: LLM, permission: "CAN_QUERY" },
      },
      {
        name: `sql-warehouse-${WAREHOUSE_ID}`,
        description: `SQL warehouse ${WAREHOUSE_ID}`,
        sql_warehouse: { id: WAREHOUSE_ID, permission: "CAN_USE" },
      },
    ]);
  });

  test("what no app resource expresses (a Genie space's tables and functions, parents' USE_*) goes to the app's service principal through the grant plan", () => {
    const { stack } = app((s) => ({ system: [genie(s)] }));
    expect(grantsFor(stack, SP)).toEqual([
      "catalog main: USE_CATALOG",
      "function main.sales.lookup: EXECUTE",
      "schema main.sales: USE_SCHEMA",
      "table main.sales.customers: SELECT",
      "table main.sales.orders: SELECT",
    ]);
    const reasons = synth(stack).report.grants.find(
      (g) => g.securable === "table main.sales.orders",
    )!.reasons;
    expect(reasons.join()).toContain("provider 1.128.0");
  });

  test("vector search (no app resource): endpoint CAN_USE and the index's SELECT through the plan", () => {
    const { stack } = app(() => ({
      system: [VectorSearchIndex.fromName("main.docs.idx", { endpointName: "vs" })],
    }));
    expect(grantsFor(stack, SP)).toEqual([
      "catalog main: USE_CATALOG",
      "schema main.docs: USE_SCHEMA",
      "table main.docs.idx: SELECT",
      "vector search endpoint vs: CAN_USE",
    ]);
  });

  test("with the additive mechanism the service principal's grants are Terraform steps with the principal as data", () => {
    const { stack } = app((s) => ({ system: [genie(s)] }));
    AgentStackContext.of(stack).configureGrants({ mechanism: "additive" });
    const json = synth(stack).terraform;
    expect(json).toContain("jsonencode(databricks_app.App_20A90FB3.service_principal_client_id)");
  });

  test("secrets become secret app resources read by valueFrom; never a literal", () => {
    const { stack, app: a } = app(() => ({ system: [ServingEndpoint.fromName(LLM)] }), {
      secrets: { OPENAI_API_KEY: SecretRef.of("agents", "openai") },
    });
    expect(appResource(stack).resources).toContainEqual({
      name: "secret-openai-api-key",
      description: "secret agents/openai",
      secret: { scope: "agents", key: "openai", permission: "READ" },
    });
    expect(a.appHandoff().env).toContainEqual({ name: "OPENAI_API_KEY", valueFrom: "secret-openai-api-key" });
  });

  test("nativeUcResources on provider 1.99 fails with DBA-APP-010 naming the version that adds it", () => {
    const { stack } = app((s) => ({ system: [genie(s)] }), { nativeUcResources: true });
    const e = synthError(stack);
    if (ENGINES[ENGINE_NAME].provider !== "1.99.0") {
      // cdktn binds provider 1.132.0: the tables and the function are uc_securable app resources.
      expect(e).toBe("");
      expect(JSON.stringify(appResource(stack).resources)).toContain('"securable_type":"TABLE"');
    } else {
      expect(e).toContain("[DBA-APP-010] test/App (prop nativeUcResources)");
      expect(e).toContain("provider 1.128.0 adds it");
    }
  });

  test("appResourcesFor: uc_securable from provider 1.128, the grant plan before", () => {
    const r = [{ kind: "table" as const, name: "main.a.b" }];
    expect(
      appResourcesFor(r, { providerVersion: "1.132.0", newerResources: true }).resources[0]!.fields,
    ).toEqual({
      securable_full_name: "main.a.b",
      securable_type: "TABLE",
      permission: "SELECT",
    });
    const old = appResourcesFor(r, { providerVersion: "1.99.0", newerResources: true });
    expect(old.resources).toEqual([]);
    expect(old.unavailable[0]!.reason).toContain("provider 1.128.0 adds it");
    expect(appResourceName("table", "${TfToken[TOKEN.1]}")).toMatch(/^table-tftoken-token-1-[0-9a-f]{8}$/);
  });

  test("a fallback's reason qualifies the report's requester, so it never holds the requester/need separator", () => {
    // Every kind, by a name and (Lakebase projects) with and without a branch, on the oldest and the
    // newest provider, with and without the newer app resources: the reason goes into the requester
    // of "<requester>: <need>", which the report splits at the first ": ".
    const resources: AgentResource[] = (Object.keys(RESOURCE_KINDS) as ResourceKind[]).flatMap((kind) => [
      { kind, name: "main.a.b" },
      ...(kind === "lakebase_project" ? [{ kind, name: "memory", branch: "main" }] : []),
    ]);
    const reasons = [
      { providerVersion: ENGINES.cdktf.provider, newerResources: false },
      { providerVersion: ENGINES.cdktf.provider, newerResources: true },
      { providerVersion: ENGINES.cdktn.provider, newerResources: false },
      { providerVersion: ENGINES.cdktn.provider, newerResources: true },
    ].flatMap((o) => appResourcesFor(resources, o).fallbacks.map((f) => f.reason));
    expect(reasons.length).toBeGreaterThan(4);
    expect(reasons.filter((r) => r.includes(": "))).toEqual([]);
  });
});

describe("the app's ACL and principals", () => {
  test("consumers CAN_USE and managers CAN_MANAGE on a databricks_permissions the stack owns", () => {
    const { stack } = app(() => ({ system: [ServingEndpoint.fromName(LLM)] }), {
      managers: [Principal.group("platform-admins")],
    });
    const perms = Object.values(tfOf(stack).resource.databricks_permissions!);
    expect(perms).toEqual([
      {
        app_name: "${databricks_app.App_20A90FB3.name}",
        access_control: [
          { group_name: "platform-admins", permission_level: "CAN_MANAGE" },
          { group_name: "sales-analysts", permission_level: "CAN_USE" },
        ],
      },
    ]);
    expect(
      synth(stack)
        .report.grants.filter((g) => g.securable === "app sales-app")
        .map((g) => g.mechanism),
    ).toEqual(["owned_acl", "owned_acl"]);
  });

  test("the app's service principal named in a grant by hand fails with DBA-APP-009", () => {
    const { stack, app: a } = app(() => ({ system: [ServingEndpoint.fromName(LLM)] }));
    AgentStackContext.of(stack).requestGrant({
      principal: a.servicePrincipal,
      securable: { family: "uc", type: "table", name: "main.sales.orders" },
      privilege: "SELECT",
      reason: "by hand",
      requestedBy: "test/Manual",
      manual: true,
    });
    const e = synthError(stack);
    expect(e).toContain("[DBA-APP-009] test/Manual (prop principal)");
    expect(e).toContain("names an app's service principal");
  });

  test("the library's own grants to the service principal are silent", () => {
    const { stack } = app((s) => ({ system: [genie(s)] }));
    expect(synthError(stack)).toBe("");
  });

  test("protect is on by default (prevent_destroy), and can be turned off", () => {
    expect(appResource(app(() => ({})).stack).lifecycle.prevent_destroy).toBe(true);
    expect(appResource(app(() => ({}), { protect: false }).stack).lifecycle.prevent_destroy).toBe(false);
  });
});

describe("hand-given userApiScopes are checked", () => {
  const obo = (s: TerraformStack) => ({ onBehalfOfUser: [genie(s, "SalesGenie", { mcp: true })] });
  const errorOf = (scopes: string[], extra: Partial<AgentAppProps> = {}) =>
    synthError(app(obo, { userApiScopes: scopes, ...extra }).stack);
  const findingsOf = (scopes: string[]) => synth(app(obo, { userApiScopes: scopes }).stack).report.findings;

  test("the derived set by hand is silent", () => {
    expect(errorOf(["genie"])).toBe("");
  });
  test("a Model Serving scope (mcp.genie) fails with DBA-APP-001 naming the Apps scope, and only that", () => {
    const e = errorOf(["mcp.genie"]);
    expect(e).toContain("[DBA-APP-001] test/App (prop userApiScopes)");
    expect(e).toContain('replace "mcp.genie" with "genie"');
    expect(e).not.toContain("DBA-APP-005");
  });
  test("a deprecated alias (dashboards.genie) is a DBA-APP-002 warning naming the canonical scope", () => {
    const f = findingsOf(["dashboards.genie"]);
    expect(f.map((x) => x.ruleId)).toEqual(["DBA-APP-002"]);
    expect(f[0]!.fix).toContain('replace "dashboards.genie" with "genie"');
  });
  test("a scope Apps reject (apps.apps) fails with DBA-APP-003", () => {
    expect(errorOf(["genie", "apps.apps"])).toContain(
      '[DBA-APP-003] test/App (prop userApiScopes): scope "apps.apps" is rejected',
    );
    expect(errorOf(["genie", "workspace"])).toContain('replace "workspace" with "workspace.workspace"');
  });
  test("an unknown scope fails with DBA-APP-004 and the closest suggestion; additionalUserApiScopes accepts a new one", () => {
    expect(errorOf(["genie", "geni"])).toContain('did you mean "genie"?');
    expect(closestAppScope("model-servin")).toBe("model-serving");
    expect(errorOf(["genie", "brand-new"], { additionalUserApiScopes: ["brand-new"] })).toContain(
      '[DBA-APP-006] test/App (prop userApiScopes): scope "brand-new" is not needed',
    );
    expect(classifyAppScope("brand-new", ["brand-new"])).toBe("canonical");
  });
  test("a missing scope fails with DBA-APP-005", () => {
    expect(errorOf(["sql"])).toContain("[DBA-APP-005] test/App (prop userApiScopes)");
  });
  test("an unused scope fails with DBA-APP-006, and so does an implicit one", () => {
    expect(errorOf(["genie", "sql"])).toContain('scope "sql" is not needed');
    expect(errorOf(["genie", "iam.current-user:read"])).toContain("granted to every app implicitly");
  });
});

describe("other app rules", () => {
  test.each([["a"], ["Sales-App"], ["sales_app"], ["x".repeat(31)]])(
    "app name %s fails with DBA-APP-007",
    (name) => {
      expect(synthError(app(() => ({}), { name }).stack)).toContain("[DBA-APP-007] test/App (prop name)");
    },
  );
  test.each([["ab"], ["sales-app-2"], ["x".repeat(30)]])("app name %s is fine", (name) => {
    expect(synthError(app(() => ({}), { name }).stack)).toBe("");
  });

  test("both modes on an app: DBA-APP-011 warning, acknowledgeable", () => {
    const both = app((s) => {
      const g = genie(s);
      return { system: [g], onBehalfOfUser: [g] };
    });
    const ids = synth(both.stack).report.findings.map((f) => f.ruleId);
    expect(ids.sort()).toEqual(["DBA-APP-011", "DBA-AUTH-001"]);
    AgentStackContext.of(both.stack).acknowledge(
      both.app,
      "DBA-APP-011",
      "evaluation runs as the app's identity",
    );
    expect(synth(both.stack).report.summary.acknowledged).toBe(1);
    const one = app((s) => ({ onBehalfOfUser: [genie(s)] }));
    expect(synth(one.stack).report.findings).toEqual([]);
  });

  test("manual-auth variables on an app with passthrough dependencies fail with DBA-SEC-002", () => {
    const { stack } = app(() => ({ system: [ServingEndpoint.fromName(LLM)] }), {
      secrets: { DATABRICKS_CLIENT_SECRET: SecretRef.of("agents", "sp") },
    });
    expect(synthError(stack)).toContain("[DBA-SEC-002] test/App (prop environment/secrets)");
  });

  test("a literal secret in the app's environment fails with DBA-SEC-001, masked", () => {
    const { stack } = app(() => ({}), {
      environment: { OPENAI_API_KEY: "sk-abcdefghijklmnopqrstuvwxyz012345" },
    });
    const e = synthError(stack);
    expect(e).toContain("[DBA-SEC-001] test/App (prop environment.OPENAI_API_KEY)");
    expect(e).not.toContain("abcdefghijklmnopqrstuvwxyz012345");
  });

  test("an undeclared Genie space in the app's environment fails with DBA-GENIE-004, as for endpoints", () => {
    const { stack } = app(() => ({}), { environment: { COST_GENIE_SPACE_ID: SPACE_ID_2 } });
    expect(synthError(stack)).toContain("[DBA-GENIE-004] test/App (prop environment.COST_GENIE_SPACE_ID)");
  });

  test("a Terraform reference in the app's environment is refused at construction (app.yaml is written at synth)", () => {
    const stack = newStack();
    const a = new AgentApp(stack, "Ref", { name: "ref-app" });
    expect(
      thrown(() => new AgentApp(stack, "App", { name: "x-app", environment: { URL: a.resource.url } })),
    ).toContain("[DBA-CFG-001] test/App (prop environment.URL)");
  });
});

describe("the app.yaml handoff", () => {
  test("valueFrom each app resource, the Genie space ids, the OBO flag; the scopes and the notes", () => {
    const { stack } = app(
      (s) => ({
        system: [genie(s, "CostGenie", { spaceId: SPACE_ID_2 }), ServingEndpoint.fromName(LLM)],
        onBehalfOfUser: [genie(s)],
      }),
      { environment: { LOG_LEVEL: "info" } },
    );
    const h = synth(stack).apps!["sales-app"]!;
    expect(h.env).toEqual([
      { name: "COST_GENIE_SPACE_ID", valueFrom: `genie-space-${SPACE_ID_2}` },
      { name: "DATABRICKS_USE_IDENTITY_PASSTHROUGH", value: "true" },
      { name: "LOG_LEVEL", value: "info" },
      { name: "SALES_GENIE_SPACE_ID", value: SPACE_ID },
      { name: "SERVING_ENDPOINT_DATABRICKS_CLAUDE_SONNET_4", valueFrom: `serving-endpoint-${LLM}` },
      { name: "SQL_WAREHOUSE_4B9B953939869799", valueFrom: `sql-warehouse-${WAREHOUSE_ID}` },
    ]);
    expect(h.user_api_scopes).toEqual(["genie"]);
    expect(h.notes.join("\n")).toMatch(/consent again[\s\S]*restart/);
    const report = synth(stack).report;
    expect(report.apps).toEqual([
      {
        path: "test/App",
        name: "sales-app",
        appsKey: "sales-app",
        userApiScopes: ["genie"],
        notes: h.notes,
      },
    ]);
    expect(report.endpoints).toEqual([]);
  });

  test("no user scopes, no notes", () => {
    const { stack } = app(() => ({ system: [ServingEndpoint.fromName(LLM)] }));
    expect(synth(stack).apps!["sales-app"]!.notes).toEqual([]);
  });

  test("compareAppEnv: missing and different entries; extra entries are the code's own; deployed values never printed", () => {
    const expected = parseAppEnv(
      "handoff.json",
      JSON.stringify({
        env: [
          { name: "A", valueFrom: "sql-warehouse-x" },
          { name: "B", value: "true" },
          { name: "C", value: "1" },
        ],
      }),
    );
    const deployed = parseAppEnv(
      "app.yaml",
      "command: ['python', 'app.py']\nenv:\n  - name: A\n    valueFrom: other\n  - name: B\n    value: 'true'\n  - name: EXTRA\n    value: s3cr3t\n",
    );
    const diff = compareAppEnv(expected, deployed);
    expect(diff.missing).toEqual(['C (value: "1")']);
    expect(diff.different).toEqual(["A: expected valueFrom: sql-warehouse-x, found valueFrom: other"]);
    expect(JSON.stringify(diff)).not.toContain("s3cr3t");
    expect(thrown(() => parseAppEnv("app.yaml", "env: 3"))).toContain("app.yaml: env is not a list");
  });
});

describe("environment collisions on an app", () => {
  test("a variable the library sets for the app (a Genie space id, the OBO flag) given again fails with DBA-EP-006", () => {
    const { stack } = app((s) => ({ onBehalfOfUser: [genie(s)] }), {
      environment: { SALES_GENIE_SPACE_ID: SPACE_ID },
    });
    expect(synthError(stack)).toContain("[DBA-EP-006] test/App (prop environment.SALES_GENIE_SPACE_ID)");
  });
  test("a variable in both environment and secrets fails with DBA-EP-006", () => {
    const { stack } = app(() => ({}), {
      environment: { API_URL: "https://example.com" },
      secrets: { API_URL: SecretRef.of("agents", "url") },
    });
    expect(synthError(stack)).toContain("set in environment.API_URL and also in secrets.API_URL");
  });
});

describe("a correct app is silent", () => {
  test("both modes split across dependencies, hand-given scopes equal to the derived ones, secrets: no finding at all", () => {
    const { stack } = app(
      (s) => ({
        system: [genie(s, "CostGenie", { spaceId: SPACE_ID_2 }), LakebaseInstance.fromName("memory")],
        onBehalfOfUser: [genie(s), SqlWarehouse.fromId("0123456789abcdef"), ServingEndpoint.fromName(LLM)],
      }),
      {
        userApiScopes: ["genie", "model-serving", "sql"],
        secrets: { OPENAI_API_KEY: SecretRef.of("a", "b") },
      },
    );
    expect(synthError(stack)).toBe("");
    expect(synth(stack).report.findings).toEqual([]);
  });
});

describe("the endpoint lock guards apps too", () => {
  const lock = { endpoints: { "test/App": { name: "sales-app", routeOptimized: false } } };
  test("a renamed, protected, deployed app fails with DBA-EP-008 (a new app and a new service principal)", () => {
    const { stack } = app(() => ({}), { name: "sales-app-v2" });
    AgentStackContext.of(stack).useEndpointLock(lock);
    expect(synthError(stack)).toContain(
      '[DBA-EP-008] test/App (prop name): name "sales-app" -> "sales-app-v2"',
    );
  });
  test("the same name is silent, and the lock lists the app", () => {
    const { stack } = app(() => ({}));
    AgentStackContext.of(stack).useEndpointLock(lock);
    expect(synthError(stack)).toBe("");
    expect(synth(stack).endpointLock).toEqual(lock);
  });
  test("a deployed app whose construct is gone fails with DBA-EP-009", () => {
    const { stack } = app(() => ({}));
    AgentStackContext.of(stack).useEndpointLock({
      endpoints: { ...lock.endpoints, "test/OldApp": { name: "old-app", routeOptimized: false } },
    });
    expect(synthError(stack)).toContain("[DBA-EP-009] test/OldApp");
  });
});

describe("the synth summary names the apps and their handoff", () => {
  test("one line per stack with the app.yaml to deploy and the re-consent / restart note", () => {
    const { stack } = app((s) => ({ onBehalfOfUser: [genie(s)] }));
    const text = formatStackSummary(toReportFile(synth(stack).report), "out");
    expect(text).toContain(
      "  apps:     1 app (sales-app): deploy the code with its app.yaml from out/apps.json (npx dba-export out --target sales-app --out <dir>); after a scope change users consent again and the app's compute needs a restart",
    );
    expect(text).toContain("  files:    out/agent-report.json, endpoint-lock.json, mlflow.json, apps.json");
    expect(text).toContain("stack test: 0 endpoints");
  });
  test("with the per-target layout, the app.yaml of each app in apps/<key>/", () => {
    const { stack } = app((s) => ({ onBehalfOfUser: [genie(s)] }));
    const text = formatStackSummary(toReportFile(synth(stack).report), "out", { perTargetFiles: true });
    expect(text).toContain(
      "  apps:     1 app (sales-app): deploy the code with out/apps/sales-app/app.yaml;",
    );
    expect(text).toContain(
      "  files:    out/agent-report.json, endpoint-lock.json, mlflow.json, apps.json, apps/<key>/ per target",
    );
  });
});

describe("an app calling the stack's own serving endpoint", () => {
  // The app resource grants the app's service principal CAN_QUERY natively; the endpoint's ACL, which the
  // stack owns and applies authoritatively, must list it too, or its apply removes that grant (found by the
  // apply harness against its API double).
  // The endpoint is declared after the app: ownership is known when the plan is merged.
  const build = () => app(() => ({ system: [ServingEndpoint.fromName("support-agent")] }));
  test("the endpoint's owned ACL lists the app's service principal with CAN_QUERY", () => {
    const { stack } = build();
    new AgentServingEndpoint(stack, "Support", {
      name: "support-agent",
      model: { name: "main.agents.support", version: "1" },
    });
    const acl = Object.values(tfOf(stack).resource.databricks_permissions!).find(
      (r) => r.serving_endpoint_id !== undefined,
    )!;
    expect(acl.access_control).toContainEqual({
      service_principal_name: "${databricks_app.App_20A90FB3.service_principal_client_id}",
      permission_level: "CAN_QUERY",
    });
  });
  test("a serving endpoint the stack does not own gets no grant beside the app resource (silent case)", () => {
    const { stack } = build();
    expect(grantsFor(stack, SP).filter((g) => g.startsWith("serving endpoint"))).toEqual([]);
    expect(appResource(stack).resources).toContainEqual(
      expect.objectContaining({ serving_endpoint: { name: "support-agent", permission: "CAN_QUERY" } }),
    );
  });
});
