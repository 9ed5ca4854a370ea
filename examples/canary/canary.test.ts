import { App, TerraformStack } from "cdktf";
import { synthHarness } from "../synth-harness";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import * as fs from "fs";
import * as path from "path";
import { AgentAuthPolicy, AgentServingEndpoint, ServingEndpoint } from "../../lib";
import { CANARY, CanaryStack, type CanaryStackProps, type EndpointLock } from "./stack";

const STACK = "canary";

const { tempDir, synthWith, file, read, mlflowEntry } = synthHarness(STACK);
const synthInto = (props?: CanaryStackProps): { outdir: string; error: string } =>
  synthWith((app) => new CanaryStack(app, STACK, props));

interface ModelServingJson {
  name: string;
  route_optimized: boolean;
  lifecycle: { prevent_destroy: boolean };
  config: {
    served_entities: { name: string; entity_version: string }[];
    traffic_config: { routes: { served_entity_name: string; traffic_percentage: number }[] };
  };
  [attribute: string]: unknown;
}
type Resources = Record<string, Record<string, unknown>>;
interface Tf {
  output: Record<string, unknown>;
  resource: Resources & { databricks_model_serving: Record<string, ModelServingJson> };
}

const tfOf = (outdir: string): Tf => read(outdir, "cdk.tf.json") as Tf;

/** The single endpoint resource: its Terraform address (`type.name`) and its attributes. */
function endpointOf(tf: Tf): { address: string; attributes: ModelServingJson } {
  const entries = Object.entries(tf.resource.databricks_model_serving);
  expect(entries).toHaveLength(1);
  const [name, attributes] = entries[0]!;
  return { address: `databricks_model_serving.${name}`, attributes };
}

/** Attributes of databricks_model_serving that force replacement in provider 1.99 (REFERENCE.md). */
const FORCES_REPLACEMENT = ["name", "route_optimized"] as const;

/** What `terraform plan` would do to the endpoint between two synthesized versions of the stack. */
type EndpointChange =
  | { action: "no-op" }
  | { action: "update in place"; changed: string[] }
  | { action: "replace"; because: string[] }
  | { action: "destroy and create"; from: string; to: string };

function endpointChange(before: Tf, after: Tf): EndpointChange {
  const a = endpointOf(before);
  const b = endpointOf(after);
  if (a.address !== b.address) return { action: "destroy and create", from: a.address, to: b.address };
  const keys = [...new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)])]
    .filter((k) => k !== "//")
    .sort();
  const changed = keys.filter((k) => JSON.stringify(a.attributes[k]) !== JSON.stringify(b.attributes[k]));
  const forcing = changed.filter((k) => (FORCES_REPLACEMENT as readonly string[]).includes(k));
  if (forcing.length > 0) return { action: "replace", because: forcing };
  return changed.length > 0 ? { action: "update in place", changed } : { action: "no-op" };
}

/** Every resource except the endpoint itself. */
const othersOf = (tf: Tf): Resources =>
  Object.fromEntries(Object.entries(tf.resource).filter(([type]) => type !== "databricks_model_serving"));

const routesOf = (tf: Tf): Record<string, number> =>
  Object.fromEntries(
    endpointOf(tf).attributes.config.traffic_config.routes.map((r) => [
      r.served_entity_name,
      r.traffic_percentage,
    ]),
  );

