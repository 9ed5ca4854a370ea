// The props every agent target (AgentServingEndpoint, AgentApp) shares: their schema fragments and
// their help, stated once and spread into each target's props module.
import { z } from "zod";
import { AUTH_POLICY_BRAND, principal, type PropHelp } from "../model/schemas";
import { SecretRef } from "../model/secret-ref";

/** Environment variable names both targets accept. */
export const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, { error: "is not an environment variable name" });

/** The schema of the props both targets share, with the same meaning. */
export const TARGET_SHARED_SHAPE = {
  authPolicy: z
    .custom(
      (v) =>
        typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[AUTH_POLICY_BRAND] === true,
      { error: "is not an AgentAuthPolicy" },
    )
    .optional(),
  secrets: z
    .record(
      envName,
      z
        .custom<SecretRef>((v) => v instanceof SecretRef, {
          error: "is not a SecretRef (use SecretRef.of(scope, key))",
        })
        .refine((v) => v.problem() === undefined, {
          error:
            "is not a usable secret reference: its scope or key is not 1-128 letters, digits, '.', '-' or '_'",
        }),
    )
    .optional(),
  oboFlagEnvVar: z.union([z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/), z.literal(false)]).optional(),
  protect: z.boolean().optional(),
  consumers: z.array(principal).max(10000).optional(),
  managers: z.array(principal).max(1000).optional(),
  deployer: principal.optional(),
};

/** Help for the props both targets share. */
export const TARGET_SHARED_HELP: Readonly<Record<keyof typeof TARGET_SHARED_SHAPE, PropHelp>> = {
  authPolicy: {
    allowed: "an AgentAuthPolicy construct",
    fix: "pass the policy that declares the agent's dependencies",
  },
  secrets: {
    allowed: "a map of variable names to SecretRef.of(scope, key)",
    fix: "reference a Databricks secret",
  },
  oboFlagEnvVar: {
    allowed: "an environment variable name, or false to set none",
    fix: "name the flag your agent reads",
  },
  protect: { allowed: "true or false", fix: "set protect explicitly" },
  consumers: {
    allowed: "an array of Principal.user/group/servicePrincipal",
    fix: "build principals with Principal.*",
  },
  managers: {
    allowed: "an array of Principal.user/group/servicePrincipal",
    fix: "build principals with Principal.*",
  },
  deployer: { allowed: "a Principal", fix: "give the identity that runs cdktf deploy" },
};

/** A record with its keys in code-point order: the environment maps both targets emit are deterministic. */
export const sortedRecord = <T>(r: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A map with its keys in code-point order (its iteration order), as {@link sortedRecord} orders a record's. */
export const sortedMap = <T>(m: ReadonlyMap<string, T>): Map<string, T> =>
  new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
