import { Construct } from "constructs";
import { DatabricksAppResource, TerraformOutput, type DatabricksAppResourceBlock } from "../engine";
import { ENGINES } from "../engine/compat";
import { ENGINE_NAME } from "../engine/current";
import { boundedMemo } from "../model/bounded-memo";
import { appScopesFor } from "../model/app-scopes";
import { appResourcesFor, type AppResourceFallback, type AppResourceSpec } from "../model/app-resources";
import { Principal } from "../model/principal";
import { AgentConfigError } from "../model/problem";
import { parseProps } from "../model/schemas";
import type { SecretRef } from "../model/secret-ref";
import { securableKey, ws, type Securable } from "../model/securable";
import { bindingProperty } from "../model/securable-types";
import { parentGrants } from "../grants/plan";
import type { AppDependencyModel, AppModel, DeployedEndpoint } from "../rules/stack-model";
import { AGENT_APP_HELP, agentAppSchema, type AgentAppProps } from "./agent-app-props";
import type { AgentAuthPolicy } from "./agent-auth-policy";
import { DEFAULT_OBO_FLAG } from "./agent-serving-endpoint";
import { AgentStackContext, sameCopyScope } from "./agent-stack-context";
import type { AppHandoff, IAgentTarget, OwnedAcl } from "./target";
import { requestTargetAccess } from "./target-access";
import { sortedMap, sortedRecord } from "./target-props";

export type { AgentAppProps } from "./agent-app-props";

/**
 * A Databricks App for an agent: `databricks_app` with app resources for what the policy declares for
 * the app's own identity (passthrough), `user_api_scopes` derived from what it declares on behalf of the
 * user (the Apps scope catalog), the transitive grants no app resource expresses (a Genie space's tables,
 * parents' USE_*) to the app's service principal through the grant plan, consumers CAN_USE and managers
 * CAN_MANAGE on an ACL it owns, and the `app.yaml` handoff for the code deployment. The same
 * {@link AgentAuthPolicy} an {@link AgentServingEndpoint} takes.
 */
export class AgentApp extends Construct implements IAgentTarget {
  /** The `databricks_app` resource (escape hatch). */
  readonly resource: DatabricksAppResource;
  /** App name. */
  readonly appName: string;
  /** The policy, when given. */
  readonly authPolicy?: AgentAuthPolicy;
  /** The app's service principal (its application id, known after apply): the identity the app runs as. */
  readonly servicePrincipal: Principal;
  /** The app's `name` reference, made once (each read of the attribute makes a token). */
  private readonly nameRef: string;
  /** The `user_api_scopes` as synthesized (empty when nothing is reached on behalf of the user). */
  readonly userApiScopes: readonly string[];
  /** The app resources as synthesized, sorted by name. */
  readonly appResources: readonly AppResourceSpec[];
  /** What the app's identity reaches that no app resource expresses on the bound provider (grant plan). */
  readonly grantFallbacks: readonly AppResourceFallback[];
  /** The variables the library sets in `app.yaml` (Genie space ids, the OBO flag), sorted. */
  readonly managedEnvironment: Readonly<Record<string, string>>;
  /** Plain variables the user gave. */
  readonly environment: Readonly<Record<string, string>>;
  /** Secret variables. */
  readonly secrets: Readonly<Record<string, SecretRef>>;
  /** Consumers (CAN_USE). */
  readonly consumers: readonly Principal[];
  /** `prevent_destroy`. */
  readonly protect: boolean;

