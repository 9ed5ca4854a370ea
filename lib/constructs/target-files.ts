// The files synth writes about its targets: one per stack by default, `mlflow.json` (every endpoint's MLflow
// auth policy and metadata) and `apps.json` (every app's handoff), keyed by the target's key (its directory
// name in the per-target layout, `mlflowDirNames` / `appDirNames`). The per-target layout (`mlflow/<key>/`,
// `apps/<key>/`, as 0.1 wrote it) is produced from the same data by `perTargetFiles`, for
// `configureFiles({ perTargetFiles: true })` and for `dba-export`. Creating a file costs about 1 ms of
// kernel time on ext4: a stack of 1,000 endpoints wrote 2,000 files and 1,000 directories, now one.
import * as fs from "fs";
import * as path from "path";
import type { z } from "zod";
import type { AuthPolicyDict } from "../model/mlflow-policy";
import { recordOf } from "../model/record";
import type { fileSettingsSchema, SameKeys } from "../model/schemas";
import { appYamlText } from "./app-handoff";
import type { AppHandoff, MlflowMetadata } from "./target";

/** Stack-wide settings of the files synth writes beside `cdk.tf.json`. */
export interface FileSettings {
  /**
   * Also write the per-target layout of 0.1, beside `mlflow.json` and `apps.json`:
   * `mlflow/<key>/auth_policy.json` + `metadata.json` per endpoint and `apps/<key>/handoff.json` +
   * `app.yaml` per app, byte for byte what those files held. For small stacks and for tooling that reads
   * those paths while it migrates: each file costs about 1 ms at synth (`dba-export` writes them on demand).
   * @default false
   */
  readonly perTargetFiles?: boolean;
}

// The settings' keys and the schema's agree (a compile-time check).
const KEYS_MATCH: SameKeys<z.infer<typeof fileSettingsSchema>, FileSettings> = true;
void KEYS_MATCH;

/** The per-stack file of the endpoints' MLflow files. */
export const MLFLOW_FILE = "mlflow.json";
/** The per-stack file of the apps' handoffs, written only when the stack has apps. */
export const APPS_FILE = "apps.json";
/** The directories of the per-target layout: removed at every synth, written only when asked for. */
export const PER_TARGET_DIRS = ["mlflow", "apps"] as const;

/** One endpoint in `mlflow.json`: exactly what `auth_policy.json` and `metadata.json` hold. */
export interface MlflowEntry {
  /** MLflow's `AuthPolicy.to_dict()` (`auth_policy.json`). */
  readonly auth_policy: AuthPolicyDict;
  /** What `log_model` needs besides the policy (`metadata.json`). */
  readonly metadata: MlflowMetadata;
}

/**
 * One app in `apps.json`: what `handoff.json` holds. Its `app.yaml` is made from it ({@link appFiles},
 * `dba-export`), never stored twice.
 */
export interface AppsEntry {
  /** The handoff (`handoff.json`): the `env` the code needs, the user scopes, the app resources and the notes. */
  readonly handoff: AppHandoff;
}

/** `mlflow.json`: every endpoint with an auth policy, by key. */
export type MlflowFile = Readonly<Record<string, MlflowEntry>>;
/** `apps.json`: every app, by key. */
export type AppsFile = Readonly<Record<string, AppsEntry>>;

