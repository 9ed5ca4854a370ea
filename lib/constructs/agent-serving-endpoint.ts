import { Construct } from "constructs";
import { ModelServing, TerraformOutput } from "../engine";
import type { Principal } from "../model/principal";
import { AgentConfigError, show, type Problem } from "../model/problem";
import { parseProps } from "../model/schemas";
import {
  SERVING_ENDPOINT_HELP,
  servingEndpointSchema,
  type AgentServingEndpointProps,
} from "./agent-serving-endpoint-props";

export type {
  AgentServingEndpointProps,
  ModelVersionRef,
  ServedEntityProps,
} from "./agent-serving-endpoint-props";
import type { SecretRef } from "../model/secret-ref";
import { secretScope, uc, ws } from "../model/securable";
import { containsToken, escapeTemplateLiterals, sigilBeforeToken } from "../model/tokens";
import type { AuthPolicyDict } from "../model/mlflow-policy";
import {
  canonicalJson,
  CREATE_ONLY_SERVING_FIELDS,
  servedEntityFieldKey,
  UNREMOVABLE_SERVING_BLOCK,
} from "../model/provider-semantics";
import type { DeployedEndpoint, EndpointModel } from "../rules/stack-model";
import type { IAgentTarget, MlflowMetadata, OwnedAcl } from "./target";
import type { AgentAuthPolicy } from "./agent-auth-policy";
import { AgentStackContext, resolvedData, resolvedIn, sameCopyScope } from "./agent-stack-context";
import { requestTargetAccess } from "./target-access";
import { sortedRecord } from "./target-props";

/** The default name of the application-level OBO flag (seed 000's). */
export const DEFAULT_OBO_FLAG = "DATABRICKS_USE_IDENTITY_PASSTHROUGH";

/** The served entity name used with `model`. */
export const DEFAULT_ENTITY_NAME = "current";

interface Entity {
  readonly name: string;
  readonly modelName: string;
  readonly version: string;
  readonly workloadSize: string;
  readonly workloadType: string;
  readonly scaleToZero: boolean;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * A Model Serving endpoint for an agent: `databricks_model_serving` with explicit served-entity names,
 * routes, sizes and scale-to-zero; the Genie space ids and the OBO flag from its policy; secrets as
 * references; and CAN_QUERY for its consumers on an ACL it owns.
 */
export class AgentServingEndpoint extends Construct implements IAgentTarget {
  /** The `databricks_model_serving` resource (escape hatch). */
  readonly resource: ModelServing;
  /** Endpoint name. */
  readonly endpointName: string;
  /** The policy, when given. */
  readonly authPolicy?: AgentAuthPolicy;
  /** Served entities as synthesized. */
  readonly entities: readonly Entity[];
  /** Traffic split as synthesized. */
  readonly traffic: Readonly<Record<string, number>>;
  /** The variables the library sets, and their values (Genie ids, OBO flag). */
  readonly managedEnvironment: Readonly<Record<string, string>>;
  /** The OBO flag's name when the endpoint sets it (its policy uses on-behalf-of-user), else undefined. */
  private readonly oboFlagSet?: string;
  /** Plain variables the user gave. */
  readonly environment: Readonly<Record<string, string>>;
  /** Secret variables. */
  readonly secrets: Readonly<Record<string, SecretRef>>;
  /** Consumers (CAN_QUERY). */
  readonly consumers: readonly Principal[];
  /** Deployer, when declared. */
  readonly deployer?: Principal;
  /** `prevent_destroy`. */
  readonly protect: boolean;
  /** `route_optimized`. */
  readonly routeOptimized: boolean;
  /** The endpoint's `serving_endpoint_id` reference, made once (each read of the attribute makes a token). */
  private readonly endpointId: string;

