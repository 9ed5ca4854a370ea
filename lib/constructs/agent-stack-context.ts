import { Construct, type IConstruct } from "constructs";
import { Annotations, Aspects, DatabricksProvider, resolve, TerraformStack, Token } from "../engine";
import { canonicalObjectKey, describeSecurable, securableKey } from "../model/securable";
import type { GrantRequest } from "../grants/grant-request";
import { mergeGrants, type PlannedGrant } from "../grants/plan";
import { ownedGrantKey, type GrantSettings } from "../grants/grant-settings";
import { grantRuleInput, previousGrantKey } from "../rules/grant-model";
import { AgentConfigError } from "../model/problem";
import {
  ACKNOWLEDGEMENT_HELP,
  acknowledgementSchema,
  ENDPOINT_LOCK_HELP,
  endpointLockSchema,
  PREVIOUS_REPORT_HELP,
  previousReportSchema,
  GRANT_SETTINGS_HELP,
  grantSettingsSchema,
  FILE_SETTINGS_HELP,
  fileSettingsSchema,
  parseProps,
} from "../model/schemas";
import { pushTo, recordOf } from "../model/record";
import { boundedMemo } from "../model/bounded-memo";
import { containsToken } from "../model/tokens";
import { acknowledgementOf, type Acknowledgement, type AcknowledgeOptions } from "../rules/acknowledgement";
import { evaluateRules, formatBlocking, type Evaluation, type Finding } from "../rules/evaluate";
import type { AppModel, DeployedEndpoint, EndpointModel, StackModel } from "../rules/stack-model";
import type { ReportGrantTables } from "../model/report-format";
import {
  buildReport,
  reportHead,
  targetArtifacts,
  type ReportGrant,
  type StackReport,
  type TargetArtifacts,
} from "./report";
import { reportFileOf, type FileGrant, type ReportFile } from "./report-file";
import { realiseGrants } from "./grant-realiser";
import {
  foreignGrants,
  hiddenPrincipalNames,
  referencePrincipals,
  targetIdentityNames,
} from "./grant-evidence";
import { installArtifactWriter, type AgentStackArtifacts, type AgentStackFiles } from "./artifact-writer";
import type { FileSettings } from "./target-files";
import { ENGINES } from "../engine/compat";
import { ENGINE_NAME } from "../engine/current";
import { EngineSetupError, probeEngineSetup } from "../engine/guard";
import { foreignCopyProblem } from "../engine/setup-problems";
import type { IAgentTarget, IRegisteredBundle, IRegisteredPolicy } from "./target";

/** The id of the per-stack context construct. Part of every grant resource's address: never change it. */
export const CONTEXT_ID = "DatabricksAgents";

/**
 * One per stack, created on first use: collects the agent constructs, the grant requests and the
 * acknowledgements; runs every rule when the stack is validated; realises the merged grant plan
 * before synthesis; and writes the stack report and the MLflow files beside `cdk.tf.json`.
 */
export class AgentStackContext extends Construct {
  /** The context of the stack `scope` belongs to. */
  static of(scope: IConstruct): AgentStackContext {
    const stack = TerraformStack.of(sameCopyScope(scope));
    const existing = stack.node.tryFindChild(CONTEXT_ID);
    if (existing instanceof AgentStackContext) return existing;
    if (existing !== undefined) throw reservedIdError(existing);
    return new AgentStackContext(stack);
  }

