import { securableKey, uc, ws, type Securable } from "../model/securable";

const UC_KEYS = ["catalog", "schema", "table", "function", "model", "foreign_connection"] as const;

/**
 * The securable a raw grant or permissions resource targets, from its synthesized config.
 * `ownedEndpointIds` maps the resolved `serving_endpoint_id` reference of each owned endpoint to its key.
 */
export function foreignSecurableKey(
  config: Record<string, unknown>,
  ownedEndpointIds: ReadonlyMap<string, string>,
): string | undefined {
  for (const k of UC_KEYS) if (typeof config[k] === "string") return securableKey(uc(k, config[k] as string));
  const ws_: [string, Parameters<typeof ws>[0]][] = [
    ["sql_endpoint_id", "sql_warehouse"],
    ["app_name", "app"],
    ["database_instance_name", "database_instance"],
    ["vector_search_endpoint_id", "vector_search_endpoint"],
  ];
  for (const [attr, type] of ws_)
    if (typeof config[attr] === "string") return securableKey(ws(type, config[attr] as string) as Securable);
  if (typeof config.serving_endpoint_id === "string")
    return (
      ownedEndpointIds.get(config.serving_endpoint_id) ??
      securableKey(ws("serving_endpoint", config.serving_endpoint_id))
    );
  return undefined;
}