  constructor(scope: Construct, id: string, props: AgentServingEndpointProps) {
    super(sameCopyScope(scope, id), id);
    const parsed = parseProps(servingEndpointSchema, props, this.node.path, SERVING_ENDPOINT_HELP);
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    const p = parsed.value;
    const path = this.node.path;
    const problems: Problem[] = [];
    if ((p.model === undefined) === (p.servedEntities === undefined || p.servedEntities.length === 0))
      problems.push({
        ruleId: "DBA-CFG-001",
        path,
        prop: "model / servedEntities",
        message:
          p.model === undefined
            ? "neither model nor servedEntities is given"
            : "both model and servedEntities are given",
        received: p.model === undefined ? "neither" : "both",
        allowed: "exactly one of model or servedEntities",
        fix: "give `model` for one version, or `servedEntities` (+ `traffic`) for a split",
      });
    if (p.servedEntities && p.servedEntities.length > 1 && p.traffic === undefined)
      problems.push({
        ruleId: "DBA-CFG-001",
        path,
        prop: "traffic",
        message: "several served entities but no traffic split",
        received: "undefined",
        allowed: "a map from every served entity name to a percentage, summing to 100",
        fix: `add traffic: { ${p.servedEntities.map((e) => `"${e.name}": <percent>`).join(", ")} }`,
      });
    problems.push(...freeTextProblems(path, p));
    if (problems.length > 0) throw new AgentConfigError(resolvedIn(this, problems));

    const workloadSize = p.workloadSize ?? "Small";
    const workloadType = p.workloadType ?? "CPU";
    const scaleToZero = p.scaleToZero ?? false;
    const entityProps = p.servedEntities ?? [{ name: DEFAULT_ENTITY_NAME, model: p.model! }];
    this.entities = entityProps.map((e) => ({
      name: e.name,
      modelName: e.model.name,
      version: String(e.model.version),
      workloadSize: ("workloadSize" in e && e.workloadSize) || workloadSize,
      workloadType: ("workloadType" in e && e.workloadType) || workloadType,
      scaleToZero: "scaleToZero" in e && e.scaleToZero !== undefined ? e.scaleToZero : scaleToZero,
      environment: ("environment" in e && e.environment) || {},
    }));
    this.traffic = p.traffic ?? { [entityProps[0]!.name]: 100 };
    this.endpointName = p.name;
    this.authPolicy = p.authPolicy as AgentAuthPolicy | undefined;
    this.environment = p.environment ?? {};
    this.secrets = p.secrets ?? {};
    this.consumers = (p.consumers ?? []) as Principal[];
    this.deployer = p.deployer as Principal | undefined;
    const policy = this.authPolicy;
    const oboFlag = p.oboFlagEnvVar === undefined ? DEFAULT_OBO_FLAG : p.oboFlagEnvVar;
    const bundles = policy?.genieBundles ?? [];
    const setsOboFlag = policy?.usesOnBehalfOfUser === true && oboFlag !== false;
    this.managedEnvironment = sortedRecord({
      ...Object.fromEntries(bundles.map((b) => [b.envVar, b.spaceId])),
      ...(setsOboFlag ? { [oboFlag]: "true" } : {}),
    });
    this.oboFlagSet = setsOboFlag ? oboFlag : undefined;

    const sharedEnvironment = sortedRecord({
      ...Object.fromEntries(Object.entries(this.environment).map(([k, v]) => [k, escapeTemplateLiterals(v)])),
      ...Object.fromEntries(Object.entries(this.secrets).map(([k, v]) => [k, v.toString()])),
      ...this.managedEnvironment,
    });
    const protect = p.protect ?? true;
    this.protect = protect;
    this.routeOptimized = p.routeOptimized ?? false;
    this.resource = new ModelServing(this, "Endpoint", {
      name: this.endpointName,
      routeOptimized: this.routeOptimized,
      ...(p.description !== undefined ? { description: escapeTemplateLiterals(p.description) } : {}),
      ...(p.budgetPolicyId !== undefined ? { budgetPolicyId: p.budgetPolicyId } : {}),
      config: {
        servedEntities: this.entities.map((e) => ({
          name: e.name,
          entityName: e.modelName,
          entityVersion: e.version,
          workloadSize: e.workloadSize,
          workloadType: e.workloadType,
          scaleToZeroEnabled: e.scaleToZero,
          environmentVars: sortedRecord({
            ...sharedEnvironment,
            ...Object.fromEntries(
              Object.entries(e.environment).map(([k, v]) => [k, escapeTemplateLiterals(v)]),
            ),
          }),
        })),
        trafficConfig: {
          routes: Object.entries(sortedRecord(this.traffic)).map(([name, pct]) => ({
            servedEntityName: name,
            trafficPercentage: pct,
          })),
        },
      },
      tags: Object.entries(sortedRecord(p.tags ?? {})).map(([key, value]) => ({
        key: escapeTemplateLiterals(key),
        value: escapeTemplateLiterals(value),
      })),
      lifecycle: {
        preventDestroy: protect,
        ignoreChanges: ["description", "budget_policy_id", "email_notifications"],
      },
    });

    new TerraformOutput(this, "Name", { value: this.resource.name, description: `Name of ${path}` });
    this.endpointId = this.resource.servingEndpointId;
    new TerraformOutput(this, "ServingEndpointId", {
      value: this.endpointId,
      description: `serving_endpoint_id of ${path} (use it, not the name, for permissions)`,
    });
    new TerraformOutput(this, "Url", {
      value: this.resource.endpointUrl,
      description: `Invocation URL of ${path}`,
    });

    const context = AgentStackContext.of(this);
    context.registerEndpoint(this);
    this.requestGrants(context, (p.managers ?? []) as Principal[]);
  }