  private readonly bundles: IRegisteredBundle[] = [];
  private readonly policies: IRegisteredPolicy[] = [];
  private readonly endpoints: IAgentTarget[] = [];
  private readonly requests: GrantRequest[] = [];
  private readonly ownedTargets: IAgentTarget[] = [];
  private readonly targetIdentityRequests = new Set<GrantRequest>();
  private readonly acknowledgements: Acknowledgement[] = [];
  private settings: Required<GrantSettings> = {
    mechanism: "report",
    overrides: {},
    ownedGrants: [],
    forgetLegacyGrants: false,
    cliPath: "databricks",
    warehouseOwners: {},
  };
  private files: Required<FileSettings> = { perTargetFiles: false };
  private readonly created = new Set<IConstruct>();
  private realised = false;
  private lastEvaluation?: Evaluation;
  /**
   * What one synthesis computed, from the moment the synth gate realises the plan until this stack is written:
   * every aspect has run then and the tree is final, so the engine's validation and the files reuse the
   * gate's evaluation instead of running every rule again. Any later change to the context drops it.
   */
  private session?: { evaluation?: Evaluation; messages?: string[]; lock?: Record<string, DeployedEndpoint> };
  private ownedCache?: Map<string, IAgentTarget>;
  /**
   * Token texts resolved during one synthesis, by text (the tree is final then, so each has one
   * resolution): an app's service principal is a reference, and its key is in every grant it has.
   */
  private resolved?: Map<string, unknown>;
  private readonly warned = new Set<string>();
  private frozenPlan?: { readonly settings: Required<GrantSettings>; readonly plan: PlannedGrant[] };
  private deployed?: Readonly<Record<string, DeployedEndpoint>>;
  private previousGrants?: ReadonlyMap<string, readonly string[]>;

  private constructor(private readonly stack: TerraformStack) {
    super(stack, CONTEXT_ID);
    stack.node.addValidation({ validate: () => this.validate() });
    Aspects.of(this).add({ visit: (node) => (node === this ? this.realise() : undefined) });
    installArtifactWriter(stack, this);
  }

  /** @internal */
  registerBundle(b: IRegisteredBundle): void {
    this.changed();
    this.bundles.push(b);
  }
  /** @internal */
  registerPolicy(p: IRegisteredPolicy): void {
    this.changed();
    this.policies.push(p);
  }
  /** @internal */
  registerEndpoint(e: IAgentTarget): void {
    this.changed();
    this.endpoints.push(e);
  }
  /** @internal The target's own ACL is the stack's: authoritative. */
  ownTarget(target: IAgentTarget): void {
    this.changed();
    this.ownedTargets.push(target);
  }

  /** The targets whose ACL the stack owns, by securable key (references spelled as expressions). */
  private get owned(): Map<string, IAgentTarget> {
    this.ownedCache ??= new Map(
      this.ownedTargets.map((t) => [this.expression(securableKey(t.ownedAcl().securable)), t]),
    );
    return this.ownedCache;
  }

  /** Something the rules or the files read changed: what a synthesis computed is stale. */
  private changed(): void {
    this.session = undefined;
    this.ownedCache = undefined;
    this.resolved = undefined;
  }

  /**
   * @internal `text` with every Terraform reference spelled as its expression (`${var.warehouse_id}`):
   * what keys, sort orders and addresses are built from, so none depends on cdktf's token counter (a
   * variable declared first would otherwise rename them) and two uses of one variable are one value.
   */
  expression(text: string): string {
    if (!containsToken(text)) return text;
    const known = this.resolved?.get(text);
    if (known !== undefined) return String(known);
    const expr = String(resolve(this, text));
    this.resolved?.set(text, expr);
    return expr;
  }

  /** Ask for a grant; merged with every other request of the stack at synth. */
  requestGrant(request: GrantRequest): void {
    if (this.realised)
      throw new AgentConfigError([
        {
          ruleId: "DBA-CFG-001",
          path: request.requestedBy,
          prop: "requestGrant",
          message: "a grant was requested after the grant plan was realised (synthesis had started)",
          received: `${request.privilege} on ${describeSecurable(request.securable)} for ${request.principal.key}`,
          allowed: "requests made while the app is being built, before app.synth()",
          fix: "request the grant where the constructs are declared, not from an aspect or after synth",
        },
      ]);
    this.changed();
    this.requests.push(request);
  }

  /**
   * @internal A grant a target requests for its own identity (an app's service principal): the only
   * requests that may name it (DBA-APP-009 fails every other).
   */
  requestTargetIdentityGrant(request: GrantRequest): void {
    this.requestGrant(request);
    this.targetIdentityRequests.add(request);
  }

  /** Accept findings of `ruleId` at or below `scope`, for `reason` (at least 10 characters). */
  acknowledge(scope: IConstruct, ruleId: string, reason: string, options: AcknowledgeOptions = {}): void {
    const parsed = parseProps(
      acknowledgementSchema,
      { ruleId, reason },
      `${this.node.path}.acknowledge`,
      ACKNOWLEDGEMENT_HELP,
    );
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    this.changed();
    this.acknowledgements.push(acknowledgementOf(ruleId, scope.node.path, reason, options));
  }

