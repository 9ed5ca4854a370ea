/**
 * dba-check-app-yaml <handoff.json> <app.yaml | app source directory>
 *
 * Exit 0 when the deployed app.yaml sets every environment entry the synthesized handoff lists (extra
 * entries are the code's own); 1 with the missing and different entries (never their deployed values)
 * when not; 2 when a file is missing or malformed (the message names the file and the field).
 */
import * as fs from "fs";
import * as path from "path";
import { AppYamlFileError, compareAppEnv, parseAppEnv } from "../lib/constructs/app-handoff";

export function main(
  argv: readonly string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): number {
  if (argv.length !== 2 || argv.includes("--help")) {
    err("usage: dba-check-app-yaml <handoff.json> <app.yaml or the app's source directory>");
    return 2;
  }
  const [handoffFile, appArg] = argv as [string, string];
  const appFile =
    fs.existsSync(appArg) && fs.statSync(appArg).isDirectory()
      ? (["app.yaml", "app.yml"].map((f) => path.join(appArg, f)).find((f) => fs.existsSync(f)) ??
        path.join(appArg, "app.yaml"))
      : appArg;
  try {
    for (const f of [handoffFile, appFile])
      if (!fs.existsSync(f)) throw new AppYamlFileError(f, "(file)", "does not exist");
    const expected = parseAppEnv(handoffFile, fs.readFileSync(handoffFile, "utf8"));
    const deployed = parseAppEnv(appFile, fs.readFileSync(appFile, "utf8"));
    const diff = compareAppEnv(expected, deployed);
    if (diff.missing.length === 0 && diff.different.length === 0) {
      out(`OK: ${appFile} sets every entry of ${handoffFile} (${expected.length} entries)`);
      return 0;
    }
    err(
      [
        `MISMATCH: ${appFile} does not agree with ${handoffFile}`,
        ...diff.missing.map((m) => `  missing: ${m}`),
        ...diff.different.map((d) => `  different: ${d}`),
      ].join("\n"),
    );
    return 1;
  } catch (e) {
    if (e instanceof AppYamlFileError) {
      err(`ERROR: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