  /** The securable this endpoint is, in grant plans. */
  get securable(): ReturnType<typeof ws> {
    return ws("serving_endpoint", this.endpointName);
  }

  private requestGrants(context: AgentStackContext, managers: Principal[]): void {
    const by = this.node.path;
    const endpoint = this.securable;
    context.ownTarget(this);
    requestTargetAccess(context, {
      securable: endpoint,
      label: this.endpointName,
      consumerLevel: "CAN_QUERY",
      consumers: this.consumers,
      managers,
      deployer: this.deployer,
      oboDependencies: this.authPolicy?.oboDependencies ?? [],
      requestedBy: by,
    });
    if (this.deployer) {
      for (const d of this.authPolicy?.systemDependencies ?? []) {
        const reason = `deployer of ${this.endpointName}, passthrough: ${d.description}`;
        for (const need of d.accessNeeds("deployer"))
          context.requestGrant({
            principal: this.deployer,
            securable: need.securable,
            privilege: need.privilege,
            reason,
            requestedBy: by,
          });
      }
      for (const scope of [...new Set(Object.values(this.secrets).map((s) => s.scope))].sort())
        context.requestGrant({
          principal: this.deployer,
          securable: secretScope(scope),
          privilege: "READ",
          reason: `deployer of ${this.endpointName}: secret references resolve with the creator's access`,
          requestedBy: by,
        });
      for (const e of this.entities)
        if (!containsToken(e.modelName))
          context.requestGrant({
            principal: this.deployer,
            securable: uc("model", e.modelName),
            privilege: "EXECUTE",
            reason: `deployer of ${this.endpointName}: served model ${e.modelName}`,
            requestedBy: by,
          });
    }
  }

  /** The deployed name (the target seam's name for {@link endpointName}). */
  get targetName(): string {
    return this.endpointName;
  }

  /**
   * The identity facts `endpoint-lock.json` keeps: a change to either replaces the endpoint. A name
   * from a Terraform reference is kept as its expression (`${var.endpoint_name}`), which is stable,
   * never as cdktf's token text, which changes with any unrelated token declared before it.
   */
  lockEntry(): DeployedEndpoint {
    return {
      name: AgentStackContext.of(this).expression(this.endpointName),
      routeOptimized: this.routeOptimized,
      ...this.providerSemanticsFields(),
    };
  }

  /**
   * The fields the provider cannot change after creation (`CREATE_ONLY_SERVING_FIELDS`) and whether an
   * `ai_gateway` block is there, read from the resource as it synthesizes (escape-hatch overrides and
   * setters included, references as their expressions). Each is omitted when unset, so a lock entry of
   * an endpoint that sets none stays `{ name, routeOptimized }`.
   */
  private providerSemanticsFields(): Pick<DeployedEndpoint, "createOnly" | "aiGateway"> {
    type Attrs = Record<string, unknown>;
    const tf = this.resource.toTerraform() as { resource?: Record<string, Record<string, Attrs>> };
    const raw: Attrs = Object.values(tf.resource?.databricks_model_serving ?? {})[0] ?? {};
    // Only the blocks read here are resolved (references become their expressions).
    const attrs = resolvedData(
      this,
      Object.fromEntries(
        [...CREATE_ONLY_SERVING_FIELDS.endpoint, UNREMOVABLE_SERVING_BLOCK, "config"].map((k) => [k, raw[k]]),
      ),
    ) as Attrs;
    const isSet = (v: unknown): boolean => v !== undefined && v !== null;
    const createOnly: Record<string, string> = {};
    for (const f of CREATE_ONLY_SERVING_FIELDS.endpoint)
      if (isSet(attrs[f])) createOnly[f] = canonicalJson(attrs[f]);
    const config = (Array.isArray(attrs.config) ? attrs.config[0] : attrs.config) as Attrs | undefined;
    const entities = Array.isArray(config?.served_entities) ? (config.served_entities as Attrs[]) : [];
    for (const e of entities)
      for (const f of CREATE_ONLY_SERVING_FIELDS.servedEntity)
        if (isSet(e[f])) createOnly[servedEntityFieldKey(String(e.name), f)] = canonicalJson(e[f]);
    const keys = Object.keys(createOnly).sort();
    return {
      ...(keys.length > 0 ? { createOnly: Object.fromEntries(keys.map((k) => [k, createOnly[k]!])) } : {}),
      ...(isSet(attrs[UNREMOVABLE_SERVING_BLOCK]) ? { aiGateway: true } : {}),
    };
  }

