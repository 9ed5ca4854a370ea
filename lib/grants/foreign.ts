import { securableKey, uc, ws } from "../model/securable";
import { SECURABLE_TYPES, UC_SECURABLE_TYPES, WORKSPACE_OBJECT_TYPES } from "../model/securable-types";

/**
 * The securable a raw grant or permissions resource targets, from its synthesized config (Terraform
 * attribute names, as in {@link SECURABLE_TYPES}).
 * `ownedEndpointIds` maps the resolved `serving_endpoint_id` reference of each owned endpoint to its key.
 */
export function foreignSecurableKey(
  config: Record<string, unknown>,
  ownedEndpointIds: ReadonlyMap<string, string>,
): string | undefined {
  for (const type of UC_SECURABLE_TYPES) {
    const value = config[SECURABLE_TYPES.uc[type].terraformAttribute];
    if (typeof value === "string") return securableKey(uc(type, value));
  }
  for (const type of WORKSPACE_OBJECT_TYPES) {
    const attribute = SECURABLE_TYPES.workspace[type].terraformAttribute;
    const value = attribute === undefined ? undefined : config[attribute];
    if (typeof value !== "string") continue;
    return type === "serving_endpoint"
      ? (ownedEndpointIds.get(value) ?? securableKey(ws(type, value)))
      : securableKey(ws(type, value));
  }
  return undefined;
}
