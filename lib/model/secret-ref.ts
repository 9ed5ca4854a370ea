const SECRET_PART = /^[A-Za-z0-9_.-]{1,128}$/;
const SECRET_REFERENCE = /^\{\{secrets\/([A-Za-z0-9_.-]{1,128})\/([A-Za-z0-9_.-]{1,128})\}\}$/;

/**
 * A reference to a Databricks secret, rendered as `{{secrets/<scope>/<key>}}`. Model Serving resolves
 * it when the endpoint starts; Terraform, the plan and the state only ever see the reference. The
 * endpoint's creator needs READ on the scope.
 */
export class SecretRef {
  /** Reference `key` in secret scope `scope`. */
  static of(scope: string, key: string): SecretRef {
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
