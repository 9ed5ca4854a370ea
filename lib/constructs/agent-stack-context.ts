import { Construct, type IConstruct } from "constructs";
import { Annotations, Aspects, resolve, TerraformStack } from "../engine";
import { describeSecurable, securableKey } from "../model/securable";
import type { GrantRequest } from "../grants/grant-request";
import { mergeGrants, pairKey, type PlannedGrant } from "../grants/plan";
import { ownedGrantKey, type GrantSettings } from "../grants/grant-settings";
import { grantRuleInput } from "../rules/grant-model";
import { AgentConfigError } from "../model/problem";
import {
  ACKNOWLEDGEMENT_HELP,
  acknowledgementSchema,
  ENDPOINT_LOCK_HELP,
  endpointLockSchema,
  GRANT_SETTINGS_HELP,
  grantSettingsSchema,
  parseProps,
} from "../model/schemas";
import { containsToken } from "../model/tokens";
import { acknowledgementOf, type Acknowledgement, type AcknowledgeOptions } from "../rules/acknowledgement";
import { evaluateRules, formatBlocking, type Evaluation, type Finding } from "../rules/evaluate";
import type { AppModel, DeployedEndpoint, EndpointModel, StackModel } from "../rules/stack-model";
import { appArtifacts, buildReport, mlflowArtifacts, type StackReport } from "./report";
import { realiseGrants } from "./grant-realiser";
import { foreignGrants, hiddenPrincipalNames, targetIdentityNames } from "./grant-evidence";
import { installArtifactWriter, type AgentStackArtifacts } from "./artifact-writer";
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
    return new AgentStackContext(stack);
  }

  private readonly bundles: IRegisteredBundle[] = [];
  private readonly policies: IRegisteredPolicy[] = [];
  private readonly endpoints: IAgentTarget[] = [];
  private readonly requests: GrantRequest[] = [];
  private readonly targetIdentityRequests = new Set<GrantRequest>();
  private readonly owned = new Map<string, IAgentTarget>();
  private readonly acknowledgements: Acknowledgement[] = [];
  private settings: Required<GrantSettings> = {
    mechanism: "report",
    overrides: {},
    ownedGrants: [],
    forgetLegacyGrants: false,
    cliPath: "databricks",
    warehouseOwners: {},
  };
  private readonly created = new Set<IConstruct>();
  private realised = false;
  private lastEvaluation?: Evaluation;
  private frozenPlan?: { readonly settings: Required<GrantSettings>; readonly plan: PlannedGrant[] };
  private deployed?: Readonly<Record<string, DeployedEndpoint>>;

  private constructor(private readonly stack: TerraformStack) {
    super(stack, CONTEXT_ID);
    stack.node.addValidation({ validate: () => this.validate() });
    Aspects.of(this).add({ visit: (node) => (node === this ? this.realise() : undefined) });
    installArtifactWriter(stack, this);
  }

  /** @internal */
  registerBundle(b: IRegisteredBundle): void {
    this.bundles.push(b);
  }
  /** @internal */
  registerPolicy(p: IRegisteredPolicy): void {
    this.policies.push(p);
  }
  /** @internal */
  registerEndpoint(e: IAgentTarget): void {
    this.endpoints.push(e);
  }
  /** @internal The target's own ACL is the stack's: authoritative. */
  ownTarget(target: IAgentTarget): void {
    this.owned.set(securableKey(target.ownedAcl().securable), target);
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
    if (!parsed.ok) throw new AgentConfigError(parsed.problems);
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
    if (!parsed.ok) throw new AgentConfigError(parsed.problems);
    this.settings = { ...this.settings, ...parsed.value } as Required<GrantSettings>;
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
    if (!parsed.ok) throw new AgentConfigError(parsed.problems);
    this.deployed = parsed.value.endpoints;
  }

  /** The lock to commit after a successful deploy: every endpoint's identity by construct path. */
  endpointLock(): { endpoints: Record<string, DeployedEndpoint> } {
    const entries = this.endpoints
      .map((e) => [e.node.path, e.lockEntry()] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return { endpoints: Object.fromEntries(entries) };
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
    };
  }

  /** The merged grant plan. */
  grantPlan(): PlannedGrant[] {
    if (this.frozenPlan?.settings === this.settings) return this.frozenPlan.plan;
    const overrides = new Map(Object.entries(this.settings.overrides));
    const plan = mergeGrants(this.requests, {
      owned: new Set(this.owned.keys()),
      defaultMechanism: this.settings.mechanism,
      overrides,
      ownedGrants: new Set(this.settings.ownedGrants.map((o) => ownedGrantKey(o))),
    });
    // After realise() no request can be added (requestGrant throws): the plan changes only with the settings.
    if (this.realised) this.frozenPlan = { settings: this.settings, plan };
    return plan;
  }

  /** Run every rule; the result is also what the report shows. */
  evaluate(): Evaluation {
    const plan = this.grantPlan();
    const evaluation = evaluateRules(
      this.toModel(),
      grantRuleInput(plan, this.requests, this.node.path, {
        foreign: foreignGrants(this, this.created, this.owned),
        hiddenPrincipalNames: hiddenPrincipalNames(this, this.requests),
        targetIdentityNames: targetIdentityNames(this, this.requests),
        targetIdentityRequests: this.targetIdentityRequests,
        warehouseOwners: new Set(Object.keys(this.settings.warehouseOwners)),
        warehouseOwnerPrincipals: Object.values(this.settings.warehouseOwners),
        ownedGrants: this.settings.ownedGrants.map((o) => ({
          key: ownedGrantKey(o),
          label: `${o.securable} for ${o.principal.key}`,
        })),
        authoritativeElsewhere: this.authoritativeElsewhere(),
      }),
      this.acknowledgements,
    );
    this.lastEvaluation = evaluation;
    return evaluation;
  }

  /** @internal The blocking findings of the last evaluation (evaluated now if validations were skipped). */
  blockingFindings(): readonly Finding[] {
    return (this.lastEvaluation ?? this.evaluate()).blocking;
  }

  /** The stack report: findings, acknowledgements, the grant plan. */
  report(): StackReport {
    // Terraform references (e.g. a space id from a variable) appear as their expressions, never as tokens.
    return this.resolveTokens(
      buildReport(
        this.stack.node.id,
        this.lastEvaluation ?? this.evaluate(),
        this.grantPlan(),
        this.endpoints,
        this.settings.cliPath,
      ),
    ) as StackReport;
  }

  /**
   * `resolve(this, v)` applied only to the strings that hold a token: the same result as resolving the
   * whole value, without running cdktf's resolver over every row of a large report.
   */
  private resolveTokens<T>(v: T): T {
    const walk = (x: unknown): unknown =>
      typeof x === "string"
        ? containsToken(x)
          ? resolve(this, x)
          : x
        : Array.isArray(x)
          ? x.map(walk)
          : x !== null && typeof x === "object"
            ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]))
            : x;
    return walk(v) as T;
  }

  private validate(): string[] {
    const evaluation = this.evaluate();
    for (const f of evaluation.findings.filter((x) => x.severity === "warning" && !x.acknowledged))
      Annotations.of(this).addWarning(`[${f.ruleId}] ${f.path}: ${f.message} Fix: ${f.fix}`);
    return formatBlocking(evaluation.blocking);
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
        if (g.realisation === "uc_grant") out.set(pairKey(g.securable, g.principal.key), stack.node.id);
        else if (g.realisation === "authoritative") out.set(securableKey(g.securable), stack.node.id);
    }
    return out;
  }

  /**
   * The files synth writes beside `cdk.tf.json`, as data: the stack report, the endpoint lock and, per
   * endpoint, the MLflow auth policy and metadata (keyed by the directory under `mlflow/`).
   */
  artifacts(): AgentStackArtifacts {
    const apps = appArtifacts(this.endpoints);
    return {
      report: this.report(),
      endpointLock: this.endpointLock(),
      mlflow: Object.fromEntries(
        mlflowArtifacts(this.endpoints).map((a) => [
          a.dir,
          { authPolicy: this.resolveTokens(a.policy), metadata: this.resolveTokens(a.metadata) },
        ]),
      ),
      ...(apps.length > 0
        ? { apps: Object.fromEntries(apps.map((a) => [a.dir, this.resolveTokens(a.handoff)])) }
        : {}),
    };
  }
}

/**
 * `scope`, once checked to come from the library's own copies of `constructs` and the engine: a scope
 * from another copy would synthesize with grants and ACLs silently missing (DBA-PKG-002).
 * @internal
 */
export function sameCopyScope<T extends IConstruct>(scope: T): T {
  if (!(scope instanceof Construct)) throw foreignCopyError("Construct", scope);
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
