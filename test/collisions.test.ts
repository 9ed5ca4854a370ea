// Declarations that used to depend on an accident: MLflow directories two endpoints shared (one file
// silently overwriting the other), variables set twice (one value silently dropped), values accepted at
// synth that fail at apply (an unknown workload type, one endpoint name in two stacks).
import { createHash } from "crypto";
import { TerraformVariable, type TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AgentServingEndpoint, AgentTesting, type AgentAuthPolicy } from "../lib";
import { agent, newStack } from "./helpers";

const hash8 = (p: string): string => createHash("sha256").update(p).digest("hex").slice(0, 8);

/** One more endpoint of the sales agent, under `scope`, named `name`. */
const endpoint = (scope: Construct, id: string, name: string, policy: AgentAuthPolicy) =>
  new AgentServingEndpoint(scope, id, {
    name,
    model: { name: "main.agents.sales_agent", version: "3" },
    authPolicy: policy,
  });

describe("MLflow directories are one per endpoint", () => {
  /** Endpoints at test/x-y and test/x/y named by variables, and one named test-x-y, in the given order. */
  const build = (order: readonly string[]): TerraformStack => {
    const s = newStack();
    const { policy } = agent(s);
    const x = new Construct(s, "x");
    const named = (v: string) => new TerraformVariable(s, v, { type: "string" }).stringValue;
    const make: Record<string, () => unknown> = {
      dash: () => endpoint(s, "x-y", named("dash_name"), policy),
      nested: () => endpoint(x, "y", named("nested_name"), policy),
      literal: () => endpoint(s, "Literal", "test-x-y", policy),
    };
    for (const k of order) make[k]!();
    return s;
  };

  test("paths that escape alike and a name equal to them get distinct directories; the literal name keeps its own", () => {
    const out = AgentTesting.synth(build(["dash", "nested", "literal"]));
    expect(Object.keys(out.mlflow).sort()).toEqual(
      ["sales-agent", "test-x-y", `test-x-y-${hash8("test/x-y")}`, `test-x-y-${hash8("test/x/y")}`].sort(),
    );
    expect(out.mlflow["test-x-y"]!.metadata.endpoint_name).toBe("test-x-y");
    expect(out.mlflow[`test-x-y-${hash8("test/x/y")}`]!.metadata.endpoint_name).toBe("${var.nested_name}");
    expect(Object.fromEntries(out.report.endpoints.map((e) => [e.path, e.mlflowDir]))).toEqual({
      "test/Agent": "mlflow/sales-agent",
      "test/Literal": "mlflow/test-x-y",
      "test/x-y": `mlflow/test-x-y-${hash8("test/x-y")}`,
      "test/x/y": `mlflow/test-x-y-${hash8("test/x/y")}`,
    });
  });

  test("the directories do not depend on the declaration order", () => {
    const a = AgentTesting.synth(build(["dash", "nested", "literal"]));
    const b = AgentTesting.synth(build(["literal", "nested", "dash"]));
    expect(b.report.endpoints).toEqual(a.report.endpoints);
    expect(Object.keys(b.mlflow).sort()).toEqual(Object.keys(a.mlflow).sort());
  });

  test("an endpoint named by a reference that shares its directory with nobody keeps its construct path's name", () => {
    const out = AgentTesting.synth(build(["nested"]));
    expect(Object.keys(out.mlflow).sort()).toEqual(["sales-agent", "test-x-y"]);
  });

  test("names that differ only in case get distinct directories (case-insensitive file systems)", () => {
    const s = newStack();
    const { policy } = agent(s);
    endpoint(s, "Upper", "Sales-Agent", policy);
    const dirs = Object.keys(AgentTesting.synth(s).mlflow).sort();
    expect(dirs).toEqual(["sales-agent", `Sales-Agent-${hash8("test/Upper")}`].sort());
  });
});
