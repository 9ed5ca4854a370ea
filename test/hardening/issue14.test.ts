/**
 * The inputs of issue 14, one by one, through the hardening suite's runners and oracles (so each
 * class has a deterministic case beside its property in fuzz.test.ts, B18-B24). Every case ends in
 * the library's refusal or in output that passes the oracles; which of the two is the fixer's choice.
 */
import { App, TerraformStack } from "cdktf";
import { readReport } from "../../lib/constructs/report-file";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { Construct } from "constructs";
import * as fs from "fs";
import * as path from "path";
import { AgentAuthPolicy, AgentServingEndpoint, AgentStackContext, GenieResourceBundle } from "../../lib";
import type { Scenario } from "./arbitraries";
import { cleanScratch, construct, freshOutdir, synthesize } from "./fuzz-kit";
import { resourceAddresses, runApp, runRefusedAfterSeed, runTesting, synthFiles } from "./stack-runner";
import { Materializer } from "./values";

afterAll(() => cleanScratch());

const BUNDLE = {
  domain: "sales",
  spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d01",
  warehouse: { $warehouse: "4b9b953939869799" },
  tables: ["main.sales.orders"],
};
const POLICY = {
  system: [{ $dep: { k: "bundle", i: 0 } }],
  onBehalfOfUser: [{ $dep: { k: "bundle", i: 0 } }],
};
const ENDPOINT = {
  name: "sales-agent",
  model: { name: "main.agents.sales_agent", version: "3" },
  authPolicy: { $policy: 0 },
  consumers: [{ $principal: ["group", "sales-readers"] }],
};
const HEX = "0123456789abcdef0123456789abcdef";

const stackOf = (parts: Partial<Scenario>): Scenario => ({
  chaos: 0,
  idStyle: "plain",
  bundles: [BUNDLE],
  policies: [POLICY],
  endpoints: [ENDPOINT],
  mutations: [],
  grantSettings: undefined,
  acknowledgements: [],
  manualGrants: [],
  ...parts,
});
const withEndpoint = (extra: Record<string, unknown>): Scenario =>
  stackOf({ endpoints: [{ ...ENDPOINT, ...extra }] });
/** Both runners: every file and message (app.synth) and the grant shape (Testing.synth). */
const run = (sc: Scenario): void => {
  runApp(sc);
  runTesting(sc);
};
const secret = (core: string) => ({ $secretLit: core });

describe("B18: credentials inside a value, anywhere", () => {
  const values: [string, unknown][] = [
    ["Bearer dapi…", { $cat: ["Bearer ", secret(`dapi${HEX}`)] }],
    ["a PAT with -2", { $cat: [secret(`dapi${HEX}`), "-2"] }],
    ["JSON with a token", { $cat: ['{"token":"', secret(`dapi${HEX}`), '"}'] }],
    ["postgres URL", { $cat: ["postgres://agent:", secret("Sup3rS3cretPassw0rd"), "@db.example.com/sales"] }],
    ["two tokens", { $cat: [secret(`dapi${HEX}`), " ", secret(`dose${HEX}`)] }],
    ["github_pat_", { $cat: [secret(`github_pat_11ABCDEFG0123456789abc_${"x".repeat(59)}`)] }],
    ["AIza", { $cat: [secret(`AIza${"SyA".repeat(11)}xy`)] }],
  ];
  test.each(values)("%s in environment, tags (key and value) and the description", (_, v) => {
    run(withEndpoint({ environment: { LOG_LEVEL: v } }));
    run(withEndpoint({ tags: { $entries: [[v, "x"]] } }));
    run(withEndpoint({ tags: { owner: v } }));
    run(withEndpoint({ description: v }));
  });
  test.each(values)("%s as a construct id, a traffic key and a SecretRef scope", (_, v) => {
    run({ ...withEndpoint({}), endpointIds: [v] });
    const { model, ...rest } = ENDPOINT;
    run(
      stackOf({
        endpoints: [{ ...rest, servedEntities: [{ name: v, model }], traffic: { $entries: [[v, 100]] } }],
      }),
    );
    run(withEndpoint({ secrets: { OPENAI_API_KEY: { $secretRef: [v, "k0123456789"] } } }));
  });
  test("a SecretRef given to the description is refused without its scope or key", () => {
    run(withEndpoint({ description: { $secretRef: [secret("scope0123456789"), secret("key0123456789x")] } }));
  });
});

