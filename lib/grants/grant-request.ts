import type { Principal } from "../model/principal";
import type { Securable } from "../model/securable";

/** One request for access: who, on what, which privilege, and why. */
export interface GrantRequest {
  readonly principal: Principal;
  readonly securable: Securable;
  readonly privilege: string;
  /** Which dependency or role needs it, e.g. `consumer of health-monitor-agent: Genie space cost`. */
  readonly reason: string;
  /** Construct path that asked for it. */
  readonly requestedBy: string;
  /** Requested directly through an escape hatch (not derived from a dependency). */
  readonly manual?: boolean;
  /**
   * Kept only when the stack owns the object's ACL, dropped otherwise: access something else already
   * gives (an app resource grants the app's service principal natively) that an ACL the stack owns, being
   * authoritative, would otherwise remove at apply.
   * @default false
   */
  readonly onlyWhereOwned?: boolean;
}

/**
 * How grants on an object the stack does not own are realised.
 * - `report`: no resource; the grants are listed in the stack report with ready-to-run commands.
 * - `additive`: the Permissions API's PATCH through the Databricks CLI, from a `terraform_data` resource;
 *   adds entries without removing anyone else's.
 * - `authoritative`: `databricks_permissions`, which replaces the object's whole ACL (opt-in, acknowledged).
 */
export type GrantMechanism = "report" | "additive" | "authoritative";
