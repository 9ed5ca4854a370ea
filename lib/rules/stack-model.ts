import type { AgentResource } from "../model/resource-kinds";
import type { CallerIdentityRead, OboAccessPath } from "../model/scopes";

/** What the rules see of a Genie bundle. */
export interface BundleModel {
  readonly path: string;
  readonly domain: string;
  readonly envVar: string;
  readonly spaceId: string;
  readonly warehouseId?: string;
  readonly tables: readonly string[];
  readonly functions: readonly string[];
  readonly interface: "conversation" | "mcp";
}

/** What the rules see of one dependency of a policy. */
export interface PolicyDependencyModel {
  readonly key: string;
  readonly description: string;
  readonly system: boolean;
  readonly onBehalfOfUser: boolean;
  readonly oboAccessPaths: readonly OboAccessPath[];
  readonly oboUnsupportedReason?: string;
  /** The bundle's construct path, when the dependency is a GenieResourceBundle. */
  readonly bundlePath?: string;
  /**
   * The construct paths of the bundles it reaches for its caller (a Supervisor Agent's sub-agents).
   * @default []
   */
  readonly subBundlePaths?: readonly string[];
  readonly systemResources: readonly AgentResource[];
}

/** What the rules see of an auth policy. */
export interface PolicyModel {
  readonly path: string;
  readonly dependencies: readonly PolicyDependencyModel[];
  /** Scopes given by hand, undefined when derived. */
  readonly givenScopes?: readonly string[];
  /**
   * What the agent reads about its caller on behalf of the user (each a need like a dependency's).
   * @default []
   */
  readonly callerIdentity?: readonly CallerIdentityRead[];
  /** Escape-hatch scopes: accepted, and each a declared need. */
  readonly additionalServingScopes: readonly string[];
  readonly mlflowVersion?: string;
  /** The minimum MLflow version the declarations need, with the reason for each floor. */
  readonly mlflowFloors: readonly { readonly version: string; readonly reason: string }[];
}

/** What the rules see of a serving endpoint. */
export interface EndpointModel {
  readonly path: string;
  readonly name: string;
  readonly policyPath?: string;
  readonly entities: readonly {
    readonly name: string;
    readonly modelName: string;
    readonly version: string;
  }[];
  readonly traffic: Readonly<Record<string, number>>;
  /** Variables given in `environment` (values may be secret: rules never print them). */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables given per served entity, by entity name. */
  readonly entityEnvironments: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Variables given in `secrets`. */
  readonly secretNames: readonly string[];
  /** Variables the library sets (Genie space ids, OBO flag). */
  readonly managedEnvironment: readonly string[];
  /**
   * Each setter of a variable the library sets: a Genie bundle's space id, the OBO flag. Two setters of
   * one name collide (DBA-EP-006).
   * @default - one setter, "the library", per `managedEnvironment` name
   */
  readonly managedSetters?: readonly { readonly name: string; readonly setBy: string }[];
  /**
   * The identity as `endpoint-lock.json` records it: a name from a Terraform reference as its
   * expression (`${var.name}`), compared with the lock by DBA-EP-008.
   * @default - `name` and `routeOptimized` as given
   */
  readonly lockEntry?: DeployedEndpoint;
  /** Does the policy declare anything for passthrough? */
  readonly hasSystemDependencies: boolean;
  /** `prevent_destroy` on the endpoint. */
  readonly protect: boolean;
  /** `route_optimized` (a change replaces the endpoint). */
  readonly routeOptimized: boolean;
}

/** What the environment rules (secrets, manual auth, Genie variables) read of a target: an endpoint or an app. */
export type TargetEnvironmentModel = Pick<
  EndpointModel,
  | "path"
  | "name"
  | "policyPath"
  | "environment"
  | "entityEnvironments"
  | "secretNames"
  | "managedEnvironment"
  | "managedSetters"
  | "hasSystemDependencies"
>;

/** What the app rules see of one dependency of an app's policy, on Databricks Apps. */
export interface AppDependencyModel {
  readonly key: string;
  readonly description: string;
  readonly system: boolean;
  readonly onBehalfOfUser: boolean;
  /** The access paths on Apps (decide the Apps scopes). */
  readonly oboAccessPaths: readonly OboAccessPath[];
  /**
   * Why it cannot be reached on behalf of the user on Apps.
   * @default - it can
   */
  readonly oboUnsupportedReason?: string;
}

