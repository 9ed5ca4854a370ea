import { containsToken } from "./tokens";

/** A three-level Unity Catalog name, split into its parts. */
export interface UcName {
  readonly catalog: string;
  readonly schema: string;
  readonly object: string;
  /** `catalog.schema.object` */
  readonly full: string;
}

const PART = /^[^.\s`'"\\/\u0000-\u001f\u007f]{1,255}$/;

/**
 * Parse `catalog.schema.object`. Returns the parts, or a reason the name is not usable.
 * Unresolved tokens cannot be split and are refused: grants need the parent catalog and schema.
 */
export function parseUcName(name: string): UcName | string {
  if (containsToken(name))
    return "is an unresolved Terraform reference; a Unity Catalog name must be known at synth to derive its parent grants";
  if (/\$\{|%\{/.test(name)) return "contains a Terraform template sequence (`${` or `%{`)";
  const parts = name.split(".");
  if (parts.length !== 3) return `has ${parts.length} part${parts.length === 1 ? "" : "s"}, not 3`;
  const bad = parts.find((p) => !PART.test(p));
  if (bad !== undefined)
    return bad.length === 0
      ? "has an empty part"
      : `has a part (${JSON.stringify(bad)}) with a space, quote, slash or control character`;
  const [catalog, schema, object] = parts as [string, string, string];
  return { catalog, schema, object, full: name };
}

/** The allowed form, for messages. */
export const UC_NAME_ALLOWED = "catalog.schema.name: three non-empty parts without spaces, quotes or slashes";
