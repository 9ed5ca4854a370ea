import { containsCredential, maskCredentials } from "./credentials";
import type { Problem } from "./problem";

/**
 * The problems DBA-SEC-001 reports at construction (a credential in a prop, a principal name or a
 * construct id), here in the model so that schemas and principals build them without importing the
 * rules; the rule object (lib/rules/secret-rules.ts) takes its id from here.
 */
export const LITERAL_SECRET_RULE_ID = "DBA-SEC-001";

/**
 * DBA-SEC-001 at construction: a credential-looking key or value anywhere in a construct's props
 * outside `secrets` and the environment maps (those are checked at synth, with the variable's name).
 */
export function credentialInPropsProblem(path: string, prop: string): Problem {
  return {
    ruleId: LITERAL_SECRET_RULE_ID,
    path: maskCredentials(path),
    prop: maskCredentials(prop),
    message:
      "holds something that looks like a credential; it would land in plan output, state, reports or messages",
    received: "<redacted>",
    allowed: "no credentials outside `secrets`",
    fix: "remove it; pass secrets as `secrets: { NAME: SecretRef.of(scope, key) }`",
  };
}

/**
 * DBA-SEC-001 at construction: a construct id (here or in a parent) that holds a credential. The path
 * is printed masked; the id would otherwise appear in every message, the report and the outputs.
 */
export function credentialInPathProblem(path: string): Problem {
  return {
    ruleId: LITERAL_SECRET_RULE_ID,
    path: path
      .split("/")
      .map((id) =>
        containsCredential(id) || containsCredential(id.replace(/--/g, "/"))
          ? `<redacted id, ${id.length} characters>`
          : id,
      )
      .join("/"),
    message:
      "the construct path holds something that looks like a credential; it would appear in messages, the report, the outputs and the Terraform addresses",
    received: "<redacted>",
    allowed: "construct ids without credentials",
    fix: "rename the construct (and its parents) with a plain id such as SupportAgent",
  };
}
