import type { Principal } from "../model/principal";
import type { Securable } from "../model/securable";
import { SECURABLE_TYPES } from "../model/securable-types";
import { containsToken, escapeTemplateLiterals } from "../model/tokens";
import type { PlannedGrant } from "./plan";

/** Secret scope ACL levels, lowest first. */
export const SECRET_LEVELS: readonly string[] = ["READ", "WRITE", "MANAGE"];

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

/**
 * What the additive step does for one securable, as data: the JSON text is the step's only argument.
 * Literal values are JSON-encoded here; a value that is a Terraform reference is inserted by Terraform
 * as `${jsonencode(<reference>)}`, so every value reaches the script as data, never as shell, template,
 * JSON or CLI syntax.
 */
export type AdditivePayload =
  | {
      readonly kind: "permissions";
      readonly cli: string;
      readonly apiType: string;
      readonly id: string;
      readonly lookup: readonly string[];
      readonly levels: readonly (string | readonly string[])[];
      readonly entries: readonly AccessControlEntry[];
    }
  | {
      readonly kind: "grants";
      readonly cli: string;
      readonly apiType: string;
      readonly id: string;
      readonly changes: readonly { readonly principal: string; readonly add: readonly string[] }[];
    }
  | {
      readonly kind: "secret-acl";
      readonly cli: string;
      readonly scope: string;
      readonly levels: readonly string[];
      readonly entries: readonly { readonly principal: string; readonly permission: string }[];
    };

/** The additive payload for the planned grants of one securable. */
export function additivePayload(
  securable: Securable,
  grants: readonly PlannedGrant[],
  cli: string,
): AdditivePayload {
  if (securable.family === "workspace") {
    const info = SECURABLE_TYPES.workspace[securable.type];
    return {
      kind: "permissions",
      cli,
      apiType: info.apiType,
      id: securable.id,
      lookup: info.lookup ?? [],
      levels: info.levels,
      entries: grants.map((g) => aclEntry(g.principal, g.privileges[0]!)),
    };
  }
  if (securable.family === "uc")
    return {
      kind: "grants",
      cli,
      apiType: SECURABLE_TYPES.uc[securable.type].apiType,
      id: securable.name,
      changes: grants.map((g) => ({ principal: g.principal.name, add: [...g.privileges] })),
    };
  return {
    kind: "secret-acl",
    cli,
    scope: securable.scope,
    levels: SECRET_LEVELS,
    entries: grants.map((g) => ({ principal: g.principal.name, permission: g.privileges[0]! })),
  };
}

/** Quote one argument for a POSIX shell (for the commands printed in the report only). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The ready-to-run commands that add these grants by hand (the report mechanism's instructions).
 * Options come first and `--` ends them, so an id that starts with `-` is never read as an option.
 * For workspace objects and secret scopes, run them only where the principal holds no higher level:
 * `permissions update` and `secrets put-acl` set the level given.
 *
 * An argument holding a Terraform reference (an id from a variable or a resource, only known to
 * Terraform) is read from Terraform in the stack's directory `stackDir` first, as
 * `REF_1=$(echo '"${var.space_id}"' | terraform -chdir=<stackDir> console | jq -r .)` (the reference
 * appears as its expression once the report is resolved), and passed as `"$REF_1"`; a comment line
 * says so.
 */
export function additiveCommands(p: AdditivePayload, stackDir = "."): string[] {
  const refs = new Map<string, string>();
  const arg = (a: string): string => {
    if (!containsToken(a)) return shellQuote(a);
    let name = refs.get(a);
    if (name === undefined) refs.set(a, (name = `REF_${refs.size + 1}`));
    return `"$${name}"`;
  };
  const q = (args: readonly string[]): string => args.map(arg).join(" ");
  const commands = ((): string[] => {
    if (p.kind === "grants")
      return [
        q([
          p.cli,
          "grants",
          "update",
          "--json",
          JSON.stringify({ changes: p.changes }),
          "--",
          p.apiType,
          p.id,
        ]),
      ];
    if (p.kind === "secret-acl")
      return p.entries.map((e) => q([p.cli, "secrets", "put-acl", "--", p.scope, e.principal, e.permission]));
    const body = JSON.stringify({ access_control_list: p.entries });
    if (p.lookup.length > 0)
      return [
        `ID=$(${q([p.cli, ...p.lookup, "-o", "json", "--", p.id])} | jq -r .id)`,
        `${q([p.cli, "permissions", "update", "--json", body, "--", p.apiType])} "$ID"`,
      ];
    return [q([p.cli, "permissions", "update", "--json", body, "--", p.apiType, p.id])];
  })();
  if (refs.size === 0) return commands;
  const reads = [...refs].map(([value, name]) => {
    // The value as a Terraform string template: literal parts escaped, the reference interpolated.
    const template = `"${escapeTemplateLiterals(value).replace(/[\\"]/g, "\\$&")}"`;
    return `${name}=$(echo ${shellQuote(template)} | terraform -chdir=${shellQuote(stackDir)} console | jq -r .)`;
  });
  return [
    `# ${[...refs.values()].join(", ")}: read from Terraform (run where ${stackDir} is, after terraform init there, with the stack's variables set, and after terraform apply for an attribute of a resource; needs terraform and jq)`,
    ...reads,
    ...commands,
  ];
}

