import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AgentStackContext, GenieResourceBundle, Principal, SqlWarehouse } from "../lib";
import { ADDITIVE_SCRIPT } from "../lib/grants/permissions-api";
import { agent, newStack, SPACE_ID_2, synthError, synthValid, thrown, WAREHOUSE_ID } from "./helpers";

type Json = Record<string, unknown>;
const resources = (tf: Json, type: string): Json[] =>
  Object.values(((tf.resource as Record<string, Record<string, Json>>)[type] ?? {}) as Record<string, Json>);
const strip = (r: Json): Json => Object.fromEntries(Object.entries(r).filter(([k]) => k !== "//"));
const grantRows = (tf: Json): string[] =>
  resources(tf, "databricks_grant")
    .map((g) => {
      const securable = ["catalog", "schema", "table", "function", "model", "foreign_connection"].find(
        (k) => k in g,
      )!;
      return `${securable} ${g[securable]} | ${g.principal} | ${(g.privileges as string[]).join(",")}`;
    })
    .sort();

function twoBundles(s: ReturnType<typeof newStack>, reverse = false) {
  return agent(s, {
    policy: (sales) => {
      const second = new GenieResourceBundle(s, "FinanceGenie", {
        domain: "finance",
        spaceId: SPACE_ID_2,
        warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
        tables: ["main.sales.orders", "main.finance.ledger"],
      });
      return { onBehalfOfUser: reverse ? [second, sales] : [sales, second] };
    },
  });
}

/** The report's rows: `<securable> | <principal> | <privileges> | <mechanism>`. */
const planRows = (s: ReturnType<typeof newStack>): string[] =>
  AgentStackContext.of(s)
    .report()
    .grants.map((g) => `${g.securable} | ${g.principal} | ${g.privileges.join(",")} | ${g.mechanism}`);

/** The additive step's payload: its command is the JSON text (with literal values only, as here). */
const payloadOf = (command: string): Record<string, unknown> =>
  JSON.parse(command) as Record<string, unknown>;
/** What Terraform passes to the script once references are evaluated: the JSON text. */
const asArgument = (payload: unknown): string => JSON.stringify(payload);
const localExec = (d: Json) =>
  (d.provisioner as Json[])[0]!["local-exec"] as { interpreter: string[]; command: string };

/** A fake Databricks CLI that logs its argv and answers `permissions get` / `secrets get-acl` from a file. */
function fakeCli(
  dir: string,
  answers: Record<string, unknown> = {},
): { cli: string; calls: () => string[][] } {
  const log = path.join(dir, "calls.jsonl");
  const cli = path.join(dir, "databricks");
  fs.writeFileSync(
    cli,
    `#!/usr/bin/env node
const argv = process.argv.slice(2);
require("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(argv) + "\\n");
const answers = ${JSON.stringify(answers)};
const key = argv.slice(0, 2).join(" ");
if (key in answers) { const a = answers[key]; if (a === null) process.exit(1); process.stdout.write(JSON.stringify(a)); }
else if (key === "permissions get") process.stdout.write("{}");
`,
    { mode: 0o755 },
  );
  const calls = (): string[][] =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as string[])
      : [];
  return { cli, calls };
}

