// The report file's tables and acknowledgement index: spelledTable, acceptedBy, reportFileOf with a spelling.
import { acceptedBy, reportFileOf, spelledTable, type FileGrant } from "../lib/constructs/report-file";
import type { ReportHead } from "../lib/constructs/report";
import type { Acknowledgement } from "../lib/rules/acknowledgement";
import type { Finding } from "../lib/rules/evaluate";

describe("spelledTable", () => {
  it("sorts the distinct strings and indexes each raw string when nothing is spelled differently", () => {
    const t = spelledTable(new Set(["b", "a", "c"]), (s) => s);
    expect(t.list).toEqual(["a", "b", "c"]);
    expect([...t.index]).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 2],
    ]);
  });

  it("spells each raw string once and gives raw strings spelled alike one entry", () => {
    const calls: string[] = [];
    const spell = (s: string): string => {
      calls.push(s);
      return s.replace(/T\d/, "${var.x}");
    };
    const t = spelledTable(new Set(["z T1", "z T2", "a"]), spell);
    expect(calls).toEqual(["z T1", "z T2", "a"]);
    expect(t.list).toEqual(["a", "z ${var.x}"]);
    expect(t.index.get("z T1")).toBe(1);
    expect(t.index.get("z T2")).toBe(1);
    expect(t.index.get("a")).toBe(0);
  });

  it("is empty for no strings", () => {
    expect(spelledTable(new Set(), (s) => s)).toEqual({ list: [], index: new Map() });
  });
});

describe("acceptedBy", () => {
  const ack = (ruleId: string, path: string, reason: string): Acknowledgement => ({ ruleId, path, reason });
  const finding = (ruleId: string, path: string, reason: string): Finding => ({
    ruleId,
    path,
    message: "m",
    fix: "f",
    severity: "warning",
    acknowledged: { reason },
  });
  const acks = [
    ack("R1", "s/a", "reason one is long"),
    ack("R1", "s", "reason one is long"),
    ack("R1", "s/a/b", "reason one is long"),
    ack("R2", "s", "reason two is long"),
  ];
  const accepted = acceptedBy(acks);

  it("picks the first acknowledgement in declaration order at the path or an ancestor", () => {
    expect(accepted(finding("R1", "s/a/b/c", "reason one is long"))).toBe(0);
    expect(accepted(finding("R1", "s/x", "reason one is long"))).toBe(1);
    expect(accepted(finding("R2", "s/a/b", "reason two is long"))).toBe(3);
  });

  it("needs the same rule, the same reason and a path at or above the finding's", () => {
    expect(accepted(finding("R2", "s/a", "reason one is long"))).toBe(-1);
    expect(accepted(finding("R1", "s/a", "another reason here"))).toBe(-1);
    expect(accepted(finding("R1", "t/a", "reason one is long"))).toBe(-1);
    expect(accepted(finding("R3", "s", "reason one is long"))).toBe(-1);
  });

  it("does not take a path that only starts with an acknowledged path", () => {
    expect(
      acceptedBy([ack("R1", "s/a", "reason one is long")])(finding("R1", "s/ab", "reason one is long")),
    ).toBe(-1);
  });
});

describe("reportFileOf with a spelling", () => {
  const head: ReportHead = {
    stack: "s",
    summary: { errors: 0, warnings: 0, acknowledged: 0, grants: 3 },
    findings: [],
    acknowledgements: [],
    cli: "databricks",
    deployerRoles: [],
    endpoints: [],
  };
  const row = (securable: string, principal: string, reasons: string[]): FileGrant => ({
    securable,
    principal,
    privileges: ["SELECT"],
    mechanism: "report",
    reasons,
  });

  it("spells the rows' strings in the tables and joins grants whose securables are spelled alike", () => {
    const spell = (s: string): string => s.replace(/T\d/, "${var.x}");
    const file = reportFileOf(
      head,
      [
        row("table mainT1", "group:g", ["consumer of a: needs T1"]),
        row("table mainT2", "user:u", ["consumer of a: needs T2", "consumer of b"]),
        row("table other", "group:g", ["consumer of b"]),
      ],
      2,
      spell,
    );
    expect(file.securables).toEqual(["table main${var.x}", "table other"]);
    expect(file.principals).toEqual(["group:g", "user:u"]);
    expect(file.requesters).toEqual(["consumer of a", "consumer of b"]);
    expect(file.needs).toEqual(["needs ${var.x}"]);
    expect(file.reasons).toEqual([[0, 0], [1]]);
    expect(file.grants).toEqual([
      [0, "report", ["SELECT"], [0, 0], [1, 0, 1]],
      [1, "report", ["SELECT"], [0, 1]],
    ]);
    expect(file.legend.onDestroy).toEqual({ report: "nothing: Terraform never applied it" });
  });
});