  /** The MLflow auth policy in `AuthPolicy.to_dict()` form and its metadata, when there is a policy. */
  mlflowFiles(): { policy: AuthPolicyDict; metadata: MlflowMetadata } | undefined {
    const p = this.authPolicy;
    if (p === undefined) return undefined;
    return {
      policy: p.toMlflowDict(),
      metadata: {
        endpoint_name: this.endpointName,
        min_mlflow_version: p.minMlflowVersion,
        pip_requirements: p.pipRequirements,
        environment_variables: [
          ...Object.keys(this.environment),
          ...Object.keys(this.secrets),
          ...Object.keys(this.managedEnvironment),
        ].sort(),
        on_behalf_of_user: p.usesOnBehalfOfUser,
      },
    };
  }

  /** The endpoint's own ACL: authoritative, since the stack creates the endpoint. */
  ownedAcl(): OwnedAcl {
    return {
      securable: this.securable,
      scope: this,
      attribute: "servingEndpointId",
      id: this.endpointId,
    };
  }

  /**
   * Who sets each managed variable, one entry per setter (a collision shows as two entries): DBA-EP-006
   * fails synth on two of one name. Only the rules read it, so it is derived when they ask.
   */
  private managedSetters(): { readonly name: string; readonly setBy: string }[] {
    return [
      ...(this.authPolicy?.genieBundles ?? []).map((b) => ({
        name: b.envVar,
        setBy: `GenieResourceBundle ${b.node.path} (its space id)`,
      })),
      ...(this.oboFlagSet !== undefined
        ? [{ name: this.oboFlagSet, setBy: 'the OBO flag (oboFlagEnvVar, set to "true")' }]
        : []),
    ];
  }

  /** The endpoint as the rules see it. */
  toModel(): EndpointModel {
    return {
      path: this.node.path,
      name: this.endpointName,
      policyPath: this.authPolicy?.node.path,
      entities: this.entities.map((e) => ({ name: e.name, modelName: e.modelName, version: e.version })),
      traffic: this.traffic,
      environment: this.environment,
      entityEnvironments: Object.fromEntries(this.entities.map((x) => [x.name, x.environment])),
      secretNames: Object.keys(this.secrets).sort(),
      managedEnvironment: Object.keys(this.managedEnvironment),
      managedSetters: this.managedSetters(),
      lockEntry: this.lockEntry(),
      hasSystemDependencies: (this.authPolicy?.systemDependencies.length ?? 0) > 0,
      protect: this.protect,
      routeOptimized: this.routeOptimized,
    };
  }
}

/**
 * Free text Terraform receives as literals: no credential in tags or the description (they show in
 * plan output and state, DBA-SEC-001), and no literal `$` right before a Terraform reference
 * (Terraform would read the pair as an escape and the reference as text).
 */
function freeTextProblems(
  path: string,
  p: {
    environment?: Readonly<Record<string, string>>;
    tags?: Readonly<Record<string, string>>;
    description?: string;
    servedEntities?: readonly { name: string; environment?: Readonly<Record<string, string>> }[];
  },
): Problem[] {
  const texts: [string, string][] = [
    ...Object.entries(p.environment ?? {}).map(([k, v]): [string, string] => [`environment.${k}`, v]),
    ...(p.servedEntities ?? []).flatMap((e) =>
      Object.entries(e.environment ?? {}).map(([k, v]): [string, string] => [
        `servedEntities.${e.name}.environment.${k}`,
        v,
      ]),
    ),
    ...Object.entries(p.tags ?? {}).flatMap(([k, v]): [string, string][] => [
      [`tags (key ${JSON.stringify(k)})`, k],
      [`tags.${k}`, v],
    ]),
    ...(p.description !== undefined ? [["description", p.description] as [string, string]] : []),
  ];
  const problems: Problem[] = texts
    .filter(([, v]) => sigilBeforeToken(v))
    .map(([prop, v]) => ({
      ruleId: "DBA-CFG-001",
      path,
      prop,
      message:
        "mixes a Terraform reference with a literal '${', '%{' or a '$' right before it; Terraform could not tell the text from the reference",
      received: show(v),
      allowed: "a reference with plain text around it, or literal template text without a reference",
      fix: "split the value in two variables, or drop the literal ${ / %{",
    }));
  return problems;
}
