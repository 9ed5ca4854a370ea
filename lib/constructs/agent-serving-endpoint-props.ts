// The props of AgentServingEndpoint, their schema and their help: one module, checked against each other.
import { z } from "zod";
import type { Principal } from "../model/principal";
import { nonEmpty, type HelpFor, type SameKeys } from "../model/schemas";
import type { SecretRef } from "../model/secret-ref";
import { containsToken } from "../model/tokens";
import { workloadTypesFor } from "../model/workload-types";
import { ENGINES } from "../engine/compat";
import { ENGINE_NAME } from "../engine/current";
import type { AgentAuthPolicy } from "./agent-auth-policy";
import { envName, TARGET_SHARED_HELP, TARGET_SHARED_SHAPE } from "./target-props";

/** A registered UC model version to serve. */
export interface ModelVersionRef {
  /** The UC model, `catalog.schema.model`. */
  readonly name: string;
  /** The version number, pinned. */
  readonly version: string | number;
}

/** One served model version (for canaries and A/B splits). */
export interface ServedEntityProps {
  /** Explicit, unique name: routes refer to it. */
  readonly name: string;
  /** The model version to serve. */
  readonly model: ModelVersionRef;
  /**
   * Concurrency tier.
   * @default - the endpoint's `workloadSize`
   */
  readonly workloadSize?: "Small" | "Medium" | "Large";
  /**
   * Compute type, checked like the endpoint's `workloadType`.
   * @default - the endpoint's `workloadType`
   */
  readonly workloadType?: string;
  /**
   * Scale to zero when idle.
   * @default - the endpoint's `scaleToZero`
   */
  readonly scaleToZero?: boolean;
  /**
   * Variables for this entity only (plain values).
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Props of an {@link AgentServingEndpoint}. */
export interface AgentServingEndpointProps {
  /** Endpoint name: letters, digits, '-' and '_'. Changing it replaces the endpoint. */
  readonly name: string;
  /**
   * The model version to serve as the single entity named "current" with 100% of traffic.
   * Give either `model` or `servedEntities`.
   * @default - none; then `servedEntities` is required
   */
  readonly model?: ModelVersionRef;
  /**
   * Several served model versions, e.g. a canary. Needs `traffic` when more than one.
   * @default - one entity from `model`
   */
  readonly servedEntities?: readonly ServedEntityProps[];
  /**
   * Traffic split: served entity name to percentage; sums to 100.
   * @default - 100 to the single entity
   */
  readonly traffic?: Readonly<Record<string, number>>;
  /**
   * Concurrency tier, always set explicitly (an unset size drifts).
   * @default "Small"
   */
  readonly workloadSize?: "Small" | "Medium" | "Large";
  /**
   * Compute type: one the bound provider's Model Serving API lists (provider 1.99: "CPU", "GPU_SMALL",
   * "GPU_MEDIUM", "GPU_LARGE", "MULTIGPU_MEDIUM"; provider 1.132 also "CPU_MEDIUM", "CPU_LARGE",
   * "GPU_XLARGE", "GPU_XLARGE_8"), or a Terraform reference. Anything else fails at construction.
   * @default "CPU"
   */
  readonly workloadType?: string;
  /**
   * Scale to zero when idle, always set explicitly (an unset flag drifts). `agents.deploy()` uses false.
   * @default false
   */
  readonly scaleToZero?: boolean;
  /**
   * The agent's dependencies; gives the Genie space variables, the OBO flag, the grants and the
   * MLflow auth policy.
   * @default - no dependencies
   */
  readonly authPolicy?: AgentAuthPolicy;
  /**
   * Plain environment variables. A credential anywhere in a name or value, a secret-looking name (even
   * set from a Terraform reference) or a `{{secrets/...}}` string fails synth (DBA-SEC-001).
   * Template sequences (`${`, `%{`) in values reach Terraform as literals.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secret variables, as `{{secrets/scope/key}}` references. The endpoint creator needs READ on the scopes.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, SecretRef>>;
  /**
   * The application-level flag set to "true" when the policy uses on-behalf-of-user. The platform does
   * not read it (as far as public sources show); the agent code does, as seed 000's does. `false` sets none.
   * @default "DATABRICKS_USE_IDENTITY_PASSTHROUGH"
   */
  readonly oboFlagEnvVar?: string | false;
  /**
   * Endpoint tags, sent on update.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Description. Create-only: the provider never sends changes, so later edits are ignored
   * (`ignore_changes`) instead of showing a perpetual diff.
   * @default - none
   */
  readonly description?: string;
  /**
   * Budget policy id. Create-only, like `description`.
   * @default - none
   */
  readonly budgetPolicyId?: string;
  /**
   * Route-optimized endpoint. Changing it replaces the endpoint; always set explicitly.
   * @default false
   */
  readonly routeOptimized?: boolean;
  /**
   * `prevent_destroy`: a replacement or destroy fails the plan instead of deleting the live endpoint,
   * its URL and its permissions.
   * @default true
   */
  readonly protect?: boolean;
  /**
   * Who may call the agent: CAN_QUERY on this endpoint, plus their own access to every dependency
   * the policy reaches on their behalf.
   * @default []
   */
  readonly consumers?: readonly Principal[];
  /**
   * Who may manage the endpoint (CAN_MANAGE).
   * @default []
   */
  readonly managers?: readonly Principal[];
  /**
   * The identity that runs `cdktf deploy` (and so creates the endpoint). It gets access to every
   * passthrough dependency and EXECUTE on the served model, which Databricks checks at creation.
   * @default - not granted; the required access is listed in the stack report
   */
  readonly deployer?: Principal;
}

const modelVersion = z.strictObject({
  name: nonEmpty,
  version: z.union([z.string(), z.number().int().positive()]),
});

const envMap = z.record(envName, z.string());
/** A name that Terraform gets verbatim: letters, digits, '-', '_' (or a Terraform reference). */
const plainName = (what: string) =>
  z.string().refine((s) => containsToken(s) || /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(s), {
    error: `is not a valid ${what} (letters, digits, '-' and '_', at most 63 characters)`,
  });

/** The Databricks provider this build binds: its SDK decides which workload types exist. */
const PROVIDER = ENGINES[ENGINE_NAME].provider;
/** The workload types that provider accepts (anything else passes plan and fails at apply). */
const WORKLOAD_TYPE_NAMES = workloadTypesFor(PROVIDER);
const workloadType = z.string().refine((s) => containsToken(s) || WORKLOAD_TYPE_NAMES.includes(s), {
  error: `is not a workload type Databricks provider ${PROVIDER} accepts`,
});

const servedEntity = z.strictObject({
  name: plainName("served entity name"),
  model: modelVersion,
  workloadSize: z.enum(["Small", "Medium", "Large"]).optional(),
  workloadType: workloadType.optional(),
  scaleToZero: z.boolean().optional(),
  environment: envMap.optional(),
});

/** Schema of `AgentServingEndpointProps`. */
export const servingEndpointSchema = z.strictObject({
  name: nonEmpty,
  model: modelVersion.optional(),
  servedEntities: z.array(servedEntity).min(1, { error: "is empty" }).max(50).optional(),
  traffic: z.record(plainName("served entity name"), z.number()).optional(),
  workloadSize: z.enum(["Small", "Medium", "Large"]).optional(),
  workloadType: workloadType.optional(),
  scaleToZero: z.boolean().optional(),
  environment: envMap.optional(),
  tags: z.record(z.string().min(1).max(255), z.string().max(255)).optional(),
  description: z.string().max(1000).optional(),
  budgetPolicyId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, { error: "is not a budget policy id" })
    .optional(),
  routeOptimized: z.boolean().optional(),
  ...TARGET_SHARED_SHAPE,
});

