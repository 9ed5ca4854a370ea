import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

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

  return { tempDir, synthWith, file, read };
}
