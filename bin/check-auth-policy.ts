/**
 * dba-check-auth-policy <auth_policy.json> <MLmodel | model directory>
 *
 * Exit 0 when the logged model's auth policy agrees with the synthesized one; 1 with a readable list
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

export function main(
  argv: readonly string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): number {
  if (argv.length !== 2 || argv.includes("--help")) {
    err("usage: dba-check-auth-policy <auth_policy.json> <MLmodel file or model directory>");
    return 2;
  }
  const [policyFile, modelArg] = argv as [string, string];
  const modelFile =
    fs.existsSync(modelArg) && fs.statSync(modelArg).isDirectory()
      ? path.join(modelArg, "MLmodel")
      : modelArg;
  try {
    for (const f of [policyFile, modelFile])
      if (!fs.existsSync(f)) throw new ContractFileError(f, "(file)", "does not exist");
    const expected = parsePolicyFile(policyFile, fs.readFileSync(policyFile, "utf8"));
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
    if (e instanceof ContractFileError) {
      err(`ERROR: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
