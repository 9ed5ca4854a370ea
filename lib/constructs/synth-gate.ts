import * as fs from "fs";
import * as path from "path";
import type { IConstruct } from "constructs";
import { App, TerraformStack, type ISynthesisSession } from "../engine";
import { formatProblem } from "../model/problem";
import type { Finding } from "../rules/evaluate";

/*
 * All or nothing across the stacks of an app. The engine synthesizes stack after stack and validates
 * each one just before writing it, so a failure in one stack used to leave the files of every stack
 * declared before it (and of a previous synth) looking current. The first agent stack's synthesizer
 * calls gateSynthesis before anything is written: it validates every stack of the app (every
 * validation, as the engine's runAllValidations does, and the agent rules even under skipValidation)
 * and, on failure, removes the outputs of the app's stacks and the manifest and throws one error that
 * lists every problem of every stack, grouped by stack.
 */

/** What the gate needs from a stack's agent context. */
export interface GateSource {
  /** Run the library's own synthesis step (grant realisation) before the rules are evaluated. */
  prepare(): void;
  /** Blocking findings, Terraform references shown as their expressions. */
  blockingFindings(): readonly Finding[];
}

const SOURCES = new WeakMap<IConstruct, GateSource>();
const GATED = new WeakSet<ISynthesisSession>();

/** @internal Make a stack's agent context known to the gate. */
export function registerGateSource(stack: TerraformStack, source: GateSource): void {
  SOURCES.set(stack, source);
}

/** The blocking problems of one stack, each as printed (`[construct path] message`). */
export interface StackProblems {
  /** The stack's id (`app` for validations of the app itself). */
  readonly stack: string;
  /** Each problem: `[path] [rule id] ...` with received, allowed and fix on the following lines. */
  readonly problems: readonly string[];
}

/**
 * Thrown by `app.synth()` (and {@link AgentTesting.synth}) when a stack of the app has a blocking
 * problem: lists every problem of every stack, grouped by stack. Nothing was written.
 */
export class AgentSynthError extends Error {
  /** Every stack with a blocking problem, in declaration order. */
  declare readonly failures: readonly StackProblems[];

  constructor(failures: readonly StackProblems[], notes: readonly string[] = [], removed = false) {
    const count = failures.reduce((n, f) => n + f.problems.length, 0);
    super(
      [
        // The engine's first line, kept so tools that recognise a validation failure still do.
        "Validation failed with the following errors:",
        ...notes,
        ...failures.flatMap((f) => [
          `stack ${f.stack}: ${f.problems.length} blocking problem${f.problems.length === 1 ? "" : "s"}`,
          ...f.problems.map((p) => `  ${p}`),
        ]),
        `${count} blocking problem${count === 1 ? "" : "s"} in ${failures.length} stack${failures.length === 1 ? "" : "s"}; nothing was written` +
          (removed
            ? " (the outputs a previous synth left for this app's stacks, and manifest.json, were removed)."
            : "."),
      ].join("\n"),
    );
    Object.defineProperty(this, "failures", { value: failures, enumerable: false });
    // The findings are the message: no stack trace (it would point into the engine, not at the cause).
    Object.defineProperty(this, "stack", { value: `${this.name}: ${this.message}`, writable: true });
  }
}
AgentSynthError.prototype.name = "AgentSynthError";

/** The app when `session` is its `app.synth()` (not e.g. `Testing.fullSynth` of one stack). */
function appOf(stack: TerraformStack, session: ISynthesisSession): App | undefined {
  const root = stack.node.root;
  return App.isApp(root) && root.manifest === session.manifest ? root : undefined;
}

function stacksOf(app: App): TerraformStack[] {
  return app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

/** The stacks one synthesis session writes: every stack of the app under `app.synth()`, else the one. */
function sessionStacks(stack: TerraformStack, session: ISynthesisSession): TerraformStack[] {
  const app = appOf(stack, session);
  return app ? stacksOf(app) : [stack];
}

/** Every validation of every construct of `stack`, as the engine's runAllValidations formats them. */
function validationsOf(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.validate().map((m) => `[${c.node.path}] ${m}`));
}

