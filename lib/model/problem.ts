import { maskCredentials } from "./credentials";

/**
 * A problem found in what the user declared. Every problem says where (construct path and prop),
 * what was received, what is allowed and how to fix it.
 */
export interface Problem {
  /** Stable rule id from the catalog, e.g. `DBA-CFG-001`. */
  readonly ruleId: string;
  /** Construct path, e.g. `HealthMonitor/CostGenie`. */
  readonly path: string;
  /** The prop, e.g. `tables[2]`. */
  readonly prop?: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** The value received, already masked when it may be secret. */
  readonly received?: string;
  /** What is allowed. */
  readonly allowed?: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Render a value for an error message: short, single-line, never more than 80 characters. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  text = maskCredentials(text);
  if (text.length <= 80) return text;
  // Never cut a Terraform reference in two: the message resolves it to its expression later.
  let cut = 77;
  for (const m of text.matchAll(/[$#]\{TfToken\[[^\]]*\]\}/g))
    if (m.index < cut && m.index + m[0].length > cut) cut = m.index;
  return `${text.slice(0, cut)}...`;
}

/** Mask a possibly secret value: keep nothing of it but its length. */
export function mask(value: unknown): string {
  return typeof value === "string" ? `<redacted, ${value.length} characters>` : "<redacted>";
}

/**
 * A problem with every credential masked in every field (the path and prop too: a credential used as
 * a record key or in a construct id is never printed). Applied to every props error and every finding.
 */
export function maskProblem<P extends Problem | Omit<Problem, "ruleId">>(p: P): P {
  return maskedCopy(p) ?? { ...p };
}

/**
 * `p` with every credential masked, or undefined when it holds none (almost every problem): the rules'
 * findings are masked by it without a copy each.
 */
export function maskedCopy<P extends object>(p: P): P | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== "string") continue;
    const masked = maskCredentials(v);
    if (masked !== v) (out ??= { ...p } as Record<string, unknown>)[k] = masked;
  }
  return out as P | undefined;
}

/** One problem as a readable block (credentials masked). */
export function formatProblem(problem: Problem): string {
  const p = maskProblem(problem);
  const where = p.prop ? `${p.path} (prop ${p.prop})` : p.path;
  const lines = [`[${p.ruleId}] ${where}: ${p.message}`];
  if (p.received !== undefined) lines.push(`    received: ${p.received}`);
  if (p.allowed !== undefined) lines.push(`    allowed:  ${p.allowed}`);
  lines.push(`    fix:      ${p.fix}`);
  return lines.join("\n");
}

/** Thrown when a construct's props are malformed; lists every problem at once. */
export class AgentConfigError extends Error {
  /** The problems, credentials masked in every field. */
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the declared props:\n` +
        problems.map(formatProblem).join("\n"),
    );
    this.problems = problems.map(maskProblem);
    this.name = "AgentConfigError";
  }
}
