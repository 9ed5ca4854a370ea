// The handoff to an app's code deployment: the `app.yaml` text (the `env` the code needs) and the handoff
// (the same, plus the scopes and the notes), both in the stack's `apps.json` (`dba-export` writes them as
// `app.yaml` and `handoff.json`), and the comparison of a deployed `app.yaml` with it (`dba-check-app-yaml`).
import { parse, stringify } from "yaml";
import type { AppHandoff, AppYamlEnv } from "./target";

/** The `app.yaml` text for a handoff: a header comment and `env`, nothing the library does not know. */
export function appYamlText(h: AppHandoff): string {
  const header = [
    `# Written by cdktf-databricks-agents for the app "${h.app_name}": the environment its code needs.`,
    "# Merge this env list into the app.yaml you deploy (databricks apps deploy, or a bundle);",
    "# keep your own command. Check the deployed file with: npx dba-check-app-yaml handoff.json app.yaml",
    ...(h.user_api_scopes.length > 0
      ? [
          `# User authorization scopes (set on the app by Terraform, not here): ${h.user_api_scopes.join(", ")}`,
        ]
      : []),
    ...h.notes.map((n) => `# Note: ${n}`),
  ];
  const body = stringify({ env: h.env.map((e) => ({ ...e })) }, { lineWidth: 0 });
  return `${header.join("\n")}\n${body}`;
}

/** A problem with a deployed `app.yaml` or the handoff file. */
export class AppYamlFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field} ${detail}`);
    this.name = "AppYamlFileError";
  }
}

const isEnv = (v: unknown): v is AppYamlEnv =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as { name?: unknown }).name === "string" &&
  (typeof (v as { value?: unknown }).value === "string" ||
    typeof (v as { valueFrom?: unknown }).valueFrom === "string");

/** The `env` of an `app.yaml` (or a handoff file), validated. */
export function parseAppEnv(file: string, text: string): AppYamlEnv[] {
  let doc: unknown;
  try {
    doc = file.endsWith(".json") ? JSON.parse(text) : parse(text);
  } catch (e) {
    throw new AppYamlFileError(
      file,
      "(file)",
      `is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  const env = (doc as { env?: unknown } | null)?.env ?? [];
  if (!Array.isArray(env)) throw new AppYamlFileError(file, "env", "is not a list");
  return env.map((e: unknown, i) => {
    if (!isEnv(e))
      throw new AppYamlFileError(file, `env[${i}]`, "is not { name, value } or { name, valueFrom }");
    return "valueFrom" in e && typeof e.valueFrom === "string"
      ? { name: e.name, valueFrom: e.valueFrom }
      : { name: e.name, value: String((e as { value: string }).value) };
  });
}

/** What differs: entries the deployed file lacks, and entries it sets differently. Extra entries are the code's own. */
export interface AppEnvDiff {
  readonly missing: readonly string[];
  readonly different: readonly string[];
}

const render = (e: AppYamlEnv): string =>
  "valueFrom" in e ? `valueFrom: ${e.valueFrom}` : `value: ${JSON.stringify(e.value)}`;

/** Compare the expected env (the handoff) with a deployed one. */
export function compareAppEnv(expected: readonly AppYamlEnv[], deployed: readonly AppYamlEnv[]): AppEnvDiff {
  const have = new Map(deployed.map((e) => [e.name, e]));
  const missing: string[] = [];
  const different: string[] = [];
  for (const e of expected) {
    const d = have.get(e.name);
    if (d === undefined) missing.push(`${e.name} (${render(e)})`);
    else if (render(d) !== render(e))
      different.push(
        `${e.name}: expected ${render(e)}, found ${"valueFrom" in d ? render(d) : "a different value"}`,
      );
  }
  return { missing, different };
}
