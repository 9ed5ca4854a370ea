// The kinds table (lib/model/resource-kinds.ts + lib/model/mlflow-kinds.json) and the securable types table
// (lib/model/securable-types.ts): their invariants, and that what reads them sees what it saw before.
import * as fs from "fs";
import * as path from "path";
import * as api from "../lib";
import { RESOURCE_KINDS, SCOPES_BY_ACCESS_PATH, type IAgentDependency } from "../lib";
import { foreignSecurableKey } from "../lib/grants/foreign";
import { parentGrants } from "../lib/grants/plan";
import { KindReference } from "../lib/model/kind-reference";
import { uc } from "../lib/model/securable";
import { bindingProperty, SECURABLE_TYPES, UC_SECURABLE_TYPES } from "../lib/model/securable-types";
import { isMlflowKind, type ResourceKind } from "../lib/model/resource-kinds";

const root = path.join(__dirname, "..");
const shared = JSON.parse(fs.readFileSync(path.join(root, "lib/model/mlflow-kinds.json"), "utf8")) as {
  kinds: Record<string, Record<string, string>>;
};

/** An instance of the reference classes in each variant, with valid names. */
const samples: IAgentDependency[] = [
  api.SqlWarehouse.fromId("4b9b953939869799"),
  api.SqlWarehouse.fromId("4b9b953939869799", { via: "mcp" }),
  api.ServingEndpoint.fromName("databricks-claude-sonnet-4"),
  api.VectorSearchIndex.fromName("main.docs.chunks", { endpointName: "vs" }),
  api.VectorSearchIndex.fromName("main.docs.chunks", {
    endpointName: "vs",
    embeddingEndpoint: api.ServingEndpoint.fromName("databricks-bge-large-en"),
  }),
  api.VectorSearchIndex.fromName("main.docs.chunks", { endpointName: "vs", via: "mcp" }),
  api.UcConnection.fromName("github"),
  api.UcConnection.fromName("github", { via: "mcp" }),
  api.UcFunction.fromName("main.tools.lookup"),
  api.UcFunction.fromName("main.tools.lookup", { via: "mcp" }),
  api.UcTable.fromName("main.sales.orders"),
  api.LakebaseInstance.fromName("agent-memory"),
  api.DatabricksApp.fromName("crm-app"),
  api.McpService.fromName("main.agents.jira_mcp"),
  api.LakebaseProject.fromName("agent-memory"),
  api.GenieSpace.fromId("01f0c0ffee0000000000000000000001"),
  api.GenieSpace.fromId("01f0c0ffee0000000000000000000001", { interface: "mcp" }),
  api.UcModelService.fromName("main.agents.chat_service"),
];

