/**
 * dba-check-app-yaml <stack dir | apps.json> --target <key> <app.yaml | app source directory>
 * dba-check-app-yaml <handoff.json> <app.yaml | app source directory>
 *
 * The synthesized handoff is the entry `<key>` of a stack's `apps.json` (the report's `apps[].appsKey`),
 * or an exported (or per-target) `handoff.json`. Exit 0 when the deployed app.yaml sets every environment entry the synthesized handoff lists (extra
 * entries are the code's own); 1 with the missing and different entries (never their deployed values)
 * when not; 2 when a file is missing or malformed (the message names the file and the field).
 */
import * as fs from "fs";
import * as path from "path";
import { AppYamlFileError, compareAppEnv, parseAppEnv } from "../lib/constructs/app-handoff";
import { StackFileError, takeTarget, targetEntryText } from "../lib/constructs/target-files";

const USAGE =
  "usage: dba-check-app-yaml <stack dir | apps.json> --target <key> <app.yaml or the app's source directory>\n" +
  "       dba-check-app-yaml <handoff.json> <app.yaml or the app's source directory>";

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
  const [handoffArg, appArg] = args.rest as [string, string];
  const appFile =
    fs.existsSync(appArg) && fs.statSync(appArg).isDirectory()
      ? (["app.yaml", "app.yml"].map((f) => path.join(appArg, f)).find((f) => fs.existsSync(f)) ??
        path.join(appArg, "app.yaml"))
      : appArg;
  try {
    const entry = targetEntryText(handoffArg, args.target, "app");
    const handoffFile = entry?.label ?? handoffArg;
    for (const f of entry ? [appFile] : [handoffFile, appFile])
      if (!fs.existsSync(f)) throw new AppYamlFileError(f, "(file)", "does not exist");
    const expected = parseAppEnv(handoffFile, entry?.text ?? fs.readFileSync(handoffFile, "utf8"));
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
    if (e instanceof AppYamlFileError || e instanceof StackFileError) {
      err(`ERROR: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
