import { credentialInPropsProblem } from "./credential-problems";
import { containsCredential } from "./credentials";
import { AgentConfigError, show } from "./problem";
import { nameCharacterProblem } from "./name-characters";
import { containsToken } from "./tokens";

function requireString(value: unknown, factory: string, what: string): asserts value is string {
  if (typeof value !== "string")
    throw new AgentConfigError([
      {
        ruleId: "DBA-CFG-001",
        path: factory,
        message: "expects a string",
        received: show(value),
        allowed: what,
        fix: `pass ${what} as a string`,
      },
    ]);
}

/** Refuse invisible and lookalike characters (lib/model/name-characters.ts) when the principal is built. */
function requireVisible(name: string, factory: string, what: string): void {
  // A credential as a principal name would be written into grants, ACLs, the report and messages.
  if (containsCredential(name)) throw new AgentConfigError([credentialInPropsProblem(factory, "name")]);
  const problem = containsToken(name) ? undefined : nameCharacterProblem(name, { what });
  if (problem !== undefined)
    throw new AgentConfigError([
      {
        ruleId: "DBA-CFG-001",
        path: factory,
        message: `${what} ${problem.message}`,
        received: show(name),
        allowed: problem.allowed,
        fix: problem.fix,
      },
    ]);
}

/** The three kinds of Databricks principal that can be granted access. */
export type PrincipalKind = "user" | "group" | "servicePrincipal";

/**
 * A Databricks principal as Unity Catalog and workspace ACLs name it: a user's email (lower-cased,
 * because UC matches principals case-sensitively and mixed-case emails drift forever in ACLs), a
 * group's exact display name, or a service principal's application id.
 */
export class Principal {
  /** A user, by email. The email is lower-cased. */
  static user(email: string): Principal {
    requireString(email, "Principal.user", "the user's email address");
    const name = containsToken(email) ? email : email.trim().toLowerCase();
    requireVisible(name, "Principal.user", "the user's email address");
    return new Principal("user", name);
  }

  /**
   * A group, by its exact display name. Case matters: Unity Catalog grants and workspace ACLs find a
   * group by its exact name (a wrong case fails with "Could not find principal"), so the name is kept
   * as given and `Finops` and `finops` are two principals.
   */
  static group(name: string): Principal {
    requireString(name, "Principal.group", "the group's display name");
    requireVisible(name, "Principal.group", "the group's display name");
    return new Principal("group", name);
  }

  /** A service principal, by application id (a UUID). */
  static servicePrincipal(applicationId: string): Principal {
    requireString(applicationId, "Principal.servicePrincipal", "the service principal's application id");
    const name = containsToken(applicationId) ? applicationId : applicationId.trim().toLowerCase();
    requireVisible(name, "Principal.servicePrincipal", "the service principal's application id");
    return new Principal("servicePrincipal", name);
  }

  private constructor(
    /** The kind of principal. */
    public readonly kind: PrincipalKind,
    /** The name UC grants and workspace ACLs use. */
    public readonly name: string,
  ) {
    this.#key = `${kind}:${name}`;
  }

  /**
   * Spelled once: every grant request, plan entry and rule reads it, and a principal is shared by
   * thousands of them. A private field, so the principal's own properties (and how it prints) stay
   * `kind` and `name`.
   */
  readonly #key: string;

  /** A stable key, unique across kinds: `group:finops`. */
  get key(): string {
    return this.#key;
  }

  /** Human-readable form for messages and reports. */
  toString(): string {
    return this.key;
  }
}

/** True for a value built by one of `Principal`'s factories. */
export function isPrincipal(value: unknown): value is Principal {
  return value instanceof Principal;
}

/** Groups whose every member is a workspace user: granting to them is rarely least privilege. */
export const BROAD_GROUPS: readonly string[] = ["users", "account users", "all users"];

/** Checks a principal's name; returns a reason when it is unusable, undefined when fine. */
export function principalNameProblem(p: Principal): string | undefined {
  if (containsToken(p.name)) return undefined;
  if (p.name.length === 0) return "is empty";
  const characters = nameCharacterProblem(p.name);
  if (characters !== undefined) return `${characters.message}; ${characters.fix}`;
  if (p.name.length > 255) return "is longer than 255 characters";
  if (/[\u0000-\u001f\u007f]/.test(p.name)) return "contains a control character (newline, tab, ...)";
  if (/\$\{|%\{/.test(p.name)) return "contains a Terraform template sequence (`${` or `%{`)";
  if (p.kind === "user" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.name)) return "is not an email address";
  if (
    p.kind === "servicePrincipal" &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(p.name)
  )
    return "is not a service principal application id (a UUID)";
  return undefined;
}
