import type { Problem } from "../model/problem";
import { mask } from "../model/problem";
import {
  isSecretReference,
  MANUAL_AUTH_VARIABLES,
  SECRET_NAME_PATTERN,
  SECRET_VALUE_PATTERN,
} from "../model/secret-ref";
import { containsToken } from "../model/tokens";
import type { StackRule } from "./rule";
import { environmentEntries, environmentTargets } from "./stack-model";

/**
 * DBA-SEC-001: a credential where Terraform would keep it (plan output, state, reports, messages).
 * The value is never printed.
 *
 * This module is the rule's one home. Its check here covers the environment maps at synth (the only
 * place a credential is reported with its variable's name and the `secrets` fix). Credentials anywhere
 * else in a construct's props are found at construction, by `parseProps`, with
 * {@link credentialInPropsProblem}: they are props errors (an `AgentConfigError` thrown by the constructor
 * with every malformed prop at once), they read props the stack model does not hold, and moving them to
 * synth would change when and how they are told.
 */
export const literalSecret: StackRule = {
  id: "DBA-SEC-001",
  severity: "error",
  acknowledgeable: false,
  title: "A secret-looking environment variable has a literal value (it lands in plan output and state).",
  fix: "Move it to `secrets` as SecretRef.of(scope, key).",
  reads: "stack",
  check: (m) =>
    environmentTargets(m).flatMap((e) =>
      environmentEntries(e)
        .filter(
          ({ name: k, value: v }) =>
            !containsToken(v) &&
            !isSecretReference(v) &&
            (SECRET_NAME_PATTERN.test(k) || SECRET_VALUE_PATTERN.test(v.trim())),
        )
        .map(({ prop, name: k, value: v }) => ({
          path: e.path,
          prop,
          message: `${k} looks like a secret but has a literal value: it would appear in the plan output and the Terraform state`,
          received: mask(v),
          allowed: "a secret reference: secrets: { " + k + ": SecretRef.of(scope, key) }",
          fix: `store the value in a Databricks secret scope and move ${k} to \`secrets\``,
        }))
        .sort((a, b) => (a.prop < b.prop ? -1 : 1)),
    ),
};

/**
 * DBA-SEC-001 at construction: a credential-looking key or value anywhere in a construct's props
 * outside `secrets` and the environment maps (those are checked at synth, with the variable's name).
 */
export function credentialInPropsProblem(path: string, prop: string): Problem {
  return {
    ruleId: literalSecret.id,
    path,
    prop,
    message:
      "holds something that looks like a credential; it would land in plan output, state, reports or messages",
    received: "<redacted>",
    allowed: "no credentials outside `secrets`",
    fix: "remove it; pass secrets as `secrets: { NAME: SecretRef.of(scope, key) }`",
  };
}

/** DBA-SEC-002: manual-auth variables that disable passthrough. */
export const manualAuthVariables: StackRule = {
  id: "DBA-SEC-002",
  severity: "error",
  acknowledgeable: true,
  title:
    "Manual-auth variables (DATABRICKS_TOKEN, DATABRICKS_CLIENT_SECRET, ...) disable automatic passthrough for every declared resource.",
  fix: "Remove them, or acknowledge that the agent authenticates manually and grant that identity access yourself.",
  reads: "stack",
  check: (m) =>
    environmentTargets(m)
      .filter((e) => e.hasSystemDependencies)
      .flatMap((e) => {
        const set = [...new Set([...environmentEntries(e).map((x) => x.name), ...e.secretNames])]
          .filter((k) => MANUAL_AUTH_VARIABLES.includes(k))
          .sort();
        if (set.length === 0) return [];
        return [
          {
            path: e.path,
            prop: "environment/secrets",
            message: `${set.join(", ")} switch the Databricks SDK to manual authentication, which overrides the passthrough credentials for every resource the policy declares`,
            received: set.join(", "),
            allowed: "no manual-auth variables when resources are declared for passthrough",
            fix: "remove them, or acknowledge DBA-SEC-002 on the endpoint and grant the manual identity access to every declared resource",
          },
        ];
      }),
};
