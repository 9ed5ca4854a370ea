/**
 * dba-export <stack dir> [--target <key>] --out <dir>
 *
 * Write targets' files from a synthesized stack's `mlflow.json` and `apps.json`, byte for byte as the
 * per-target layout has them: with `--target`, that target's `auth_policy.json` + `metadata.json` (an
 * endpoint) and/or `app.yaml` + `handoff.json` (an app) directly into `--out`; without it, every target as
 * `mlflow/<key>/...` and `apps/<key>/...` under `--out`. Exit 0 when written; 1 when `--target` names no
 * target (the message lists the keys there are); 2 on a usage error or a missing or malformed file.
 */
import * as fs from "fs";
import * as path from "path";
import {
  appFiles,
  endpointFiles,
  perTargetFiles,
  readStackFiles,
  StackFileError,
  targetEntries,
  UnknownTargetError,
  writeFiles,
} from "../lib/constructs/target-files";

const USAGE = "usage: dba-export <stack dir> [--target <key>] --out <dir>";

/** The arguments, or a usage problem. */
function parseArgs(argv: readonly string[]): { stackDir: string; target?: string; out: string } | string {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--target" || a === "--out") {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) return `${a} needs a value`;
      if (options[a] !== undefined) return `${a} is given twice`;
      options[a] = v;
      i++;
    } else if (a.startsWith("--")) return `unknown option ${a}`;
    else positional.push(a);
  }
  if (positional.length !== 1) return "give exactly one stack directory (cdktf.out/stacks/<stack>)";
  if (options["--out"] === undefined) return "--out <dir> is required";
  return {
    stackDir: positional[0]!,
    out: options["--out"],
    ...(options["--target"] ? { target: options["--target"] } : {}),
  };
}

export function main(
  argv: readonly string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): number {
  if (argv.includes("--help")) {
    err(USAGE);
    return 2;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    err(`${USAGE}\nERROR: ${args}`);
    return 2;
  }
  try {
    if (!fs.existsSync(args.stackDir) || !fs.statSync(args.stackDir).isDirectory())
      throw new StackFileError(
        args.stackDir,
        "(directory)",
        `${fs.existsSync(args.stackDir) ? "is not a directory" : "does not exist"}: give a synthesized stack directory (cdktf.out/stacks/<stack>)`,
      );
    if (args.target === undefined) {
      const { mlflow, apps } = readStackFiles(args.stackDir);
      const files = perTargetFiles(mlflow, apps);
      writeFiles(args.out, files);
      out(
        `OK: wrote ${files.length} files (${Object.keys(mlflow).length} endpoints under mlflow/<key>/, ${Object.keys(apps).length} apps under apps/<key>/) to ${args.out}`,
      );
      return 0;
    }
    const { endpoint, app } = targetEntries(args.stackDir, args.target);
    const files = { ...(endpoint ? endpointFiles(endpoint) : {}), ...(app ? appFiles(app) : {}) };
    writeFiles(args.out, Object.entries(files));
    out(
      `OK: wrote ${Object.keys(files).join(", ")} of ${JSON.stringify(args.target)} to ${path.join(args.out)}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof UnknownTargetError) {
      err(`ERROR: ${e.message}`);
      return 1;
    }
    if (e instanceof StackFileError) {
      err(`ERROR: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
