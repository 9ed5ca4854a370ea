import { TerraformStack, TerraformVariable } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import * as fs from "fs";
import * as path from "path";
import { main as reportMain } from "../bin/report";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  GenieResourceBundle,
  LakebaseInstance,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
} from "../lib";
import { readReport, toReportFile } from "../lib/constructs/report-file";
import { REPORT_FORMAT } from "../lib/model/report-format";
import { ws } from "../lib/model/securable";
import { agent, DEPLOYER, ownedSchemaGrant, readStack, synthApp, synthError } from "./helpers";

const ACK = "evaluation runs as the service principal, serving on behalf of the user";

/** `n` agents shaped like seed 000 (a Genie bundle in both modes, acknowledged; Lakebase for passthrough). */
function agents(stack: TerraformStack, n: number, order: "up" | "down" = "up"): void {
  const ids = Array.from({ length: n }, (_, i) => i);
  for (const i of order === "up" ? ids : ids.reverse()) {
    const id = String(i).padStart(3, "0");
    const bundle = new GenieResourceBundle(stack, `Genie${id}`, {
      domain: "cost",
      spaceId: `01f0c0ffee${id}0000000000000000001`,
      warehouse: SqlWarehouse.fromId(`4b9b95393986${id}9`),
      tables: [`main.cost_${i % 5}.usage_${i % 7}`, `main.cost_${i % 5}.prices`],
    });
    const policy = new AgentAuthPolicy(stack, `Policy${id}`, {
      system: [
        ServingEndpoint.fromName("databricks-claude-sonnet-4"),
        bundle,
        LakebaseInstance.fromName(`mem-${id}`),
      ],
      onBehalfOfUser: [bundle],
    });
    AgentStackContext.of(stack).acknowledge(policy, "DBA-AUTH-001", ACK);
    new AgentServingEndpoint(stack, `Agent${id}`, {
      name: `agent-${id}`,
      model: { name: `main.agents.agent_${id}`, version: "1" },
      authPolicy: policy,
      consumers: [Principal.group(`agent-${id}-readers`)],
      managers: [Principal.group("platform-admins")],
      deployer: DEPLOYER,
    });
  }
}

/** Synthesize one stack with `build`; its files and its context. */
function synth(build: (s: TerraformStack) => void) {
  let ctx: AgentStackContext | undefined;
  const outdir = synthApp((app) => {
    const s = new TerraformStack(app, "agents");
    new DatabricksProvider(s, "databricks", {});
    build(s);
    ctx = AgentStackContext.of(s);
  });
  const files = readStack(outdir, "agents");
  const text = (f: string) => fs.readFileSync(path.join(files.dir, f), "utf8");
  return { ...files, ctx: ctx!, text, outdir };
}

