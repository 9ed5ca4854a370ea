import { parse as parseYaml } from "yaml";
import { isMlflowKind, RESOURCE_KINDS, type ResourceKind } from "../model/resource-kinds";

/** A policy reduced to comparable sets: resource keys (`kind:name`) and scopes. */
export interface PolicySets {
  readonly resources: ReadonlySet<string>;
  readonly scopes: ReadonlySet<string>;
}

/** A file that is not a valid policy or MLmodel; names the file and the field. */
export class ContractFileError extends Error {
  constructor(
    public readonly file: string,
    public readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field}: ${problem}`);
    this.name = "ContractFileError";
  }
}

/** The kinds an MLflow policy can name (a kind without an MLflow class never appears in one). */
const KINDS: readonly string[] = (Object.keys(RESOURCE_KINDS) as ResourceKind[]).filter(isMlflowKind);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Read the serialised resources `{"api_version": "1", "databricks": {...}}` into `kind:name` keys. */
function readResources(file: string, field: string, value: unknown): Set<string> {
  if (!isObject(value))
    throw new ContractFileError(
      file,
      field,
      `expected a mapping with api_version and databricks, got ${describe(value)}`,
    );
  if (value.api_version !== "1")
    throw new ContractFileError(
      file,
      `${field}.api_version`,
      `expected the string "1", got ${describe(value.api_version)}`,
    );
  const unknownTop = Object.keys(value).filter((k) => k !== "api_version" && k !== "databricks");
  if (unknownTop.length > 0)
    throw new ContractFileError(
      file,
      `${field}.${unknownTop[0]}`,
      "unknown key (allowed: api_version, databricks)",
    );
  const databricks = value.databricks;
  if (!isObject(databricks))
    throw new ContractFileError(
      file,
      `${field}.databricks`,
      `expected a mapping of resource kinds, got ${describe(databricks)}`,
    );
  const out = new Set<string>();
  for (const [kind, entries] of Object.entries(databricks)) {
    const f = `${field}.databricks.${kind}`;
    if (!KINDS.includes(kind))
      throw new ContractFileError(file, f, `unknown resource kind (allowed: ${KINDS.join(", ")})`);
    if (!Array.isArray(entries))
      throw new ContractFileError(file, f, `expected a list of {name: ...}, got ${describe(entries)}`);
    entries.forEach((e, i) => {
      if (!isObject(e) || typeof e.name !== "string" || e.name.length === 0)
        throw new ContractFileError(
          file,
          `${f}[${i}].name`,
          `expected a non-empty string, got ${describe(isObject(e) ? e.name : e)}`,
        );
      const extra = Object.keys(e).filter((k) => k !== "name" && k !== "on_behalf_of_user");
      if (extra.length > 0)
        throw new ContractFileError(
          file,
          `${f}[${i}].${extra[0]}`,
          "unknown key (allowed: name, on_behalf_of_user)",
        );
      out.add(`${kind}:${e.name}`);
    });
  }
  return out;
}

function readScopes(file: string, field: string, value: unknown): Set<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value))
    throw new ContractFileError(file, field, `expected a list of scope strings, got ${describe(value)}`);
  value.forEach((s, i) => {
    if (typeof s !== "string" || s.length === 0)
      throw new ContractFileError(file, `${field}[${i}]`, `expected a scope string, got ${describe(s)}`);
  });
  return new Set(value as string[]);
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Read an `AuthPolicy.to_dict()` object (from auth_policy.json or an MLmodel's `auth_policy:`). */
export function readAuthPolicy(file: string, value: unknown, field = "(root)"): PolicySets {
  if (!isObject(value))
    throw new ContractFileError(
      file,
      field,
      `expected a mapping with system_auth_policy and user_auth_policy, got ${describe(value)}`,
    );
  const at = (k: string): string => (field === "(root)" ? k : `${field}.${k}`);
  const unknown = Object.keys(value).filter((k) => k !== "system_auth_policy" && k !== "user_auth_policy");
  if (unknown.length > 0)
    throw new ContractFileError(
      file,
      at(unknown[0]!),
      "unknown key (allowed: system_auth_policy, user_auth_policy)",
    );
  const system = value.system_auth_policy ?? {};
  const user = value.user_auth_policy ?? {};
  if (!isObject(system))
    throw new ContractFileError(
      file,
      at("system_auth_policy"),
      `expected a mapping, got ${describe(system)}`,
    );
  if (!isObject(user))
    throw new ContractFileError(file, at("user_auth_policy"), `expected a mapping, got ${describe(user)}`);
  return {
    resources:
      system.resources === undefined
        ? new Set()
        : readResources(file, at("system_auth_policy.resources"), system.resources),
    scopes: readScopes(file, at("user_auth_policy.api_scopes"), user.api_scopes),
  };
}

/** Parse the synthesized `auth_policy.json`. */
export function parsePolicyFile(file: string, text: string): PolicySets {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ContractFileError(file, "(file)", `not valid JSON: ${(e as Error).message}`);
  }
  return readAuthPolicy(file, value);
}

/** Parse an `MLmodel` file: its `auth_policy:` (or, for models logged with `resources=`, its `resources:`). */
export function parseMlmodel(
  file: string,
  text: string,
): PolicySets & { readonly source: "auth_policy" | "resources" } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ContractFileError(file, "(file)", `not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!isObject(doc)) throw new ContractFileError(file, "(file)", "not an MLmodel mapping");
  if (doc.auth_policy !== undefined)
    return { ...readAuthPolicy(file, doc.auth_policy, "auth_policy"), source: "auth_policy" };
  if (doc.resources !== undefined)
    return {
      resources: readResources(file, "resources", doc.resources),
      scopes: new Set(),
      source: "resources",
    };
  throw new ContractFileError(
    file,
    "auth_policy",
    "missing: the model was logged without auth_policy= (or resources=)",
  );
}

/** The differences between what the infrastructure expects and what the model declares. */
export interface ContractDiff {
  readonly missingResources: string[];
  readonly extraResources: string[];
  readonly missingScopes: string[];
  readonly extraScopes: string[];
}

/** Compare: "missing" = in the synthesized policy, not in the model; "extra" = the reverse. */
export function comparePolicies(expected: PolicySets, actual: PolicySets): ContractDiff {
  const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] =>
    [...a].filter((x) => !b.has(x)).sort();
  return {
    missingResources: minus(expected.resources, actual.resources),
    extraResources: minus(actual.resources, expected.resources),
    missingScopes: minus(expected.scopes, actual.scopes),
    extraScopes: minus(actual.scopes, expected.scopes),
  };
}

/** True when nothing differs. */
export function agrees(d: ContractDiff): boolean {
  return (
    d.missingResources.length + d.extraResources.length + d.missingScopes.length + d.extraScopes.length === 0
  );
}

/** A readable report of the differences. */
export function formatDiff(d: ContractDiff): string {
  const section = (title: string, items: string[]): string[] =>
    items.length ? [`${title}:`, ...items.map((i) => `  - ${i}`)] : [];
  return [
    ...section(
      "resources the policy declares but the model does not (passthrough will lack access)",
      d.missingResources,
    ),
    ...section(
      "resources the model declares but the policy does not (grants and checks do not cover them)",
      d.extraResources,
    ),
    ...section(
      "scopes the policy needs but the model does not declare (OBO calls will get 403)",
      d.missingScopes,
    ),
    ...section("scopes the model declares but the policy does not need (least privilege)", d.extraScopes),
  ].join("\n");
}
