import type { Principal } from "../model/principal";
import { uc, type UcSecurableType } from "../model/securable";
import type { GrantMechanism } from "./grant-request";
import { pairKey } from "./plan";

/** A (Unity Catalog securable, principal) pair whose grant the stack alone manages. */
export interface OwnedGrant {
  /** The securable as `<type>:<full name>`, e.g. `schema:main.agents` or `table:main.sales.orders`. */
  readonly securable: string;
  /** The principal whose privileges on it the stack owns. */
  readonly principal: Principal;
}

/** Stack-wide grant settings. */
export interface GrantSettings {
  /**
   * How grants on objects the stack does not own (shared catalogs, schemas, tables, functions, models,
   * connections, warehouses, Genie spaces, LLM endpoints, vector search endpoints, Lakebase instances,
   * apps, secret scopes) are realised. Neither removes or lowers access anyone holds: `report` writes
   * the grants and ready-to-run commands into the stack report; `additive` adds them at apply time
   * through the Databricks CLI (UC `grants update` with `add` only; Permissions API PATCH and secret
   * ACLs only where the principal holds no higher level) and leaves them in place on destroy.
   * @default "report"
   */
  readonly mechanism?: Exclude<GrantMechanism, "authoritative">;
  /**
   * Per-object overrides, keyed by the object as `<type>:<id>`, e.g. `sql_warehouse:4b9b953939869799`
   * or `table:main.sales.orders`. `authoritative` (a `databricks_permissions` that replaces the whole
   * ACL; acknowledged DBA-GRANT-001) is allowed only for workspace objects.
   * @default {}
   */
  readonly overrides?: Readonly<Record<string, GrantMechanism>>;
  /**
   * (UC securable, principal) pairs the stack alone grants: realised as `databricks_grant`, which sets
   * exactly the planned privileges for that principal there and revokes them all on destroy.
   * Acknowledge DBA-GRANT-001 for each. A pair that matches no planned grant fails synth (DBA-GRANT-009).
   * @default []
   */
  readonly ownedGrants?: readonly OwnedGrant[];
  /**
   * Migration from a release that realised shared UC grants as `databricks_grant` and the deployer's
   * secret scope READ as `databricks_secret_acl`: emit a Terraform `removed` block (lifecycle
   * `destroy = false`, Terraform >= 1.7) for each address such a release created for today's plan, so
   * the next apply forgets those resources instead of destroying them, and no access they gave is
   * revoked. Harmless for addresses that are not in the state. Turn it off once every deployment applied it.
   * @default false
   */
  readonly forgetLegacyGrants?: boolean;
  /**
   * Path of the Databricks CLI used by the additive mechanism at apply time: a plain executable path.
   * @default "databricks"
   */
  readonly cliPath?: string;
  /**
   * Owners of SQL warehouses whose ACL is made authoritative, by warehouse id. Written as the
   * `IS_OWNER` entry, so ownership does not move to the applying identity.
   * @default {}
   */
  readonly warehouseOwners?: Readonly<Record<string, Principal>>;
}

/** The plan's key of an owned-grant declaration (`table:main.a.b` + principal). */
export function ownedGrantKey(o: OwnedGrant): string {
  const i = o.securable.indexOf(":");
  const type = o.securable.slice(0, i) as UcSecurableType;
  return pairKey(uc(type, o.securable.slice(i + 1)), o.principal.key);
}
