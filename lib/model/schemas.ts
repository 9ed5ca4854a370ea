import { z } from "zod";
import { nameCharacterProblem } from "./name-characters";
import { isPrincipal } from "./principal";
import { mask, show, type Problem } from "./problem";
import { UC_SECURABLE_TYPES, WORKSPACE_OBJECT_TYPES } from "./securable-types";
import { credentialInPathProblem, credentialInPropsProblem } from "./credential-problems";
import { containsCredential } from "./credentials";
import { SECRET_NAME_PATTERN } from "./secret-ref";
import type { IAgentDependency } from "./dependency";
import { canonicalObjectKey } from "./securable";
import { grantRows, isTabulatedReport, REPORT_FORMAT } from "./report-format";

/** Brand of `AgentAuthPolicy` instances, so the schema can recognise one without importing constructs. */
export const AUTH_POLICY_BRAND: unique symbol = Symbol.for("cdktf-databricks-agents.AgentAuthPolicy");

/** Help for one prop: what is allowed and how to fix a bad value. */
export interface PropHelp {
  readonly allowed: string;
  readonly fix: string;
}

const DEPENDENCY_METHODS = ["systemResources", "oboAccessPaths", "accessNeeds", "problems"] as const;
const isDependency = (v: unknown): v is IAgentDependency =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as IAgentDependency).dependencyKey === "string" &&
  typeof (v as IAgentDependency).description === "string" &&
  DEPENDENCY_METHODS.every((m) => typeof (v as Record<string, unknown>)[m] === "function");

export const dependency = z.custom<IAgentDependency>(isDependency, {
  error:
    "is not a dependency (a GenieResourceBundle, SqlWarehouse.fromId(...), ServingEndpoint.fromName(...), ...)",
});
export const principal = z.custom((v) => isPrincipal(v), {
  error:
    "is not a principal built with Principal.user(...), Principal.group(...) or Principal.servicePrincipal(...)",
});
/**
 * Refuse invisible and lookalike characters in a name (the check is lib/model/name-characters.ts);
 * the message shows the character as a code point, where it is, and the fix.
 */
export function refuseHiddenCharacters(value: string, ctx: z.RefinementCtx, path: PropertyKey[] = []): void {
  const problem = nameCharacterProblem(value);
  if (problem !== undefined)
    ctx.addIssue({ code: "custom", path, message: `${problem.message}; ${problem.fix}` });
}

export const nonEmpty = z
  .string()
  .min(1, { error: "is empty" })
  .superRefine((v, ctx) => refuseHiddenCharacters(v, ctx));

/** Help for every prop of `P`, keyed by its own keys: the compiler catches a missing or stale entry. */
export type HelpFor<P> = { readonly [K in keyof Required<P>]: PropHelp };

/** `true` when a schema's keys are exactly the props' keys (a compile-time check beside each schema). */
export type SameKeys<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? true
    : false
  : false;

// ---------------------------------------------------------------------------------------------
// Stack-level settings: grants, the endpoint lock, acknowledgements
// ---------------------------------------------------------------------------------------------

const mechanism = z.enum(["report", "additive", "authoritative"]);
/** Workspace object keys (`<type>:`) an override may make authoritative: read from the securable-types table. */
const WORKSPACE_KEY = new RegExp(`^(${WORKSPACE_OBJECT_TYPES.join("|")}):`);
/**
 * UC securable keys a stack can declare it owns a principal's grant on: every UC type. A type the bound
 * provider's `databricks_grant` lacks (`grantAttributeSince`, e.g. model_service before 1.127) is realised
 * by the stack's mechanism instead, the report saying why (lib/grants/plan.ts).
 */
const UC_KEY = new RegExp(`^(${UC_SECURABLE_TYPES.join("|")}):[^\\s]+$`);

