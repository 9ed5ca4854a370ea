import type { Principal } from "../model/principal";
import type { WorkspaceObjectType } from "../model/securable";
import type { PlannedGrant } from "./plan";

/** How the Permissions API names each workspace object type, and how to find its id from a name. */
export const PERMISSIONS_OBJECT: Readonly<
  Record<
    WorkspaceObjectType,
    { readonly apiType: string; readonly lookup?: readonly string[]; readonly terraformAttribute?: string }
  >
> = {
  sql_warehouse: { apiType: "warehouses", terraformAttribute: "sql_endpoint_id" },
  genie_space: { apiType: "genie" },
  serving_endpoint: {
    apiType: "serving-endpoints",
    lookup: ["serving-endpoints", "get"],
    terraformAttribute: "serving_endpoint_id",
  },
  vector_search_endpoint: {
    apiType: "vector-search-endpoints",
    lookup: ["vector-search-endpoints", "get-endpoint"],
  },
  database_instance: { apiType: "database-instances", terraformAttribute: "database_instance_name" },
  app: { apiType: "apps", terraformAttribute: "app_name" },
};

/** One access control entry in the Permissions API's JSON form. */
export interface AccessControlEntry {
  readonly group_name?: string;
  readonly user_name?: string;
  readonly service_principal_name?: string;
  readonly permission_level: string;
}

/** The entry for a principal. */
export function aclEntry(principal: Principal, level: string): AccessControlEntry {
  switch (principal.kind) {
    case "user":
      return { user_name: principal.name, permission_level: level };
    case "group":
      return { group_name: principal.name, permission_level: level };
    case "servicePrincipal":
      return { service_principal_name: principal.name, permission_level: level };
  }
}

/** The `--json` body of `databricks permissions update`: the entries to add (PATCH). */
export function patchBody(grants: readonly PlannedGrant[]): { access_control_list: AccessControlEntry[] } {
  return { access_control_list: grants.map((g) => aclEntry(g.principal, g.privileges[0]!)) };
}

/** Quote one argument for a POSIX shell (for the commands printed in the report only). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The ready-to-run command(s) that add these grants by hand. */
export function additiveCommands(
  type: WorkspaceObjectType,
  id: string,
  grants: readonly PlannedGrant[],
  cli = "databricks",
): string[] {
  const info = PERMISSIONS_OBJECT[type];
  const body = JSON.stringify(patchBody(grants));
  if (info.lookup)
    return [
      `ID=$(${[cli, ...info.lookup, id, "-o", "json"].map(shellQuote).join(" ")} | jq -r .id)`,
      `${[cli, "permissions", "update", info.apiType].map(shellQuote).join(" ")} "$ID" --json ${shellQuote(body)}`,
    ];
  return [[cli, "permissions", "update", info.apiType, id, "--json", body].map(shellQuote).join(" ")];
}

/**
 * The program the additive mechanism runs at apply time, with `node -e`. It is a constant: every
 * value reaches it as a separate argv entry (object type, id, lookup, JSON body), never through a
 * shell or a template, so quotes, `$(...)` and newlines in names are inert. It checks that the CLI
 * exists and is authenticated and says how to fix it when not.
 */
export const ADDITIVE_SCRIPT = [
  "const { spawnSync } = require('child_process');",
  "const [cli, apiType, id, lookup, body] = process.argv.slice(1);",
  "const run = (args) => spawnSync(cli, args, { encoding: 'utf8' });",
  "const fail = (msg) => { console.error('additive grant on ' + apiType + ' ' + id + ': ' + msg); process.exit(1); };",
  "const me = run(['current-user', 'me', '-o', 'json']);",
  "if (me.error) fail('the Databricks CLI (' + cli + ') was not found: install it (https://docs.databricks.com/dev-tools/cli/install.html) or set cliPath in AgentStackContext.configureGrants, or use the report mechanism');",
  "if (me.status !== 0) fail('the Databricks CLI is not authenticated: set DATABRICKS_HOST and credentials (or a profile) for the identity that runs cdktf deploy. CLI said: ' + String(me.stderr).trim().split('\\n')[0]);",
  "let objectId = id;",
  "if (lookup) { const got = run([...JSON.parse(lookup), id, '-o', 'json']); if (got.status !== 0) fail('cannot find it: ' + String(got.stderr).trim().split('\\n')[0]); objectId = JSON.parse(got.stdout).id; }",
  "const res = run(['permissions', 'update', apiType, objectId, '--json', body]);",
  "if (res.status !== 0) fail('PATCH refused: ' + String(res.stderr).trim().split('\\n')[0]);",
  "console.log('added ' + JSON.parse(body).access_control_list.length + ' entries to ' + apiType + ' ' + id);",
].join("\n");
