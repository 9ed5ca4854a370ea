import { createHash } from "crypto";
import type { Construct } from "constructs";
import { DataResource, DatabricksGrant, DatabricksPermissions, DatabricksSecretAcl } from "../engine";
import { ADDITIVE_SCRIPT, PERMISSIONS_OBJECT, aclEntry, patchBody } from "../grants/permissions-api";
import { bySecurable, type PlannedGrant } from "../grants/plan";
import { securableKey, type Securable } from "../model/securable";
import type { AgentServingEndpoint } from "./agent-serving-endpoint";
import type { GrantSettings } from "./agent-stack-context";

/** A construct id derived only from the key: stable whatever the declaration order. */
export function stableId(prefix: string, key: string): string {
  const readable = key.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 80);
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return `${prefix}_${readable}_${hash}`;
}

const UC_ATTRIBUTE = {
  catalog: "catalog",
  schema: "schema",
  table: "table",
  function: "function",
  model: "model",
  foreign_connection: "foreignConnection",
} as const;

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
 * Realise the merged plan: one `databricks_grant` per UC (securable, principal); one authoritative
 * `databricks_permissions` per owned endpoint; for objects the stack does not own, a `terraform_data`
 * that PATCHes the ACL (additive), a `databricks_permissions` (authoritative, opt-in), or nothing
 * (report). Resources are created in plan order, which is sorted.
 */
export function realiseGrants(
  scope: Construct,
  plan: readonly PlannedGrant[],
  owned: ReadonlyMap<string, AgentServingEndpoint>,
  settings: Required<GrantSettings>,
): Construct[] {
  const created: Construct[] = [];
  for (const g of plan.filter((x) => x.realisation === "uc_grant")) {
    const s = g.securable as Extract<Securable, { family: "uc" }>;
    created.push(
      new DatabricksGrant(scope, stableId("Grant", `${securableKey(s)}|${g.principal.key}`), {
        [UC_ATTRIBUTE[s.type]]: s.name,
        principal: g.principal.name,
        privileges: [...g.privileges],
      }),
    );
  }
  for (const g of plan.filter((x) => x.realisation === "secret_acl")) {
    const s = g.securable as Extract<Securable, { family: "secret" }>;
    created.push(
      new DatabricksSecretAcl(scope, stableId("SecretAcl", `${securableKey(s)}|${g.principal.key}`), {
        scope: s.scope,
        principal: g.principal.name,
        permission: g.privileges[0]!,
      }),
    );
  }
  for (const group of bySecurable(plan.filter((x) => x.securable.family === "workspace"))) {
    const s = group.securable as Extract<Securable, { family: "workspace" }>;
    const key = securableKey(s);
    const realisation = group.grants[0]!.realisation;
    if (realisation === "owned_acl") {
      const endpoint = owned.get(key)!;
      created.push(
        new DatabricksPermissions(endpoint, "Permissions", {
          servingEndpointId: endpoint.resource.servingEndpointId,
          accessControl: group.grants.map(accessControl),
        }),
      );
    } else if (realisation === "authoritative") {
      const info = PERMISSIONS_OBJECT[s.type];
      if (info.terraformAttribute === undefined || s.type === "serving_endpoint") continue; // DBA-GRANT-007 fails synth
      const attribute = {
        sql_endpoint_id: "sqlEndpointId",
        database_instance_name: "databaseInstanceName",
        app_name: "appName",
        serving_endpoint_id: "servingEndpointId",
      }[info.terraformAttribute]!;
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
    } else if (realisation === "additive") {
      const info = PERMISSIONS_OBJECT[s.type];
      const body = JSON.stringify(patchBody(group.grants));
      const lookup = info.lookup ? JSON.stringify(info.lookup) : "";
      const data = { object_type: info.apiType, object: s.id, lookup, access_control: body };
      created.push(
        new DataResource(scope, stableId("AddAcl", key), {
          input: data,
          triggersReplace: data,
          provisioners: [
            {
              type: "local-exec",
              interpreter: ["node", "-e", ADDITIVE_SCRIPT, settings.cliPath, info.apiType, s.id, lookup],
              command: body,
            },
          ],
        }),
      );
    }
  }
  return created;
}