/** What the rules see of a Databricks App (`protect` and `routeOptimized`, always false, for the lock rules). */
export interface AppModel
  extends TargetEnvironmentModel,
    Pick<EndpointModel, "protect" | "routeOptimized" | "lockEntry"> {
  /** Tells an app from an endpoint. */
  readonly target: "databricksApps";
  /** The policy's dependencies as Apps reach them, in the policy's order. */
  readonly dependencies: readonly AppDependencyModel[];
  /**
   * `userApiScopes` given by hand.
   * @default - derived
   */
  readonly givenScopes?: readonly string[];
  /** The escape hatch: Apps scopes the library does not know yet. */
  readonly additionalScopes: readonly string[];
  /** App resources asked for (`nativeUcResources`) that the bound provider lacks, each with the version that adds it. */
  readonly unavailableResources: readonly string[];
}

/** The identity of a deployed endpoint, as recorded in the lock the platform repo commits. */
export interface DeployedEndpoint {
  readonly name: string;
  readonly routeOptimized: boolean;
  /**
   * The create-only fields as set (`telemetry_config`, `served_entities.<entity>.burst_scaling_enabled`,
   * from `CREATE_ONLY_SERVING_FIELDS`), each as canonical JSON, set through the escape hatch: compared
   * with the lock by DBA-PROV-001.
   * @default - none set (the entry is written without it)
   */
  readonly createOnly?: Readonly<Record<string, string>>;
  /**
   * True when the endpoint has an `ai_gateway` block: removing it crashes the provider (DBA-PROV-002).
   * @default - no block (the entry is written without it)
   */
  readonly aiGateway?: boolean;
}

/** Everything one stack declares, as plain data. */
export interface StackModel {
  readonly bundles: readonly BundleModel[];
  readonly policies: readonly PolicyModel[];
  readonly endpoints: readonly EndpointModel[];
  /**
   * The Databricks Apps the stack creates.
   * @default []
   */
  readonly apps?: readonly AppModel[];
  /** Deployed endpoints by construct path, when the stack was given its lock. */
  readonly deployedEndpoints?: Readonly<Record<string, DeployedEndpoint>>;
  /**
   * Literal endpoint names the app's other stacks declare, unless their provider names another literal
   * workspace host than this stack's: name to `<stack> (<construct path>)` entries, sorted (DBA-EP-010).
   * @default - none
   */
  readonly endpointNamesElsewhere?: ReadonlyMap<string, readonly string[]>;
}

/** Every target whose environment the rules check: the endpoints, then the apps. */
export function environmentTargets(m: StackModel): TargetEnvironmentModel[] {
  return [...m.endpoints, ...(m.apps ?? [])];
}

/** One user-given variable of a target, with the prop it came from. */
export interface EnvironmentEntry {
  readonly prop: string;
  readonly name: string;
  readonly value: string;
}

/**
 * The entries of each target model, computed once: four rules read them, and a model is plain data
 * that no rule changes.
 */
const ENTRIES = new WeakMap<TargetEnvironmentModel, readonly EnvironmentEntry[]>();

/** Every user-given variable of an endpoint with the prop it came from: `environment.X` or `servedEntities.<name>.environment.X`. */
export function environmentEntries(e: TargetEnvironmentModel): readonly EnvironmentEntry[] {
  let entries = ENTRIES.get(e);
  if (entries === undefined) {
    entries = computeEnvironmentEntries(e);
    ENTRIES.set(e, entries);
  }
  return entries;
}

function computeEnvironmentEntries(e: TargetEnvironmentModel): EnvironmentEntry[] {
  const from = (prefix: string, env: Readonly<Record<string, string>>) =>
    Object.keys(env)
      .sort()
      .map((name) => ({ prop: `${prefix}.${name}`, name, value: env[name]! }));
  return [
    ...from("environment", e.environment),
    ...Object.keys(e.entityEnvironments)
      .sort()
      .flatMap((entity) => from(`servedEntities.${entity}.environment`, e.entityEnvironments[entity]!)),
  ];
}