describe("the kinds table", () => {
  test("its MLflow columns are the shared data file's, in serialisation order (alphabetical)", () => {
    const keys = Object.keys(RESOURCE_KINDS);
    expect(keys).toEqual([...keys].sort());
    // The MLflow kinds are exactly the file's; the others say why MLflow cannot declare them.
    expect(keys.filter((k) => isMlflowKind(k as ResourceKind))).toEqual(Object.keys(shared.kinds));
    expect(keys.filter((k) => RESOURCE_KINDS[k as ResourceKind].noMlflowKind !== undefined)).toEqual([
      "knowledge_assistant",
      "lakebase_project",
      "mcp_service",
      "supervisor_agent",
    ]);
    for (const [key, row] of Object.entries(RESOURCE_KINDS)) {
      expect(row.key).toBe(key);
      if (!isMlflowKind(key as ResourceKind)) {
        expect(row.mlflowClass).toBeUndefined();
        expect(row.noMlflowKind).toMatch(/MLflow has no resource class/);
        continue;
      }
      const { mlflowClass, constructorArg, firstRelease, minMlflow, mlflowNote } = row;
      expect({ mlflowClass, constructorArg, firstRelease, minMlflow, mlflowNote }).toEqual(shared.kinds[key]);
    }
  });

  test("the Python package reads the same file, not a copy", () => {
    const kinds = fs.readFileSync(path.join(root, "python/databricks_agent_auth/kinds.py"), "utf8");
    expect(kinds).toContain('/ "lib" / "model" / "mlflow-kinds.json"');
    const policy = fs.readFileSync(path.join(root, "python/databricks_agent_auth/policy.py"), "utf8");
    expect(policy).not.toMatch(/ResourceKind\("/);
    expect(fs.existsSync(path.join(root, "python/databricks_agent_auth/mlflow-kinds.json"))).toBe(false);
  });

  test("every row names known securable types, access paths and a target for each variant", () => {
    for (const row of Object.values(RESOURCE_KINDS)) {
      expect(row.label).not.toBe("");
      expect(row.names.length).toBeGreaterThan(0);
      for (const a of row.access) {
        const types: Record<string, unknown> =
          SECURABLE_TYPES[a.securable.family === "uc" ? "uc" : "workspace"];
        expect(types[a.securable.type]).toBeDefined();
      }
      for (const variant of Object.values(row.obo)) {
        const reach = variant.modelServing;
        if ("paths" in reach) {
          expect(reach.paths.length).toBeGreaterThan(0);
          for (const p of reach.paths) expect(SCOPES_BY_ACCESS_PATH[p]).toBeDefined();
        } else expect(reach.unsupported).toMatch(/declare it|call them|query them/);
      }
    }
  });

  test("deployerNeeds is gone: access per role is the one source", () => {
    for (const row of Object.values(RESOURCE_KINDS)) expect(row).not.toHaveProperty("deployerNeeds");
  });

  test("every role needs the same on every kind today (the endpoint does not pass the role yet)", () => {
    for (const row of Object.values(RESOURCE_KINDS))
      for (const a of row.access) expect(a.consumer).toBe(a.deployer);
  });

  test("every kind has exactly one exported reference class", () => {
    // Each exported subclass of KindReference says which row it is; read it without knowing a valid name.
    const fields = { id: "x", name: "x", indexName: "x", options: {}, via: undefined, iface: undefined };
    // Aliases (AiSearchIndex, GenieAgent) are the same class under a second name: count each class once.
    const kinds = [...new Set(Object.values(api) as unknown[])]
      .filter((v): v is { prototype: unknown } => typeof v === "function")
      .map((c) => c.prototype)
      .filter((p): p is KindReference => p instanceof KindReference)
      .map((p) => (p as unknown as { kindReference(): { kind: string } }).kindReference.call(fields).kind);
    expect([...kinds].sort()).toEqual(Object.keys(api.DEPENDENCY_KINDS));
    expect(api).not.toHaveProperty("KindReference");
  });

  test("the classes read their row: key, description, no problems for valid names, the same access per role", () => {
    for (const d of samples) {
      expect(d).toBeInstanceOf(KindReference);
      const [resource] = d.systemResources();
      expect(d.dependencyKey).toBe(`${resource!.kind}:${resource!.name}`);
      expect(d.description).toBe(`${RESOURCE_KINDS[resource!.kind].label} ${resource!.name}`);
      expect(d.problems()).toEqual([]);
      for (const role of ["deployer", "consumer"] as const)
        expect(d.accessNeeds(role)).toEqual(d.accessNeeds());
    }
  });
});

describe("the securable types table", () => {
  test("grant realisation and the grant rules read the same facts as before the table", () => {
    // What the realiser and the rules read: the UC API type and binding property, and for workspace
    // objects the API facts with the databricks_permissions attribute only where an ACL is possible.
    const UC_SECURABLE = Object.fromEntries(
      Object.entries(SECURABLE_TYPES.uc).map(([k, t]) => [
        k,
        { apiType: t.apiType, terraformAttribute: bindingProperty(t.terraformAttribute) },
      ]),
    );
    const PERMISSIONS_OBJECT = Object.fromEntries(
      Object.entries(SECURABLE_TYPES.workspace).map(([k, t]) => [
        k,
        {
          apiType: t.apiType,
          ...(t.lookup ? { lookup: t.lookup } : {}),
          ...(t.terraformAttribute !== undefined && t.authoritativeAcl !== "never"
            ? { terraformAttribute: t.terraformAttribute }
            : {}),
          levels: t.levels,
        },
      ]),
    );
    expect(UC_SECURABLE).toEqual({
      catalog: { apiType: "catalog", terraformAttribute: "catalog" },
      schema: { apiType: "schema", terraformAttribute: "schema" },
      table: { apiType: "table", terraformAttribute: "table" },
      function: { apiType: "function", terraformAttribute: "function" },
      model: { apiType: "function", terraformAttribute: "model" },
      foreign_connection: { apiType: "connection", terraformAttribute: "foreignConnection" },
      model_service: { apiType: "model_service", terraformAttribute: "modelService" },
      mcp_service: { apiType: "mcp_service", terraformAttribute: "mcpService" },
    });
    expect(PERMISSIONS_OBJECT).toStrictEqual({
      sql_warehouse: {
        apiType: "warehouses",
        terraformAttribute: "sql_endpoint_id",
        levels: ["CAN_VIEW", ["CAN_MONITOR", "CAN_USE"], "CAN_MANAGE", "IS_OWNER"],
      },
      genie_space: {
        apiType: "genie",
        levels: ["CAN_VIEW", "CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"],
      },
      serving_endpoint: {
        apiType: "serving-endpoints",
        lookup: ["serving-endpoints", "get"],
        terraformAttribute: "serving_endpoint_id",
        levels: ["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"],
      },
      vector_search_endpoint: {
        apiType: "vector-search-endpoints",
        lookup: ["vector-search-endpoints", "get-endpoint"],
        levels: ["CAN_USE", "CAN_MANAGE"],
      },
      database_instance: {
        apiType: "database-instances",
        terraformAttribute: "database_instance_name",
        levels: ["CAN_USE", "CAN_MANAGE"],
      },
      app: { apiType: "apps", terraformAttribute: "app_name", levels: ["CAN_USE", "CAN_MANAGE"] },
      knowledge_assistant: {
        apiType: "knowledge-assistants",
        terraformAttribute: "knowledge_assistant_id",
        levels: ["CAN_QUERY", "CAN_MANAGE"],
      },
      supervisor_agent: {
        apiType: "supervisor-agents",
        terraformAttribute: "supervisor_agent_id",
        levels: ["CAN_QUERY", "CAN_MANAGE"],
      },
      database_project: {
        apiType: "database-projects",
        terraformAttribute: "database_project_name",
        levels: ["CAN_USE", "CAN_MANAGE"],
      },
    });
  });

  test("foreign grant and permissions resources are recognised by every attribute in the table", () => {
    const owned = new Map([["${databricks_model_serving.a.serving_endpoint_id}", "ws:serving_endpoint:a"]]);
    for (const type of UC_SECURABLE_TYPES)
      expect(foreignSecurableKey({ [SECURABLE_TYPES.uc[type].terraformAttribute]: "a.b.c" }, owned)).toBe(
        `uc:${type}:a.b.c`,
      );
    expect(foreignSecurableKey({ sql_endpoint_id: "w" }, owned)).toBe("ws:sql_warehouse:w");
    expect(foreignSecurableKey({ vector_search_endpoint_id: "v" }, owned)).toBe(
      "ws:vector_search_endpoint:v",
    );
    expect(foreignSecurableKey({ database_instance_name: "d" }, owned)).toBe("ws:database_instance:d");
    expect(foreignSecurableKey({ app_name: "x" }, owned)).toBe("ws:app:x");
    expect(foreignSecurableKey({ serving_endpoint_id: "e" }, owned)).toBe("ws:serving_endpoint:e");
    expect(foreignSecurableKey({ serving_endpoint_id: [...owned.keys()][0]! }, owned)).toBe(
      "ws:serving_endpoint:a",
    );
    expect(foreignSecurableKey({ principal: "x" }, owned)).toBeUndefined();
  });

  test("parents come from the table", () => {
    const names = (type: Parameters<typeof uc>[0], name: string) =>
      parentGrants(uc(type, name)).map((p) => `${p.privilege} ${(p.securable as { name: string }).name}`);
    expect(names("catalog", "main")).toEqual([]);
    expect(names("schema", "main.s")).toEqual(["USE_CATALOG main"]);
    expect(names("foreign_connection", "c")).toEqual([]);
    for (const type of ["table", "function", "model", "model_service"] as const)
      expect(names(type, "main.s.o")).toEqual(["USE_CATALOG main", "USE_SCHEMA main.s"]);
    expect(names("table", "main.s")).toEqual([]);
  });

  test("binding properties are the attributes in camelCase", () => {
    expect(bindingProperty("foreign_connection")).toBe("foreignConnection");
    expect(bindingProperty("sql_endpoint_id")).toBe("sqlEndpointId");
    expect(bindingProperty("catalog")).toBe("catalog");
  });
});