describe("canary example: 90/10, then promoted", () => {
  const canary = synthInto(); // default phase: canary
  const promoted = synthInto({ phase: "promoted" });

  test("both phases synthesize without errors", () => {
    expect(canary.error).toBe("");
    expect(promoted.error).toBe("");
  });

  test("cdk.tf.json matches the snapshot (canary)", () => {
    expect(read(canary.outdir, "cdk.tf.json")).toMatchSnapshot();
  });

  test("the stack report matches the snapshot (canary)", () => {
    expect(read(canary.outdir, "agent-report.json")).toMatchSnapshot();
  });

  test("the MLflow auth policy and metadata match the snapshot (canary)", () => {
    expect(mlflowEntry(canary.outdir, "triage-agent").auth_policy).toMatchSnapshot();
    expect(mlflowEntry(canary.outdir, "triage-agent").metadata).toMatchSnapshot();
  });

  test("the promoted endpoint matches the snapshot", () => {
    expect(tfOf(promoted.outdir).resource.databricks_model_serving).toMatchSnapshot();
  });

  test("canary: v7 90%, v8 10%; promoted: v8 100%, v7 removed", () => {
    expect(routesOf(tfOf(canary.outdir))).toEqual({ v7: 90, v8: 10 });
    expect(routesOf(tfOf(promoted.outdir))).toEqual({ v8: 100 });
    const entities = (tf: Tf): [string, string][] =>
      endpointOf(tf).attributes.config.served_entities.map((e) => [e.name, e.entity_version]);
    expect(entities(tfOf(canary.outdir))).toEqual([
      ["v7", CANARY.stableVersion],
      ["v8", CANARY.candidateVersion],
    ]);
    expect(entities(tfOf(promoted.outdir))).toEqual([["v8", CANARY.candidateVersion]]);
  });

  test("promotion updates the endpoint in place: same address, same name and route_optimized, only `config` changes", () => {
    const before = endpointOf(tfOf(canary.outdir));
    const after = endpointOf(tfOf(promoted.outdir));
    expect(after.address).toBe(before.address);
    expect(after.attributes.name).toBe(before.attributes.name);
    expect(after.attributes.route_optimized).toBe(before.attributes.route_optimized);
    expect(endpointChange(tfOf(canary.outdir), tfOf(promoted.outdir))).toEqual({
      action: "update in place",
      changed: ["config"],
    });
    // Rolling back is the same kind of change.
    expect(endpointChange(tfOf(promoted.outdir), tfOf(canary.outdir))).toEqual({
      action: "update in place",
      changed: ["config"],
    });
  });

  test("promotion touches nothing else: grants, the endpoint's ACL and outputs are byte-identical", () => {
    expect(othersOf(tfOf(promoted.outdir))).toEqual(othersOf(tfOf(canary.outdir)));
    expect(read(promoted.outdir, "cdk.tf.json")).toHaveProperty("output", tfOf(canary.outdir).output);
    expect(read(promoted.outdir, "agent-report.json")).toEqual(read(canary.outdir, "agent-report.json"));
    expect(mlflowEntry(promoted.outdir, "triage-agent").auth_policy).toEqual(
      mlflowEntry(canary.outdir, "triage-agent").auth_policy,
    );
  });

  test("the committed endpoint-lock.json is the lock the canary phase writes", () => {
    const committed = JSON.parse(
      fs.readFileSync(path.join(__dirname, "endpoint-lock.json"), "utf8"),
    ) as EndpointLock;
    expect(read(canary.outdir, "endpoint-lock.json")).toEqual(committed);
    expect(committed).toEqual({
      endpoints: { "canary/TriageAgent": { name: "triage-agent", routeOptimized: false } },
    });
  });

  test("with the canary deploy's lock, promotion synthesizes: no identity-bearing change", () => {
    const lock = read(canary.outdir, "endpoint-lock.json") as EndpointLock;
    const locked = synthInto({ phase: "promoted", endpointLock: lock });
    expect(locked.error).toBe("");
    expect(read(locked.outdir, "cdk.tf.json")).toEqual(read(promoted.outdir, "cdk.tf.json"));
  });

  test.each([
    [
      "renaming the endpoint",
      { endpointName: "triage-agent-v2" },
      ["name"],
      "name",
      'name "triage-agent" -> "triage-agent-v2"',
    ],
    [
      "turning on route optimization",
      { routeOptimized: true },
      ["route_optimized"],
      "routeOptimized",
      "routeOptimized false -> true",
    ],
  ] as const)(
    "%s forces replacement; prevent_destroy fails the plan, and with the lock synth fails first (DBA-EP-008)",
    (_label, change, because, prop, received) => {
      // Without the lock: synth passes, and the diff against the promoted phase is a replacement.
      const changed = synthInto({ phase: "promoted", ...change });
      expect(changed.error).toBe("");
      const before = tfOf(promoted.outdir);
      const after = tfOf(changed.outdir);
      // Same Terraform address, so Terraform plans it as a replacement of that resource ...
      expect(endpointOf(after).address).toBe(endpointOf(before).address);
      expect(endpointChange(before, after)).toEqual({ action: "replace", because: [...because] });
      // ... which needs a destroy; `protect` (default true) makes `terraform plan` refuse it, so the
      // live endpoint, its URL and its permissions survive a mistaken rename.
      expect(endpointOf(before).attributes.lifecycle.prevent_destroy).toBe(true);
      expect(endpointOf(after).attributes.lifecycle.prevent_destroy).toBe(true);

      // With the lock of the last deploy, synth refuses it outright.
      const lock = read(canary.outdir, "endpoint-lock.json") as EndpointLock;
      const broken = synthInto({ phase: "promoted", endpointLock: lock, ...change });
      expect(broken.error).toContain(`[DBA-EP-008] canary/TriageAgent (prop ${prop})`);
      expect(broken.error).toContain(`${received} replaces the deployed endpoint`);
      expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
    },
  );

  test("routes summing to 110 fail synth with DBA-EP-001 on the endpoint's path, and write no cdk.tf.json", () => {
    const broken = synthInto({ traffic: { v7: 100, v8: 10 } });
    expect(broken.error).toContain("[DBA-EP-001] canary/TriageAgent (prop traffic)");
    expect(broken.error).toContain("traffic percentages sum to 110, not 100");
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
  });

  test("promoting the entities but forgetting the routes fails with DBA-EP-002 (both directions)", () => {
    const broken = synthInto({ phase: "promoted", traffic: { v7: 100 } });
    expect(broken.error).toContain(
      '[DBA-EP-002] canary/TriageAgent (prop traffic.v7): route "v7" names no served entity',
    );
    expect(broken.error).toContain(
      '[DBA-EP-002] canary/TriageAgent (prop traffic): served entity "v8" has no route',
    );
    expect(fs.existsSync(file(broken.outdir, "cdk.tf.json"))).toBe(false);
  });

  // A served entity's own environment is checked like the endpoint's (DBA-SEC-001, DBA-SEC-002, DBA-EP-006).
  test("a literal secret in a served entity's environment fails synth with DBA-SEC-001", () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, STACK);
    new DatabricksProvider(stack, "databricks", {});
    const policy = new AgentAuthPolicy(stack, "Policy", { system: [ServingEndpoint.fromName(CANARY.llm)] });
    const secret = `sk-${"a1B2c3D4e5".repeat(3)}`;
    new AgentServingEndpoint(stack, "TriageAgent", {
      name: "triage-agent",
      authPolicy: policy,
      servedEntities: [
        { name: "v8", model: { name: CANARY.model, version: "8" }, environment: { OPENAI_API_KEY: secret } },
      ],
    });
    expect(() => app.synth()).toThrow("[DBA-SEC-001] canary/TriageAgent");
  });
});