/** Schema of the stack's grant settings. */
export const grantSettingsSchema = z.strictObject({
  mechanism: z.enum(["report", "additive"], { error: 'is not "report" or "additive"' }).optional(),
  overrides: z
    .record(
      z.string().regex(/^[a-z_]+:[^\s]+$/, { error: "is not an object key like sql_warehouse:<id>" }),
      mechanism,
    )
    .superRefine((o, ctx) => {
      const planKeys = new Map<string, string>();
      for (const key of Object.keys(o).sort()) {
        refuseHiddenCharacters(key, ctx, [key]);
        // A UC name in two spellings is one object (UC names are case-insensitive): one override for it.
        const planKey = canonicalObjectKey(key);
        const other = planKeys.get(planKey);
        if (other !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `names the same Unity Catalog object as ${JSON.stringify(other)} (UC names are case-insensitive); keep one of the two keys`,
          });
        else planKeys.set(planKey, key);
      }
      for (const [key, m] of Object.entries(o))
        if (m === "authoritative" && !WORKSPACE_KEY.test(key))
          ctx.addIssue({
            code: "custom",
            path: [key],
            message:
              "is authoritative on a Unity Catalog object or secret scope, which would replace other principals' access; declare the pairs the stack owns in ownedGrants instead",
          });
    })
    .optional(),
  ownedGrants: z
    .array(
      z.strictObject({
        securable: z
          .string()
          .regex(UC_KEY, { error: "is not a UC securable key like table:main.sales.orders" })
          .superRefine((v, ctx) => refuseHiddenCharacters(v, ctx)),
        principal,
      }),
    )
    .optional(),
  forgetLegacyGrants: z.boolean().optional(),
  cliPath: z
    .string()
    .max(4096)
    .regex(/^(?!-)[A-Za-z0-9_./+-]+$/, {
      error: "is not a plain executable path (letters, digits, _ . / + -, not starting with -)",
    })
    .optional(),
  warehouseOwners: z
    .record(z.string(), principal)
    .superRefine((o, ctx) => {
      for (const key of Object.keys(o)) refuseHiddenCharacters(key, ctx, [key]);
    })
    .optional(),
});

/** Help for the grant settings. */
export const GRANT_SETTINGS_HELP: Readonly<Record<string, PropHelp>> = {
  mechanism: {
    allowed: '"report" (default) or "additive"',
    fix: 'pick "report" or "additive"; make one workspace object authoritative with overrides',
  },
  overrides: {
    allowed:
      'a map from "<type>:<id>" (e.g. "sql_warehouse:4b9b953939869799", "table:main.sales.orders") to a mechanism; "authoritative" only for workspace objects',
    fix: "key each override by the object as the report names it; for UC objects use ownedGrants instead of authoritative",
  },
  ownedGrants: {
    allowed:
      'a list of { securable: "<uc type>:<full name>", principal: Principal } pairs the stack alone grants',
    fix: "list only pairs no one else grants (they are realised as databricks_grant, which replaces that principal's privileges there), and acknowledge DBA-GRANT-001",
  },
  forgetLegacyGrants: {
    allowed: "true or false",
    fix: "set true for the first deploy after upgrading from a release that used databricks_grant on shared objects",
  },
  cliPath: {
    allowed: "a plain executable path: letters, digits, _ . / + -, not starting with -",
    fix: 'use "databricks" or an absolute path such as /usr/local/bin/databricks',
  },
  warehouseOwners: {
    allowed: "a map from warehouse id to a Principal",
    fix: "build owners with Principal.*",
  },
};

/** Schema of the stack's file settings (`configureFiles`). */
export const fileSettingsSchema = z.strictObject({
  perTargetFiles: z.boolean({ error: "is not true or false" }).optional(),
});

/** Help for the file settings. */
export const FILE_SETTINGS_HELP: Readonly<Record<string, PropHelp>> = {
  perTargetFiles: {
    allowed: "true or false (default false: mlflow.json and apps.json only)",
    fix: "set true to also write mlflow/<key>/ and apps/<key>/ per target, or export them with dba-export",
  },
};

/** Schema of the endpoint lock (`endpoint-lock.json`). */
export const endpointLockSchema = z.strictObject({
  endpoints: z.record(
    z.string(),
    z.strictObject({
      name: z.string(),
      routeOptimized: z.boolean(),
      createOnly: z.record(z.string(), z.string()).optional(),
      aiGateway: z.boolean().optional(),
    }),
  ),
});

/** Help for the endpoint lock. */
export const ENDPOINT_LOCK_HELP: Readonly<Record<string, PropHelp>> = {
  endpoints: {
    allowed:
      '{ "<construct path>": { "name": string, "routeOptimized": boolean, "createOnly"?: { "<field>": string }, "aiGateway"?: boolean } }',
    fix: "pass the endpoint-lock.json a previous synth wrote, unedited",
  },
};

