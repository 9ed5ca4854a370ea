/**
 * What the Databricks provider does with some `databricks_model_serving` fields, as data (REFERENCE.md,
 * "`databricks_model_serving` since 1.99"): the one home the endpoint (recording them in its lock entry)
 * and the provider-semantics rules (comparing them with the lock) read.
 */

/**
 * Fields applied only when the endpoint is created: a later change is accepted in plan and never applied
 * (the update sends only `config`, `tags` and `ai_gateway`; some are not returned by the API either).
 * `endpoint` fields are top-level attributes, `servedEntity` fields attributes of each served entity.
 */
export const CREATE_ONLY_SERVING_FIELDS = {
  endpoint: ["telemetry_config"],
  servedEntity: ["burst_scaling_enabled"],
} as const;

/** The lock key of a served entity's create-only field: `served_entities.<entity>.<field>`. */
export function servedEntityFieldKey(entity: string, field: string): string {
  return `served_entities.${entity}.${field}`;
}

/**
 * The block whose removal crashes the provider's update (still at 1.128): disable its parts instead.
 */
export const UNREMOVABLE_SERVING_BLOCK = "ai_gateway";

/** JSON with object keys sorted at every level: a value's stable text, whatever the declaration order. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v as Record<string, unknown>)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value)) ?? "null";
}