  /** Configure how grants on objects the stack does not own are realised. */
  configureGrants(settings: GrantSettings): void {
    const parsed = parseProps(
      grantSettingsSchema,
      settings,
      `${this.node.path}.configureGrants`,
      GRANT_SETTINGS_HELP,
    );
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    this.changed();
    this.settings = { ...this.settings, ...parsed.value } as Required<GrantSettings>;
  }

  /**
   * Configure the files synth writes beside `cdk.tf.json`. By default the targets' files are one per
   * stack: `mlflow.json` (each endpoint's auth policy and metadata) and `apps.json` (each app's handoff),
   * keyed as the report's `endpoints[].mlflowKey` and `apps[].appsKey` say. `perTargetFiles: true` also
   * writes them as 0.1 did, `mlflow/<key>/` and `apps/<key>/` (`dba-export` writes them on demand).
   */
  configureFiles(settings: FileSettings): void {
    const parsed = parseProps(
      fileSettingsSchema,
      settings,
      `${this.node.path}.configureFiles`,
      FILE_SETTINGS_HELP,
    );
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    this.changed();
    this.files = { ...this.files, ...parsed.value } as Required<FileSettings>;
  }

  /** The stack's file settings. */
  get fileSettings(): Required<FileSettings> {
    return this.files;
  }

  /**
   * The endpoints as deployed, by construct path: the `endpoints` of a previous `endpoint-lock.json`
   * (written beside cdk.tf.json), committed in the platform repo. With it, synth fails on changes that
   * would replace a protected endpoint (DBA-EP-008) and on deployed endpoints whose construct is gone
   * or renamed (DBA-EP-009).
   */
  useEndpointLock(lock: { readonly endpoints: Readonly<Record<string, DeployedEndpoint>> }): void {
    const parsed = parseProps(
      endpointLockSchema,
      lock,
      `${this.node.path}.useEndpointLock`,
      ENDPOINT_LOCK_HELP,
    );
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    this.changed();
    this.deployed = parsed.value.endpoints;
  }

  /**
   * The grants as last applied: the `agent-report.json` of the synth that was last applied (committed
   * beside the lock). With it, synth fails when a `databricks_grant` the stack owns (mechanism `uc_grant`)
   * would both add and remove privileges for its principal in one apply, which the API rejects
   * (DBA-PROV-003, provider PR #5824). Only the report's grants are read, from a report of either format.
   */
  usePreviousReport(
    report:
      | ReportGrantTables
      | {
          readonly grants: readonly Pick<
            ReportGrant,
            "securable" | "principal" | "privileges" | "mechanism"
          >[];
        },
  ): void {
    const parsed = parseProps(
      previousReportSchema,
      report,
      `${this.node.path}.usePreviousReport`,
      PREVIOUS_REPORT_HELP,
    );
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    this.changed();
    this.previousGrants = new Map(
      parsed.value.grants
        .filter((g) => g.mechanism === "uc_grant")
        .map((g) => [previousGrantKey(g.securable, g.principal), [...g.privileges].sort()] as const),
    );
  }

