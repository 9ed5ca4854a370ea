import {
  AgentAuthPolicy,
  DatabricksApp,
  GenieSpace,
  LakebaseInstance,
  ServingEndpoint,
  SqlWarehouse,
  UcConnection,
  UcFunction,
  UcTable,
  VectorSearchIndex,
} from "../lib";
import { agent, newStack } from "./helpers";

const llm = ServingEndpoint.fromName("databricks-claude-sonnet-4");

describe("AgentAuthPolicy", () => {
  test("system mode implies the Genie space, its warehouse, tables and functions, in MLflow's to_dict form", () => {
    const s = newStack();
    const { policy } = agent(s, {
      bundle: { functions: ["main.sales.top_customers"] },
      policy: (b) => ({ system: [llm, b] }),
    });
    expect(policy.toMlflowDict()).toEqual({
      system_auth_policy: {
        resources: {
          api_version: "1",
          databricks: {
            function: [{ name: "main.sales.top_customers" }],
            genie_space: [{ name: "01f0c0ffee0000000000000000000001" }],
            serving_endpoint: [{ name: "databricks-claude-sonnet-4" }],
            sql_warehouse: [{ name: "4b9b953939869799" }],
            table: [{ name: "main.sales.orders" }],
          },
        },
      },
      user_auth_policy: {},
    });
    expect(JSON.stringify(Object.keys(policy.toMlflowDict().system_auth_policy.resources!.databricks))).toBe(
      '["function","genie_space","serving_endpoint","sql_warehouse","table"]',
    );
  });

  test("OBO only: empty system side, derived minimal scopes", () => {
    const s = newStack();
    const { policy } = agent(s, { policy: (b) => ({ onBehalfOfUser: [b] }) });
    expect(policy.toMlflowDict()).toEqual({
      system_auth_policy: {},
      user_auth_policy: { api_scopes: ["dashboards.genie"] },
    });
  });

  test.each([
    [
      "Genie over MCP",
      (s: ReturnType<typeof newStack>) =>
        agent(s, { bundle: { interface: "mcp" }, policy: (b) => ({ onBehalfOfUser: [b] }) }).policy,
      ["mcp.genie"],
    ],
    [
      "SQL warehouse",
      (s: ReturnType<typeof newStack>) =>
        new AgentAuthPolicy(s, "P", { onBehalfOfUser: [SqlWarehouse.fromId("4b9b953939869799")] }),
      ["sql.statement-execution", "sql.warehouses"],
    ],
    [
      "SQL over MCP",
      (s: ReturnType<typeof newStack>) =>
        new AgentAuthPolicy(s, "P", {
          onBehalfOfUser: [SqlWarehouse.fromId("4b9b953939869799", { via: "mcp" })],
        }),
      ["mcp.sql", "sql.statement-execution", "sql.warehouses"],
    ],
    [
      "vector search with managed embeddings",
      (s: ReturnType<typeof newStack>) =>
        new AgentAuthPolicy(s, "P", {
          onBehalfOfUser: [
            VectorSearchIndex.fromName("main.docs.idx", {
              endpointName: "vs",
              embeddingEndpoint: ServingEndpoint.fromName("databricks-bge-large-en"),
            }),
          ],
        }),
      [
        "serving.serving-endpoints",
        "vectorsearch.vector-search-endpoints",
        "vectorsearch.vector-search-indexes",
      ],
    ],
    [
      "vector search",
      (s: ReturnType<typeof newStack>) =>
        new AgentAuthPolicy(s, "P", {
          onBehalfOfUser: [VectorSearchIndex.fromName("main.docs.idx", { endpointName: "vs" })],
        }),
      ["vectorsearch.vector-search-endpoints", "vectorsearch.vector-search-indexes"],
    ],
    [
      "UC connection",
      (s: ReturnType<typeof newStack>) =>
        new AgentAuthPolicy(s, "P", { onBehalfOfUser: [UcConnection.fromName("github")] }),
      ["catalog.connections", "serving.serving-endpoints"],
    ],
    [
      "external MCP",
      (s: ReturnType<typeof newStack>) =>
        new AgentAuthPolicy(s, "P", { onBehalfOfUser: [UcConnection.fromName("github", { via: "mcp" })] }),
      ["mcp.external"],
    ],
    [
      "UC function over MCP",
      (s: ReturnType<typeof newStack>) =>
        new AgentAuthPolicy(s, "P", {
          onBehalfOfUser: [UcFunction.fromName("main.tools.lookup", { via: "mcp" })],
        }),
      ["mcp.functions"],
    ],
    [
      "serving endpoint",
      (s: ReturnType<typeof newStack>) => new AgentAuthPolicy(s, "P", { onBehalfOfUser: [llm] }),
      ["serving.serving-endpoints"],
    ],
    [
      "app",
      (s: ReturnType<typeof newStack>) =>
        new AgentAuthPolicy(s, "P", { onBehalfOfUser: [DatabricksApp.fromName("crm-app")] }),
      ["apps.apps"],
    ],
  ])("derives the minimal scopes for %s", (_name, build, scopes) => {
    expect(build(newStack()).apiScopes).toEqual(scopes);
  });

  test("minimum MLflow version and pip requirements follow the declarations", () => {
    const s = newStack();
    const systemOnly = new AgentAuthPolicy(s, "A", { system: [llm] });
    expect(systemOnly.minMlflowVersion).toBe("2.21.0");
    expect(systemOnly.pipRequirements).toEqual(["databricks-sdk>=0.49.0", "mlflow>=2.21.0"]);
    const obo = new AgentAuthPolicy(s, "B", { onBehalfOfUser: [llm] });
    expect(obo.minMlflowVersion).toBe("2.22.1");
    expect(obo.pipRequirements).toContain("databricks-ai-bridge>=0.6.0");
    const lakebase = new AgentAuthPolicy(s, "C", {
      system: [LakebaseInstance.fromName("memory"), UcTable.fromName("main.a.b")],
    });
    expect(lakebase.minMlflowVersion).toBe("3.3.2");
    // REFERENCE.md says 2.22.1 (unconfirmed); the released wheels show DatabricksApp first in 3.1.0.
    expect(
      new AgentAuthPolicy(s, "D", { system: [DatabricksApp.fromName("crm-app")] }).minMlflowVersion,
    ).toBe("3.1.0");
  });

  test("a dependency listed twice in one mode counts once; order of declaration does not matter", () => {
    const a = newStack();
    const pa = new AgentAuthPolicy(a, "P", { system: [llm, UcTable.fromName("main.a.b"), llm] });
    const b = newStack();
    const pb = new AgentAuthPolicy(b, "P", { system: [UcTable.fromName("main.a.b"), llm] });
    expect(JSON.stringify(pa.toMlflowDict())).toBe(JSON.stringify(pb.toMlflowDict()));
    expect(pa.dependencies).toHaveLength(2);
  });

  test("a bare Genie space is fine on behalf of the user", () => {
    const s = newStack();
    expect(
      new AgentAuthPolicy(s, "P", { onBehalfOfUser: [GenieSpace.fromId("01f0c0ffee0000000000000000000009")] })
        .apiScopes,
    ).toEqual(["dashboards.genie"]);
  });
});