describe("B19: all or nothing across stacks", () => {
  const stack = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    sc: withEndpoint({ name: `${id}-agent`, description: "second run", ...extra }),
  });
  test("the second of three stacks broken, over a previous run of all three", () => {
    runRefusedAfterSeed(
      [stack("alpha"), stack("bravo"), stack("charlie")].map((s) => ({
        ...s,
        sc: withEndpoint({ name: `${s.id}-agent` }),
      })),
      [stack("alpha"), stack("bravo", { environment: { DATABRICKS_TOKEN: "x" } }), stack("charlie")],
      new Map([["bravo", "DBA-SEC-001"]]),
    );
  });
  test("two broken stacks are both named", () => {
    runRefusedAfterSeed(
      [{ id: "alpha", sc: withEndpoint({ name: "alpha-agent" }) }],
      [
        stack("alpha", { environment: { DATABRICKS_TOKEN: "x" } }),
        stack("bravo", { environment: { DATABRICKS_TOKEN: "y" } }),
      ],
      new Map([
        ["alpha", "DBA-SEC-001"],
        ["bravo", "DBA-SEC-001"],
      ]),
    );
  });
});

describe("B20: Terraform references", () => {
  const owned = { $shared: ["owned", { $principal: ["group", { $tf: "string" }] }] };
  const sc = stackOf({
    endpoints: [{ ...ENDPOINT, name: { $tf: "string" }, consumers: [owned] }],
    grantSettings: { ownedGrants: [{ securable: "table:main.sales.orders", principal: owned }] },
    acknowledgements: [
      { target: "stack", ruleId: "DBA-GRANT-001", reason: "the stack alone manages this grant" },
    ],
  });
  test("no raw token text in any file or message", () => run(sc));
  test("addresses do not change when an unrelated variable is declared first", () => {
    const a = synthFiles(sc);
    const b = synthFiles({ ...sc, unrelatedVariableFirst: true });
    expect(a.refusal).toBeUndefined();
    expect(resourceAddresses(b.files!.get("cdk.tf.json")!)).toEqual(
      resourceAddresses(a.files!.get("cdk.tf.json")!),
    );
  });
  test("endpoint-lock.json fed back to the program with an unrelated change gives no DBA-EP-008", () => {
    const lock = JSON.parse(synthFiles(sc).files!.get("endpoint-lock.json")!) as unknown;
    expect(synthFiles({ ...sc, unrelatedVariableFirst: true, endpointLock: lock }).refusal).toBeUndefined();
  });
});