/**
 * The program the additive mechanism runs at apply time with `node -e`. It is a constant and takes one
 * argument, the JSON payload ({@link AdditivePayload}), which starts with `{`, so node cannot read it
 * as an option. It runs the Databricks CLI with an argv array (no shell), options
 * before `--` and every id or name after it. It never removes or lowers access: UC grants only `add`;
 * for workspace objects and secret scopes it reads the current ACL and skips every principal that
 * already holds the level asked for, a higher one or an incomparable one (directly or inherited), and
 * says which it skipped. It checks that the CLI
 * exists and is authenticated and says how to fix it when not.
 */
export const ADDITIVE_SCRIPT = [
  "const { spawnSync } = require('child_process');",
  "const p = JSON.parse(String(process.argv[1] || ''));",
  "const what = p.kind === 'secret-acl' ? 'secret scope ' + p.scope : p.apiType + ' ' + p.id;",
  "const fail = (msg) => { console.error('additive grant on ' + what + ': ' + msg); process.exit(1); };",
  "const run = (args) => spawnSync(p.cli, args, { encoding: 'utf8' });",
  "const first = (r) => String(r.stderr || r.stdout).trim().split('\\n')[0];",
  "const me = run(['current-user', 'me', '-o', 'json']);",
  "if (me.error) fail('the Databricks CLI (' + p.cli + ') was not found: install it (https://docs.databricks.com/dev-tools/cli/install.html) or set cliPath in AgentStackContext.configureGrants, or use the report mechanism');",
  "if (me.status !== 0) fail('the Databricks CLI is not authenticated: set DATABRICKS_HOST and credentials (or a profile) for the identity that runs cdktf deploy. CLI said: ' + first(me));",
  "const json = (args) => { const r = run(args); if (r.status !== 0) return { error: first(r) }; try { return { value: JSON.parse(r.stdout || 'null') }; } catch (e) { return { error: 'unreadable output: ' + first(r) }; } };",
  "const rank = (level) => p.levels.findIndex((l) => (Array.isArray(l) ? l.includes(level) : l === level));",
  "const who = (e) => e.user_name || e.group_name || e.service_principal_name;",
  "if (p.kind === 'grants') {",
  "  const r = run(['grants', 'update', '--json', JSON.stringify({ changes: p.changes }), '--', p.apiType, p.id]);",
  "  if (r.status !== 0) fail('update refused: ' + first(r));",
  "  console.log('added privileges for ' + p.changes.length + ' principal(s) on ' + what);",
  "} else if (p.kind === 'permissions') {",
  "  let objectId = p.id;",
  "  if (p.lookup.length > 0) { const got = json([...p.lookup, '-o', 'json', '--', p.id]); if (got.error) fail('cannot find it: ' + got.error); objectId = String(got.value.id); }",
  "  const cur = json(['permissions', 'get', '-o', 'json', '--', p.apiType, objectId]);",
  "  if (cur.error) fail('cannot read its ACL: ' + cur.error);",
  "  const held = new Map();",
  "  for (const e of (cur.value && cur.value.access_control_list) || []) for (const a of e.all_permissions || []) held.set(who(e), Math.max(held.has(who(e)) ? held.get(who(e)) : -1, rank(a.permission_level)));",
  "  const levelOf = new Map();",
  "  for (const e of (cur.value && cur.value.access_control_list) || []) for (const a of e.all_permissions || []) if (rank(a.permission_level) === held.get(who(e))) levelOf.set(who(e), a.permission_level);",
  "  const add = p.entries.filter((e) => !(held.has(who(e)) && held.get(who(e)) >= rank(e.permission_level)));",
  "  for (const e of p.entries) if (held.get(who(e)) === rank(e.permission_level) && levelOf.get(who(e)) !== e.permission_level) console.error('skipped ' + who(e) + ': holds ' + levelOf.get(who(e)) + ', which ' + e.permission_level + ' would replace; grant it by hand if both are needed (CAN_MANAGE covers both)');",
  "  if (add.length > 0) { const r = run(['permissions', 'update', '--json', JSON.stringify({ access_control_list: add }), '--', p.apiType, objectId]); if (r.status !== 0) fail('update refused: ' + first(r)); }",
  "  console.log('added ' + add.length + ' of ' + p.entries.length + ' entries on ' + what + ' (the others already held that level or higher)');",
  "} else if (p.kind === 'secret-acl') {",
  "  let added = 0;",
  "  for (const e of p.entries) {",
  "    const cur = run(['secrets', 'get-acl', '-o', 'json', '--', p.scope, e.principal]);",
  "    if (cur.status === 0) { let level = -1; try { level = rank(JSON.parse(cur.stdout).permission); } catch (x) { fail('unreadable ACL of ' + e.principal); } if (level >= rank(e.permission)) continue; }",
  "    const r = run(['secrets', 'put-acl', '--', p.scope, e.principal, e.permission]);",
  "    if (r.status !== 0) fail('put-acl refused: ' + first(r));",
  "    added++;",
  "  }",
  "  console.log('added ' + added + ' of ' + p.entries.length + ' entries on ' + what + ' (the others already held that level or higher)');",
  "} else fail('unknown payload kind');",
].join("\n");