const byKey = <T>(entries: readonly (readonly [string, T])[]): Record<string, T> =>
  recordOf([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** `mlflow.json` from the MLflow files by key; keys sorted. */
export function mlflowFile(
  mlflow: Readonly<
    Record<string, { readonly authPolicy: AuthPolicyDict; readonly metadata: MlflowMetadata }>
  >,
): MlflowFile {
  return byKey(
    Object.entries(mlflow).map(([k, f]) => [k, { auth_policy: f.authPolicy, metadata: f.metadata }] as const),
  );
}

/** `apps.json` from the handoffs by key; keys sorted. */
export function appsFile(apps: Readonly<Record<string, AppHandoff>>): AppsFile {
  return byKey(Object.entries(apps).map(([k, h]) => [k, { handoff: h }] as const));
}

const json = (data: unknown): string => `${JSON.stringify(data, null, 2)}\n`;

/**
 * A per-stack file's text: one line per target (`"<key>":<its entry as one-line JSON>`), keys in the
 * file's (sorted) order, so a change to one target is a one-line diff.
 */
export function entryLines(file: Readonly<Record<string, unknown>>): string {
  const lines = Object.entries(file).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return lines.length === 0 ? "{}\n" : `{\n${lines.join(",\n")}\n}\n`;
}

/** An endpoint's files of the per-target layout, by file name: `auth_policy.json` and `metadata.json`. */
export function endpointFiles(e: MlflowEntry): Record<string, string> {
  return { "auth_policy.json": json(e.auth_policy), "metadata.json": json(e.metadata) };
}

/** An app's files of the per-target layout, by file name: `handoff.json` and `app.yaml`. */
export function appFiles(e: AppsEntry): Record<string, string> {
  return { "handoff.json": json(e.handoff), "app.yaml": appYamlText(e.handoff) };
}

/**
 * The per-target layout of a stack's files, as `[path relative to the stack directory, text]`:
 * `mlflow/<key>/auth_policy.json`, `mlflow/<key>/metadata.json`, `apps/<key>/handoff.json`,
 * `apps/<key>/app.yaml`. The one producer of these files (synth with `perTargetFiles`, and `dba-export`).
 */
export function perTargetFiles(mlflow: MlflowFile, apps: AppsFile = {}): [string, string][] {
  const under = (dir: string, key: string, files: Record<string, string>): [string, string][] =>
    Object.entries(files).map(([name, text]) => [`${dir}/${key}/${name}`, text]);
  return [
    ...Object.entries(mlflow).flatMap(([k, e]) => under("mlflow", k, endpointFiles(e))),
    ...Object.entries(apps).flatMap(([k, e]) => under("apps", k, appFiles(e))),
  ];
}

/** Write `files` (`[relative path, text]`) under `dir`, creating each directory once. */
export function writeFiles(dir: string, files: readonly (readonly [string, string])[]): void {
  const made = new Set<string>();
  for (const [rel, text] of files) {
    const file = path.join(dir, rel);
    const parent = path.dirname(file);
    if (!made.has(parent)) fs.mkdirSync(parent, { recursive: true });
    made.add(parent);
    fs.writeFileSync(file, text);
  }
}

/** A stack file that is missing or not in the form synth writes. */
export class StackFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field} ${detail}`);
    this.name = "StackFileError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) throw new StackFileError(file, "(file)", "does not exist");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new StackFileError(file, "(file)", `is not valid JSON: ${(e as Error).message.split("\n")[0]}`);
  }
}

/** A target's key: what the per-target layout names its directory (so never a path). */
const TARGET_KEY = /^[A-Za-z0-9_-]+$/;

/** Check that `data` is an object of entries each holding the object (or string) fields `fields`. */
function checkEntries(
  file: string,
  data: unknown,
  fields: Readonly<Record<string, "object" | "string">>,
): void {
  if (!isObject(data)) throw new StackFileError(file, "(top level)", "is not an object keyed by target");
  for (const [key, entry] of Object.entries(data)) {
    if (!TARGET_KEY.test(key))
      throw new StackFileError(
        file,
        JSON.stringify(key),
        "is not a target key (letters, digits, '-' and '_')",
      );
    if (!isObject(entry)) throw new StackFileError(file, JSON.stringify(key), "is not an object");
    for (const [field, type] of Object.entries(fields)) {
      const v = entry[field];
      if (type === "object" ? !isObject(v) : typeof v !== "string")
        throw new StackFileError(
          file,
          `${JSON.stringify(key)}.${field}`,
          `is missing or not a${type === "object" ? "n object" : " string"}`,
        );
    }
  }
}

/**
 * Read a stack directory's `mlflow.json` and, when present, `apps.json` (as synth wrote them).
 * Throws {@link StackFileError} naming the file and the field when one is missing or malformed.
 */
export function readStackFiles(stackDir: string): { mlflow: MlflowFile; apps: AppsFile } {
  const mlflowPath = path.join(stackDir, MLFLOW_FILE);
  const appsPath = path.join(stackDir, APPS_FILE);
  if (!fs.existsSync(mlflowPath) && !fs.existsSync(appsPath))
    throw new StackFileError(
      mlflowPath,
      "(file)",
      `does not exist: ${stackDir} is not a synthesized stack directory (cdktf.out/stacks/<stack>, after cdktf synth)`,
    );
  const mlflow = fs.existsSync(mlflowPath) ? readJson(mlflowPath) : {};
  checkEntries(mlflowPath, mlflow, { auth_policy: "object", metadata: "object" });
  const apps = fs.existsSync(appsPath) ? readJson(appsPath) : {};
  checkEntries(appsPath, apps, { handoff: "object" });
  return { mlflow: mlflow as MlflowFile, apps: apps as AppsFile };
}

/** A target key that is in none of the stack's files; `available` lists the keys there are. */
export class UnknownTargetError extends StackFileError {
  constructor(
    file: string,
    readonly target: string | undefined,
    readonly available: { readonly endpoints: readonly string[]; readonly apps: readonly string[] },
  ) {
    const list = (keys: readonly string[]): string =>
      keys.length === 0
        ? "none"
        : keys.length <= 20
          ? keys.join(", ")
          : `${keys.slice(0, 20).join(", ")} and ${keys.length - 20} more`;
    super(
      file,
      target === undefined ? "--target" : `--target ${JSON.stringify(target)}`,
      `${target === undefined ? "is needed to pick a target from a stack's files" : "names no target"}; endpoints (${MLFLOW_FILE}): ${list(available.endpoints)}; apps (${APPS_FILE}): ${list(available.apps)}. Give one of these keys (the report's endpoints[].mlflowKey, apps[].appsKey)`,
    );
    this.name = "UnknownTargetError";
  }
}