describe("lists derived once at construction", () => {
  test("each read of a policy's dependency lists, derived scopes and a bundle's access needs is its own copy", () => {
    const s = newStack();
    const { bundle, policy } = agent(s, { policy: (b) => ({ system: [llm, b], onBehalfOfUser: [b] }) });
    const reads = {
      system: () => policy.systemDependencies.map((d) => d.dependencyKey),
      obo: () => policy.oboDependencies.map((d) => d.dependencyKey),
      bundles: () => policy.genieBundles.map((b) => b.node.path),
      needs: () => bundle.accessNeeds().map((n) => `${n.privilege} ${JSON.stringify(n.securable)}`),
      scopes: () => [...policy.derivedScopes],
      files: () => [policy.minMlflowVersion, ...policy.pipRequirements],
    };
    const first = Object.fromEntries(Object.entries(reads).map(([k, read]) => [k, read()]));
    expect(first.system).toEqual([
      "genie_space:01f0c0ffee0000000000000000000001",
      "serving_endpoint:databricks-claude-sonnet-4",
    ]);
    expect(first.obo).toEqual(["genie_space:01f0c0ffee0000000000000000000001"]);
    expect(first.bundles).toEqual(["test/SalesGenie"]);
    expect(first.scopes).toEqual(["dashboards.genie"]);
    expect(first.files).toEqual([
      "2.22.1",
      "databricks-ai-bridge>=0.6.0",
      "databricks-sdk>=0.49.0",
      "mlflow>=2.22.1",
    ]);
    expect(first.needs).toContain(
      'CAN_RUN {"family":"workspace","type":"genie_space","id":"01f0c0ffee0000000000000000000001"}',
    );
    // A caller emptying what it got changes nothing for the next reader.
    policy.systemDependencies.length = 0;
    policy.oboDependencies.length = 0;
    policy.genieBundles.length = 0;
    bundle.accessNeeds().length = 0;
    policy.derivedScopes.length = 0;
    expect(Object.fromEntries(Object.entries(reads).map(([k, read]) => [k, read()]))).toEqual(first);
  });
});
