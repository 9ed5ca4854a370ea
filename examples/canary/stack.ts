/**
 * A canary release of an agent on one Model Serving endpoint, in two phases selected by the stack
 * prop `phase`:
 *
 * - `"canary"`: version 7 (served entity `v7`) keeps 90% of the traffic, version 8 (`v8`) gets 10%.
 * - `"promoted"`: `v8` gets 100% and `v7` is removed from the endpoint.
 *
 * Why remove `v7` instead of keeping it at 0%: a served entity at 0% still holds provisioned
 * compute (this endpoint does not scale to zero) and stays in every later config update. Rolling back is applying `phase: "canary"` (or a 100/0 split) again, which is the same kind of
 * in-place `config` update as the promotion, so a warm standby buys little. Keep it at 0% instead when
 * a rollback must be instant (no container start).
 *
 * Served entities are named after the model version, not after a role ("stable" / "candidate"): the
 * entity that served 10% is the very entity (same name, version and environment) that serves 100%
 * after promotion, so promoting changes the routes and drops `v7` from the config. A role name would
 * change the version behind "stable" instead. (`terraform plan` diffs `served_entities` by position,
 * so it prints entity 0 as "v7" -> "v8" and entity 1 as removed; the update sends the whole new config.)
 *
 * Both phases keep the endpoint's `name` and `route_optimized`, the two attributes that force
 * replacement in provider 1.99 (REFERENCE.md); everything else here lives in `config`, which the
 * provider updates in place. A replacement would fail the plan anyway: the construct sets
 * `prevent_destroy` (`protect`, default true), because a replaced endpoint loses its URL, its
 * identity and its permissions. With the endpoint lock committed beside this file
 * (`endpoint-lock.json`, the identity of the endpoint as deployed), synth already fails on such a
 * change (DBA-EP-008), before any plan. Checked with `terraform plan -refresh=false` against provider
 * 1.99.0 and a state holding the canary phase: promotion is "updated in-place"; a new name or
 * route_optimized is "must be replaced", which prevent_destroy stops ("Instance cannot be destroyed").
 * No seed: this is the release pattern the seeds' endpoints need.
 */
import type { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  Principal,
  ServingEndpoint,
  VectorSearchIndex,
  type ServedEntityProps,
} from "../../lib";

/** The (fake) ids of the scenario, exported for the tests. */
export const CANARY = {
  model: "main.agents.triage_agent",
  stableVersion: "7",
  candidateVersion: "8",
  llm: "databricks-claude-sonnet-4",
  index: "main.support.runbooks_index",
  vectorSearchEndpoint: "support-vs-endpoint",
  deployer: "5f2e8d1c-4b3a-4e6f-9a7d-2c1b0e9f8a7d",
} as const;

/** The endpoint lock: the identity of each endpoint as deployed (`endpoint-lock.json`). */
export type EndpointLock = Parameters<AgentStackContext["useEndpointLock"]>[0];

/** The release phase. */
export type CanaryPhase = "canary" | "promoted";

/** Props of {@link CanaryStack}. */
export interface CanaryStackProps {
  /**
   * `canary`: 90/10 between the current and the new version; `promoted`: 100 to the new version.
   * @default "canary"
   */
  readonly phase?: CanaryPhase;
  /**
   * The endpoint name. Changing it replaces the endpoint (the tests show it).
   * @default "triage-agent"
   */
  readonly endpointName?: string;
  /**
   * Route-optimized endpoint. Changing it replaces the endpoint (the tests show it).
   * @default false
   */
  readonly routeOptimized?: boolean;
  /**
   * Override the phase's traffic split (the tests use it to break the split).
   * @default - 90/10 in `canary`, 100 in `promoted`
   */
  readonly traffic?: Readonly<Record<string, number>>;
  /**
   * The endpoint lock of the last deploy. Synth fails on a change that would replace a deployed,
   * protected endpoint (DBA-EP-008) or destroy one whose construct id changed (DBA-EP-009).
   * @default - no lock: nothing is compared
   */
  readonly endpointLock?: EndpointLock;
}

/** The served entity of one model version, named after the version. */
const entity = (version: string): ServedEntityProps => ({
  name: `v${version}`,
  model: { name: CANARY.model, version },
  environment: { AGENT_MODEL_VERSION: version },
});

/** A two-phase canary release of the triage agent. */
export class CanaryStack extends TerraformStack {
  readonly policy: AgentAuthPolicy;
  readonly endpoint: AgentServingEndpoint;

  constructor(scope: Construct, id = "canary", props: CanaryStackProps = {}) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new DatabricksProvider(this, "databricks", {});

    if (props.endpointLock) AgentStackContext.of(this).useEndpointLock(props.endpointLock);

    const phase = props.phase ?? "canary";
    const stable = entity(CANARY.stableVersion);
    const candidate = entity(CANARY.candidateVersion);

    // Both versions are logged with this one policy: a canary must not change what the agent
    // reaches, or the 10% would fail where the 90% works (put a new dependency in its own release).
    this.policy = new AgentAuthPolicy(this, "Policy", {
      system: [
        ServingEndpoint.fromName(CANARY.llm),
        VectorSearchIndex.fromName(CANARY.index, { endpointName: CANARY.vectorSearchEndpoint }),
      ],
    });

    const release: { servedEntities: ServedEntityProps[]; traffic: Record<string, number> } =
      phase === "canary"
        ? { servedEntities: [stable, candidate], traffic: { [stable.name]: 90, [candidate.name]: 10 } }
        : { servedEntities: [candidate], traffic: { [candidate.name]: 100 } };

    // The construct id "TriageAgent" is part of the Terraform address: renaming it would destroy
    // and recreate the endpoint, so it never changes between phases.
    this.endpoint = new AgentServingEndpoint(this, "TriageAgent", {
      name: props.endpointName ?? "triage-agent",
      servedEntities: release.servedEntities,
      traffic: props.traffic ?? release.traffic,
      workloadSize: "Small",
      scaleToZero: false,
      routeOptimized: props.routeOptimized ?? false,
      authPolicy: this.policy,
      environment: { ENABLE_MLFLOW_TRACING: "true" },
      tags: { agent: "triage", release: "canary" },
      consumers: [Principal.group("support-engineers")],
      deployer: Principal.servicePrincipal(CANARY.deployer),
    });
  }
}
