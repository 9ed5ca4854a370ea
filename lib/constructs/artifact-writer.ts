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
import { appYamlText } from "./app-handoff";
import { toReportFile, writeReportFile } from "./report-file";

/** The files synth writes beside a stack's `cdk.tf.json`, as data. */
export interface AgentStackArtifacts {
  /** The stack report; `agent-report.json` is its file form (format 2, see `toReportFile`). */
  readonly report: StackReport;
  /** `endpoint-lock.json`: every endpoint's identity by construct path. */
  readonly endpointLock: { readonly endpoints: Readonly<Record<string, DeployedEndpoint>> };
  /** `mlflow/<dir>/auth_policy.json` and `metadata.json`, by `<dir>`. */
  readonly mlflow: Readonly<
    Record<string, { readonly authPolicy: AuthPolicyDict; readonly metadata: MlflowMetadata }>
  >;
  /**
   * `apps/<dir>/handoff.json` (and its `env` as `apps/<dir>/app.yaml`), by `<dir>`.
   * @default - absent when the stack has no app
   */
  readonly apps?: Readonly<Record<string, AppHandoff>>;
}

/** What the artifact writer needs from a stack's context. */
export interface ArtifactSource {
  /** The files, as data (Terraform references resolved to their expressions). */
  artifacts(): AgentStackArtifacts;
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
}

/**
 * Write the report, the endpoint lock and the MLflow files into a stack's output directory. The JSON
 * files other than the report are one line each (`JSON.stringify` without indentation, then a newline):
 * the same content MLflow and the Python package read, at about half the bytes of indented JSON.
 */
export function writeArtifacts(dir: string, a: AgentStackArtifacts): void {
  const write = (rel: string, data: unknown): void => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(data)}\n`);
  };
  // Written before the engine writes cdk.tf.json, which creates the directory otherwise.
  fs.mkdirSync(dir, { recursive: true });
  // An endpoint renamed or removed since the last synth must leave no MLflow directory that looks current.
  fs.rmSync(path.join(dir, "mlflow"), { recursive: true, force: true });
  writeReportFile(path.join(dir, "agent-report.json"), toReportFile(a.report));
  write("endpoint-lock.json", a.endpointLock);
  for (const [dirName, files] of Object.entries(a.mlflow)) {
    write(`mlflow/${dirName}/auth_policy.json`, files.authPolicy);
    write(`mlflow/${dirName}/metadata.json`, files.metadata);
  }
  for (const [dirName, handoff] of Object.entries(a.apps ?? {})) {
    write(`apps/${dirName}/handoff.json`, handoff);
    fs.writeFileSync(path.join(dir, `apps/${dirName}/app.yaml`), appYamlText(handoff));
  }
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
    const artifacts = source.artifacts();
    writeArtifacts(dir, artifacts);
    const summary = printsSummary()
      ? formatStackSummary(artifacts.report, path.relative(process.cwd(), dir) || ".")
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