  /** The lock to commit after a successful deploy: every endpoint's identity by construct path. */
  endpointLock(): { endpoints: Record<string, DeployedEndpoint> } {
    if (this.session?.lock) return { endpoints: this.session.lock };
    const entries = this.endpoints
      .map((e) => [e.node.path, e.lockEntry()] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const endpoints = recordOf(entries);
    if (this.session) this.session.lock = endpoints;
    return { endpoints };
  }

  /** The stack's grant settings. */
  get grantSettings(): Required<GrantSettings> {
    return this.settings;
  }

  /** Everything the stack declares, as plain data for the rules. */
  toModel(): StackModel {
    const targets = this.endpoints.map((e) => e.toModel());
    return {
      bundles: this.bundles.map((b) => b.toModel()),
      policies: this.policies.map((p) => p.toModel()),
      endpoints: targets.filter((t): t is EndpointModel => !("target" in t)),
      apps: targets.filter((t): t is AppModel => "target" in t),
      deployedEndpoints: this.deployed,
      endpointNamesElsewhere: this.endpointNamesElsewhere(),
    };
  }

  /** The merged grant plan. */
  grantPlan(): PlannedGrant[] {
    if (this.frozenPlan?.settings === this.settings) return this.frozenPlan.plan;
    const overrides = new Map(
      Object.entries(this.settings.overrides).map(([k, m]) => [canonicalObjectKey(k), m]),
    );
    const plan = mergeGrants(this.requests, {
      owned: new Set(this.owned.keys()),
      defaultMechanism: this.settings.mechanism,
      overrides,
      ownedGrants: new Set(this.settings.ownedGrants.map((o) => this.expression(ownedGrantKey(o)))),
      // Kept per text for this one merge, which cannot see the tree change.
      expression: boundedMemo(Number.POSITIVE_INFINITY, (text: string) => this.expression(text)),
      providerVersion: ENGINES[ENGINE_NAME].provider,
    });
    // After realise() no request can be added (requestGrant throws): the plan changes only with the settings.
    if (this.realised) this.frozenPlan = { settings: this.settings, plan };
    return plan;
  }

  /** Run every rule; the result is also what the report shows. */
  evaluate(): Evaluation {
    const plan = this.grantPlan();
    const model = this.toModel();
    // The lock is the targets' lock entries, which the model has just computed (each renders its resource).
    const targets = [...model.endpoints, ...(model.apps ?? [])];
    if (this.session && targets.every((t) => t.lockEntry !== undefined))
      this.session.lock = recordOf(
        targets.map((t) => [t.path, t.lockEntry!] as const).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    // In the order they were always computed: the escape-hatch grants, then the reference principals.
    const foreign = foreignGrants(this, this.created, this.owned);
    const references = referencePrincipals(this, this.requests);
    const evaluation = evaluateRules(
      model,
      grantRuleInput(plan, this.requests, this.node.path, {
        foreign,
        hiddenPrincipalNames: hiddenPrincipalNames(references),
        targetIdentityNames: targetIdentityNames(references),
        targetIdentityRequests: this.targetIdentityRequests,
        warehouseOwners: new Set(Object.keys(this.settings.warehouseOwners)),
        warehouseOwnerPrincipals: Object.values(this.settings.warehouseOwners),
        ownedGrants: this.settings.ownedGrants.map((o) => ({
          key: this.expression(ownedGrantKey(o)),
          label: `${o.securable} for ${o.principal.key}`,
        })),
        authoritativeElsewhere: this.authoritativeElsewhere(),
        providerVersion: ENGINES[ENGINE_NAME].provider,
        previousGrants: this.previousGrants,
      }),
      this.acknowledgements,
    );
    this.lastEvaluation = evaluation;
    if (this.session) this.session.evaluation = evaluation;
    return evaluation;
  }

  /** The evaluation of this synthesis (the gate's), or a new one outside a synthesis. */
  private currentEvaluation(): Evaluation {
    return this.session?.evaluation ?? this.evaluate();
  }

  /**
   * @internal The blocking findings of the last evaluation (evaluated now if validations were skipped),
   * Terraform references shown as their expressions (e.g. `${var.space_id}`).
   */
  blockingFindings(): readonly Finding[] {
    return this.resolveTokens((this.session?.evaluation ?? this.lastEvaluation ?? this.evaluate()).blocking);
  }

  /** @internal The library's own synthesis step, run by the synth gate before the app is validated. */
  prepare(): void {
    this.resolved = new Map();
    this.realise();
    this.session = {};
  }

  /**
   * @internal This stack's agent files are written: the plan, the evaluation and the lock are dropped
   * (recomputed if asked for again); the validation messages stay for the engine's validation.
   */
  artifactsWritten(): void {
    if (this.session) this.session = { messages: this.session.messages };
    this.lastEvaluation = undefined;
    this.frozenPlan = undefined;
  }

  /** @internal This stack is written: the next synthesis evaluates again. */
  endSynthesis(): void {
    this.session = undefined;
    this.resolved = undefined;
  }

  /** The stack report: findings, acknowledgements, the grant plan. */
  report(): StackReport {
    return this.buildStackReport(true);
  }

  /** The report; `commands: false` leaves the owners' commands out of `requiredActions`. */
  private buildStackReport(commands: boolean): StackReport {
    // Terraform references (e.g. a space id from a variable) appear as their expressions, never as tokens.
    return this.resolveTokens(
      buildReport(
        this.stack.node.id,
        this.lastEvaluation ?? this.evaluate(),
        this.grantPlan(),
        this.endpoints,
        this.settings.cliPath,
        { commands },
      ),
    ) as StackReport;
  }

  private resolveTokens<T>(v: T): T {
    return resolvedIn(this, v, this.resolved);
  }

  private validate(): string[] {
    // Validated twice per synth (the synth gate, then the engine): the second reuses the first.
    if (this.session?.messages) return this.session.messages;
    // Messages show Terraform references as their expressions, never as `${TfToken[...]}`.
    const evaluation = this.resolveTokens(this.currentEvaluation());
    // Validated twice per synth (the synth gate, then the engine): each warning is annotated once.
    for (const f of evaluation.findings.filter((x) => x.severity === "warning" && !x.acknowledged)) {
      const text = `[${f.ruleId}] ${f.path}: ${f.message} Fix: ${f.fix}`;
      if (this.warned.has(text)) continue;
      this.warned.add(text);
      Annotations.of(this).addWarning(text);
    }
    const messages = formatBlocking(evaluation.blocking);
    if (this.session) this.session.messages = messages;
    return messages;
  }

  private realise(): void {
    if (this.realised) return;
    this.realised = true;
    for (const c of realiseGrants(this, this.grantPlan(), this.owned, this.settings)) this.created.add(c);
  }

  /** What the app's other stacks realise authoritatively: owned UC pairs and authoritative ACLs, by key. */
  private authoritativeElsewhere(): Map<string, string> {
    const out = new Map<string, string>();
    for (const stack of this.node.root.node.children) {
      if (stack === this.stack || !TerraformStack.isStack(stack)) continue;
      const other = stack.node.tryFindChild(CONTEXT_ID);
      if (!(other instanceof AgentStackContext)) continue;
      for (const g of other.grantPlan())
        if (g.realisation === "uc_grant") out.set(g.key, stack.node.id);
        else if (g.realisation === "authoritative") out.set(g.securableKey, stack.node.id);
    }
    return out;
  }

  /**
   * Literal endpoint names the app's other stacks declare (`<stack> (<path>)` by name), skipping a stack
   * whose provider names another literal workspace host than this one's: those are other workspaces.
   */
  private endpointNamesElsewhere(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const host = workspaceHost(this.stack);
    for (const stack of this.node.root.node.children) {
      if (stack === this.stack || !TerraformStack.isStack(stack)) continue;
      const other = stack.node.tryFindChild(CONTEXT_ID);
      if (!(other instanceof AgentStackContext)) continue;
      const otherHost = workspaceHost(stack);
      if (host !== undefined && otherHost !== undefined && host !== otherHost) continue;
      for (const e of other.endpoints)
        if (!containsToken(e.targetName)) pushTo(out, e.targetName, `${stack.node.id} (${e.node.path})`);
    }
    for (const entries of out.values()) entries.sort();
    return out;
  }

  /**
   * The files synth writes beside `cdk.tf.json`, as data: the stack report, the endpoint lock and, per
   * endpoint, the MLflow auth policy and metadata (`mlflow.json`), per app its handoff (`apps.json`),
   * each keyed as the report names it. `commands: false` leaves the owners' commands out of the report's
   * `requiredActions` (cheaper for a large stack; `agent-report.json` holds none either).
   */
  artifacts(options: { readonly commands?: boolean } = {}): AgentStackArtifacts {
    return { report: this.buildStackReport(options.commands ?? true), ...this.targetFiles() };
  }

  /**
   * @internal The files as synth writes them: the report in its file form, made from the plan without
   * the report's rows (each grant's strings are resolved once, by text; the rest of the file after).
   */
  synthFiles(): AgentStackFiles {
    // Each target's files are made once: the report's head and the per-stack files both read them.
    const artifacts = targetArtifacts(this.endpoints);
    return { reportFile: this.reportFile(artifacts), ...this.targetFiles(artifacts) };
  }

  private reportFile(artifacts: TargetArtifacts): ReportFile {
    const plan = this.grantPlan();
    const head = reportHead(
      this.stack.node.id,
      this.lastEvaluation ?? this.evaluate(),
      plan,
      this.endpoints,
      this.settings.cliPath,
      artifacts,
    );
    // The rows hold the plan's strings as they are; the file spells each distinct one once (`text`).
    const text = (s: string): string => (containsToken(s) ? resolvedIn(this, s, this.resolved) : s);
    const described = new Map<string, string>();
    const ownerObjects = new Set<string>();
    const rows = new Array<FileGrant>(plan.length);
    for (let i = 0; i < plan.length; i++) {
      const g = plan[i]!;
      let securable = described.get(g.securableKey);
      if (securable === undefined)
        described.set(g.securableKey, (securable = describeSecurable(g.securable)));
      if (g.realisation === "report") ownerObjects.add(g.securableKey);
      rows[i] = {
        securable,
        principal: g.principal.key,
        privileges: g.privileges,
        mechanism: g.realisation,
        reasons: g.reasons,
      };
    }
    const file = reportFileOf(head, rows, ownerObjects.size, text);
    // The tables are spelled already and the grant lines hold indexes: the rest of the file (the head's
    // findings, acknowledgements, endpoints and apps) with references spelled out.
    const tables = {
      securables: file.securables,
      principals: file.principals,
      requesters: file.requesters,
      needs: file.needs,
      reasons: file.reasons,
      grants: file.grants,
    };
    const none = { securables: [], principals: [], requesters: [], needs: [], reasons: [], grants: [] };
    return { ...this.resolveTokens({ ...file, ...none }), ...tables };
  }

  private targetFiles(
    artifacts: TargetArtifacts = targetArtifacts(this.endpoints),
  ): Omit<AgentStackArtifacts, "report"> {
    const { mlflow, apps } = artifacts;
    return {
      endpointLock: this.endpointLock(),
      mlflow: recordOf(
        mlflow.map((a) => [
          a.dir,
          { authPolicy: this.resolveTokens(a.policy), metadata: this.resolveTokens(a.metadata) },
        ]),
      ),
      ...(apps.length > 0 ? { apps: recordOf(apps.map((a) => [a.dir, this.resolveTokens(a.handoff)])) } : {}),
    };
  }
}

/**
 * `resolve(scope, v)` applied only to the strings that hold a token: the same result as resolving the
 * whole value, without running the engine's resolver over every row of a large report. Terraform
 * references (e.g. a space id from a variable) then appear as their expressions (`${var.space_id}`), in
 * the files and in every message, never as `${TfToken[...]}`. With `cache`, each token text is resolved
 * once (for use while the tree cannot change: one synthesis).
 * @internal
 */
export function resolvedIn<T>(scope: IConstruct, v: T, cache?: Map<string, unknown>): T {
  // A value without a token anywhere is returned as it is (no copy): most of a report has none.
  const walk = (x: unknown): unknown => {
    if (typeof x === "string") {
      if (!containsToken(x)) return x;
      if (cache === undefined) return resolveOrKeep(scope, x);
      if (!cache.has(x)) cache.set(x, resolveOrKeep(scope, x));
      return cache.get(x);
    }
    if (Array.isArray(x)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < x.length; i++) {
        const y = walk(x[i]);
        if (y !== x[i]) (out ??= x.slice())[i] = y;
      }
      return out ?? x;
    }
    if (x === null || typeof x !== "object") return x;
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(x)) {
      const y = (x as Record<string, unknown>)[k];
      const w = walk(y);
      if (w !== y) (out ??= { ...x })[k] = w;
    }
    return out ?? x;
  };
  return walk(v) as T;
}