  private readonly givenScopes?: readonly string[];
  private readonly additionalScopes: readonly string[];
  private readonly unavailable: readonly AppResourceFallback[];
  private readonly deployer?: Principal;
  /**
   * `app.yaml`'s variables read from an app resource, by variable name, in code-point order. A map, not
   * an object: a variable named after an agent's own resource (its Lakebase instance) is a key no other
   * app has, and objects with such keys each get their own V8 hidden classes (slow stores, more memory).
   */
  private readonly valueFrom: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: AgentAppProps) {
    super(sameCopyScope(scope), id);
    const parsed = parseProps(agentAppSchema, props, this.node.path, AGENT_APP_HELP);
    if (!parsed.ok) throw new AgentConfigError(parsed.problems);
    const p = parsed.value;
    this.appName = p.name;
    this.authPolicy = p.authPolicy as AgentAuthPolicy | undefined;
    this.environment = sortedRecord(p.environment ?? {});
    this.secrets = sortedRecord(p.secrets ?? {});
    this.consumers = (p.consumers ?? []) as Principal[];
    this.deployer = p.deployer as Principal | undefined;
    this.protect = p.protect ?? true;
    this.givenScopes = p.userApiScopes ? [...p.userApiScopes] : undefined;
    this.additionalScopes = [...(p.additionalUserApiScopes ?? [])].sort();
    const policy = this.authPolicy;

    // Caller-identity reads are implicit on Apps: their paths add no scope (APP_SCOPES_BY_ACCESS_PATH).
    const derived = appScopesFor([
      ...(policy?.oboDependencies ?? []).flatMap((d) => d.oboAccessPaths("databricksApps")),
      ...(policy?.callerIdentityAccessPaths ?? []),
    ]);
    this.userApiScopes = this.givenScopes ? [...new Set(this.givenScopes)].sort() : derived;

    const split = appResourcesFor(
      policy?.systemResources ?? [],
      { providerVersion: ENGINES[ENGINE_NAME].provider, newerResources: p.nativeUcResources ?? false },
      this.secrets,
    );
    this.appResources = split.resources;
    this.grantFallbacks = split.fallbacks;
    this.unavailable = split.unavailable;

    // app.yaml: every app resource by valueFrom (Genie spaces under their bundle's variable, secrets under
    // theirs), the Genie space ids the app's identity does not reach as literals, and the OBO flag.
    const bundleVar = new Map((policy?.genieBundles ?? []).map((b) => [b.spaceId, b.envVar] as const));
    const valueFrom = new Map<string, string>();
    for (const r of this.appResources) {
      const env =
        r.secretVariable ??
        (r.block === "genie_space" ? bundleVar.get(r.fields.space_id!) : undefined) ??
        r.name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
      valueFrom.set(env, r.name);
    }
    this.valueFrom = sortedMap(valueFrom);
    const oboFlag = p.oboFlagEnvVar === undefined ? DEFAULT_OBO_FLAG : p.oboFlagEnvVar;
    this.managedEnvironment = sortedRecord({
      ...Object.fromEntries(
        (policy?.genieBundles ?? [])
          .filter((b) => !valueFrom.has(b.envVar))
          .map((b) => [b.envVar, b.spaceId]),
      ),
      ...(policy?.usesOnBehalfOfUser && oboFlag !== false ? { [oboFlag]: "true" } : {}),
    });

    this.resource = new DatabricksAppResource(this, "App", {
      name: this.appName,
      ...(p.description !== undefined ? { description: p.description } : {}),
      ...(this.userApiScopes.length > 0 ? { userApiScopes: [...this.userApiScopes] } : {}),
      ...(this.appResources.length > 0 ? { resources: this.appResources.map(toBinding) } : {}),
      lifecycle: { preventDestroy: this.protect },
    });
    // Each read of an attribute makes a new token (and the engine captures a stack trace for it): read once.
    const clientId = this.resource.servicePrincipalClientId;
    this.servicePrincipal = Principal.servicePrincipal(clientId);

    const path = this.node.path;
    this.nameRef = this.resource.name;
    new TerraformOutput(this, "Name", { value: this.nameRef, description: `Name of ${path}` });
    new TerraformOutput(this, "Url", { value: this.resource.url, description: `URL of ${path}` });
    new TerraformOutput(this, "ServicePrincipalClientId", {
      value: clientId,
      description: `Application id of the service principal ${path} runs as`,
    });

    const context = AgentStackContext.of(this);
    context.registerEndpoint(this);
    this.requestGrants(context, (p.managers ?? []) as Principal[]);
  }

  /** The securable this app is, in grant plans. */
  get securable(): Securable {
    return ws("app", this.appName);
  }

  private requestGrants(context: AgentStackContext, managers: Principal[]): void {
    const by = this.node.path;
    context.ownTarget(this);
    requestTargetAccess(context, {
      securable: this.securable,
      label: `app ${this.appName}`,
      consumerLevel: "CAN_USE",
      consumers: this.consumers,
      managers,
      deployer: this.deployer,
      oboDependencies: this.authPolicy?.oboDependencies ?? [],
      requestedBy: by,
    });
    // The app's own identity: what an app resource gives it is not requested again; the rest (a Genie
    // space's tables and functions, parents' USE_*, what the provider's app resources cannot express)
    // goes through the grant plan, to the app's service principal.
    const covered = new Set(this.appResources.flatMap((r) => (r.covers ? [securableKey(r.covers)] : [])));
    const fallbackReason = new Map(this.grantFallbacks.map((f) => [securableKey(f.securable), f.reason]));
    // A reason reads "<requester>: <need>" (the report states each once): how the app reaches the
    // object qualifies the requester, so the need stays the dependency's own description.
    const requester = `service principal of app ${this.appName}, passthrough`;
    const via = (qualifier: string | undefined): string =>
      qualifier === undefined ? requester : `${requester} (${qualifier})`;
    for (const d of this.authPolicy?.systemDependencies ?? []) {
      // One text per qualifier of the dependency, shared by its requests (the plan and the report
      // compare and hash each string object once).
      const reason = boundedMemo(
        Number.POSITIVE_INFINITY,
        (qualifier: string | undefined) => `${via(qualifier)}: ${d.description}`,
      );
      for (const need of d.accessNeeds("deployer")) {
        const key = securableKey(need.securable);
        if (covered.has(key)) {
          // The app resource grants it; where the stack owns the object's ACL (its own serving endpoint),
          // that authoritative ACL must list it too, or its apply removes what the app resource granted.
          context.requestTargetIdentityGrant({
            principal: this.servicePrincipal,
            securable: need.securable,
            privilege: need.privilege,
            reason: reason("also an app resource"),
            requestedBy: by,
            onlyWhereOwned: true,
          });
          for (const parent of parentGrants(need.securable))
            context.requestTargetIdentityGrant({
              principal: this.servicePrincipal,
              securable: parent.securable,
              privilege: parent.privilege,
              reason: reason("parent of an app resource"),
              requestedBy: by,
            });
          continue;
        }
        const why = fallbackReason.get(key);
        context.requestTargetIdentityGrant({
          principal: this.servicePrincipal,
          securable: need.securable,
          privilege: need.privilege,
          reason: reason(why),
          requestedBy: by,
        });
      }
    }
  }

  /** The deployed name. */
  get targetName(): string {
    return this.appName;
  }

  /** The identity facts the lock keeps: a name change replaces the app (and its service principal). */
  lockEntry(): DeployedEndpoint {
    return { name: AgentStackContext.of(this).expression(this.appName), routeOptimized: false };
  }

  /** None: an app's code is not a model logged with an auth policy (see {@link appHandoff}). */
  mlflowFiles(): undefined {
    return undefined;
  }

  /** The app's own ACL: authoritative, since the stack creates the app. */
  ownedAcl(): OwnedAcl {
    return { securable: this.securable, scope: this, attribute: "appName", id: this.nameRef };
  }

  /** What the code deployment needs beside `cdk.tf.json`: `app.yaml`'s environment and the scopes. */
  appHandoff(): AppHandoff {
    return {
      app_name: this.appName,
      env: [
        ...Object.entries(this.environment).map(([name, value]) => ({ name, value })),
        ...Object.entries(this.managedEnvironment).map(([name, value]) => ({ name, value })),
        ...[...this.valueFrom].map(([name, valueFrom]) => ({ name, valueFrom })),
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
      user_api_scopes: this.userApiScopes,
      resources: this.appResources.map((r) => ({ name: r.name, description: r.description })),
      on_behalf_of_user: this.authPolicy?.usesOnBehalfOfUser ?? false,
      notes: [
        ...(this.userApiScopes.length > 0
          ? [
              "user authorization: after a change of user_api_scopes every user must consent again on their next visit",
              "user authorization: the forwarded user token (x-forwarded-access-token) needs a restart of the app's compute after the scopes are first set or changed",
            ]
          : []),
      ],
    };
  }

  /** The app as the rules see it. */
  toModel(): AppModel {
    const deps = this.authPolicy?.dependencies ?? [];
    return {
      target: "databricksApps",
      path: this.node.path,
      name: this.appName,
      policyPath: this.authPolicy?.node.path,
      environment: this.environment,
      entityEnvironments: {},
      secretNames: Object.keys(this.secrets),
      managedEnvironment: [
        ...Object.keys(this.managedEnvironment),
        ...[...this.valueFrom.keys()].filter((k) => !(k in this.secrets)),
      ].sort(),
      hasSystemDependencies: (this.authPolicy?.systemDependencies.length ?? 0) > 0,
      protect: this.protect,
      routeOptimized: false,
      lockEntry: this.lockEntry(),
      dependencies: deps.map(
        (d): AppDependencyModel => ({
          key: d.dependency.dependencyKey,
          description: d.dependency.description,
          system: d.system,
          onBehalfOfUser: d.onBehalfOfUser,
          oboAccessPaths: d.dependency.oboAccessPaths("databricksApps"),
          oboUnsupportedReason:
            d.dependency.oboUnsupportedReasonOn?.("databricksApps") ?? d.dependency.oboUnsupportedReason,
        }),
      ),
      givenScopes: this.givenScopes,
      additionalScopes: this.additionalScopes,
      unavailableResources: this.unavailable.map((u) => u.reason),
    };
  }
}

/** An app resource as the provider binding takes it. */
function toBinding(r: AppResourceSpec): DatabricksAppResourceBlock {
  const fields = Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [bindingProperty(k), v]));
  return {
    name: r.name,
    description: r.description,
    [bindingProperty(r.block)]: fields,
  } as DatabricksAppResourceBlock;
}
