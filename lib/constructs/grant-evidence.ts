// What the grant rules need to know about the construct tree beyond the plan: escape-hatch grant
// resources and principals that are references to the stack's own endpoints.
import type { IConstruct } from "constructs";
import { DatabricksGrant, DatabricksGrants, DatabricksPermissions, resolve, TerraformStack } from "../engine";
import { foreignSecurableKey } from "../grants/foreign";
import type { GrantRequest } from "../grants/grant-request";
import { containsToken } from "../model/tokens";
import type { ForeignGrant } from "../rules/grant-model";
import type { IAgentTarget } from "./target";

/** Grant-like resources in the stack that the plan did not create (escape hatches). */
export function foreignGrants(
  context: IConstruct,
  created: ReadonlySet<IConstruct>,
  owned: ReadonlyMap<string, IAgentTarget>,
): ForeignGrant[] {
  const foreign = TerraformStack.of(context)
    .node.findAll()
    .filter(
      (n): n is DatabricksGrant | DatabricksGrants | DatabricksPermissions =>
        (n instanceof DatabricksGrant ||
          n instanceof DatabricksGrants ||
          n instanceof DatabricksPermissions) &&
        !created.has(n),
    );
  if (foreign.length === 0) return [];
  const ownedIds = new Map(
    [...owned.entries()].map(([key, e]) => [resolve(context, e.ownedAcl().id) as string, key] as const),
  );
  return foreign.map((r) => {
    const type = r.terraformResourceType as ForeignGrant["kind"];
    const config =
      Object.values(
        (
          resolve(context, r.toTerraform()) as {
            resource: Record<string, Record<string, Record<string, unknown>>>;
          }
        ).resource[type] ?? {},
      )[0] ?? {};
    return {
      kind: type,
      securableKey: foreignSecurableKey(config, ownedIds),
      principal: typeof config.principal === "string" ? config.principal : undefined,
      path: r.node.path,
    };
  });
}

/**
 * The distinct principal names of `requests` that are references, each with its expression: resolved
 * once (an app's service principal is in every grant the app has), read by both name sets below.
 */
export function referencePrincipals(
  context: IConstruct,
  requests: readonly GrantRequest[],
): ReadonlyMap<string, string> {
  const names = new Set<string>();
  for (const r of requests) if (containsToken(r.principal.name)) names.add(r.principal.name);
  return new Map([...names].map((name) => [name, String(resolve(context, name))] as const));
}

/** The reference principal names whose expression matches `pattern`. */
function namesMatching(references: ReadonlyMap<string, string>, pattern: RegExp): Set<string> {
  const names = new Set<string>();
  for (const [name, expression] of references) if (pattern.test(expression)) names.add(name);
  return names;
}

/** Principal names that are references to an endpoint of this stack (its hidden service principal). */
export function hiddenPrincipalNames(references: ReadonlyMap<string, string>): Set<string> {
  return namesMatching(references, /databricks_model_serving\./);
}

/** Principal names that are references to an app's service principal (of this stack or another). */
export function targetIdentityNames(references: ReadonlyMap<string, string>): Set<string> {
  return namesMatching(references, /databricks_app\.[^.]+\.service_principal_/);
}
