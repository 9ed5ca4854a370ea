import { containsCredential } from "./credentials";
import { AgentConfigError, mask, type Problem } from "./problem";
import { malformedProp } from "../rules/construction-rules";

/** What a message shows of a scope or key it refuses: its type or length, nothing of its text. */
const received = (v: unknown): string => (v === null ? "null" : typeof v === "string" ? mask(v) : typeof v);

const SECRET_PART = /^[A-Za-z0-9_.-]{1,128}$/;
const SECRET_REFERENCE = /^\{\{secrets\/([A-Za-z0-9_.-]{1,128})\/([A-Za-z0-9_.-]{1,128})\}\}$/;

/**
 * A reference to a Databricks secret, rendered as `{{secrets/<scope>/<key>}}`. Model Serving resolves
 * it when the endpoint starts; Terraform, the plan and the state only ever see the reference. The
 * endpoint's creator needs READ on the scope.
 */
export class SecretRef {
  /**
   * Reference `key` in secret scope `scope`. Throws an AgentConfigError when either is not 1-128
   * letters, digits, '.', '-' or '_' (DBA-CFG-001: a `null` would otherwise become
   * `{{secrets/null/null}}`), or is itself a credential (DBA-SEC-001: the secret's value passed as its
   * name would be written into the plan and the state). The value received is never printed.
   */
  static of(scope: string, key: string): SecretRef {
    const problems = (
      [
        ["scope", scope],
        ["key", key],
      ] as const
    ).flatMap(([what, v]): Problem[] => {
      const where = { path: "SecretRef.of", prop: what, received: received(v) };
      const listed = `\`databricks secrets ${what === "scope" ? "list-scopes" : "list-secrets <scope>"}\``;
      if (typeof v !== "string" || !SECRET_PART.test(v))
        return [
          {
            ruleId: malformedProp.id,
            ...where,
            message: `the secret ${what} is not a valid name`,
            allowed: "a string of 1-128 letters, digits, '.', '-' or '_'",
            fix: `pass the ${what} as ${listed} lists it`,
          },
        ];
      if (containsCredential(v))
        return [
          {
            ruleId: "DBA-SEC-001",
            ...where,
            message: `the secret ${what} looks like a credential: the reference, with it, lands in plan output and state`,
            allowed: "the name of a secret scope or key, never the secret's value",
            fix: `store the value in a secret scope and pass the ${what}'s name as ${listed} lists it`,
          },
        ];
      return [];
    });
    if (problems.length > 0) throw new AgentConfigError(problems);
    return new SecretRef(scope, key);
  }

  /** Parse an existing `{{secrets/scope/key}}` string; undefined when it is not one. */
  static parse(reference: string): SecretRef | undefined {
    const m = SECRET_REFERENCE.exec(reference);
    return m ? new SecretRef(m[1]!, m[2]!) : undefined;
  }

  private constructor(
    /** The secret scope. */
    public readonly scope: string,
    /** The key within the scope. */
    public readonly key: string,
  ) {}

  /** The `{{secrets/scope/key}}` form Model Serving resolves. */
  toString(): string {
    return `{{secrets/${this.scope}/${this.key}}}`;
  }

  /**
   * What `JSON.stringify` shows: the reference without its scope and key, so a SecretRef passed where
   * a plain value is expected is never echoed in a message, a report or an output file.
   */
  toJSON(): string {
    return "<SecretRef>";
  }

  /** Why the scope or key is unusable, or undefined. */
  problem(): string | undefined {
    if (!SECRET_PART.test(this.scope)) return "its scope is not 1-128 letters, digits, '.', '-' or '_'";
    if (!SECRET_PART.test(this.key)) return "its key is not 1-128 letters, digits, '.', '-' or '_'";
    return undefined;
  }
}

/** True when a string is a `{{secrets/scope/key}}` reference. */
export function isSecretReference(value: string): boolean {
  return SECRET_REFERENCE.test(value);
}

/** Environment variable names that usually carry secrets. */
export const SECRET_NAME_PATTERN =
  /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;

/**
 * Variables that switch the Databricks SDK to manual authentication; setting them overrides the
 * credentials automatic passthrough injects, for every declared resource.
 */
export const MANUAL_AUTH_VARIABLES: readonly string[] = [
  "DATABRICKS_CLIENT_ID",
  "DATABRICKS_CLIENT_SECRET",
  "DATABRICKS_TOKEN",
  "DATABRICKS_USERNAME",
  "DATABRICKS_PASSWORD",
];
