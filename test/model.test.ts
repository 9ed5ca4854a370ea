import {
  closestScope,
  classifyScope,
  compareVersionsForTest,
  escape,
  parseUcName,
  Principal,
  SecretRef,
} from "./model-exports";
import { show } from "../lib/model/problem";

describe("model", () => {
  test("principals: emails and application ids are lower-cased, groups kept exact", () => {
    expect(Principal.user(" Alice@Example.COM ").name).toBe("alice@example.com");
    expect(Principal.group("FinOps Analysts").name).toBe("FinOps Analysts");
    expect(Principal.servicePrincipal("6F1C2A3B-4D5E-4F60-8A9B-0C1D2E3F4A5B").name).toBe(
      "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b",
    );
  });

  test("UC names need three clean parts", () => {
    expect(parseUcName("main.sales.orders")).toEqual({
      catalog: "main",
      schema: "sales",
      object: "orders",
      full: "main.sales.orders",
    });
    expect(parseUcName("main.sales")).toBe("has 2 parts, not 3");
    expect(parseUcName("main..orders")).toBe("has an empty part");
    expect(parseUcName("main.sa les.orders")).toContain("space");
    expect(parseUcName("${TfToken[TOKEN.1]}")).toContain("unresolved Terraform reference");
  });

  test("scope catalog: accepted, Apps-only, unknown with the closest suggestion, escape hatch", () => {
    expect(classifyScope("mcp.genie")).toBe("accepted");
    expect(classifyScope("catalog.tables:read")).toBe("apps-only");
    expect(classifyScope("dashbords.genie")).toBe("unknown");
    expect(closestScope("dashbords.genie")).toBe("dashboards.genie");
    expect(closestScope("sql.warehouse")).toBe("sql.warehouses");
    expect(classifyScope("newapi.things", ["newapi.things"])).toBe("accepted");
  });

  test("versions compare numerically", () => {
    expect(compareVersionsForTest("2.22.1", "2.9.0")).toBeGreaterThan(0);
    expect(compareVersionsForTest("3.3.2", "3.3.2")).toBe(0);
    expect(compareVersionsForTest("2.17", "2.17.1")).toBeLessThan(0);
  });

  test("template sequences are escaped in literals, tokens kept", () => {
    expect(escape("a ${b} %{c}")).toBe("a $${b} %%{c}");
    expect(escape("x-${TfToken[TOKEN.12]}-${y}")).toBe("x-${TfToken[TOKEN.12]}-$${y}");
    expect(escape("plain")).toBe("plain");
  });

  test("secret references", () => {
    expect(SecretRef.of("agents", "openai").toString()).toBe("{{secrets/agents/openai}}");
    expect(SecretRef.parse("{{secrets/a/b}}")?.key).toBe("b");
    expect(SecretRef.parse("plain")).toBeUndefined();
  });
});

describe("show (values in messages)", () => {
  const token = "${TfToken[TOKEN.123]}";
  test("a long value is cut before a Terraform reference, never inside it", () => {
    const text = show(["x".repeat(60), token, "y".repeat(30)]);
    expect(text.endsWith("...")).toBe(true);
    expect(text).not.toContain("TfToken");
    expect(text.length).toBeLessThanOrEqual(80);
  });
  test("a reference that fits is kept whole (silent case)", () => {
    expect(show(["a", token])).toBe(`["a","${token}"]`);
  });
});
