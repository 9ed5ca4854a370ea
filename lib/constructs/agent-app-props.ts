// The props of AgentApp, their schema and their help: one module, checked against each other.
import { z } from "zod";
import type { Principal } from "../model/principal";
import { nonEmpty, type HelpFor, type SameKeys } from "../model/schemas";
import type { SecretRef } from "../model/secret-ref";
import { containsToken } from "../model/tokens";
import type { AgentAuthPolicy } from "./agent-auth-policy";
import { envName, TARGET_SHARED_HELP, TARGET_SHARED_SHAPE } from "./target-props";

/** Props of an {@link AgentApp}. */
export interface AgentAppProps {
  /**
   * App name: 2 to 30 lower-case letters, digits and '-' (DBA-APP-007). Changing it replaces the app,
   * and with it its service principal and every grant to it.
   */
  readonly name: string;
  /**
   * Description shown in the Apps UI.
   * @default - none
   */
  readonly description?: string;
  /**
   * The agent's dependencies (the same policy an AgentServingEndpoint takes). What it declares for
   * passthrough (`system`) is reached with the app's own identity: app resources where `databricks_app`
   * can express them, the grant plan for the rest. What it declares on behalf of the user gives the
   * app's `user_api_scopes` and the consumers' own access.
   * @default - no dependencies
   */
  readonly authPolicy?: AgentAuthPolicy;
  /**
   * Apps scopes written by hand, checked against the on-behalf-of-user dependencies (missing, unused,
   * unknown, deprecated, rejected on Apps, Model Serving only).
   * @default - derived, minimal, from the policy's on-behalf-of-user dependencies
   */
  readonly userApiScopes?: readonly string[];
  /**
   * Express UC tables, functions and connections the app's identity reaches as `uc_securable` app
   * resources, and Lakebase Autoscaling projects given a branch as `postgres` app resources (Databricks
   * grants them when the app is updated), instead of through the grant plan. Needs
   * a provider that has them (1.128 or later: the cdktn flavour); on an older one synth fails (DBA-APP-010).
   * @default false - the grant plan, the same Terraform on every supported provider
   */
  readonly nativeUcResources?: boolean;
  /**
   * Escape hatch: Apps scopes the library does not know yet, accepted as canonical.
   * @default []
   */
  readonly additionalUserApiScopes?: readonly string[];
  /**
   * Plain environment variables for the app's code, written to the `app.yaml` handoff (not to
   * Terraform). Literal values only; secret-looking names or values fail synth (DBA-SEC-001).
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secret variables: each becomes an app resource `secret` (READ for the app's identity) and an
   * `app.yaml` entry with `valueFrom` its key.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, SecretRef>>;
  /**
   * The application-level flag set to "true" when the policy uses on-behalf-of-user (the same flag the
   * endpoint sets); `false` sets none.
   * @default "DATABRICKS_USE_IDENTITY_PASSTHROUGH"
   */
  readonly oboFlagEnvVar?: string | false;
  /**
   * `prevent_destroy`: a replacement or destroy fails the plan instead of deleting the app, its
   * service principal and every grant to it.
   * @default true
   */
  readonly protect?: boolean;
  /**
   * Who may use the app: CAN_USE on it, plus their own access to every dependency the policy reaches
   * on their behalf.
   * @default []
   */
  readonly consumers?: readonly Principal[];
  /**
   * Who may manage the app (CAN_MANAGE).
   * @default []
   */
  readonly managers?: readonly Principal[];
  /**
   * The identity that runs `cdktf deploy` (and so creates the app). Never listed below CAN_MANAGE on
   * the app's ACL.
   * @default - not known to the stack
   */
  readonly deployer?: Principal;
}

const scope = z.string().regex(/^[A-Za-z][A-Za-z0-9._:-]{0,127}$/, { error: "is not a scope name" });

/** Schema of `AgentAppProps`. */
export const agentAppSchema = z.strictObject({
  name: nonEmpty,
  description: z.string().max(1000).optional(),
  userApiScopes: z.array(scope).max(100).optional(),
  additionalUserApiScopes: z.array(scope).max(100).optional(),
  nativeUcResources: z.boolean().optional(),
  environment: z
    .record(
      envName,
      z.string().refine((v) => !containsToken(v), {
        error: "is a Terraform reference; app.yaml is written at synth and needs a literal value",
      }),
    )
    .optional(),
  ...TARGET_SHARED_SHAPE,
});

/** Help for the app's props. */
export const AGENT_APP_HELP: HelpFor<AgentAppProps> = {
  name: {
    allowed: "2 to 30 lower-case letters, digits and '-'",
    fix: 'use a name such as "health-monitor"',
  },
  description: { allowed: "at most 1000 characters", fix: "shorten the description" },
  userApiScopes: {
    allowed: "Apps scope names such as genie, sql, model-serving (see the README's scope table)",
    fix: "omit userApiScopes to derive the minimal set",
  },
  nativeUcResources: {
    allowed: "true or false",
    fix: "leave it off on provider 1.99 (cdktf); the grant plan gives the same access",
  },
  additionalUserApiScopes: {
    allowed: "scope names Databricks Apps accept that the library does not know yet",
    fix: "list only genuinely new Apps scopes",
  },
  environment: {
    allowed: "a map of variable names ([A-Za-z_][A-Za-z0-9_]*) to plain, literal, non-secret strings",
    fix: "put secrets in `secrets` as SecretRef.of(scope, key)",
  },
  ...TARGET_SHARED_HELP,
};

const KEYS_MATCH: SameKeys<z.infer<typeof agentAppSchema>, AgentAppProps> = true;
void KEYS_MATCH;