/** Help for the endpoint's props. */
export const SERVING_ENDPOINT_HELP: HelpFor<AgentServingEndpointProps> = {
  name: {
    allowed: "letters, digits, '-' and '_', at most 63 characters",
    fix: 'use a name such as "health-monitor-agent"',
  },
  model: {
    allowed: "{ name: 'catalog.schema.model', version: '7' } with a pinned version",
    fix: "give the registered UC model and the version to serve",
  },
  servedEntities: {
    allowed: "an array of { name, model: { name, version }, workloadSize?, scaleToZero? }",
    fix: "give each served model version an explicit, unique name",
  },
  traffic: {
    allowed: "a map from served entity name to a percentage; percentages sum to 100",
    fix: "route every percent of traffic to a declared served entity",
  },
  workloadSize: { allowed: '"Small", "Medium" or "Large"', fix: "pick the concurrency tier" },
  workloadType: {
    allowed: `one of ${WORKLOAD_TYPE_NAMES.map((t) => `"${t}"`).join(", ")} (provider ${PROVIDER}), or a Terraform reference`,
    fix: "omit it for CPU, or pick a listed type (upper case, as Model Serving names it)",
  },
  scaleToZero: { allowed: "true or false", fix: "set scaleToZero explicitly" },
  environment: {
    allowed: "a map of variable names ([A-Za-z_][A-Za-z0-9_]*) to plain, non-secret strings",
    fix: "put secrets in `secrets` as SecretRef.of(scope, key)",
  },
  tags: { allowed: "a map of non-empty keys to values, each at most 255 characters", fix: "shorten the tag" },
  description: { allowed: "at most 1000 characters", fix: "shorten the description" },
  budgetPolicyId: { allowed: "a budget policy id", fix: "copy the id from the budget policy" },
  routeOptimized: { allowed: "true or false", fix: "set routeOptimized explicitly" },
  ...TARGET_SHARED_HELP,
};

const KEYS_MATCH: SameKeys<z.infer<typeof servingEndpointSchema>, AgentServingEndpointProps> = true;
void KEYS_MATCH;