describe("agent-report.json format 2", () => {
  const tokens = synth((s) => {
    const space = new TerraformVariable(s, "space", { type: "string" });
    const warehouse = new TerraformVariable(s, "warehouse", { type: "string" });
    agent(s, {
      bundle: { spaceId: space.stringValue, warehouse: SqlWarehouse.fromId(warehouse.stringValue) },
    });
  });
  const many = synth((s) => agents(s, 12));

  test("states its format, and every grant and command of the stack report reads back from it", () => {
    for (const out of [tokens, many]) {
      expect(out.report.format).toBe(REPORT_FORMAT);
      const view = readReport(out.report);
      const report = out.ctx.report();
      expect(view.grants).toEqual(report.grants);
      expect(view.requiredActions).toEqual(report.requiredActions);
    }
    // The Terraform references are read from Terraform first, as at synth.
    expect(
      readReport(tokens.report)
        .requiredActions.flatMap((a) => a.commands)
        .join("\n"),
    ).toContain(
      `REF_1=$(echo '"\${var.space}"' | terraform -chdir=cdktf.out/stacks/agents console | jq -r .)`,
    );
  });

  test("synth writes the file straight from the plan: the same file as the report's rows tabulated", () => {
    // A warning left unacknowledged (DBA-GENIE-005: a bundle no policy uses) and references in names and
    // reasons exercise every part of the file.
    const warned = synth((s) => {
      const space = new TerraformVariable(s, "space", { type: "string" });
      agent(s, { bundle: { spaceId: space.stringValue } });
      new GenieResourceBundle(s, "Unused", {
        domain: "unused",
        spaceId: space.stringValue,
        warehouse: SqlWarehouse.fromId("4b9b953939869799"),
        tables: ["main.sales.orders"],
      });
    });
    for (const out of [tokens, many, warned]) {
      const fromRows = JSON.parse(JSON.stringify(toReportFile(out.ctx.report())));
      expect(out.report).toEqual(fromRows);
      expect(JSON.stringify(out.report)).not.toContain("TfToken");
    }
    expect(JSON.stringify(tokens.report)).toContain("${var.space}");
    expect((warned.report.findings as unknown[]).length).toBeGreaterThan(0);
  });

  test("a variable read twice (two tokens, one expression) is one entry of its table", () => {
    const out = synth((s) => {
      const readers = new TerraformVariable(s, "readers", { type: "string" });
      agents(s, 2);
      // Each read of stringValue is a new token; both name the group ${var.readers}.
      for (const id of ["000", "001"])
        AgentStackContext.of(s).requestGrant({
          principal: Principal.group(readers.stringValue),
          securable: ws("sql_warehouse", `4b9b95393986${id}9`),
          privilege: "CAN_USE",
          reason: `readers of warehouse ${id}`,
          requestedBy: `agents/Agent${id}`,
        });
    });
    const principals = out.report.principals as string[];
    expect(principals.filter((p) => p === "group:${var.readers}")).toHaveLength(1);
    expect(new Set(principals).size).toBe(principals.length);
  });

  test("states each distinct string once: securables, principals, requesters, needs; onDestroy per mechanism", () => {
    const r = many.report as Record<string, string[]>;
    for (const k of ["securables", "principals", "requesters", "needs"])
      expect(new Set(r[k]).size).toBe(r[k]!.length);
    expect(r.needs).toContain('Genie space 01f0c0ffee0000000000000000000001 (domain "cost")');
    expect(r.requesters).toContain("consumer of agent-000, on behalf of user");
    expect(Object.keys(many.report.legend as object)).toEqual(["about", "onDestroy"]);
    expect(many.text("agent-report.json").match(/nothing: Terraform never applied it/g)).toHaveLength(1);
    // One JSON row per line.
    expect(many.text("agent-report.json").split("\n").length).toBeGreaterThan(100);
  });

  test("acknowledged findings are counted per acknowledgement; unacknowledged ones stay complete", () => {
    const acks = many.report.acknowledgements as { ruleId: string; findings: number }[];
    expect(acks).toHaveLength(12);
    expect(acks.every((a) => a.ruleId === "DBA-AUTH-001" && a.findings === 1)).toBe(true);
    expect(many.report.findings).toEqual([]);
    const report = many.ctx.report();
    const warning = { ...report.findings[0]!, acknowledged: undefined };
    const file = toReportFile({ ...report, findings: [warning, ...report.findings.slice(1)] });
    expect(file.findings).toEqual([warning]);
    expect(file.acknowledgements[0]!.findings).toBe(0);
  });

  test("a 50-agent stack's report is no larger than its cdk.tf.json", () => {
    const out = synth((s) => agents(s, 50));
    const size = (f: string) => fs.statSync(path.join(out.dir, f)).size;
    expect(size("agent-report.json")).toBeLessThanOrEqual(size("cdk.tf.json"));
  });

  test("is byte-identical whatever the declaration order", () => {
    const down = synth((s) => agents(s, 12, "down"));
    for (const f of ["agent-report.json", "endpoint-lock.json", "mlflow.json"])
      expect(down.text(f)).toBe(many.text(f));
  });

  test("the lock is one line and mlflow.json one line per endpoint, with the same content", () => {
    expect(many.text("endpoint-lock.json").split("\n")).toHaveLength(2);
    const mlflow = many.text("mlflow.json");
    // "{", one line per endpoint, "}", and the final newline.
    expect(mlflow.split("\n")).toHaveLength(12 + 3);
    const entry = (JSON.parse(mlflow) as Record<string, { auth_policy: unknown }>)["agent-000"]!;
    expect(entry.auth_policy).toEqual(many.ctx.artifacts().mlflow["agent-000"]!.authPolicy);
  });
});

