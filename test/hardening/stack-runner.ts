/**
 * Build a generated scenario into a stack, synthesize it (Testing.synth with validations, or
 * app.synth() into a temporary directory) and check every oracle: the outcome is a synthesized
 * stack or the library's own error; nothing leaks; literal template sequences stay literal; the
 * values the user gave arrive intact; no partial output is left behind.
 */
import { App, Testing, TerraformStack, TerraformVariable } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import * as fs from "fs";
import * as path from "path";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  GenieResourceBundle,
  SecretRef,
  type GrantMechanism,
} from "../../lib";
import type { Mutation, Scenario } from "./arbitraries";
import {
  assertNoLeaks,
  assertNoRawTokens,
  construct,
  count,
  CrashError,
  figures,
  freshOutdir,
  INCLUDE_KNOWN_BUGS,
  listFiles,
  normaliseSegments,
  parseTemplate,
  SCRATCH,
  synthesize,
  TemplateError,
  type Outcome,
  type Segment,
} from "./fuzz-kit";
import { Materializer } from "./values";

type Json = Record<string, unknown>;

/** A stack in a test app (Testing.synth writes nothing, so one scratch outdir serves all cases). */
export function testingStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app({ outdir: SCRATCH }), "fuzz");
  new DatabricksProvider(stack, "databricks", {});
  return stack;
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/** Set `prop` (or one element of it) to `value` on a copy of `props`; own keys even for `__proto__`. */
export function mutate(props: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  const current = out[m.prop];
  const value =
    m.element !== undefined && Array.isArray(current) && current.length > 0
      ? current.map((x, i) => (i === m.element! % current.length ? m.value : x))
      : m.value;
  Object.defineProperty(out, m.prop, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const apply = (
  props: Record<string, unknown>,
  mutations: readonly Mutation[],
  target: Mutation["target"],
  i: number,
  n: number,
): Record<string, unknown> =>
  mutations.filter((m) => m.target === target && m.index % n === i).reduce(mutate, props);

/** What one case built, for the oracles. */
export interface Built {
  readonly stack: TerraformStack;
  readonly m: Materializer;
  readonly endpoints: { readonly construct: AgentServingEndpoint; readonly props: Record<string, unknown> }[];
}

const ids = (style: Scenario["idStyle"]) =>
  style === "plain"
    ? {
        bundle: (i: number) => `Genie${i}`,
        policy: (i: number) => `Policy${i}`,
        endpoint: (i: number) => `Agent${i}`,
      }
    : {
        bundle: (i: number) => `Génie ${i} 表`,
        policy: (i: number) => `Politique-${i}`,
        endpoint: (i: number) => `Agent 💥${i}`,
      };

/** Declare the scenario's constructs in the stack, in order; throws what the library throws. */
export function build(sc: Scenario, built: Built): void {
  const { stack, m } = built;
  const id = ids(sc.idStyle);
  if (sc.unrelatedVariableFirst === true) new TerraformVariable(stack, "unrelated", { type: "string" });
  sc.bundles.forEach((b, i) => {
    figures.propSets++;
    const props = m.value(apply(b, sc.mutations, "bundle", i, sc.bundles.length));
    m.bundles.push(new GenieResourceBundle(stack, id.bundle(i), props as never));
  });
  sc.policies.forEach((p, i) => {
    figures.propSets++;
    const props = m.value(apply(p, sc.mutations, "policy", i, sc.policies.length));
    m.policies.push(new AgentAuthPolicy(stack, id.policy(i), props as never));
  });
  sc.endpoints.forEach((e, i) => {
    figures.propSets++;
    const props = m.value(apply(e, sc.mutations, "endpoint", i, sc.endpoints.length)) as Record<
      string,
      unknown
    >;
    built.endpoints.push({
      construct: new AgentServingEndpoint(
        stack,
        sc.endpointIds?.[i] === undefined ? id.endpoint(i) : String(m.value(sc.endpointIds[i])),
        props as never,
      ),
      props,
    });
  });
  const context = AgentStackContext.of(stack);
  const targets: Record<string, () => import("constructs").IConstruct | undefined> = {
    stack: () => stack,
    bundle: () => m.bundles[0],
    policy: () => m.policies[0],
    endpoint: () => built.endpoints[0]?.construct,
  };
  for (const a of sc.acknowledgements as { target: string; ruleId: unknown; reason: unknown }[]) {
    const target = targets[a.target]!() ?? stack;
    context.acknowledge(target, m.value(a.ruleId) as string, m.value(a.reason) as string);
  }
  if (sc.grantSettings !== undefined) context.configureGrants(m.value(sc.grantSettings) as never);
  if (sc.endpointLock !== undefined) context.useEndpointLock(m.value(sc.endpointLock) as never);
  for (const g of sc.manualGrants) context.requestGrant(m.value(g) as never);
}

// ---------------------------------------------------------------------------------------------
// Oracles
// ---------------------------------------------------------------------------------------------

/**
 * Interpolations the synthesized JSON may hold: our variables and the library's own references, bare
 * or JSON-encoded (the additive step's payload inserts a reference as `${jsonencode(<reference>)}`).
 */
const REF =
  "var\\.fuzzvar\\d+|databricks_model_serving\\.[A-Za-z0-9_-]+\\.(?:serving_endpoint_id|endpoint_url|name)";
const ALLOWED_REF = new RegExp(`^(?:${REF}|jsonencode\\((?:${REF})\\))$`);

/**
 * Every string Terraform evaluates as a template (resource arguments, output values, and the keys
 * of `environment_vars`) holds no directive and no interpolation other than the allowed references.
 */
export function assertNoStrayTemplates(tf: Json): void {
  const problems: string[] = [];
  const visit = (v: unknown, where: string, keysAreTemplates: boolean): void => {
    if (typeof v === "string") {
      try {
        for (const s of parseTemplate(v))
          if ("ref" in s && !ALLOWED_REF.test(s.ref)) problems.push(`${where}: interpolation \${${s.ref}}`);
      } catch (e) {
        if (e instanceof TemplateError) problems.push(`${where}: ${e.message}`);
        else throw e;
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${where}[${i}]`, false));
    else if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (keysAreTemplates) visit(k, `${where} key`, false);
        visit(x, `${where}.${k}`, k === "environment_vars");
      }
  };
  visit(tf.resource ?? {}, "resource", false);
  for (const [name, o] of Object.entries((tf.output ?? {}) as Record<string, Json>))
    visit(o.value, `output.${name}.value`, false);
  if (problems.length > 0)
    throw new Error(`template sequences reach Terraform unescaped:\n  ${problems.slice(0, 10).join("\n  ")}`);
}

/** A value as the user gave it, split into literal text and Terraform references. */
export function inputSegments(value: string, tokenRefs: ReadonlyMap<string, string>): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of value.matchAll(/\$\{TfToken\[[^\]]+\]\}/g)) {
    out.push({ lit: value.slice(last, match.index) });
    out.push({ ref: tokenRefs.get(match[0]) ?? `unknown token ${match[0]}` });
    last = match.index + match[0].length;
  }
  out.push({ lit: value.slice(last) });
  return normaliseSegments(out);
}

/** The synthesized value, un-escaped by Terraform's rules, equals what the user gave. */
export function assertArrives(
  where: string,
  given: string,
  synthesized: unknown,
  tokenRefs: ReadonlyMap<string, string>,
): void {
  if (typeof synthesized !== "string")
    throw new Error(`${where}: expected a string, synthesized ${JSON.stringify(synthesized)}`);
  const expected = inputSegments(given, tokenRefs);
  let actual: Segment[];
  try {
    actual = normaliseSegments(parseTemplate(synthesized));
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message} (given ${JSON.stringify(given)})`);
  }
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(
      `${where}: given ${JSON.stringify(given)}, synthesized ${JSON.stringify(synthesized)}, which Terraform reads as ${JSON.stringify(actual)}`,
    );
}

/** A valid secret scope or key (Databricks: 1-128 letters, digits, '.', '-', '_'). */
const SECRET_PART = /^[A-Za-z0-9_.-]{1,128}$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Environment variables, tags and the description of every endpoint arrive intact. */
export function assertEndpointValues(tf: Json, built: Built): void {
  const resources = ((tf.resource as Json | undefined)?.databricks_model_serving ?? {}) as Record<
    string,
    Json
  >;
  for (const { construct: ep, props } of built.endpoints) {
    const r = resources[built.stack.getLogicalId(ep.resource)];
    if (r === undefined) throw new Error(`${ep.node.path}: no databricks_model_serving resource`);
    const entities = (r.config as Json).served_entities as Json[];
    const sharedEnv = isRecord(props.environment) ? props.environment : {};
    const secrets = isRecord(props.secrets) ? props.secrets : {};
    const entityProps = Array.isArray(props.servedEntities) ? (props.servedEntities as Json[]) : [];
    entities.forEach((e, i) => {
      const env = (e.environment_vars ?? {}) as Record<string, unknown>;
      const own = isRecord(entityProps[i]?.environment)
        ? (entityProps[i]!.environment as Record<string, unknown>)
        : {};
      for (const [k, v] of Object.entries(own))
        assertArrives(`${ep.node.path} entity ${i} env ${k}`, v as string, env[k], built.m.tokenRefs);
      for (const [k, v] of Object.entries(sharedEnv))
        if (!(k in own)) assertArrives(`${ep.node.path} env ${k}`, v as string, env[k], built.m.tokenRefs);
      for (const [k, v] of Object.entries(secrets)) {
        if (!(k in own) && !ep.managedEnvironment[k] && env[k] !== (v as SecretRef).toString())
          throw new Error(`${ep.node.path} secret ${k}: synthesized ${JSON.stringify(env[k])}`);
        // issue 14: SecretRef.of(null, null) synthesized as {{secrets/null/null}}
        const ref = v as SecretRef;
        if (
          !SECRET_PART.test(String(ref.scope)) ||
          typeof ref.scope !== "string" ||
          typeof ref.key !== "string" ||
          !SECRET_PART.test(ref.key)
        )
          throw new Error(
            `${ep.node.path} secret ${k}: SecretRef.of(${JSON.stringify(ref.scope) ?? String(ref.scope)}, ${JSON.stringify(ref.key) ?? String(ref.key)}) synthesized as ${JSON.stringify(env[k])}`,
          );
      }
      for (const [k, v] of Object.entries(ep.managedEnvironment))
        if (!(k in own)) assertArrives(`${ep.node.path} managed ${k}`, v, env[k], built.m.tokenRefs);
    });
    // Tags as a map: compare un-escaped key -> value (the order is deterministic but not asserted here).
    const tags = isRecord(props.tags) ? Object.entries(props.tags) : [];
    const synthTags = (r.tags ?? []) as { key: unknown; value: unknown }[];
    if (synthTags.length !== tags.length)
      throw new Error(`${ep.node.path}: ${tags.length} tags given, ${synthTags.length} synthesized`);
    const byKey = new Map(
      synthTags.map((t) => [JSON.stringify(parseTemplate(String(t.key))), t.value] as const),
    );
    for (const [k, v] of tags) {
      const key = JSON.stringify(normaliseSegments([{ lit: k }]));
      if (!byKey.has(key))
        throw new Error(
          `${ep.node.path}: tag ${JSON.stringify(k)} missing or not escaped; synthesized keys ${synthTags.map((t) => JSON.stringify(t.key)).join(", ")}`,
        );
      assertArrives(
        `${ep.node.path} tag ${JSON.stringify(k)}`,
        v as string,
        byKey.get(key),
        built.m.tokenRefs,
      );
    }
    if (typeof props.description === "string")
      assertArrives(`${ep.node.path} description`, props.description, r.description, built.m.tokenRefs);
  }
}

/** How each realisation shows up: a resource type in cdk.tf.json, or the report's required actions. */
const REALISED_BY: Readonly<Record<string, string>> = {
  uc_grant: "databricks_grant",
  owned_acl: "databricks_permissions",
  authoritative: "databricks_permissions",
  additive: "terraform_data",
  report: "requiredActions",
};

/**
 * Grants: never `databricks_grants`; one `databricks_grant` per (securable, principal); user
 * principals lower-case; every planned grant realised by a known mechanism that shows up
 * (a resource, or a required action in the report): nothing vanishes silently.
 */
export function assertGrantShape(tf: Json, report: Json): void {
  const resource = (tf.resource ?? {}) as Record<string, Record<string, Json>>;
  if (resource.databricks_grants) throw new Error("databricks_grants synthesized");
  const seen = new Set<string>();
  for (const g of Object.values(resource.databricks_grant ?? {})) {
    const { principal, privileges, ...securable } = g;
    const key = `${JSON.stringify(Object.entries(securable).sort())}|${String(principal)}`;
    if (seen.has(key)) throw new Error(`two databricks_grant for ${key}`);
    seen.add(key);
    if (!Array.isArray(privileges) || privileges.length === 0)
      throw new Error(`databricks_grant without privileges: ${key}`);
  }
  const actions = (report.requiredActions ?? []) as unknown[];
  for (const g of (report.grants ?? []) as { principal: string; mechanism: string; securable: string }[]) {
    const shows = REALISED_BY[g.mechanism];
    if (shows === undefined)
      throw new Error(
        `grant to ${g.principal} on ${g.securable} realised by unknown mechanism ${JSON.stringify(g.mechanism)}: neither synthesized nor listed`,
      );
    if (shows === "requiredActions" ? actions.length === 0 : resource[shows] === undefined)
      throw new Error(
        `grant to ${g.principal} on ${g.securable} (${g.mechanism}) shows up nowhere (${shows})`,
      );
    if (
      g.principal.startsWith("user:") &&
      !g.principal.includes("TfToken[") &&
      g.principal !== g.principal.toLowerCase()
    )
      throw new Error(`user principal not lower-case: ${g.principal}`);
  }
}

const SECRET_REFERENCE_TEXT = /^\{\{secrets\/([^/{}]+)\/([^/{}]+)\}\}$/;

/**
 * A `{{secrets/scope/key}}` reference written into plain `environment` (or a served entity's) is
 * resolved by Model Serving like one given in `secrets`: the deployer needs READ on its scope, so the
 * report names the scope's grant (issue 14: such a value bypassed the READ grant). Synth may refuse
 * it instead; this is checked on synthesized stacks only.
 */
export function assertSecretReadGrants(built: Built, reportText: string): void {
  for (const { construct: ep, props } of built.endpoints) {
    const entityEnvs = (Array.isArray(props.servedEntities) ? (props.servedEntities as Json[]) : []).map(
      (e) => (isRecord(e?.environment) ? e.environment : {}),
    );
    for (const env of [isRecord(props.environment) ? props.environment : {}, ...entityEnvs])
      for (const [k, v] of Object.entries(env)) {
        const m = typeof v === "string" ? SECRET_REFERENCE_TEXT.exec(v.trim()) : null;
        if (m !== null && !reportText.includes(`secret scope ${m[1]}`))
          throw new Error(
            `${ep.node.path} env ${k}: the secret reference ${v as string} in plain environment was synthesized without READ on scope ${m[1]} in the grant plan`,
          );
      }
  }
}

// ---------------------------------------------------------------------------------------------
// Running one case
// ---------------------------------------------------------------------------------------------

function warnings(stack: TerraformStack): string {
  return stack.node
    .findAll()
    .flatMap((n) => n.node.metadata.map((md) => String(md.data)))
    .join("\n");
}

function report(stack: TerraformStack): string {
  try {
    return JSON.stringify(AgentStackContext.of(stack).report());
  } catch (e) {
    throw new CrashError("AgentStackContext.report()", e);
  }
}

function errorTexts(o: Outcome): [string, string][] {
  if (o.kind === "config")
    return [
      ["error message", o.error.message],
      ["error problems", JSON.stringify(o.error.problems)],
    ];
  if (o.kind === "validation") return [["synth error message", o.message]];
  return [];
}

/** One case through Testing.synth(stack, true). Throws (failing the property) on any oracle violation. */
export function runTesting(sc: Scenario): Outcome {
  const stack = testingStack();
  const built: Built = { stack, m: new Materializer(stack), endpoints: [] };
  const err = construct(() => build(sc, built));
  const outcome: Outcome = err
    ? { kind: "config", error: err }
    : synthesize(() => Testing.synth(stack, true));
  count(outcome);
  const reportText = report(stack);
  const texts: [string, string][] = [
    ...errorTexts(outcome),
    ["stack report", reportText],
    ["warnings", warnings(stack)],
    ...(outcome.kind === "synthesized" ? ([["cdk.tf.json", outcome.json]] as [string, string][]) : []),
  ];
  assertNoLeaks(built.m.secrets, texts);
  // issue 14: error messages showed ${TfToken[TOKEN.n]} instead of the reference
  if (INCLUDE_KNOWN_BUGS) assertNoRawTokens(errorTexts(outcome));
  if (outcome.kind === "synthesized") {
    const tf = JSON.parse(outcome.json) as Json;
    assertNoStrayTemplates(tf);
    assertEndpointValues(tf, built);
    assertGrantShape(tf, JSON.parse(reportText) as Json);
    assertSecretReadGrants(built, reportText);
  }
  return outcome;
}

/** One case through app.synth() into a fresh directory; also checks the files and partial output. */
export function runApp(sc: Scenario): Outcome {
  const outdir = freshOutdir();
  try {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, "fuzz");
    new DatabricksProvider(stack, "databricks", {});
    const built: Built = { stack, m: new Materializer(stack), endpoints: [] };
    figures.appSynths++;
    const err = construct(() => build(sc, built));
    const stackDir = path.join(outdir, "stacks", "fuzz");
    let outcome: Outcome;
    try {
      outcome = err
        ? { kind: "config", error: err }
        : synthesize(() => {
            app.synth();
            return fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8");
          });
    } catch (e) {
      // a crash must not leave a cdk.tf.json behind either
      if (fs.existsSync(path.join(stackDir, "cdk.tf.json"))) {
        figures.partialOutputs++;
        (e as Error).message += `\nPARTIAL OUTPUT: ${stackDir} holds ${listFiles(stackDir).join(", ")}`;
      }
      throw e;
    }
    count(outcome);
    const files = listFiles(stackDir);
    if (outcome.kind !== "synthesized" && files.length > 0) {
      figures.partialOutputs++;
      throw new Error(`PARTIAL OUTPUT: ${outcome.kind} error but ${stackDir} holds ${files.join(", ")}`);
    }
    const texts: [string, string][] = [
      ...errorTexts(outcome),
      ["stack report", report(stack)],
      ["warnings", warnings(stack)],
    ];
    if (outcome.kind === "synthesized") {
      if (!files.includes("agent-report.json"))
        throw new Error(`no agent-report.json beside cdk.tf.json: ${files.join(", ")}`);
      for (const f of files) {
        const text = fs.readFileSync(path.join(stackDir, f), "utf8");
        texts.push([f, text]);
        if (f.endsWith(".json")) JSON.parse(text);
      }
      // One mlflow.json per stack, an entry per endpoint with a policy; no per-target file by default.
      if (!files.includes("mlflow.json"))
        throw new Error(`no mlflow.json beside cdk.tf.json: ${files.join(", ")}`);
      const perTarget = files.filter((f) => f.includes("/"));
      if (perTarget.length > 0)
        throw new Error(`per-target files written by default: ${perTarget.join(", ")}`);
      const entries = Object.keys(
        JSON.parse(fs.readFileSync(path.join(stackDir, "mlflow.json"), "utf8")) as object,
      );
      const withPolicy = built.endpoints.filter(({ construct: ep }) => ep.authPolicy !== undefined);
      if (entries.length !== withPolicy.length)
        throw new Error(
          `${withPolicy.length} endpoints with an auth policy (${withPolicy.map((e) => e.construct.node.path).join(", ")}) but mlflow.json has ${entries.length} entries: ${entries.join(", ")}`,
        );
      const tf = JSON.parse(outcome.json) as Json;
      assertNoStrayTemplates(tf);
      assertEndpointValues(tf, built);
    }
    assertNoLeaks(built.m.secrets, texts);
    // FIXED [B16] (was excluded): a Terraform reference given as an id or name is written as raw
    // "${TfToken[TOKEN.n]}" text into the report and the MLflow auth policy. Issue 14: nor into an
    // error message (12 props did). Files and messages only (the report() API object is not output).
    if (INCLUDE_KNOWN_BUGS)
      assertNoRawTokens(texts.filter(([w]) => w !== "stack report" && w !== "warnings"));
    if (outcome.kind === "synthesized")
      assertSecretReadGrants(built, texts.find(([w]) => w === "stack report")![1]);
    return outcome;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The mechanisms a grant plan may realise a grant with, for tests that set them. */
export const KNOWN_MECHANISMS: readonly GrantMechanism[] = ["report", "additive", "authoritative"];

// ---------------------------------------------------------------------------------------------
// Issue 14: apps of several stacks, and a second program fed the first one's files
// ---------------------------------------------------------------------------------------------

/** One stack of a multi-stack app. */
export interface StackCase {
  readonly id: string;
  readonly sc: Scenario;
}

/** Every file under `dir` with its bytes. */
export function snapshotDir(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

/** True for an error of the library's: the message lists [DBA-...] findings (whatever the framing). */
const isLibraryRefusal = (e: unknown): e is Error =>
  e instanceof Error &&
  !(e instanceof CrashError) &&
  /\[DBA-[A-Z]+-\d{3}\]/.test(e.message) &&
  !(e instanceof TypeError);

/** Declare the stacks into `app`; an AgentConfigError is returned, anything else thrown. */
function declareStacks(app: App, stacks: readonly StackCase[]): { error?: Error; builts: Built[] } {
  const builts: Built[] = [];
  try {
    for (const { id, sc } of stacks) {
      const stack = new TerraformStack(app, id);
      new DatabricksProvider(stack, "databricks", {});
      const built: Built = { stack, m: new Materializer(stack), endpoints: [] };
      builts.push(built);
      build(sc, built);
    }
    return { builts };
  } catch (e) {
    if (isLibraryRefusal(e)) return { error: e, builts };
    throw new CrashError("construction", e);
  }
}

/**
 * A previous run (`seed`, which must synthesize) into an output directory, then `next` into the same
 * directory, which must be refused: at construction, or at synth with an error that names every
 * broken stack (`broken`: stack id to the rule id it breaks). All or nothing: the refused run leaves
 * no new and no changed file, and either the previous run's output untouched or nothing that still
 * looks current (no remaining manifest.json listing a remaining stack): never fresh stacks beside
 * stale ones.
 */
export function runRefusedAfterSeed(
  seed: readonly StackCase[],
  next: readonly StackCase[],
  broken: ReadonlyMap<string, string>,
): void {
  const outdir = freshOutdir();
  try {
    const seedApp = new App({ outdir, stackTraces: false });
    const s = declareStacks(seedApp, seed);
    if (s.error) throw new Error(`the seeded run must synthesize: ${s.error.message}`);
    seedApp.synth();
    const before = snapshotDir(outdir);
    figures.appSynths++;
    const app = new App({ outdir, stackTraces: false });
    const n = declareStacks(app, next);
    let message: string;
    if (n.error) message = n.error.message;
    else {
      try {
        app.synth();
        throw new Error(
          `app.synth() succeeded although ${[...broken].map(([id, rule]) => `${id} breaks ${rule}`).join(", ") || "two stacks deploy one endpoint name"}`,
        );
      } catch (e) {
        if (e instanceof Error && e.message.startsWith("app.synth() succeeded")) throw e;
        if (!isLibraryRefusal(e)) throw new CrashError("app.synth()", e);
        message = e.message;
      }
    }
    figures.validationErrors++;
    for (const [id, rule] of broken)
      if (
        !new RegExp(
          `\\[${rule}\\][^\\n]*\\b${id}\\/|\\b${id}\\/[^\\n]*\\[${rule}\\]|\\[${id}\\][^\\n]*\\[${rule}\\]`,
        ).test(message)
      )
        throw new Error(`the error does not name ${rule} of stack ${id}:\n${message.slice(0, 2000)}`);
    const after = snapshotDir(outdir);
    const added = [...after.keys()].filter((f) => !before.has(f));
    const changed = [...after.keys()].filter((f) => before.has(f) && before.get(f) !== after.get(f));
    if (added.length > 0 || changed.length > 0) {
      figures.partialOutputs++;
      throw new Error(
        `PARTIAL OUTPUT: the refused run wrote ${[...added.map((f) => `new ${f}`), ...changed.map((f) => `changed ${f}`)].join(", ")}`,
      );
    }
    // Untouched (the previous run as it was), or what remains is not presented as current: no
    // remaining manifest.json lists a remaining stack (removed stacks, or a removed manifest).
    const untouched = after.size === before.size;
    const manifest = after.get("manifest.json");
    const listed = (
      manifest === undefined
        ? []
        : Object.values(
            (JSON.parse(manifest) as { stacks?: Record<string, { synthesizedStackPath?: string }> }).stacks ??
              {},
          )
    )
      .map((st) => st.synthesizedStackPath)
      .filter((f): f is string => f !== undefined && after.has(f));
    if (!untouched && listed.length > 0) {
      figures.partialOutputs++;
      throw new Error(
        `PARTIAL OUTPUT: the refused run removed some of the previous output but manifest.json still lists ${listed.join(", ")}, which look current`,
      );
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Synthesize `sc` as stack "fuzz" of an app into a fresh directory; the files, or the refusal. */
export function synthFiles(sc: Scenario): { files?: Map<string, string>; refusal?: string } {
  const outdir = freshOutdir();
  try {
    const app = new App({ outdir, stackTraces: false });
    const { error } = declareStacks(app, [{ id: "fuzz", sc }]);
    if (error) return { refusal: error.message };
    try {
      app.synth();
    } catch (e) {
      if (!isLibraryRefusal(e)) throw new CrashError("app.synth()", e);
      return { refusal: e.message };
    }
    return { files: snapshotDir(path.join(outdir, "stacks", "fuzz")) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The resource addresses (`<type>.<name>`) of a cdk.tf.json, sorted. */
export function resourceAddresses(cdkTfJson: string): string[] {
  const tf = JSON.parse(cdkTfJson) as { resource?: Record<string, Record<string, unknown>> };
  return Object.entries(tf.resource ?? {})
    .flatMap(([type, rs]) => Object.keys(rs).map((name) => `${type}.${name}`))
    .sort();
}