/** The blocking problems of `stacks`: every validation, or only the agent rules when validations are skipped. */
export function problemsOf(stacks: readonly TerraformStack[], skipValidation: boolean): StackProblems[] {
  for (const s of stacks) SOURCES.get(s)?.prepare();
  return stacks
    .map((s) => ({
      stack: s.node.id,
      problems: skipValidation
        ? (SOURCES.get(s)?.blockingFindings() ?? []).map((f) => `[${s.node.path}] ${formatProblem(f)}`)
        : validationsOf(s),
    }))
    .filter((f) => f.problems.length > 0);
}

/**
 * Remove what a previous synth of the session's stacks left (each stack's directory under
 * `<outdir>/stacks/` and the manifest), so that no stack looks current after a failed synth.
 */
export function discardOutputs(stack: TerraformStack, session: ISynthesisSession): void {
  const app = appOf(stack, session);
  if (app) discardAppOutputs(app);
}

function discardAppOutputs(app: App): void {
  const stacksRoot = path.resolve(app.outdir, "stacks");
  for (const s of stacksOf(app)) {
    const dir = path.resolve(app.outdir, app.manifest.forStack(s).workingDirectory);
    if (dir.startsWith(stacksRoot + path.sep)) fs.rmSync(dir, { recursive: true, force: true });
  }
  // Manifest.fileName in both engines: the CLI reads the stacks from it.
  fs.rmSync(path.join(app.outdir, "manifest.json"), { force: true });
}

const GUARDED = new WeakSet<IConstruct>();

/**
 * Make `app.synth()` all or nothing for what the gate cannot see before the stacks are written (an
 * aspect's error, an error annotation, a stack without agents failing after the agent stacks were
 * written): any error it throws first removes the outputs of the app's stacks and the manifest.
 * Once per app; the app's own `synth` (a subclass's too) still runs.
 */
export function guardAppSynth(scope: IConstruct): void {
  const app = scope.node.root;
  if (!App.isApp(app) || GUARDED.has(app)) return;
  GUARDED.add(app);
  const synth = app.synth.bind(app);
  Object.defineProperty(app, "synth", {
    configurable: true,
    writable: true,
    value: (): void => {
      try {
        synth();
      } catch (e) {
        discardAppOutputs(app);
        throw e;
      }
    },
  });
}

/**
 * Called by each agent stack's synthesizer before it writes anything; validates the whole app once
 * per synthesis. Throws {@link AgentSynthError} (after removing stale outputs) on any blocking problem.
 */
export function gateSynthesis(stack: TerraformStack, session: ISynthesisSession): void {
  if (GATED.has(session)) return;
  GATED.add(session);
  const skip = session.skipValidation === true;
  let failures: StackProblems[];
  try {
    failures = problemsOf(sessionStacks(stack, session), skip);
    const app = appOf(stack, session);
    // App.synth validates the app itself after the stacks: here, before any stack is written.
    if (!skip && app) {
      const own = app.node.validate();
      if (own.length > 0) failures.push({ stack: "app", problems: own.map((m) => `[app] ${m}`) });
    }
  } catch (e) {
    discardOutputs(stack, session);
    throw e;
  }
  if (failures.length === 0) return;
  discardOutputs(stack, session);
  const notes = skip
    ? [
        "(validations were skipped (skipValidation), which does not switch off the agent rules: fix or acknowledge each finding)",
      ]
    : [];
  throw printedWhenUncaught(new AgentSynthError(failures, notes, appOf(stack, session) !== undefined));
}

let printerInstalled = false;

/**
 * Outside a test runner, an AgentSynthError nobody catches (`node main.js`, `cdktf synth`) prints its
 * message once, without a stack trace, and exits with 1. Inside jest, or when the app already handles
 * uncaught exceptions, the error is only thrown.
 */
export function printedWhenUncaught<E extends Error>(error: E): E {
  if (printerInstalled || process.env.JEST_WORKER_ID !== undefined) return error;
  if (process.listenerCount("uncaughtException") > 0) return error;
  printerInstalled = true;
  const printer = (err: unknown): void => {
    if (err instanceof AgentSynthError) {
      fs.writeSync(2, `${err.message}\n`);
      process.exit(1);
    }
    // Any other error: leave it to the app's own handlers, or fail as Node.js does without a handler.
    process.removeListener("uncaughtException", printer);
    if (process.listenerCount("uncaughtException") > 0) return;
    fs.writeSync(2, `${err instanceof Error ? (err.stack ?? String(err)) : String(err)}\n`);
    process.exit(1);
  };
  process.on("uncaughtException", printer);
  return error;
}
