/**
 * dba-check-auth-policy <stack dir | mlflow.json> --target <key> <MLmodel | model directory>
 * dba-check-auth-policy <auth_policy.json> <MLmodel | model directory>
 *
 * The synthesized policy is the entry `<key>` of a stack's `mlflow.json` (the report's
 * `endpoints[].mlflowKey`), or an exported (or per-target) `auth_policy.json`. Exit 0 when the logged model's auth policy agrees with the synthesized one; 1 with a readable list
 * of missing and extra resources and scopes when not; 2 when a file is missing or malformed (the
 * message names the file and the field).
 */
import * as fs from "fs";
import * as path from "path";
import {
  agrees,
  comparePolicies,
  ContractFileError,
  formatDiff,
  parseMlmodel,
  parsePolicyFile,
} from "../lib/mlflow/contract";
import { StackFileError, takeTarget, targetEntryText } from "../lib/constructs/target-files";

const USAGE =
  "usage: dba-check-auth-policy <stack dir | mlflow.json> --target <key> <MLmodel file or model directory>\n" +
  "       dba-check-auth-policy <auth_policy.json> <MLmodel file or model directory>";

export function main(
  argv: readonly string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): number {
  const args = takeTarget(argv);
  if (typeof args === "string" || args.rest.length !== 2 || argv.includes("--help")) {
    err(typeof args === "string" ? `${USAGE}\nERROR: ${args}` : USAGE);
    return 2;
  }
  const [policyArg, modelArg] = args.rest as [string, string];
  const modelFile =
    fs.existsSync(modelArg) && fs.statSync(modelArg).isDirectory()
      ? path.join(modelArg, "MLmodel")
      : modelArg;
  try {
    const entry = targetEntryText(policyArg, args.target, "endpoint");
    const policyFile = entry?.label ?? policyArg;
    for (const f of entry ? [modelFile] : [policyFile, modelFile])
      if (!fs.existsSync(f)) throw new ContractFileError(f, "(file)", "does not exist");
    const expected = parsePolicyFile(policyFile, entry?.text ?? fs.readFileSync(policyFile, "utf8"));
    const actual = parseMlmodel(modelFile, fs.readFileSync(modelFile, "utf8"));
    const diff = comparePolicies(expected, actual);
    if (agrees(diff)) {
      out(
        `OK: ${modelFile} agrees with ${policyFile} (${expected.resources.size} resources, ${expected.scopes.size} scopes)`,
      );
      return 0;
    }
    err(
      `MISMATCH: ${modelFile} does not agree with ${policyFile}${actual.source === "resources" ? " (the model was logged with resources=, not auth_policy=)" : ""}\n${formatDiff(diff)}`,
    );
    return 1;
  } catch (e) {
    if (e instanceof ContractFileError || e instanceof StackFileError) {
      err(`ERROR: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
