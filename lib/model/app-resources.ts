/**
 * The `resources[]` of a `databricks_app`, derived from the kinds table (`RESOURCE_KINDS[kind].appResource`):
 * which of the resources an app reaches with its own identity `databricks_app` can express on the bound
 * provider, with the permission each needs, and which must go through the grant plan instead. Pure data:
 * the construct turns each spec into the provider binding's block.
 */
import { createHash } from "crypto";
import { RESOURCE_KINDS, type AgentResource, type AppResourceBlock } from "./resource-kinds";
import type { SecretRef } from "./secret-ref";
import { uc, ws, type Securable } from "./securable";
import { containsToken } from "./tokens";
import { compareVersions } from "./versions";

/** One entry of `databricks_app.resources`. */
export interface AppResourceSpec {
  /** The resource's name: the key `app.yaml` reads it by (`valueFrom`). Unique per app. */
  readonly name: string;
  /** The block: a kind's `appResource.block`, or `secret`. */
  readonly block: AppResourceBlock | "secret";
  /** The block's attributes as Terraform names them (snake_case), e.g. `{ id, permission }`. */
  readonly fields: Readonly<Record<string, string>>;
  /**
   * The securable whose access the block gives the app's identity.
   * @default - none (a secret scope entry)
   */
  readonly covers?: Securable;
  /** What it is, for the report and `app.yaml` comments, e.g. `SQL warehouse 4b9b953939869799`. */
  readonly description: string;
  /**
   * The MLflow-style resource it expresses.
   * @default - none (a secret)
   */
  readonly resource?: AgentResource;
  /**
   * The environment variable the secret is for.
   * @default - none (not a secret)
   */
  readonly secretVariable?: string;
}

/** A resource the bound provider's `databricks_app` cannot express: its access goes through the grant plan. */
export interface AppResourceFallback {
  readonly resource: AgentResource;
  /** The securable the resource is granted on, as the kind's access row names it. */
  readonly securable: Securable;
  /** Why, naming the provider version that adds it when one does. */
  readonly reason: string;
}

/** What decides which app resources are emitted. */
export interface AppResourceOptions {
  /** The Databricks provider version the bindings pin. */
  readonly providerVersion: string;
  /**
   * Emit the resources newer than the oldest supported provider (`appResource.since`: UC tables,
   * functions, connections as `uc_securable`); off, their access goes through the grant plan, so the
   * Terraform is the same on every supported provider.
   */
  readonly newerResources: boolean;
}

/** The Lakebase database an app resource `database` connects to (the instance's default database). */
export const APP_DEFAULT_DATABASE = "databricks_postgres";

const MAX_NAME = 60;

/** A stable resource name: `<prefix>-<identifier>`, shortened with a hash when long or not plain. */
export function appResourceName(prefix: string, identifier: string): string {
  const slug = identifier
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const plain = `${prefix}-${slug}`;
  if (!containsToken(identifier) && plain.length <= MAX_NAME && slug.length > 0) return plain;
  const hash = createHash("sha256").update(identifier).digest("hex").slice(0, 8);
  return `${plain.slice(0, MAX_NAME - 9).replace(/-+$/, "")}-${hash}`;
}

/** The securable a kind's access row for its own identifier names (the row without `of`). */
function primarySecurable(r: AgentResource): Securable {
  const a = RESOURCE_KINDS[r.kind].access.find((x) => x.of === undefined)!;
  return a.securable.family === "uc" ? uc(a.securable.type, r.name) : ws(a.securable.type, r.name);
}

function blockFields(
  r: AgentResource,
  block: AppResourceBlock,
  permission: string,
  type?: string,
): Record<string, string> {
  switch (block) {
    case "sql_warehouse":
      return { id: r.name, permission };
    case "serving_endpoint":
      return { name: r.name, permission };
    case "genie_space":
      return { name: r.name, space_id: r.name, permission };
    case "database":
      return { instance_name: r.name, database_name: APP_DEFAULT_DATABASE, permission };
    case "uc_securable":
      return { securable_full_name: r.name, securable_type: type!, permission };
    case "postgres":
      return { branch: `projects/${r.name}/branches/${r.branch!}`, permission };
  }
}

/**
 * Split the resources an app reaches with its own identity into app resources (sorted by name) and
 * fallbacks to the grant plan, for a provider version; secrets become `secret` resources named by
 * their variable.
 */
export function appResourcesFor(
  resources: readonly AgentResource[],
  options: AppResourceOptions,
  secrets: Readonly<Record<string, SecretRef>> = {},
): { resources: AppResourceSpec[]; fallbacks: AppResourceFallback[]; unavailable: AppResourceFallback[] } {
  const specs: AppResourceSpec[] = [];
  const fallbacks: AppResourceFallback[] = [];
  const unavailable: AppResourceFallback[] = [];
  for (const r of resources) {
    const kind = RESOURCE_KINDS[r.kind];
    const col = kind.appResource;
    if (col === undefined) {
      fallbacks.push({
        resource: r,
        securable: primarySecurable(r),
        reason: `databricks_app has no resource for a ${kind.label}`,
      });
      continue;
    }
    if (col.block === "postgres" && r.branch === undefined) {
      fallbacks.push({
        resource: r,
        securable: primarySecurable(r),
        reason: `the app resource postgres needs a branch (LakebaseProject.fromName(${JSON.stringify(r.name)}, { branch }))`,
      });
      continue;
    }
    const what = `${col.block}${col.securableType ? ` ${col.securableType}` : ""}`;
    if (col.since !== undefined && !options.newerResources) {
      fallbacks.push({
        resource: r,
        securable: primarySecurable(r),
        reason: `the app resource ${what} needs provider ${col.since} or later (AgentApp nativeUcResources is off)`,
      });
      continue;
    }
    if (col.since !== undefined && compareVersions(options.providerVersion, col.since) < 0) {
      const reason = `databricks_app of the bound provider ${options.providerVersion} has no ${what} resource; provider ${col.since} adds it`;
      const fallback = { resource: r, securable: primarySecurable(r), reason };
      fallbacks.push(fallback);
      unavailable.push(fallback);
      continue;
    }
    const permission = col.permission ?? kind.access[0]!.deployer;
    specs.push({
      name: appResourceName(col.keyPrefix, r.name),
      block: col.block,
      fields: blockFields(r, col.block, permission, col.securableType),
      covers: primarySecurable(r),
      description: `${kind.label} ${r.name}`,
      resource: r,
    });
  }
  for (const [env, ref] of Object.entries(secrets))
    specs.push({
      name: appResourceName("secret", env),
      block: "secret",
      fields: { scope: ref.scope, key: ref.key, permission: "READ" },
      description: `secret ${ref.scope}/${ref.key}`,
      secretVariable: env,
    });
  specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { resources: specs, fallbacks, unavailable };
}
