import { nameCharacterProblem, type CharacterProblem } from "./name-characters";
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
  const checked = checkUcName(name);
  return "message" in checked ? checked.message : checked;
}

/**
 * {@link parseUcName} with the reason's own allowed form and fix when the name's characters are
 * refused (lib/model/name-characters.ts); other reasons have neither.
 */
export function checkUcName(
  name: string,
): UcName | { readonly message: string; readonly allowed?: string; readonly fix?: string } {
  if (containsToken(name))
    return {
      message:
        "is an unresolved Terraform reference; a Unity Catalog name must be known at synth to derive its parent grants",
    };
  if (/\$\{|%\{/.test(name)) return { message: "contains a Terraform template sequence (`${` or `%{`)" };
  const characters: CharacterProblem | undefined = nameCharacterProblem(name, { what: "the name" });
  if (characters !== undefined) return characters;
  const parts = name.split(".");
  if (parts.length !== 3)
    return { message: `has ${parts.length} part${parts.length === 1 ? "" : "s"}, not 3` };
  const bad = parts.find((p) => !PART.test(p));
  if (bad !== undefined)
    return {
      message:
        bad.length === 0
          ? "has an empty part"
          : `has a part (${JSON.stringify(bad)}) with a space, quote, slash or control character`,
    };
  const [catalog, schema, object] = parts as [string, string, string];
  return { catalog, schema, object, full: name };
}

/**
 * The one spelling of a Unity Catalog securable's name: lower case. UC identifiers are
 * case-insensitive and UC stores every object name in lower case, so `Main.Sales.Orders` and
 * `main.sales.orders` are one table; planned under this spelling they are one grant (and the spelling
 * UC returns, so nothing drifts). A Terraform reference is left as it is.
 */
export function canonicalUcName(name: string): string {
  return containsToken(name) ? name : name.toLowerCase();
}

/** The allowed form, for messages. */
export const UC_NAME_ALLOWED = "catalog.schema.name: three non-empty parts without spaces, quotes or slashes";
