import { containsCredential, maskCredentials } from "../model/credentials";
import { mask } from "../model/problem";
import { isSecretReference, MANUAL_AUTH_VARIABLES, SECRET_NAME_PATTERN } from "../model/secret-ref";
import { containsToken } from "../model/tokens";
import type { StackRule } from "./rule";
import { environmentEntries, environmentTargets } from "./stack-model";
import { LITERAL_SECRET_RULE_ID } from "../model/credential-problems";

export { credentialInPathProblem, credentialInPropsProblem } from "../model/credential-problems";

/**
 * DBA-SEC-001: a credential where Terraform would keep it (plan output, state, reports, messages).
 * The value is never printed.
 *
 * This module is the rule's one home. Its check here covers the environment maps at synth (the only
 * place a credential is reported with its variable's name and the `secrets` fix). Credentials anywhere
 * else in a construct's props are found at construction, by `parseProps`, with
 * {@link credentialInPropsProblem}: they are props errors (an `AgentConfigError` thrown by the constructor
 * with every malformed prop at once), they read props the stack model does not hold, and moving them to
 * synth would change when and how they are told. A construct path holding a credential is refused there
 * too ({@link credentialInPathProblem}). What counts as a credential is decided in one place,
 * lib/model/credentials.ts; the same module masks every problem and finding.
 */
export const literalSecret: StackRule = {
  id: LITERAL_SECRET_RULE_ID,
  severity: "error",
  acknowledgeable: false,
  title:
    "A credential outside `secrets`, or a secret-looking environment variable set from a literal, a Terraform reference or a {{secrets/...}} string (plan output and state keep it).",
  fix: "Move it to `secrets` as SecretRef.of(scope, key).",
  reads: "stack",
  check: (m) =>
    environmentTargets(m).flatMap((e) =>
      environmentEntries(e)
        .flatMap(({ prop, name: k, value: v }) => {
          const finding = environmentFinding(k, v);
          return finding === undefined
            ? []
            : [
                {
                  path: e.path,
                  prop: maskCredentials(prop),
                  received: mask(v),
                  message: finding.message,
                  allowed: "a secret reference: secrets: { " + finding.name + ": SecretRef.of(scope, key) }",
                  fix: finding.fix,
                },
              ];
        })
        .sort((a, b) => (a.prop < b.prop ? -1 : 1)),
    ),
};

/** Why one environment variable breaks DBA-SEC-001 (its name as it may be printed), or undefined. */
function environmentFinding(
  k: string,
  v: string,
): { name: string; message: string; fix: string } | undefined {
  const fix = (name: string) =>
    `store the value in a Databricks secret scope and move ${name} to \`secrets\``;
  if (containsCredential(k))
    return {
      name: "NAME",
      message:
        "a variable name looks like a credential: it would appear in the plan output and the Terraform state",
      fix: "rename the variable; pass the credential as `secrets: { NAME: SecretRef.of(scope, key) }`",
    };
  if (isSecretReference(v.trim()))
    return {
      name: k,
      message: `${k} holds a {{secrets/...}} reference in plain \`environment\`: the deployer's READ grant on its secret scope is never requested, so the endpoint fails to start`,
      fix: `move it to secrets: { ${k}: SecretRef.of(scope, key) }`,
    };
  if (containsCredential(v))
    return {
      name: k,
      message: `${k} looks like a secret but has a literal value: it would appear in the plan output and the Terraform state`,
      fix: fix(k),
    };
  if (!SECRET_NAME_PATTERN.test(k)) return undefined;
  if (containsToken(v))
    return {
      name: k,
      message: `${k} looks like a secret but is set from a Terraform reference: its value would appear in the plan output and the Terraform state`,
      fix: fix(k),
    };
  return {
    name: k,
    message: `${k} looks like a secret but has a literal value: it would appear in the plan output and the Terraform state`,
    fix: fix(k),
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