/**
 * Schema of the previous report (`agent-report.json`) as `usePreviousReport` reads it: only its grant
 * rows; every other field is ignored. A report of format 2 (tables) is read into the rows of format 1
 * first, so the report of the last applied synth works whichever version wrote it.
 */
export const previousReportSchema = z.preprocess(
  (v, ctx) => {
    if (!isTabulatedReport(v)) return v;
    const unreadable = (message: string) => {
      ctx.addIssue({ code: "custom", path: ["grants"], message, input: v });
      return { grants: [] };
    };
    if (v.format > REPORT_FORMAT)
      return unreadable(
        `is a report of format ${v.format}, newer than this library reads (${REPORT_FORMAT})`,
      );
    try {
      return { grants: grantRows(v) };
    } catch (e) {
      return unreadable(
        `is an unreadable format-${v.format} report: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  },
  z.object({
    grants: z
      .array(
        z.object({
          securable: z.string(),
          principal: z.string(),
          privileges: z.array(z.string()).max(100),
          mechanism: z.string(),
        }),
      )
      .max(100000),
  }),
);

/** Help for the previous report. */
export const PREVIOUS_REPORT_HELP: Readonly<Record<string, PropHelp>> = {
  grants: {
    allowed:
      'a report of format 2 (its tables), or format 1 grant rows [{ "securable": string, "principal": string, "privileges": string[], "mechanism": string }]',
    fix: "pass the agent-report.json of the last applied synth, unedited",
  },
};

/** Schema of an acknowledgement. */
export const acknowledgementSchema = z.strictObject({
  ruleId: z.string().regex(/^DBA-[A-Z]+-\d{3}$/, { error: "is not a rule id like DBA-AUTH-001" }),
  reason: z.string().max(2000),
});

/** Help for an acknowledgement. */
export const ACKNOWLEDGEMENT_HELP: Readonly<Record<string, PropHelp>> = {
  ruleId: { allowed: "a rule id from the catalog", fix: "copy the id from the finding" },
  reason: { allowed: "a string of at least 10 characters", fix: "say why the finding is acceptable here" },
};

/** Props whose values must never be shown in messages. */
const SECRET_PROPS = new Set(["secrets"]);

/** True when a value may be secret: under `secrets`, or an environment entry with a secret-looking name or value. */
function mayBeSecret(top: string, path: readonly PropertyKey[], value: unknown): boolean {
  if (SECRET_PROPS.has(top)) return true;
  const at = path.indexOf("environment");
  if (at < 0) return false;
  const name = String(path[at + 1] ?? "");
  return (
    SECRET_NAME_PATTERN.test(name) ||
    (typeof value === "string" && containsCredential(value)) ||
    typeof value !== "string"
  );
}

/**
 * Validate props against a schema. Returns the parsed value or every problem at once, each naming
 * the construct path and prop, the value received (masked for secrets), what is allowed and the fix.
 */
export function parseProps<T>(
  schema: z.ZodType<T>,
  props: unknown,
  path: string,
  help: Readonly<Record<string, PropHelp>>,
): { ok: true; value: T } | { ok: false; problems: Problem[] } {
  // A credential in a construct id would be printed in every message and written into the outputs.
  // constructs writes a '/' in an id as '--': `postgres://u:p@h` arrives as `postgres:----u:p@h`.
  if (containsCredential(path) || (path.includes("--") && containsCredential(path.replace(/--/g, "/"))))
    return { ok: false, problems: [credentialInPathProblem(path)] };
  const { protoKeys, credentials } = scanProps(props);
  const result = schema.safeParse(props);
  if (result.success && protoKeys.length === 0 && credentials.length === 0)
    return { ok: true, value: result.data };
  const issues = result.success ? [] : result.error.issues;
  const problems = issues.map((issue): Problem => {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys;
      return {
        ruleId: "DBA-CFG-001",
        path,
        prop: keys.join(", "),
        message: `unknown prop${keys.length === 1 ? "" : "s"}`,
        received: keys.map((k) => JSON.stringify(k)).join(", "),
        allowed: Object.keys(help).join(", "),
        fix: "remove the prop or correct its spelling",
      };
    }
    const top = String(issue.path[0] ?? "");
    const prop = issue.path
      .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join("");
    const value = issue.path.reduce<unknown>(
      (v, key) =>
        v !== null && typeof v === "object"
          ? (v as Record<PropertyKey, unknown>)[key as PropertyKey]
          : undefined,
      props,
    );
    const h = help[top] ?? { allowed: "see the prop's documentation", fix: "correct the value" };
    if (issue.code === "invalid_key") {
      const key = String(issue.path[issue.path.length - 1] ?? "");
      return {
        ruleId: "DBA-CFG-001",
        path,
        prop: prop || "(props)",
        message: `the name ${issue.issues[0]?.message ?? "is invalid"}`,
        received: show(key),
        allowed: "a name matching [A-Za-z_][A-Za-z0-9_]* (letters, digits, '_'; not starting with a digit)",
        // No suggestion derived from a credential (an upper-cased credential escapes the masking).
        fix: containsCredential(key)
          ? "rename it, with a name that is no credential"
          : `rename it, e.g. ${JSON.stringify(
              key
                .toUpperCase()
                .replace(/[^A-Z0-9_]+/g, "_")
                .replace(/^(?=[0-9])/, "_") || "NAME",
            )}`,
      };
    }
    return {
      ruleId: "DBA-CFG-001",
      path,
      prop: prop || "(props)",
      message: issue.message.replace(/^Invalid input: /, "invalid value: "),
      received: mayBeSecret(top, issue.path, value) ? mask(value) : show(value),
      allowed: h.allowed,
      fix: h.fix,
    };
  });
  for (const at of credentials) problems.push(credentialInPropsProblem(path, at));
  for (const at of protoKeys)
    problems.push({
      ruleId: "DBA-CFG-001",
      path,
      prop: at,
      message: "uses the reserved key __proto__, which JavaScript objects cannot hold as data",
      received: '"__proto__"',
      allowed: "any other name",
      fix: "rename the key",
    });
  return { ok: false, problems };
}

/** What one walk over the props found: paths of own `__proto__` keys and of credential-looking strings. */
interface PropsScan {
  readonly protoKeys: string[];
  readonly credentials: string[];
}

/**
 * One walk over the props for both checks, depth first in key order:
 * - own `__proto__` keys in plain objects (they would be dropped silently), everywhere;
 * - credential-looking strings (keys or values) outside `secrets` and the environment maps (there
 *   DBA-SEC-001 reports them with the variable's name at synth).
 * Each check visits an object once (a shared object is reported where that check first meets it), so
 * the credential check still looks into an object first met under `environment`. The path of a key is
 * kept as a stack of keys and spelled out (`a.b[0].c`) only on a hit, which is rare.
 */
function scanProps(props: unknown): PropsScan {
  const protoKeys: string[] = [];
  const credentials: string[] = [];
  const keys: string[] = [];
  const inArray: boolean[] = [];
  const spell = (): string => {
    let at = "";
    for (let i = 0; i < keys.length; i++)
      at = inArray[i] ? `${at}[${keys[i]!}]` : at ? `${at}.${keys[i]!}` : keys[i]!;
    return at;
  };
  const seenProto = new Set<unknown>();
  const seenCredential = new Set<unknown>();
  /** `proto`/`credential`: whether that check walks this value (its parent was walked by it). */
  const walk = (value: unknown, proto: boolean, credential: boolean): void => {
    if (typeof value === "string") {
      // Only the props themselves have no path.
      if (credential && containsCredential(value)) credentials.push(spell() || "(props)");
      return;
    }
    if (typeof value !== "object" || value === null) return;
    // Only arrays and plain objects are looked into (a construct, a reference or a principal is not),
    // so only they need remembering.
    const array = Array.isArray(value);
    if (!array) {
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return;
    }
    const walkProto = proto && !seenProto.has(value);
    const walkCredential = credential && !seenCredential.has(value);
    if (!walkProto && !walkCredential) return;
    if (walkProto) seenProto.add(value);
    if (walkCredential) seenCredential.add(value);
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      const credentialHere = walkCredential && (array || (k !== "secrets" && k !== "environment"));
      if (!walkProto && !credentialHere) continue;
      keys.push(k);
      inArray.push(array);
      if (walkProto && k === "__proto__") protoKeys.push(spell());
      if (credentialHere && containsCredential(k)) credentials.push(spell());
      walk(record[k], walkProto, credentialHere);
      keys.pop();
      inArray.pop();
    }
  };
  walk(props, true, true);
  return { protoKeys, credentials };
}
