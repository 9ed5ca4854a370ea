import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readReport } from "../lib/constructs/report-file";
import type { AppsEntry, MlflowEntry } from "../lib/constructs/target-files";

/** Helpers the example tests share: synthesize into fresh temporary directories and read the files. */
export function synthHarness(stack: string) {
  const outdirs: string[] = [];
  afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** A fresh output directory, removed after the tests. */
  const tempDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${stack}-`));
    outdirs.push(dir);
    return dir;
  };

  /** Run `app.synth()` (validations included) on what `build` declares; the error message, if any. */
  const synthWith = (build: (app: App) => void): { outdir: string; error: string } => {
    const outdir = tempDir();
    try {
      const app = new App({ outdir });
      build(app);
      app.synth();
      return { outdir, error: "" };
    } catch (e) {
      return { outdir, error: (e as Error).message };
    }
  };

  const file = (outdir: string, rel: string): string => path.join(outdir, "stacks", stack, rel);
  const read = (outdir: string, rel: string): unknown =>
    JSON.parse(fs.readFileSync(file(outdir, rel), "utf8"));
  /** The entry `key` of the stack's `mlflow.json` (an endpoint's auth policy and metadata). */
  const mlflowEntry = (outdir: string, key: string): MlflowEntry => {
    const entry = (read(outdir, "mlflow.json") as Record<string, MlflowEntry>)[key];
    if (entry === undefined) throw new Error(`mlflow.json has no entry ${key}`);
    return entry;
  };
  /** The entry `key` of the stack's `apps.json` (an app's app.yaml text and handoff). */
  const appsEntry = (outdir: string, key: string): AppsEntry => {
    const entry = (read(outdir, "apps.json") as Record<string, AppsEntry>)[key];
    if (entry === undefined) throw new Error(`apps.json has no entry ${key}`);
    return entry;
  };

  /**
   * The tests every example shares: `synth` succeeded, and cdk.tf.json, the stack report and the
   * endpoint's MLflow files (its entry `endpointKey` of mlflow.json) match their snapshots.
   */
  const snapshotTests = (synth: { outdir: string; error: string }, endpointKey: string): void => {
    test("synthesizes without errors", () => {
      expect(synth.error).toBe("");
    });
    test("cdk.tf.json matches the snapshot", () => {
      expect(read(synth.outdir, "cdk.tf.json")).toMatchSnapshot();
    });
    test("the stack report matches the snapshot", () => {
      expect(read(synth.outdir, "agent-report.json")).toMatchSnapshot();
    });
    test("the MLflow auth policy and metadata match the snapshot", () => {
      expect(mlflowEntry(synth.outdir, endpointKey).auth_policy).toMatchSnapshot();
      expect(mlflowEntry(synth.outdir, endpointKey).metadata).toMatchSnapshot();
    });
  };

  return { tempDir, synthWith, file, read, mlflowEntry, appsEntry, snapshotTests };
}

/** A stack report file with its grant rows and commands spelled out (`dba-report`'s reading of any format). */
export function reportRows(data: unknown): unknown {
  const view = readReport(data);
  return { ...(data as Record<string, unknown>), grants: view.grants, requiredActions: view.requiredActions };
}
