/**
 * dba-report commands <agent-report.json> [object]
 * dba-report grants <agent-report.json> [text]
 *
 * `commands`: the exact commands that grant what Terraform does not apply (the `report` mechanism), per
 * object, then the roles no ACL grants; with `object` (e.g. `catalog main`), that object's only.
 * `grants`: every grant as one tab-separated line (securable, principal, privileges, mechanism, what
 * destroy does, reasons joined by "; "); with `text`, only the lines that contain it.
 * Reads reports of every format. Exit 0; 1 when `object` names no object with commands; 2 when the file
 * is missing or unreadable (the message names the file and the field).
 */
import * as fs from "fs";
import { readReport, ReportFileError } from "../lib/constructs/report-file";

export function main(
  argv: readonly string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): number {
  const [what, file, filter] = argv;
  if (
    argv.length < 2 ||
    argv.length > 3 ||
    (what !== "commands" && what !== "grants") ||
    file === undefined
  ) {
    err(
      "usage: dba-report commands <agent-report.json> [object]   (e.g. object: 'catalog main')\n" +
        "       dba-report grants <agent-report.json> [text]",
    );
    return 2;
  }
  let view;
  try {
    if (!fs.existsSync(file)) throw new ReportFileError("does not exist");
    view = readReport(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (e) {
    if (e instanceof ReportFileError || e instanceof SyntaxError) {
      err(`ERROR: ${file}: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (what === "grants") {
    for (const g of view.grants) {
      const line = [
        g.securable,
        g.principal,
        g.privileges.join(","),
        g.mechanism,
        g.onDestroy,
        g.reasons.join("; "),
      ].join("\t");
      if (filter === undefined || line.includes(filter)) out(line);
    }
    return 0;
  }
  const actions = view.requiredActions.filter((a) => filter === undefined || a.object === filter);
  if (filter !== undefined && actions.length === 0) {
    err(
      `no required action on ${JSON.stringify(filter)}: name an object as the report's securables spell it (e.g. 'catalog main')`,
    );
    return 1;
  }
  for (const a of actions) out([`# ${a.object}`, ...a.commands].join("\n"));
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
