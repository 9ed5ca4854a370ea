// Declarations that used to depend on an accident: MLflow directories two endpoints shared (one file
// silently overwriting the other), variables set twice (one value silently dropped), values accepted at
// synth that fail at apply (an unknown workload type, one endpoint name in two stacks).
import { createHash } from "crypto";
import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Construct } from "constructs";
import {
  AgentServingEndpoint,
  AgentStackContext,
  AgentTesting,
  SecretRef,
  type AgentAuthPolicy,
} from "../lib";
import { ENGINES } from "../lib/engine/compat";
import { ENGINE_NAME } from "../lib/engine/current";
import { workloadTypesFor } from "../lib/model/workload-types";
import { agent, newStack, synthError, thrown, type AgentOptions } from "./helpers";

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
    expect(Object.fromEntries(out.report.endpoints.map((e) => [e.path, e.mlflowKey]))).toEqual({
      "test/Agent": "sales-agent",
      "test/Literal": "test-x-y",
      "test/x-y": `test-x-y-${hash8("test/x-y")}`,
      "test/x/y": `test-x-y-${hash8("test/x/y")}`,
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

describe("DBA-EP-006: every variable is set once, whoever sets it", () => {
  const secret = SecretRef.of("agents", "space");
  const twoEntities = (environment: Record<string, string>) => ({
    model: undefined,
    servedEntities: [
      { name: "a", model: { name: "main.agents.sales_agent", version: "3" }, environment },
      { name: "b", model: { name: "main.agents.sales_agent", version: "4" } },
    ],
    traffic: { a: 50, b: 50 },
  });
  const fires: [string, AgentOptions, string[]][] = [
    [
      'the OBO flag named like a Genie space variable (it replaced the space id with "true")',
      { endpoint: { oboFlagEnvVar: "SALES_GENIE_SPACE_ID" } },
      [
        "[DBA-EP-006] test/Agent (prop oboFlagEnvVar)",
        'by the library: the OBO flag (oboFlagEnvVar, set to "true")',
        "by the library: GenieResourceBundle test/SalesGenie (its space id)",
        "give oboFlagEnvVar a name no Genie bundle uses",
      ],
    ],
    [
      "a secret named like a Genie space variable (it was dropped)",
      { endpoint: { secrets: { SALES_GENIE_SPACE_ID: secret } } },
      [
        "[DBA-EP-006] test/Agent (prop secrets.SALES_GENIE_SPACE_ID)",
        "set in secrets.SALES_GENIE_SPACE_ID and also by the library: GenieResourceBundle test/SalesGenie",
        "remove SALES_GENIE_SPACE_ID from secrets",
      ],
    ],
    [
      "a secret named like the OBO flag",
      { endpoint: { secrets: { DATABRICKS_USE_IDENTITY_PASSTHROUGH: secret } } },
      ["(prop secrets.DATABRICKS_USE_IDENTITY_PASSTHROUGH)", "the OBO flag (oboFlagEnvVar"],
    ],
    [
      "a served entity's variable named like a managed one",
      { endpoint: twoEntities({ SALES_GENIE_SPACE_ID: "x" }) },
      [
        "(prop servedEntities.a.environment.SALES_GENIE_SPACE_ID)",
        "also by the library: GenieResourceBundle test/SalesGenie",
      ],
    ],
    [
      "a served entity's variable named like a secret",
      { endpoint: { ...twoEntities({ REGION: "eu" }), secrets: { REGION: secret } } },
      ["(prop servedEntities.a.environment.REGION)", "and also in secrets.REGION"],
    ],
  ];
  test.each(fires)("fires on %s, naming both sides", (_what, options, says) => {
    const s = newStack();
    agent(s, options);
    const msg = synthError(s);
    for (const text of says) expect(msg).toContain(text);
  });

  const silent: [string, AgentOptions][] = [
    ["an OBO flag of its own name", { endpoint: { oboFlagEnvVar: "AGENT_OBO" } }],
    [
      "the OBO flag named like a Genie variable when nothing is on behalf of the user (no flag is set)",
      { policy: (b) => ({ system: [b] }), endpoint: { oboFlagEnvVar: "SALES_GENIE_SPACE_ID" } },
    ],
    [
      "a served entity overriding the endpoint's own variable",
      { endpoint: { ...twoEntities({ REGION: "us" }), environment: { REGION: "eu" } } },
    ],
    [
      "distinct secrets and variables",
      { endpoint: { secrets: { SPACE_TOKEN_REF: secret }, environment: { REGION: "eu" } } },
    ],
  ];
  test.each(silent)("is silent on %s", (_what, options) => {
    const s = newStack();
    agent(s, options);
    expect(synthError(s)).not.toContain("DBA-EP-006");
  });
});

describe("workloadType: the types the bound provider's Model Serving lists, or a reference", () => {
  const accepted = workloadTypesFor(ENGINES[ENGINE_NAME].provider);
  const build = (endpoint: AgentOptions["endpoint"]) => () => agent(newStack(), { endpoint });

  test("an unknown type fails at construction (it passed plan and failed at apply), naming what is allowed", () => {
    const msg = thrown(build({ workloadType: "GPU_HUGE" }));
    expect(msg).toContain("[DBA-CFG-001] test/Agent (prop workloadType)");
    expect(msg).toContain(
      `is not a workload type Databricks provider ${ENGINES[ENGINE_NAME].provider} accepts`,
    );
    expect(msg).toContain('"MULTIGPU_MEDIUM"');
    expect(thrown(build({ workloadType: "gpu_small" }))).toContain("(prop workloadType)");
  });

  test("a served entity's type is checked the same way", () => {
    const msg = thrown(
      build({
        model: undefined,
        servedEntities: [
          { name: "a", model: { name: "main.agents.sales_agent", version: "3" }, workloadType: "TPU" },
        ],
      }),
    );
    expect(msg).toContain("servedEntities");
    expect(msg).toContain("workloadType");
  });

  test("every listed type, and a Terraform reference, is accepted", () => {
    for (const t of accepted) expect(thrown(build({ workloadType: t }))).toBe("");
    const s = newStack();
    const type = new TerraformVariable(s, "workload_type", { type: "string" });
    agent(s, { endpoint: { workloadType: type.stringValue } });
    expect(synthError(s)).toBe("");
  });

  test("types newer than provider 1.99 are accepted only by the flavour whose provider has them", () => {
    expect(workloadTypesFor("1.99.0")).toEqual([
      "CPU",
      "GPU_SMALL",
      "GPU_MEDIUM",
      "GPU_LARGE",
      "MULTIGPU_MEDIUM",
    ]);
    expect(workloadTypesFor("1.132.0")).toContain("GPU_XLARGE_8");
    expect(thrown(build({ workloadType: "GPU_XLARGE" })) === "").toBe(accepted.includes("GPU_XLARGE"));
  });
});

describe("DBA-EP-010: one endpoint name in two stacks of one app", () => {
  const stackIn = (app: App, id: string, host?: string): TerraformStack => {
    const s = new TerraformStack(app, id);
    new DatabricksProvider(s, "databricks", host === undefined ? {} : { host });
    return s;
  };

  test("fires in each stack, naming both", () => {
    const app = Testing.app();
    const a = stackIn(app, "a");
    const b = stackIn(app, "b");
    agent(a);
    agent(b);
    const msg = synthError(a);
    expect(msg).toContain("[DBA-EP-010] a/Agent (prop name)");
    expect(msg).toContain(
      'endpoint name "sales-agent" is declared by this stack (a/Agent) and by stack b (b/Agent)',
    );
    expect(synthError(b)).toContain("by stack a (a/Agent)");
  });

  test("fires when both providers name one host, however spelled", () => {
    const app = Testing.app();
    agent(stackIn(app, "a", "https://adb-1.azuredatabricks.net/"));
    const b = stackIn(app, "b", "adb-1.AzureDatabricks.net");
    agent(b);
    expect(synthError(b)).toContain("[DBA-EP-010] b/Agent");
  });

  const silent: [string, (app: App) => TerraformStack][] = [
    [
      "different names",
      (app) => {
        agent(stackIn(app, "a"));
        const b = stackIn(app, "b");
        agent(b, { endpoint: { name: "sales-agent-b" } });
        return b;
      },
    ],
    [
      "providers with different literal hosts (different workspaces)",
      (app) => {
        agent(stackIn(app, "a", "https://dev.cloud.databricks.com"));
        const b = stackIn(app, "b", "https://prod.cloud.databricks.com");
        agent(b);
        return b;
      },
    ],
    [
      "an acknowledgement with the reason",
      (app) => {
        agent(stackIn(app, "a"));
        const b = stackIn(app, "b");
        agent(b);
        AgentStackContext.of(b).acknowledge(
          b,
          "DBA-EP-010",
          "stack b deploys to the prod workspace, chosen by profile",
        );
        return b;
      },
    ],
    [
      "names from references (not known at synth)",
      (app) => {
        const a = stackIn(app, "a");
        agent(a, { endpoint: { name: new TerraformVariable(a, "n", { type: "string" }).stringValue } });
        const b = stackIn(app, "b");
        agent(b, { endpoint: { name: new TerraformVariable(b, "n", { type: "string" }).stringValue } });
        return b;
      },
    ],
  ];
  test.each(silent)("is silent with %s", (_what, build) => {
    expect(synthError(build(Testing.app()))).not.toContain("DBA-EP-010");
  });
});