/**
 * `resolve(scope, v)` for rendered resource data (`toTerraform()` output): when it is plain JSON data
 * (strings, numbers that are no number token, booleans, null, undefined, arrays, plain objects), only its
 * token strings are resolved ({@link resolvedIn}); anything else (a resolvable object, a number token)
 * goes through the engine's resolver as a whole.
 * @internal
 */
export function resolvedData(scope: IConstruct, v: unknown): unknown {
  const plain = (x: unknown): boolean => {
    if (x === null || x === undefined || typeof x === "string" || typeof x === "boolean") return true;
    if (typeof x === "number") return !Token.isUnresolved(x);
    if (Array.isArray(x)) return x.every(plain);
    if (typeof x !== "object") return false;
    const proto = Object.getPrototypeOf(x);
    return (proto === Object.prototype || proto === null) && Object.values(x).every(plain);
  };
  return plain(v) ? resolvedIn(scope, v) : resolve(scope, v);
}

/** A string the engine cannot resolve as a whole (e.g. a list token in a scalar string) has each token resolved on its own. */
function resolveOrKeep(scope: IConstruct, x: string): unknown {
  try {
    return resolve(scope, x);
  } catch {
    // Each token on its own (a list token alone resolves to its expression); never the raw token text.
    return x.replace(/[$#]\{TfToken\[[^\]]+\]\}/g, (token) => {
      try {
        const r: unknown = resolve(scope, token.startsWith("#") ? [token] : token);
        return typeof r === "string" ? r : JSON.stringify(r);
      } catch {
        return "<a Terraform reference>";
      }
    });
  }
}

