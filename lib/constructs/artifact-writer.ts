import * as fs from "fs";
import * as path from "path";
import type { TerraformStack, IStackSynthesizer, ISynthesisSession } from "../engine";
import type { AuthPolicyDict } from "../model/mlflow-policy";
import type { Finding } from "../rules/evaluate";
import type { DeployedEndpoint } from "../rules/stack-model";
import type { StackReport } from "./report";
import { formatStackSummary } from "./summary";
import { gateSynthesis, guardAppSynth, registerGateSource } from "./synth-gate";
import type { AppHandoff, MlflowMetadata } from "./target";
import { writeReportFile, type ReportFile } from "./report-file";
import {
  APPS_FILE,
  appsFile,
  entryLines,
  MLFLOW_FILE,
  mlflowFile,
  PER_TARGET_DIRS,
  perTargetFiles,
  writeFiles,
  type FileSettings,
} from "./target-files";

/** The files synth writes beside a stack's `cdk.tf.json`, as data. */
export interface AgentStackArtifacts {
  /** The stack report; `agent-report.json` is its file form (format 2, see `toReportFile`). */
  readonly report: StackReport;
  /** `endpoint-lock.json`: every endpoint's identity by construct path. */
  readonly endpointLock: { readonly endpoints: Readonly<Record<string, DeployedEndpoint>> };
  /** Each endpoint's MLflow auth policy and metadata (`mlflow.json`), by its key. */
  readonly mlflow: Readonly<
    Record<string, { readonly authPolicy: AuthPolicyDict; readonly metadata: MlflowMetadata }>
  >;
  /**
   * Each app's handoff (`apps.json`, with its `env` as `app.yaml` text), by its key.
   * @default - absent when the stack has no app
   */
  readonly apps?: Readonly<Record<string, AppHandoff>>;
}

/** The files synth writes, as data: the report in its file form (format 2). */
export interface AgentStackFiles extends Omit<AgentStackArtifacts, "report"> {
  /** `agent-report.json` as written. */
  readonly reportFile: ReportFile;
}

/** What the artifact writer needs from a stack's context. */
export interface ArtifactSource {
  /** The files as written (Terraform references resolved to their expressions). */
  synthFiles(): AgentStackFiles;
  /** Blocking findings (evaluated now if the app skipped validations). */
  blockingFindings(): readonly Finding[];
  /** The library's own synthesis step (grant realisation), run before the app is validated. */
  prepare(): void;
  /**
   * The files are written: what only they needed (the plan, the evaluation) may be dropped before the
   * engine renders the stack; the validation result stays for the engine's validation.
   */
  artifactsWritten(): void;
  /** The stack is written: what this synthesis computed is dropped. */
  endSynthesis(): void;
  /** The stack's file settings (`configureFiles`). */
  readonly fileSettings: Required<FileSettings>;
}

/**
 * Write the report, the endpoint lock, `mlflow.json` and (with apps) `apps.json` into a stack's output
 * directory: O(1) files per stack. The lock is one line; `mlflow.json` and `apps.json` one line per target
 * (the same content MLflow and the Python package read, diffable per target). With `perTargetFiles`, also
 * the per-target layout from the same data.
 */
export function writeArtifacts(
  dir: string,
  a: AgentStackFiles,
  settings: Required<FileSettings> = { perTargetFiles: false },
): void {
  // Written before the engine writes cdk.tf.json, which creates the directory otherwise.
  fs.mkdirSync(dir, { recursive: true });
  // A target renamed or removed since the last synth, or a per-target layout no longer asked for, must
  // leave no file that looks current (a missing directory costs one failed lookup).
  for (const d of PER_TARGET_DIRS) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
  writeReportFile(path.join(dir, "agent-report.json"), a.reportFile);
  fs.writeFileSync(path.join(dir, "endpoint-lock.json"), `${JSON.stringify(a.endpointLock)}\n`);
  const mlflow = mlflowFile(a.mlflow);
  fs.writeFileSync(path.join(dir, MLFLOW_FILE), entryLines(mlflow));
  const apps = a.apps === undefined ? undefined : appsFile(a.apps);
  if (apps === undefined) fs.rmSync(path.join(dir, APPS_FILE), { force: true });
  else fs.writeFileSync(path.join(dir, APPS_FILE), entryLines(apps));
  if (settings.perTargetFiles) writeFiles(dir, perTargetFiles(mlflow, apps));
}

/** The per-stack summary is printed by `cdktf synth` and `node main.js`, not inside jest, nor with DBA_SUMMARY=off. */
function printsSummary(): boolean {
  return process.env.JEST_WORKER_ID === undefined && process.env.DBA_SUMMARY !== "off";
}

/**
 * Make the stack write its agent files after `cdk.tf.json`, whatever synthesizer it uses: the stack's
 * `synthesizer` property keeps working as before (a synthesizer the user sets later is used), and the
 * files are written after it ran. Idempotent per stack.
 */
export function installArtifactWriter(stack: TerraformStack, source: ArtifactSource): void {
  registerGateSource(stack, source);
  guardAppSynth(stack);
  const base: IStackSynthesizer = stack.synthesizer;
  let inner: IStackSynthesizer = base;
  let running = false;
  const wrapper: IStackSynthesizer = {
    synthesize(session: ISynthesisSession): void {
      // A user synthesizer that wraps the one it read (this wrapper) calls back in: delegate to the
      // engine's, once; the files are written by the outer call.
      if (running) return base.synthesize(session);
      running = true;
      try {
        synthesizeWithArtifacts(session);
      } finally {
        running = false;
      }
    },
  };
  const synthesizeWithArtifacts = (session: ISynthesisSession): void => {
    // Before anything is written, every stack of the app is validated (the agent rules even when the
    // app skips validations, the engine option it suggests on failure): a failure anywhere writes nothing.
    gateSynthesis(stack, session);
    // The agent files first, then the engine's cdk.tf.json: what the files needed is no longer held
    // while the engine renders the stack (the memory peak of a synth). A failure after this point
    // removes every output of the app (guardAppSynth).
    const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
    const files = source.synthFiles();
    writeArtifacts(dir, files, source.fileSettings);
    const summary = printsSummary()
      ? formatStackSummary(files.reportFile, path.relative(process.cwd(), dir) || ".", source.fileSettings)
      : undefined;
    source.artifactsWritten();
    try {
      inner.synthesize(session);
    } finally {
      source.endSynthesis();
    }
    if (summary !== undefined) console.log(summary);
  };
  Object.defineProperty(stack, "synthesizer", {
    configurable: true,
    enumerable: true,
    get: () => wrapper,
    set: (s: IStackSynthesizer) => {
      inner = s;
    },
  });
}
