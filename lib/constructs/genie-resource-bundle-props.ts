// The props of GenieResourceBundle, their schema and their help: one module, checked against each other.
import { z } from "zod";
import { SqlWarehouse } from "../model/references";
import { nonEmpty, type HelpFor, type SameKeys } from "../model/schemas";

/** Props of a {@link GenieResourceBundle}. */
export interface GenieResourceBundleProps {
  /** The agent's name for this space; gives the endpoint variable `<DOMAIN>_GENIE_SPACE_ID`. */
  readonly domain: string;
  /** The Genie space id (32 hex characters) or a Terraform reference to it. */
  readonly spaceId: string;
  /** The SQL warehouse the space runs its queries on. */
  readonly warehouse: SqlWarehouse;
  /** Every table the space uses, as `catalog.schema.table` (at least one). */
  readonly tables: readonly string[];
  /**
   * UC functions the space uses, as `catalog.schema.function`.
   * @default []
   */
  readonly functions?: readonly string[];
  /**
   * How the agent talks to Genie: the Conversation API (`dashboards.genie`) or the managed MCP server
   * `{host}/api/2.0/mcp/genie/{space_id}` (`mcp.genie`).
   * @default "conversation"
   */
  readonly interface?: "conversation" | "mcp";
}

/** Schema of `GenieResourceBundleProps`. Missing warehouse / tables are left to rules DBA-GENIE-001/002. */
export const genieBundleSchema = z.strictObject({
  domain: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, { error: "is not a domain name" }),
  spaceId: nonEmpty,
  warehouse: z
    .custom<SqlWarehouse>((v) => v instanceof SqlWarehouse, {
      error: "is not a SqlWarehouse (use SqlWarehouse.fromId(id))",
    })
    .optional(),
  tables: z.array(z.string()).max(1000, { error: "has more than 1000 tables" }).optional(),
  functions: z.array(z.string()).max(1000, { error: "has more than 1000 functions" }).optional(),
  interface: z.enum(["conversation", "mcp"]).optional(),
});

/** Help for the bundle's props. */
export const GENIE_BUNDLE_HELP: HelpFor<GenieResourceBundleProps> = {
  domain: {
    allowed:
      "a letter then letters, digits or '_', at most 63 characters (it becomes <DOMAIN>_GENIE_SPACE_ID)",
    fix: 'use a short domain such as "cost" or "security"',
  },
  spaceId: {
    allowed: "the Genie space id (32 hex characters) or a Terraform reference",
    fix: "copy the id from the Genie space URL (/genie/rooms/<id>)",
  },
  warehouse: {
    allowed: "SqlWarehouse.fromId(id)",
    fix: "pass the warehouse the Genie space runs its SQL on",
  },
  tables: { allowed: "an array of catalog.schema.table names", fix: "list every table the Genie space uses" },
  functions: {
    allowed: "an array of catalog.schema.function names",
    fix: "list the UC functions the space uses",
  },
  interface: {
    allowed: '"conversation" (Genie Conversation API) or "mcp" (managed MCP server)',
    fix: 'choose how the agent talks to Genie; "mcp" needs the mcp.genie scope',
  },
};

const KEYS_MATCH: SameKeys<z.infer<typeof genieBundleSchema>, GenieResourceBundleProps> = true;
void KEYS_MATCH;
