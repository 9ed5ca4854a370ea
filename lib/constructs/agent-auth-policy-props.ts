// The props of AgentAuthPolicy, their schema and their help: one module, checked against each other.
import { z } from "zod";
import type { IAgentDependency } from "../model/dependency";
import { CALLER_IDENTITY_ACCESS_PATHS, type CallerIdentityRead } from "../model/scopes";
import { dependency, type HelpFor, type SameKeys } from "../model/schemas";

/** Props of an {@link AgentAuthPolicy}. */
export interface AgentAuthPolicyProps {
  /**
   * Dependencies reached with automatic authentication passthrough: Databricks checks the deployer's
   * access when the endpoint is created and gives the endpoint's service principal short-lived
   * credentials for them (MLflow `SystemAuthPolicy.resources`).
   * @default []
   */
  readonly system?: readonly IAgentDependency[];
  /**
   * Dependencies reached on behalf of the calling user (MLflow `UserAuthPolicy.api_scopes`). Each
   * consumer then needs their own access to them. A dependency in both lists falls back to the
   * service principal outside Model Serving (rule DBA-AUTH-001, a warning to acknowledge).
   * @default []
   */
  readonly onBehalfOfUser?: readonly IAgentDependency[];
  /**
   * What the agent reads about its caller on behalf of the user: `"current-user"` when it calls
   * `current_user.me()` on the user client (scope `iam.current-user:read`), `"access-control"` when it
   * reads the caller's permissions (scope `iam.access-control:read`). On Model Serving the scopes are
   * derived like a dependency's; on Databricks Apps both are implicit, so nothing is added.
   * @default [] (the agent does not read the caller's identity)
   */
  readonly callerIdentity?: readonly CallerIdentityRead[];
  /**
   * API scopes given by hand. They are checked against what the OBO dependencies need: missing,
   * unused, unknown and Apps-only scopes fail synth.
   * @default - the minimal set derived from `onBehalfOfUser`
   */
  readonly apiScopes?: readonly string[];
  /**
   * Scopes Model Serving accepts that this library does not know yet (escape hatch for new APIs). Each
   * is a declared need: it goes into the derived `api_scopes` and counts as needed when `apiScopes` is
   * given by hand (so it is not reported unused).
   * @default []
   */
  readonly additionalServingScopes?: readonly string[];
  /**
   * The MLflow version the agent is logged with; checked against what the declarations need.
   * @default - not checked; the minimum is reported and written to the MLflow metadata
   */
  readonly mlflowVersion?: string;
}

/** Schema of `AgentAuthPolicyProps`. */
export const authPolicySchema = z.strictObject({
  system: z.array(dependency).max(10000).optional(),
  onBehalfOfUser: z.array(dependency).max(10000).optional(),
  callerIdentity: z
    .array(
      z.enum(Object.keys(CALLER_IDENTITY_ACCESS_PATHS) as [CallerIdentityRead, ...CallerIdentityRead[]], {
        error: "is not a caller-identity read",
      }),
    )
    .max(10)
    .optional(),
  apiScopes: z.array(z.string()).max(200).optional(),
  additionalServingScopes: z
    .array(z.string().regex(/^[a-z][a-z0-9._:-]{0,99}$/, { error: "is not a scope name" }))
    .max(100)
    .optional(),
  mlflowVersion: z
    .string()
    .regex(/^\d+\.\d+(\.\d+)?$/, { error: "is not a version like 2.22.1" })
    .optional(),
});

/** Help for the policy's props. */
export const AUTH_POLICY_HELP: HelpFor<AgentAuthPolicyProps> = {
  system: {
    allowed: "an array of dependencies reached with automatic authentication passthrough",
    fix: "pass GenieResourceBundle instances or references such as ServingEndpoint.fromName(...)",
  },
  onBehalfOfUser: {
    allowed: "an array of dependencies reached on behalf of the calling user",
    fix: "pass GenieResourceBundle instances or references such as SqlWarehouse.fromId(...)",
  },
  callerIdentity: {
    allowed: `a list of ${Object.keys(CALLER_IDENTITY_ACCESS_PATHS)
      .map((k) => `"${k}"`)
      .join(", ")}`,
    fix: 'list "current-user" when the agent calls current_user.me() as the user, "access-control" when it reads their permissions',
  },
  apiScopes: {
    allowed: "scope names Model Serving accepts, e.g. dashboards.genie",
    fix: "omit apiScopes to have the minimal set derived, or list scope strings",
  },
  additionalServingScopes: {
    allowed: "lower-case scope names, e.g. newservice.things",
    fix: "list only scopes Model Serving accepts that this library does not know yet (each goes into api_scopes)",
  },
  mlflowVersion: {
    allowed: "a version such as 2.22.1",
    fix: "give the MLflow version the agent is logged with",
  },
};

const KEYS_MATCH: SameKeys<z.infer<typeof authPolicySchema>, AgentAuthPolicyProps> = true;
void KEYS_MATCH;