describe("grant plan: Unity Catalog", () => {
  test("two bundles sharing a table and a group: one entry per (securable, principal) with parents' USE_*, reported by default, no databricks_grant", () => {
    const s = newStack();
    twoBundles(s);
    const tf = synthValid(s);
    expect(
      planRows(s).filter((r) => !r.includes("genie") && !r.includes("warehouse") && !r.includes("endpoint")),
    ).toEqual([
      "catalog main | group:sales-analysts | USE_CATALOG | report",
      "catalog main | servicePrincipal:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | USE_CATALOG | report",
      "model main.agents.sales_agent | servicePrincipal:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | EXECUTE | report",
      "schema main.agents | servicePrincipal:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | USE_SCHEMA | report",
      "schema main.finance | group:sales-analysts | USE_SCHEMA | report",
      "schema main.sales | group:sales-analysts | USE_SCHEMA | report",
      "table main.finance.ledger | group:sales-analysts | SELECT | report",
      "table main.sales.orders | group:sales-analysts | SELECT | report",
    ]);
    expect(grantRows(tf)).toEqual([]);
    expect((tf.resource as Json).databricks_grants).toBeUndefined();
  });

  test("the same program in another declaration order gives byte-identical JSON", () => {
    const a = newStack();
    twoBundles(a);
    const b = newStack();
    twoBundles(b, true);
    expect(JSON.stringify(synthValid(b))).toBe(JSON.stringify(synthValid(a)));
  });

  test("the deployer gets passthrough access and EXECUTE on the served model; consumers only OBO access", () => {
    const s = newStack();
    agent(s, { policy: (b) => ({ system: [b] }) });
    synthValid(s);
    expect(planRows(s).filter((r) => r.includes("sales-analysts") && !r.includes("sales-agent"))).toEqual([]);
    expect(planRows(s)).toContain(
      "table main.sales.orders | servicePrincipal:6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | SELECT | report",
    );
  });

  test("ownedGrants: a declared pair becomes a databricks_grant, only after DBA-GRANT-001 is acknowledged", () => {
    const build = (ack: boolean) => {
      const s = newStack();
      agent(s);
      const ctx = AgentStackContext.of(s);
      ctx.configureGrants({
        ownedGrants: [{ securable: "schema:main.sales", principal: Principal.group("sales-analysts") }],
      });
      if (ack)
        ctx.acknowledge(
          s,
          "DBA-GRANT-001",
          "schema main.sales is created for this agent and only this stack grants on it",
        );
      return s;
    };
    expect(synthError(build(false))).toContain(
      "[DBA-GRANT-001] test/DatabricksAgents (prop ownedGrants (schema main.sales, group:sales-analysts))",
    );
    const s = build(true);
    expect(grantRows(synthValid(s))).toEqual(["schema main.sales | sales-analysts | USE_SCHEMA"]);
    const row = AgentStackContext.of(s)
      .report()
      .grants.find((g) => g.mechanism === "uc_grant")!;
    expect(row.onDestroy).toContain("revokes every privilege of this principal on this securable");
  });

  test("DBA-GRANT-009: an ownedGrants entry that matches no planned grant fails, naming what is planned", () => {
    const s = newStack();
    agent(s);
    AgentStackContext.of(s).configureGrants({
      ownedGrants: [{ securable: "schema:main.other", principal: Principal.group("sales-analysts") }],
    });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-GRANT-009] test/DatabricksAgents (prop ownedGrants)");
    expect(msg).toContain("received: schema:main.other for group:sales-analysts");
    expect(msg).toContain("catalog:main for group:sales-analysts");
  });

  test("DBA-GRANT-010: two stacks of one app owning the same pair fail; one owner is fine", () => {
    const app = Testing.app();
    const own = (id: string) => {
      const s = new TerraformStack(app, id);
      new DatabricksProvider(s, "databricks", {});
      agent(s);
      const ctx = AgentStackContext.of(s);
      ctx.configureGrants({
        ownedGrants: [{ securable: "catalog:main", principal: Principal.group("sales-analysts") }],
      });
      ctx.acknowledge(
        s,
        "DBA-GRANT-001",
        "catalog main belongs to the agents platform and this stack grants it",
      );
      return s;
    };
    const a = own("a");
    expect(synthError(a)).toBe("");
    const b = own("b");
    expect(synthError(b)).toContain(
      "[DBA-GRANT-010] b/DatabricksAgents (prop ownedGrants): stack a also manages",
    );
    expect(synthError(a)).toContain("stack b also manages group:sales-analysts's grant on catalog main");
  });

  test("authoritative on a UC object is refused at configuration: ownedGrants is the way", () => {
    const s = newStack();
    agent(s);
    const msg = thrown(() =>
      AgentStackContext.of(s).configureGrants({ overrides: { "table:main.sales.orders": "authoritative" } }),
    );
    expect(msg).toContain("[DBA-CFG-001]");
    expect(msg).toContain("declare the pairs the stack owns in ownedGrants instead");
  });
});

