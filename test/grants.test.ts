import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
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

describe("grant plan: Unity Catalog", () => {
  test("two bundles sharing a table and a group give one databricks_grant, with parent USE_* grants, never databricks_grants", () => {
    const s = newStack();
    twoBundles(s);
    const tf = synthValid(s);
    expect(grantRows(tf)).toEqual([
      "catalog main | 6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | USE_CATALOG",
      "catalog main | sales-analysts | USE_CATALOG",
      "model main.agents.sales_agent | 6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | EXECUTE",
      "schema main.agents | 6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | USE_SCHEMA",
      "schema main.finance | sales-analysts | USE_SCHEMA",
      "schema main.sales | sales-analysts | USE_SCHEMA",
      "table main.finance.ledger | sales-analysts | SELECT",
      "table main.sales.orders | sales-analysts | SELECT",
    ]);
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
    const tf = synthValid(s);
    expect(grantRows(tf).filter((r) => r.includes("sales-analysts"))).toEqual([]);
    expect(grantRows(tf)).toContain(
      "table main.sales.orders | 6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b | SELECT",
    );
  });
});

describe("grant plan: objects the stack does not own", () => {
  test("default (report): no databricks_permissions except the owned endpoint's; the report lists ready-to-run commands", () => {
    const s = newStack();
    agent(s);
    const tf = synthValid(s);
    const perms = resources(tf, "databricks_permissions");
    expect(perms).toHaveLength(1);
    expect(perms[0]!.serving_endpoint_id).toMatch(/databricks_model_serving/);
    expect(resources(tf, "terraform_data")).toEqual([]);
    const report = AgentStackContext.of(s).report();
    expect(report.requiredActions).toEqual([
      {
        object: "genie_space:01f0c0ffee0000000000000000000001",
        commands: [
          `databricks permissions update genie 01f0c0ffee0000000000000000000001 --json '{"access_control_list":[{"group_name":"sales-analysts","permission_level":"CAN_RUN"}]}'`,
        ],
      },
      {
        object: "serving_endpoint:databricks-claude-sonnet-4",
        commands: [
          "ID=$(databricks serving-endpoints get databricks-claude-sonnet-4 -o json | jq -r .id)",
          `databricks permissions update serving-endpoints "$ID" --json '{"access_control_list":[{"service_principal_name":"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b","permission_level":"CAN_QUERY"}]}'`,
        ],
      },
      {
        object: "sql_warehouse:4b9b953939869799",
        commands: [
          `databricks permissions update warehouses 4b9b953939869799 --json '{"access_control_list":[{"group_name":"sales-analysts","permission_level":"CAN_USE"}]}'`,
        ],
      },
    ]);
    expect(report.grants.find((g) => g.securable === "genie space 01f0c0ffee0000000000000000000001")).toEqual(
      {
        securable: "genie space 01f0c0ffee0000000000000000000001",
        principal: "group:sales-analysts",
        privileges: ["CAN_RUN"],
        mechanism: "report",
        reasons: [
          'consumer of sales-agent, on behalf of user: Genie space 01f0c0ffee0000000000000000000001 (domain "sales")',
        ],
      },
    );
  });

  test("additive: one terraform_data per object running the CLI's PATCH with arguments as data, re-run when the ACL changes, nothing on destroy", () => {
    const s = newStack();
    agent(s);
    AgentStackContext.of(s).configureGrants({ mechanism: "additive" });
    const tf = synthValid(s);
    expect(resources(tf, "databricks_permissions")).toHaveLength(1);
    const data = resources(tf, "terraform_data").map(strip);
    expect(data).toHaveLength(3);
    const genie = data.find((d) => (d.input as Json).object_type === "genie")!;
    const body = '{"access_control_list":[{"group_name":"sales-analysts","permission_level":"CAN_RUN"}]}';
    expect(genie).toEqual({
      input: {
        access_control: body,
        lookup: "",
        object: "01f0c0ffee0000000000000000000001",
        object_type: "genie",
      },
      triggers_replace: {
        access_control: body,
        lookup: "",
        object: "01f0c0ffee0000000000000000000001",
        object_type: "genie",
      },
      provisioner: [
        {
          "local-exec": {
            command: body,
            interpreter: [
              "node",
              "-e",
              ADDITIVE_SCRIPT,
              "databricks",
              "genie",
              "01f0c0ffee0000000000000000000001",
              "",
            ],
          },
        },
      ],
    });
    // No destroy-time provisioner: destroy leaves the added entries (and everyone else's) untouched.
    expect(JSON.stringify(data)).not.toContain('"when"');
    const endpoint = data.find((d) => (d.input as Json).object_type === "serving-endpoints")!;
    expect((endpoint.input as Json).lookup).toBe('["serving-endpoints","get"]');
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
      .find((d) => (d.input as Json).object_type === "genie")!;
    const exec = (genie.provisioner as Json[])[0]!["local-exec"] as {
      interpreter: string[];
      command: string;
    };
    expect(JSON.parse(exec.command).access_control_list[0].group_name).toBe(evil);

    // Run exactly what Terraform's local-exec runs (interpreter + command as argv, no shell) against a fake CLI.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-additive-"));
    const log = path.join(dir, "calls.jsonl");
    const cli = path.join(dir, "databricks");
    fs.writeFileSync(
      cli,
      `#!/usr/bin/env node\nrequire("fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n");\n`,
      { mode: 0o755 },
    );
    const [node, ...args] = exec.interpreter;
    args[2] = cli; // the configured cliPath
    const run = spawnSync(node!, [...args, exec.command], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(0);
    const calls = fs
      .readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(calls).toEqual([
      ["current-user", "me", "-o", "json"],
      ["permissions", "update", "genie", "01f0c0ffee0000000000000000000001", "--json", exec.command],
    ]);
    expect(fs.existsSync(path.join(dir, "PWNED"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "PWNED2"))).toBe(false);
  });

  test("the additive script says what to do when the CLI is missing or not authenticated", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-additive-"));
    const missing = spawnSync(
      "node",
      ["-e", ADDITIVE_SCRIPT, path.join(dir, "nope"), "genie", "x", "", "{}"],
      { encoding: "utf8" },
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("was not found: install it");
    const cli = path.join(dir, "databricks");
    fs.writeFileSync(
      cli,
      "#!/bin/sh\necho 'Error: default auth: cannot configure default credentials' >&2\nexit 1\n",
      { mode: 0o755 },
    );
    const unauth = spawnSync("node", ["-e", ADDITIVE_SCRIPT, cli, "genie", "x", "", "{}"], {
      encoding: "utf8",
    });
    expect(unauth.status).toBe(1);
    expect(unauth.stderr).toContain("not authenticated");
    expect(unauth.stderr).toContain("cannot configure default credentials");
  });
});