describe("B21: MLflow directories", () => {
  test("endpoints at s/x-y and s/x/y (names from variables) and one named s-x-y: three mlflow.json entries, or refused", () => {
    const outdir = freshOutdir();
    try {
      const app = new App({ outdir, stackTraces: false });
      const stack = new TerraformStack(app, "s");
      new DatabricksProvider(stack, "databricks", {});
      const m = new Materializer(stack);
      const refused = construct(() => {
        m.bundles.push(new GenieResourceBundle(stack, "Genie", m.value(BUNDLE) as never));
        m.policies.push(new AgentAuthPolicy(stack, "Policy", m.value(POLICY) as never));
        const endpoint = (scope: Construct, id: string, name: unknown) =>
          new AgentServingEndpoint(scope, id, m.value({ ...ENDPOINT, name }) as never);
        endpoint(stack, "x-y", { $tf: "string" });
        endpoint(new Construct(stack, "x"), "y", { $tf: "string" });
        endpoint(stack, "Third", "s-x-y");
        AgentStackContext.of(stack);
      });
      if (refused) return;
      const outcome = synthesize(() => {
        app.synth();
        return "";
      });
      if (outcome.kind !== "synthesized") return;
      const entries = JSON.parse(
        fs.readFileSync(path.join(outdir, "stacks", "s", "mlflow.json"), "utf8"),
      ) as Record<string, unknown>;
      expect(Object.keys(entries)).toHaveLength(3);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("B22: no silent override of a managed variable", () => {
  const envOf = (sc: Scenario): Record<string, string> | undefined => {
    const o = runTesting(sc);
    if (o.kind !== "synthesized") return undefined;
    const tf = JSON.parse(o.json) as {
      resource: {
        databricks_model_serving: Record<
          string,
          { config: { served_entities: { environment_vars: Record<string, string> }[] } }
        >;
      };
    };
    return Object.values(tf.resource.databricks_model_serving)[0]!.config.served_entities[0]!
      .environment_vars;
  };
  test("oboFlagEnvVar SALES_GENIE_SPACE_ID keeps the space id, or is refused", () => {
    const env = envOf(withEndpoint({ oboFlagEnvVar: "SALES_GENIE_SPACE_ID" }));
    if (env) expect(env.SALES_GENIE_SPACE_ID).toBe(BUNDLE.spaceId);
  });
  test("a secret named like a managed variable is not dropped, or is refused", () => {
    const env = envOf(
      withEndpoint({ secrets: { SALES_GENIE_SPACE_ID: { $secretRef: ["scope1", "key1"] } } }),
    );
    if (env) {
      expect(env.SALES_GENIE_SPACE_ID).toBe("{{secrets/scope1/key1}}");
      expect(env.SALES_GENIE_SPACE_ID).toBe(BUNDLE.spaceId); // both cannot hold: only a refusal passes
    }
  });
});

describe("B23: names Unity Catalog treats as one, and names a reader cannot check", () => {
  const grantsOf = (sc: Scenario): readonly { securable: string; principal: string }[] | undefined => {
    const r = synthFiles(sc);
    return (
      r.files &&
      (
        readReport(JSON.parse(r.files.get("agent-report.json")!)) as {
          grants: readonly { securable: string; principal: string }[];
        }
      ).grants
    );
  };
  test.each([
    ["tables", ["main.sales.orders", "main.sales.ORDERS"]],
    ["catalogs", ["main.sales.orders", "Main.sales.customers"]],
  ])("%s differing only in case: one grant each, or refused", (_, tables) => {
    const grants = grantsOf(stackOf({ bundles: [{ ...BUNDLE, tables }] }));
    if (grants === undefined) return;
    const folded = grants.map((g) => `${g.securable.toLowerCase()} to ${g.principal}`);
    expect(new Set(folded).size).toBe(folded.length);
  });
  test.each([
    ["zero-width space in a table", { tables: ["main.sales.ord\u200bers"] }, undefined],
    ["right-to-left override in a table", { tables: ["main.sales.\u202eorders"] }, undefined],
    ["no-break space in a table", { tables: ["main.sales.orders\u00a0"] }, undefined],
    ["Cyrillic a in a table", { tables: ["m\u0430in.sales.orders"] }, undefined],
    ["whitespace-only group", {}, "   "],
    ["no-break space group", {}, "\u00a0"],
    ["zero-width space in a group", {}, "sales\u200b-readers"],
  ])("%s is refused", (_, bundle, group) => {
    const outcome = runTesting(
      stackOf({
        bundles: [{ ...BUNDLE, ...bundle }],
        endpoints: [{ ...ENDPOINT, consumers: [{ $principal: ["group", group ?? "sales-readers"] }] }],
      }),
    );
    expect(outcome.kind).not.toBe("synthesized");
  });
});

describe("B24: accepted, then failing at apply", () => {
  test.each(["GPU_HUGE", "TPU", "CPU_SMALL"])("workloadType %s is refused", (workloadType) => {
    expect(runTesting(withEndpoint({ workloadType })).kind).not.toBe("synthesized");
  });
  test("workloadType GPU_SMALL (provider 1.99) synthesizes", () => {
    expect(runTesting(withEndpoint({ workloadType: "GPU_SMALL" })).kind).toBe("synthesized");
  });
  test("the same endpoint name in two stacks is refused", () => {
    runRefusedAfterSeed(
      [{ id: "alpha", sc: withEndpoint({ name: "alpha-agent" }) }],
      [
        { id: "alpha", sc: withEndpoint({ name: "shared-agent" }) },
        { id: "bravo", sc: withEndpoint({ name: "shared-agent" }) },
      ],
      new Map(),
    );
  });
});