describe("grant plan: objects the stack does not own", () => {
  test("default (report): no resource but the owned endpoint's ACL; the report lists ready-to-run commands that never lower access", () => {
    const s = newStack();
    agent(s);
    const tf = synthValid(s);
    const perms = resources(tf, "databricks_permissions");
    expect(perms).toHaveLength(1);
    expect(perms[0]!.serving_endpoint_id).toMatch(/databricks_model_serving/);
    expect(resources(tf, "terraform_data")).toEqual([]);
    expect(resources(tf, "databricks_grant")).toEqual([]);
    expect(resources(tf, "databricks_secret_acl")).toEqual([]);
    const report = AgentStackContext.of(s).report();
    expect(report.requiredActions.map((a) => a.object)).toEqual([
      "catalog main",
      "model main.agents.sales_agent",
      "schema main.agents",
      "schema main.sales",
      "table main.sales.orders",
      "genie space 01f0c0ffee0000000000000000000001",
      "serving endpoint databricks-claude-sonnet-4",
      "sql warehouse 4b9b953939869799",
    ]);
    const commands = Object.fromEntries(report.requiredActions.map((a) => [a.object, a.commands]));
    expect(commands["table main.sales.orders"]).toEqual([
      `databricks grants update --json '{"changes":[{"principal":"sales-analysts","add":["SELECT"]}]}' -- table main.sales.orders`,
    ]);
    expect(commands["model main.agents.sales_agent"]![0]).toContain("-- function main.agents.sales_agent");
    expect(commands["genie space 01f0c0ffee0000000000000000000001"]).toEqual([
      `databricks permissions update --json '{"access_control_list":[{"group_name":"sales-analysts","permission_level":"CAN_RUN"}]}' -- genie 01f0c0ffee0000000000000000000001`,
    ]);
    expect(commands["serving endpoint databricks-claude-sonnet-4"]).toEqual([
      "ID=$(databricks serving-endpoints get -o json -- databricks-claude-sonnet-4 | jq -r .id)",
      `databricks permissions update --json '{"access_control_list":[{"service_principal_name":"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b","permission_level":"CAN_QUERY"}]}' -- serving-endpoints "$ID"`,
    ]);
    expect(report.grants.find((g) => g.securable === "genie space 01f0c0ffee0000000000000000000001")).toEqual(
      {
        securable: "genie space 01f0c0ffee0000000000000000000001",
        principal: "group:sales-analysts",
        privileges: ["CAN_RUN"],
        mechanism: "report",
        onDestroy: "nothing: Terraform never applied it",
        reasons: [
          'consumer of sales-agent, on behalf of user: Genie space 01f0c0ffee0000000000000000000001 (domain "sales")',
        ],
      },
    );
  });

  test("additive: one terraform_data per object whose only argument is the JSON payload, re-run when it changes, nothing on destroy", () => {
    const s = newStack();
    agent(s);
    AgentStackContext.of(s).configureGrants({ mechanism: "additive" });
    const tf = synthValid(s);
    expect(resources(tf, "databricks_permissions")).toHaveLength(1);
    expect(resources(tf, "databricks_grant")).toEqual([]);
    const data = resources(tf, "terraform_data").map(strip);
    expect(data).toHaveLength(8);
    for (const d of data) {
      const exec = localExec(d);
      expect(exec.interpreter).toEqual(["node", "-e", ADDITIVE_SCRIPT]);
      expect(d.input).toEqual({ payload: exec.command });
      expect(d.triggers_replace).toEqual({ payload: exec.command });
    }
    const payloads = data.map((d) => payloadOf(localExec(d).command));
    expect(payloads.find((p) => p.apiType === "genie")).toEqual({
      kind: "permissions",
      cli: "databricks",
      apiType: "genie",
      id: "01f0c0ffee0000000000000000000001",
      lookup: [],
      levels: ["CAN_VIEW", "CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"],
      entries: [{ group_name: "sales-analysts", permission_level: "CAN_RUN" }],
    });
    expect(payloads.find((p) => p.apiType === "table")).toEqual({
      kind: "grants",
      cli: "databricks",
      apiType: "table",
      id: "main.sales.orders",
      changes: [{ principal: "sales-analysts", add: ["SELECT"] }],
    });
    expect(payloads.find((p) => p.apiType === "serving-endpoints")!.lookup).toEqual([
      "serving-endpoints",
      "get",
    ]);
    // No destroy-time provisioner: destroy leaves the added entries (and everyone else's) untouched.
    expect(JSON.stringify(data)).not.toContain('"when"');
    expect(
      AgentStackContext.of(s)
        .report()
        .grants.every((g) => g.mechanism !== "additive" || g.onDestroy.startsWith("kept")),
    ).toBe(true);
  });

  test("the additive script contains no Terraform template sequence (it is passed to Terraform verbatim)", () => {
    expect(ADDITIVE_SCRIPT).not.toMatch(/\$\{|%\{/);
  });

  test("authoritative without acknowledgement fails (DBA-GRANT-001), a warehouse also needs its owner (DBA-GRANT-008)", () => {
    const s = newStack();
    agent(s);
    AgentStackContext.of(s).configureGrants({
      overrides: { "sql_warehouse:4b9b953939869799": "authoritative" },
    });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-GRANT-001] test/DatabricksAgents");
    expect(msg).toContain("[DBA-GRANT-008]");
  });

  test("authoritative with acknowledgement and owner: databricks_permissions with an IS_OWNER entry", () => {
    const s = newStack();
    agent(s);
    const ctx = AgentStackContext.of(s);
    ctx.configureGrants({
      overrides: { "sql_warehouse:4b9b953939869799": "authoritative" },
      warehouseOwners: { "4b9b953939869799": Principal.user("Owner@Example.com") },
    });
    ctx.acknowledge(
      s,
      "DBA-GRANT-001",
      "this warehouse is dedicated to the sales agent and owned by this stack",
    );
    const tf = synthValid(s);
    const acl = resources(tf, "databricks_permissions").find((p) => p.sql_endpoint_id)!;
    expect(acl.sql_endpoint_id).toBe("4b9b953939869799");
    expect(acl.access_control).toEqual([
      { group_name: "sales-analysts", permission_level: "CAN_USE" },
      { permission_level: "IS_OWNER", user_name: "owner@example.com" },
    ]);
  });

  test("authoritative on a Genie space is impossible (DBA-GRANT-007)", () => {
    const s = newStack();
    agent(s);
    AgentStackContext.of(s).configureGrants({
      overrides: { "genie_space:01f0c0ffee0000000000000000000001": "authoritative" },
    });
    expect(synthError(s)).toContain("[DBA-GRANT-007]");
  });

  test("a stack-wide authoritative mechanism is refused: it would replace every shared object's ACL", () => {
    const s = newStack();
    agent(s);
    const msg = thrown(() =>
      AgentStackContext.of(s).configureGrants({ mechanism: "authoritative" as "report" }),
    );
    expect(msg).toContain("[DBA-CFG-001]");
    expect(msg).toContain('is not "report" or "additive"');
  });

  test("cliPath must be a plain executable path: an option-looking or shell-looking value is refused", () => {
    for (const bad of ["--require=./evil.js", "-e", "databricks; rm -rf /", "$(whoami)", "a b"]) {
      const s = newStack();
      const msg = thrown(() => AgentStackContext.of(s).configureGrants({ cliPath: bad }));
      expect(msg).toContain("[DBA-CFG-001]");
      expect(msg).toContain("is not a plain executable path");
    }
    const ok = newStack();
    expect(
      thrown(() => AgentStackContext.of(ok).configureGrants({ cliPath: "/usr/local/bin/databricks" })),
    ).toBe("");
  });

  test("warehouseOwners principals pass the same checks as every other principal (DBA-GRANT-006)", () => {
    const s = newStack();
    agent(s);
    AgentStackContext.of(s).configureGrants({
      overrides: { "sql_warehouse:4b9b953939869799": "authoritative" },
      warehouseOwners: { "4b9b953939869799": Principal.group("owners${var.x}") },
    });
    expect(synthError(s)).toContain("[DBA-GRANT-006] test/DatabricksAgents.configureGrants(warehouseOwners)");
  });
});

describe("grant requests after synthesis started", () => {
  test("are refused with a message saying what and how to fix it", () => {
    const s = newStack();
    const { endpoint } = agent(s);
    synthValid(s);
    const msg = thrown(() =>
      AgentStackContext.of(s).requestGrant({
        principal: Principal.group("late"),
        securable: { family: "uc", type: "table", name: "main.sales.orders" },
        privilege: "SELECT",
        reason: "too late",
        requestedBy: endpoint.node.path,
      }),
    );
    expect(msg).toContain("[DBA-CFG-001] test/Agent (prop requestGrant)");
    expect(msg).toContain("SELECT on table main.sales.orders for group:late");
  });
});

describe("grant rules", () => {
  test("DBA-GRANT-002: a grant to the endpoint's own service principal fails; a real service principal is fine", () => {
    const s = newStack();
    const { endpoint } = agent(s);
    AgentStackContext.of(s).requestGrant({
      principal: Principal.servicePrincipal(endpoint.resource.servingEndpointId),
      securable: { family: "uc", type: "table", name: "main.sales.orders" },
      privilege: "SELECT",
      reason: "let the agent read",
      requestedBy: endpoint.node.path,
      manual: true,
    });
    expect(synthError(s)).toContain("[DBA-GRANT-002] test/Agent");
    const ok = newStack();
    agent(ok, {
      endpoint: { consumers: [Principal.servicePrincipal("11111111-2222-4333-8444-555555555555")] },
    });
    expect(synthError(ok)).toBe("");
  });

  test("DBA-GRANT-003: the users group is a warning; a narrower group is silent", () => {
    const s = newStack();
    agent(s, { endpoint: { consumers: [Principal.group("users")] } });
    expect(
      AgentStackContext.of(s)
        .evaluate()
        .findings.find((f) => f.ruleId === "DBA-GRANT-003")?.severity,
    ).toBe("warning");
    expect(synthError(s)).toBe("");
    const ok = newStack();
    agent(ok);
    expect(
      AgentStackContext.of(ok)
        .evaluate()
        .findings.map((f) => f.ruleId),
    ).not.toContain("DBA-GRANT-003");
  });

  test("DBA-GRANT-004: a raw databricks_grant or databricks_grants on a planned securable fails; an unrelated one is fine", () => {
    const dup = newStack();
    agent(dup);
    new Grant(dup, "Manual", {
      table: "main.sales.orders",
      principal: "sales-analysts",
      privileges: ["SELECT", "MODIFY"],
    });
    expect(synthError(dup)).toContain("[DBA-GRANT-004] test/Manual");
    const all = newStack();
    agent(all);
    new Grants(all, "Everything", {
      schema: "main.sales",
      grant: [{ principal: "x", privileges: ["USE_SCHEMA"] }],
    });
    expect(synthError(all)).toContain("removes every grant it does not list");
    const ok = newStack();
    agent(ok);
    new Grant(ok, "Other", { table: "main.other.t", principal: "sales-analysts", privileges: ["SELECT"] });
    expect(synthError(ok)).toBe("");
  });

  test("DBA-GRANT-005: admins on a workspace ACL fails", () => {
    const s = newStack();
    agent(s, { endpoint: { managers: [Principal.group("admins")] } });
    expect(synthError(s)).toContain("[DBA-GRANT-005]");
  });

  test("DBA-GRANT-006: newlines and template sequences in principal names are refused", () => {
    for (const bad of [
      Principal.group("sales\nanalysts"),
      Principal.group("x${var.y}"),
      Principal.group("x%{if}"),
      Principal.user("not-an-email"),
    ]) {
      const s = newStack();
      agent(s, { endpoint: { consumers: [bad] } });
      const msg = synthError(s);
      expect(msg).toContain("[DBA-GRANT-006]");
      expect(msg).not.toContain("\nanalysts");
    }
  });

  test("quotes and $(...) in a group name pass safely: synthesized as data, the additive script executes nothing", () => {
    const evil = `it's "sales" $(touch PWNED) \`touch PWNED2\``;
    const s = newStack();
    agent(s, { endpoint: { consumers: [Principal.group(evil)] } });
    AgentStackContext.of(s).configureGrants({ mechanism: "additive" });
    const tf = synthValid(s);
    const genie = resources(tf, "terraform_data")
      .map(strip)
      .find((d) => payloadOf(localExec(d).command).apiType === "genie")!;
    const payload = payloadOf(localExec(genie).command);
    expect((payload.entries as Json[])[0]!.group_name).toBe(evil);

    // Run what Terraform's local-exec runs (interpreter + the evaluated command as argv, no shell) against a fake CLI.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-additive-"));
    const { cli, calls } = fakeCli(dir);
    const [node, ...args] = localExec(genie).interpreter;
    const run = spawnSync(node!, [...args, asArgument({ ...payload, cli })], { cwd: dir, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(calls()).toEqual([
      ["current-user", "me", "-o", "json"],
      ["permissions", "get", "-o", "json", "--", "genie", "01f0c0ffee0000000000000000000001"],
      [
        "permissions",
        "update",
        "--json",
        JSON.stringify({ access_control_list: payload.entries }),
        "--",
        "genie",
        "01f0c0ffee0000000000000000000001",
      ],
    ]);
    expect(fs.existsSync(path.join(dir, "PWNED"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "PWNED2"))).toBe(false);
  });

  test("a principal from a Terraform reference reaches the payload through jsonencode, as data; a reference mixed with text fails (DBA-GRANT-011)", () => {
    const s = newStack();
    const group = new TerraformVariable(s, "group", { type: "string" });
    agent(s, { endpoint: { consumers: [Principal.group(group.stringValue)] } });
    AgentStackContext.of(s).configureGrants({ mechanism: "additive" });
    const commands = resources(synthValid(s), "terraform_data").map((d) => localExec(strip(d)).command);
    const genie = commands.find((c) => c.includes('"apiType":"genie"'))!;
    expect(genie).toContain(
      '"entries":[{"group_name":${jsonencode(var.group)},"permission_level":"CAN_RUN"}]',
    );
    const mixed = newStack();
    const v = new TerraformVariable(mixed, "suffix", { type: "string" });
    agent(mixed, { endpoint: { consumers: [Principal.group(`sales-${v.stringValue}`)] } });
    AgentStackContext.of(mixed).configureGrants({ mechanism: "additive" });
    const msg = synthError(mixed);
    expect(msg).toContain("[DBA-GRANT-011] test/Agent (prop principal)");
    expect(msg).toContain("mixes a Terraform reference with literal text");
    const reported = newStack();
    const w = new TerraformVariable(reported, "suffix", { type: "string" });
    agent(reported, { endpoint: { consumers: [Principal.group(`sales-${w.stringValue}`)] } });
    expect(synthError(reported)).not.toContain("DBA-GRANT-011");
  });

  test("an id that starts with - reaches the CLI after --, never as an option", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-additive-"));
    const { cli, calls } = fakeCli(dir);
    const payload = {
      kind: "grants",
      cli,
      apiType: "table",
      id: "--help",
      changes: [{ principal: "-g", add: ["SELECT"] }],
    };
    const run = spawnSync("node", ["-e", ADDITIVE_SCRIPT, asArgument(payload)], { encoding: "utf8" });
    expect(run.status).toBe(0);
    const update = calls()[1]!;
    expect(update.slice(update.indexOf("--"))).toEqual(["--", "table", "--help"]);
  });

  test("never lowers: a principal already holding the level or a higher one (directly or inherited) is skipped", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-additive-"));
    const { cli, calls } = fakeCli(dir, {
      "permissions get": {
        access_control_list: [
          { group_name: "managers", all_permissions: [{ permission_level: "CAN_MANAGE", inherited: false }] },
          {
            group_name: "inherited-runners",
            all_permissions: [{ permission_level: "CAN_RUN", inherited: true }],
          },
          { group_name: "viewers", all_permissions: [{ permission_level: "CAN_VIEW", inherited: false }] },
        ],
      },
    });
    const entries = ["managers", "inherited-runners", "viewers", "new"].map((g) => ({
      group_name: g,
      permission_level: "CAN_RUN",
    }));
    const payload = {
      kind: "permissions",
      cli,
      apiType: "genie",
      id: "s1",
      lookup: [],
      levels: ["CAN_VIEW", "CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"],
      entries,
    };
    const run = spawnSync("node", ["-e", ADDITIVE_SCRIPT, asArgument(payload)], { encoding: "utf8" });
    expect(run.status).toBe(0);
    const update = calls().find((c) => c[1] === "update")!;
    expect(JSON.parse(update[3]!).access_control_list.map((e: Json) => e.group_name)).toEqual([
      "viewers",
      "new",
    ]);
    expect(run.stdout).toContain("added 2 of 4 entries");
  });

  test("secret scopes: READ is put only where the principal holds no ACL or a lower one; MANAGE stays MANAGE", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-additive-"));
    const { cli, calls } = fakeCli(dir, {
      "secrets get-acl": { principal: "deployer", permission: "MANAGE" },
    });
    const payload = {
      kind: "secret-acl",
      cli,
      scope: "agents",
      levels: ["READ", "WRITE", "MANAGE"],
      entries: [{ principal: "deployer", permission: "READ" }],
    };
    const run = spawnSync("node", ["-e", ADDITIVE_SCRIPT, asArgument(payload)], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(calls().map((c) => c.slice(0, 2).join(" "))).toEqual(["current-user me", "secrets get-acl"]);
    const fresh = fakeCli(fs.mkdtempSync(path.join(os.tmpdir(), "dba-additive-")), {
      "secrets get-acl": null,
    });
    spawnSync("node", ["-e", ADDITIVE_SCRIPT, asArgument({ ...payload, cli: fresh.cli })], {
      encoding: "utf8",
    });
    expect(fresh.calls().at(-1)).toEqual(["secrets", "put-acl", "--", "agents", "deployer", "READ"]);
  });

  test("the additive script says what to do when the CLI is missing or not authenticated", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-additive-"));
    const payload = (cli: string) =>
      asArgument({ kind: "grants", cli, apiType: "table", id: "a.b.c", changes: [] });
    const missing = spawnSync("node", ["-e", ADDITIVE_SCRIPT, payload(path.join(dir, "nope"))], {
      encoding: "utf8",
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("was not found: install it");
    const cli = path.join(dir, "databricks");
    fs.writeFileSync(
      cli,
      "#!/bin/sh\necho 'Error: default auth: cannot configure default credentials' >&2\nexit 1\n",
      { mode: 0o755 },
    );
    const unauth = spawnSync("node", ["-e", ADDITIVE_SCRIPT, payload(cli)], { encoding: "utf8" });
    expect(unauth.status).toBe(1);
    expect(unauth.stderr).toContain("not authenticated");
    expect(unauth.stderr).toContain("cannot configure default credentials");
  });
});