/**
 * The workspace host a stack's default Databricks provider names literally (lower case, without scheme
 * or trailing '/'); undefined when it names none or a Terraform reference (the workspace is unknown).
 */
function workspaceHost(stack: TerraformStack): string | undefined {
  const provider = stack.node.children.find(
    (c): c is DatabricksProvider => c instanceof DatabricksProvider && c.alias === undefined,
  );
  const host = provider?.host;
  if (host === undefined || containsToken(host)) return undefined;
  return host
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "");
}

/**
 * `scope`, once checked to come from the library's own copies of `constructs` and the engine: a scope
 * from another copy would synthesize with grants and ACLs silently missing (DBA-PKG-002).
 * @internal
 */
export function sameCopyScope<T extends IConstruct>(scope: T, id?: string): T {
  if (!(scope instanceof Construct)) throw foreignCopyError("Construct", scope);
  if (!scope.node.scopes.some((s) => TerraformStack.isStack(s))) throw outsideStackError(scope, id);
  const stack = TerraformStack.of(scope);
  if (!(stack instanceof TerraformStack)) throw foreignCopyError("TerraformStack", stack);
  return scope;
}

/** A scope from another copy of `constructs` or the engine (see DBA-PKG-002). */
function foreignCopyError(what: "TerraformStack" | "Construct", scope: IConstruct): EngineSetupError {
  const pkg = what === "Construct" ? "constructs" : ENGINES[ENGINE_NAME].engine;
  let path: string;
  try {
    path = scope.node.path;
  } catch {
    path = "(unknown path)";
  }
  return new EngineSetupError([foreignCopyProblem(ENGINE_NAME, what, path, probeEngineSetup().own[pkg])]);
}

