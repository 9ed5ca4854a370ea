import { createHash } from "crypto";
import type { Construct, Node } from "constructs";
import { DataResource, DatabricksGrant, DatabricksPermissions, Fn, TerraformStack } from "../engine";
import { ADDITIVE_SCRIPT, aclEntry, additivePayload } from "../grants/permissions-api";
import { bySecurable, type PlannedGrant } from "../grants/plan";
import type { Securable } from "../model/securable";
import { bindingProperty, permissionsAttributeAvailable, SECURABLE_TYPES } from "../model/securable-types";
import { ENGINES } from "../engine/compat";
import { ENGINE_NAME } from "../engine/current";
import { containsToken, escapeTemplateLiterals, isWholeToken } from "../model/tokens";
import type { IAgentTarget } from "./target";
import type { GrantSettings } from "../grants/grant-settings";

/** A construct id derived only from the key: stable whatever the declaration order. */
export function stableId(prefix: string, key: string): string {
  const readable = key.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 80);
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return `${prefix}_${readable}_${hash}`;
}

/**
 * The additive payload as the JSON text Terraform passes to the script. Literal values are encoded
 * here (their `${` / `%{` escaped for Terraform's template syntax); a value that is a Terraform
 * reference becomes `${jsonencode(<reference>)}`, so Terraform inserts it JSON-encoded: as data,
 * whatever it holds. A reference mixed with literal text cannot be passed that way: `undefined`
 * (no step is created and validation fails with DBA-GRANT-011).
 */
export function payloadText(payload: unknown): string | undefined {
  const tokens: string[] = [];
  let mixed = false;
  const json = JSON.stringify(payload, (_k, v: unknown) => {
    if (typeof v !== "string" || !containsToken(v)) return v;
    if (!isWholeToken(v)) mixed = true;
    tokens.push(v);
    return `\u0000${tokens.length - 1}\u0000`;
  });
  if (mixed) return undefined;
  return json
    .split(/"\\u0000(\d+)\\u0000"/)
    .map((part, i) => (i % 2 === 0 ? escapeTemplateLiterals(part) : Fn.jsonencode(tokens[Number(part)]!)))
    .join("");
}

/**
 * The key a grant resource's id is derived from: `<securable key>|<principal key>`, Terraform references
 * spelled as their expressions (the plan's keys), so the address does not depend on cdktf's token counter.
 */
function pairId(g: PlannedGrant): string {
  return `${g.securableKey}|${g.key.slice(g.securableKey.length + 1)}`;
}

/** Terraform-side access control entry (the provider's camelCase binding). */
function accessControl(g: PlannedGrant): Record<string, string> {
  const e = aclEntry(g.principal, g.privileges[0]!);
  return {
    ...(e.user_name !== undefined ? { userName: e.user_name } : {}),
    ...(e.group_name !== undefined ? { groupName: e.group_name } : {}),
    ...(e.service_principal_name !== undefined ? { servicePrincipalName: e.service_principal_name } : {}),
    permissionLevel: e.permission_level,
  };
}

/**
 * Realise the merged plan. On objects the stack owns (its endpoints): one authoritative
 * `databricks_permissions` each. For (UC securable, principal) pairs the stack declares it owns: one
 * `databricks_grant` each. On everything else, per securable: a `terraform_data` whose local-exec adds
 * the grants through the Databricks CLI without removing or lowering anything (additive), a
 * `databricks_permissions` (authoritative, workspace objects only, opt-in), or nothing (report).
 * Resources are created in plan order, which is sorted.
 */
export function realiseGrants(
  scope: Construct,
  plan: readonly PlannedGrant[],
  owned: ReadonlyMap<string, IAgentTarget>,
  settings: Required<GrantSettings>,
): Construct[] {
  const created: Construct[] = [];
  for (const g of plan.filter((x) => x.realisation === "uc_grant")) {
    const s = g.securable as Extract<Securable, { family: "uc" }>;
    created.push(
      new DatabricksGrant(scope, stableId("Grant", pairId(g)), {
        [bindingProperty(SECURABLE_TYPES.uc[s.type].terraformAttribute)]: s.name,
        principal: g.principal.name,
        privileges: [...g.privileges],
      }),
    );
  }
  for (const group of bySecurable(plan.filter((x) => x.realisation === "additive"))) {
    const key = group.key;
    const payload = payloadText(additivePayload(group.securable, group.grants, settings.cliPath));
    if (payload === undefined) continue; // DBA-GRANT-011 fails synth
    created.push(
      new DataResource(scope, stableId(group.securable.family === "workspace" ? "AddAcl" : "AddGrant", key), {
        input: { payload },
        triggersReplace: { payload },
        provisioners: [
          { type: "local-exec", interpreter: ["node", "-e", ADDITIVE_SCRIPT], command: payload },
        ],
      }),
    );
  }
  for (const group of bySecurable(plan.filter((x) => x.securable.family === "workspace"))) {
    const s = group.securable as Extract<Securable, { family: "workspace" }>;
    const key = group.key;
    const realisation = group.grants[0]!.realisation;
    if (realisation === "owned_acl") {
      const acl = owned.get(key)!.ownedAcl();
      created.push(
        new DatabricksPermissions(acl.scope, "Permissions", {
          [acl.attribute]: acl.id,
          accessControl: group.grants.map(accessControl),
        }),
      );
    } else if (realisation === "authoritative") {
      const info = SECURABLE_TYPES.workspace[s.type];
      if (
        info.authoritativeAcl !== "referenced" ||
        info.terraformAttribute === undefined ||
        !permissionsAttributeAvailable(s.type, ENGINES[ENGINE_NAME].provider)
      )
        continue; // DBA-GRANT-007 fails synth
      const attribute = bindingProperty(info.terraformAttribute);
      const owner = s.type === "sql_warehouse" ? settings.warehouseOwners[s.id] : undefined;
      const entries = group.grants
        .filter((g) => owner === undefined || g.principal.key !== owner.key)
        .map(accessControl);
      if (owner)
        entries.push(accessControl({ ...group.grants[0]!, principal: owner, privileges: ["IS_OWNER"] }));
      created.push(
        new DatabricksPermissions(scope, stableId("Acl", key), {
          [attribute]: s.id,
          accessControl: entries,
        }),
      );
    }
  }
  if (settings.forgetLegacyGrants) forgetLegacy(scope, plan);
  return created;
}

/**
 * `removed` blocks (destroy = false) for the addresses an earlier release created for this plan: a
 * `databricks_grant` per shared UC (securable, principal) and a `databricks_secret_acl` per secret scope
 * entry. The logical ids come from the stack's own naming scheme, as if the old constructs still existed.
 */
function forgetLegacy(scope: Construct, plan: readonly PlannedGrant[]): void {
  const stack = TerraformStack.of(scope);
  const addresses: string[] = [];
  for (const g of plan) {
    const key = pairId(g);
    const legacy =
      g.securable.family === "uc" && g.realisation !== "uc_grant"
        ? (["databricks_grant", stableId("Grant", key)] as const)
        : g.securable.family === "secret"
          ? (["databricks_secret_acl", stableId("SecretAcl", key)] as const)
          : undefined;
    if (legacy === undefined) continue;
    // The node the old construct had: the context's scopes plus a leaf with the old id.
    const node = { scopes: [...scope.node.scopes, { node: { id: legacy[1] } }] } as unknown as Node;
    addresses.push(`${legacy[0]}.${stack.getLogicalId(node)}`);
  }
  if (addresses.length > 0)
    stack.addOverride(
      "removed",
      addresses.sort().map((from) => ({ from, lifecycle: { destroy: false } })),
    );
}
