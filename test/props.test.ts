import {
  AgentAuthPolicy,
  AgentConfigError,
  AgentServingEndpoint,
  GenieResourceBundle,
  SecretRef,
  SqlWarehouse,
  UcTable,
  VectorSearchIndex,
} from "../lib";
import { agent, newStack, thrown, WAREHOUSE_ID } from "./helpers";

describe("malformed props fail at once, listing every problem with path, prop, received, allowed and fix", () => {
  test("GenieResourceBundle: bad space id, bad table names and an unknown prop in one error", () => {
    const s = newStack();
    const msg = thrown(
      () =>
        new GenieResourceBundle(s, "Cost", {
          domain: "cost",
          spaceId: "not-a-space",
          warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
          tables: ["main.billing", "main.billing.usage", "a b.c.d"],
          tabels: [],
        } as never),
    );
    expect(msg).toContain("[DBA-CFG-001] test/Cost (prop tabels): unknown prop");
    expect(msg).toContain("allowed:  domain, spaceId, warehouse, tables, functions, interface");
    // zod refuses the unknown key before format checks: fix it and the next problems appear together.
    const msg2 = thrown(
      () =>
        new GenieResourceBundle(s, "Cost2", {
          domain: "cost",
          spaceId: "not-a-space",
          warehouse: SqlWarehouse.fromId("Starter Warehouse"),
          tables: ["main.billing", "main.billing.usage", "a b.c.d"],
        }),
    );
    expect(msg2).toMatch(/^4 problems in the declared props/);
    expect(msg2).toContain(
      '[DBA-CFG-001] test/Cost2 (prop spaceId): is not a Genie space id\n    received: "not-a-space"',
    );
    expect(msg2).toContain("[DBA-CFG-002] test/Cost2 (prop warehouse)");
    expect(msg2).toContain("[DBA-CFG-002] test/Cost2 (prop tables[0]): table name has 2 parts, not 3");
    expect(msg2).toContain("[DBA-CFG-002] test/Cost2 (prop tables[2])");
    expect(msg2).not.toContain("tables[1]");
  });

  test("a valid bundle constructs", () => {
    const s = newStack();
    expect(
      thrown(
        () =>
          new GenieResourceBundle(s, "Cost", {
            domain: "cost",
            spaceId: "01f0c0ffee0000000000000000000001",
            warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
            tables: ["main.billing.usage"],
          }),
      ),
    ).toBe("");
  });

  test("AgentServingEndpoint: wrong types are reported together; secrets are never echoed", () => {
    const s = newStack();
    const e = (() => {
      try {
        new AgentServingEndpoint(s, "Agent", {
          name: "agent",
          model: { name: "main.agents.a", version: "1" },
          workloadSize: "Huge",
          scaleToZero: "yes",
          secrets: { OPENAI_API_KEY: "sk-live-0123456789abcdefghijklmnop" },
        } as never);
      } catch (err) {
        return err as AgentConfigError;
      }
      throw new Error("expected an error");
    })();
    expect(e).toBeInstanceOf(AgentConfigError);
    expect(e.problems.map((p) => p.prop)).toEqual(["workloadSize", "scaleToZero", "secrets.OPENAI_API_KEY"]);
    expect(e.message).not.toContain("sk-live");
    expect(e.message).toContain("<redacted, 34 characters>");
    expect(e.message).toContain("SecretRef.of(scope, key)");
    for (const p of e.problems) {
      expect(p.path).toBe("test/Agent");
      expect(p.allowed).toBeTruthy();
      expect(p.fix).toBeTruthy();
    }
  });

  test("AgentServingEndpoint: neither model nor servedEntities, and several entities without traffic", () => {
    const s = newStack();
    expect(thrown(() => new AgentServingEndpoint(s, "A", { name: "a" }))).toContain(
      "neither model nor servedEntities is given",
    );
    expect(
      thrown(
        () =>
          new AgentServingEndpoint(s, "B", {
            name: "b",
            servedEntities: [
              { name: "x", model: { name: "main.a.b", version: "1" } },
              { name: "y", model: { name: "main.a.b", version: "2" } },
            ],
          }),
      ),
    ).toContain('add traffic: { "x": <percent>, "y": <percent> }');
  });

  test("AgentAuthPolicy: malformed dependencies are named by list and index", () => {
    const s = newStack();
    const msg = thrown(
      () =>
        new AgentAuthPolicy(s, "Policy", {
          system: [UcTable.fromName("orders")],
          onBehalfOfUser: [VectorSearchIndex.fromName("main.docs.idx", { endpointName: "" })],
        }),
    );
    expect(msg).toContain("(prop system[0] table name)");
    expect(msg).toContain("(prop onBehalfOfUser[0] vector search endpoint name)");
  });

  test("AgentAuthPolicy: something that is not a dependency", () => {
    const s = newStack();
    expect(
      thrown(() => new AgentAuthPolicy(s, "Policy", { system: ["databricks-claude" as never] })),
    ).toContain("[DBA-CFG-001] test/Policy (prop system[0]): is not a dependency");
  });

  test("a SecretRef with a bad scope is refused without echoing anything secret", () => {
    const s = newStack();
    const msg = thrown(() => SecretRef.of("bad scope", "k"));
    expect(msg).toContain("[DBA-CFG-001] SecretRef.of (prop scope): the secret scope is not a valid name");
    expect(msg).toContain("received: <redacted, 9 characters>");
    expect(msg).not.toContain("bad scope");
    expect(thrown(() => agent(s, { endpoint: { secrets: { X_TOKEN: SecretRef.of("agents", "x") } } }))).toBe(
      "",
    );
  });
});