/** True when `arg` names a stack directory or a per-stack file (not a per-target file). */
export function isStackSource(arg: string): boolean {
  return (
    (fs.existsSync(arg) && fs.statSync(arg).isDirectory()) ||
    [MLFLOW_FILE, APPS_FILE].includes(path.basename(arg))
  );
}

/**
 * The entries under `target` in the stack files of `source` (a stack directory, or its `mlflow.json` or
 * `apps.json`): the endpoint's, the app's, or both when an endpoint and an app share the key. Throws
 * {@link UnknownTargetError} listing the keys there are when neither file has it.
 */
export function targetEntries(
  source: string,
  target: string,
): { readonly dir: string; readonly endpoint?: MlflowEntry; readonly app?: AppsEntry } {
  const dir = fs.existsSync(source) && fs.statSync(source).isDirectory() ? source : path.dirname(source);
  const { mlflow, apps } = readStackFiles(dir);
  const own = (o: object): boolean => Object.prototype.hasOwnProperty.call(o, target);
  if (!own(mlflow) && !own(apps))
    throw new UnknownTargetError(dir, target, { endpoints: Object.keys(mlflow), apps: Object.keys(apps) });
  return {
    dir,
    ...(own(mlflow) ? { endpoint: mlflow[target] } : {}),
    ...(own(apps) ? { app: apps[target] } : {}),
  };
}

/**
 * What a checker compares with, when its first argument is a stack directory or a per-stack file: the
 * `auth_policy` (kind `endpoint`) or `handoff` (kind `app`) of the entry `target`, as JSON text, labelled
 * `<file> [<key>]` for messages. `undefined` when `source` is a per-target file (read as it is).
 */
export function targetEntryText(
  source: string,
  target: string | undefined,
  kind: "endpoint" | "app",
): { readonly label: string; readonly text: string } | undefined {
  if (!isStackSource(source)) {
    if (target !== undefined)
      throw new StackFileError(
        source,
        "--target",
        `is for a stack directory or its ${kind === "endpoint" ? MLFLOW_FILE : APPS_FILE}, not a per-target file`,
      );
    return undefined;
  }
  if (target === undefined) {
    const dir = fs.existsSync(source) && fs.statSync(source).isDirectory() ? source : path.dirname(source);
    const { mlflow, apps } = readStackFiles(dir);
    throw new UnknownTargetError(dir, undefined, { endpoints: Object.keys(mlflow), apps: Object.keys(apps) });
  }
  const { dir, endpoint, app } = targetEntries(source, target);
  const file = path.join(dir, kind === "endpoint" ? MLFLOW_FILE : APPS_FILE);
  const data = kind === "endpoint" ? endpoint?.auth_policy : app?.handoff;
  if (data === undefined)
    throw new StackFileError(
      file,
      `--target ${JSON.stringify(target)}`,
      kind === "endpoint"
        ? "names an app, not an endpoint: check its app.yaml with dba-check-app-yaml"
        : "names an endpoint, not an app: check its model with dba-check-auth-policy",
    );
  return { label: `${file} [${target}]`, text: JSON.stringify(data) };
}

/** `argv` without `--target <key>`, and the key; a string when `--target` lacks its value or is repeated. */
export function takeTarget(argv: readonly string[]): { rest: string[]; target?: string } | string {
  const rest: string[] = [];
  let target: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== "--target") {
      rest.push(argv[i]!);
      continue;
    }
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) return "--target needs a value";
    if (target !== undefined) return "--target is given twice";
    target = v;
    i++;
  }
  return target === undefined ? { rest } : { rest, target };
}