describe("usePreviousReport reads the new format and the previous one", () => {
  /** An owned schema grant (mechanism uc_grant) whose previous privileges were `previous`. */
  const owned = (previous?: Record<string, unknown>) => {
    const { stack: s, context: ctx } = ownedSchemaGrant();
    if (previous) ctx.usePreviousReport(previous as never);
    return s;
  };
  /** A report of the pair as `format` writes it, with privileges EXECUTE (the next apply removes it). */
  const previous = (format: 1 | 2): Record<string, unknown> => {
    const s = owned();
    const r = AgentStackContext.of(s).report();
    const grants = r.grants.map((g) =>
      g.securable === "schema main.sales" && g.principal === "group:sales-analysts"
        ? { ...g, privileges: ["EXECUTE"] }
        : g,
    );
    if (format === 2) return JSON.parse(JSON.stringify(toReportFile({ ...r, grants })));
    // Format 1 as the previous version wrote it: rows spelled out, no "format".
    const v1: Record<string, unknown> = { ...r, grants };
    delete v1.cli;
    delete v1.deployerRoles;
    return JSON.parse(JSON.stringify(v1));
  };

  test.each([1, 2] as const)(
    "format %s: DBA-PROV-003 fires on the pair that would lose and gain",
    (format) => {
      expect(synthError(owned(previous(format)))).toContain(
        "adds USE_SCHEMA and removes EXECUTE in one apply",
      );
    },
  );

  test("silent when the previous report of either format has the same grants", () => {
    for (const format of [1, 2] as const) {
      const r = previous(format);
      const same = JSON.parse(JSON.stringify(r).replace(/"EXECUTE"/g, '"USE_SCHEMA"'));
      expect(synthError(owned(same))).toBe("");
    }
  });

  test("refuses a format-2 report whose indexes point nowhere, naming the line", () => {
    const r = previous(2) as { grants: unknown[][] };
    r.grants[0]![0] = 99999;
    expect(() => owned(r)).toThrow(/usePreviousReport[\s\S]*grants\[0\]: securable 99999/);
  });
});

describe("dba-report", () => {
  const out = synth((s) => agents(s, 3));
  const file = path.join(out.dir, "agent-report.json");
  const run = (...argv: string[]) => {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = reportMain(
      argv,
      (s) => lines.push(s),
      (s) => errors.push(s),
    );
    return { code, out: lines.join("\n"), err: errors.join("\n") };
  };

  test("commands prints the exact commands of every object, or of one", () => {
    const expected = out.ctx
      .report()
      .requiredActions.map((a) => [`# ${a.object}`, ...a.commands].join("\n"))
      .join("\n");
    expect(run("commands", file)).toEqual({ code: 0, out: expected, err: "" });
    const one = run("commands", file, "catalog main");
    expect(one.code).toBe(0);
    expect(one.out).toMatch(
      /^# catalog main\ndatabricks grants update --json .*agent-000-readers.* -- catalog main$/,
    );
  });

  test("grants prints every grant as a line with its reasons, filtered by text", () => {
    const r = run("grants", file, "agent-001-readers");
    expect(r.code).toBe(0);
    expect(r.out.split("\n")).toContain(
      'genie space 01f0c0ffee0010000000000000000001\tgroup:agent-001-readers\tCAN_RUN\treport\tnothing: Terraform never applied it\tconsumer of agent-001, on behalf of user: Genie space 01f0c0ffee0010000000000000000001 (domain "cost")',
    );
    expect(run("grants", file).out.split("\n")).toHaveLength(out.ctx.report().grants.length);
  });

  test("reads a format-1 report too", () => {
    const v1 = path.join(out.outdir, "v1.json");
    fs.writeFileSync(v1, JSON.stringify(out.ctx.report()));
    expect(run("commands", v1).out).toBe(run("commands", file).out);
  });

  test("exit 1 for an object with no commands, 2 for a missing or unreadable file or bad usage", () => {
    expect(run("commands", file, "catalog nowhere")).toMatchObject({
      code: 1,
      err: expect.stringContaining("catalog main"),
    });
    expect(run("commands", path.join(out.outdir, "none.json"))).toMatchObject({
      code: 2,
      err: expect.stringContaining("does not exist"),
    });
    const bad = path.join(out.outdir, "bad.json");
    fs.writeFileSync(
      bad,
      JSON.stringify({
        format: 2,
        securables: [],
        principals: [],
        requesters: [],
        needs: [],
        reasons: [],
        grants: [[3, "report", ["SELECT"], [0]]],
      }),
    );
    expect(run("grants", bad)).toMatchObject({
      code: 2,
      err: expect.stringContaining("grants[0]: securable 3"),
    });
    expect(run("list")).toMatchObject({ code: 2, err: expect.stringContaining("usage") });
  });
});
