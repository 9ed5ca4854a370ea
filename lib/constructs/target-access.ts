import type { IAgentDependency } from "../model/dependency";
import type { Principal } from "../model/principal";
import type { Securable } from "../model/securable";
import type { AgentStackContext } from "./agent-stack-context";

/** Who reaches a target and how: what both targets (endpoint, app) ask of the grant plan alike. */
export interface TargetAccess {
  /** The target itself, in grant plans. */
  readonly securable: Securable;
  /** How reasons name it, e.g. `sales-agent` or `app sales-app`. */
  readonly label: string;
  /** The level its consumers need on it (`CAN_QUERY` on an endpoint, `CAN_USE` on an app). */
  readonly consumerLevel: string;
  readonly consumers: readonly Principal[];
  readonly managers: readonly Principal[];
  readonly deployer?: Principal;
  /** The policy's on-behalf-of-user dependencies: each consumer needs their access too. */
  readonly oboDependencies: readonly IAgentDependency[];
  readonly requestedBy: string;
}

/**
 * Request the target's own ACL entries (consumers, managers, a deployer listed as a consumer) and the
 * consumers' access to what the agent reaches on their behalf.
 */
export function requestTargetAccess(context: AgentStackContext, a: TargetAccess): void {
  const by = a.requestedBy;
  // What a consumer needs is the same for every consumer: each dependency's needs and reason are
  // derived once (and, as before, not at all without consumers).
  const consumerReason = `consumer of ${a.label}`;
  const oboNeeds =
    a.consumers.length === 0
      ? []
      : a.oboDependencies.map((d) => ({
          reason: `consumer of ${a.label}, on behalf of user: ${d.description}`,
          needs: d.accessNeeds("consumer"),
        }));
  for (const c of a.consumers) {
    context.requestGrant({
      principal: c,
      securable: a.securable,
      privilege: a.consumerLevel,
      reason: consumerReason,
      requestedBy: by,
    });
    for (const { reason, needs } of oboNeeds)
      for (const need of needs)
        context.requestGrant({
          principal: c,
          securable: need.securable,
          privilege: need.privilege,
          reason,
          requestedBy: by,
        });
  }
  for (const m of a.managers)
    context.requestGrant({
      principal: m,
      securable: a.securable,
      privilege: "CAN_MANAGE",
      reason: `manager of ${a.label}`,
      requestedBy: by,
    });
  // The applying identity holds CAN_MANAGE on what it creates; listing it lower fails at apply.
  const deployer = a.deployer;
  if (deployer !== undefined && a.consumers.some((c) => c.key === deployer.key))
    context.requestGrant({
      principal: deployer,
      securable: a.securable,
      privilege: "CAN_MANAGE",
      reason: `deployer of ${a.label}: the applying identity is never listed below CAN_MANAGE`,
      requestedBy: by,
    });
}