/** DBA-CFG-003: an agent construct whose scope is not inside a TerraformStack. */
function outsideStackError(scope: IConstruct, id: string | undefined): AgentConfigError {
  const where = scope.node.path === "" ? "the app" : `"${scope.node.path}", which is in no stack`;
  return new AgentConfigError([
    {
      ruleId: "DBA-CFG-003",
      path: [scope.node.path, id].filter((x) => x).join("/") || "(app)",
      message:
        "an agent construct is created outside any TerraformStack; its grants, ACLs and files belong to a stack",
      received: `scope ${where}`,
      allowed: "a TerraformStack or a construct inside one",
      fix: 'create it inside a stack: new TerraformStack(app, "agents"), then pass that stack (or a construct in it) as the scope',
    },
  ]);
}

/** DBA-CFG-004: a construct of the user holds the context's reserved id in the stack. */
function reservedIdError(existing: IConstruct): AgentConfigError {
  return new AgentConfigError([
    {
      ruleId: "DBA-CFG-004",
      path: existing.node.path,
      message: `the id "${CONTEXT_ID}" is reserved for the library's per-stack context (it is part of every grant's address)`,
      received: `a ${existing.constructor.name} with id "${CONTEXT_ID}"`,
      allowed: `any other id for your own constructs directly in a stack`,
      fix: `rename your construct (for example "${CONTEXT_ID}Config")`,
    },
  ]);
}
