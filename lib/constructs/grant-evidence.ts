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

/** Principal names that are references to an endpoint of this stack (its hidden service principal). */
export function hiddenPrincipalNames(context: IConstruct, requests: readonly GrantRequest[]): Set<string> {
  return new Set(
    requests
      .map((r) => r.principal.name)
      .filter(
        (name) => containsToken(name) && /databricks_model_serving\./.test(String(resolve(context, name))),
      ),
  );
}

/** Principal names that are references to an app's service principal (of this stack or another). */
export function targetIdentityNames(context: IConstruct, requests: readonly GrantRequest[]): Set<string> {
  return new Set(
    requests
      .map((r) => r.principal.name)
      .filter(
        (name) =>
          containsToken(name) &&
          /databricks_app\.[^.]+\.service_principal_/.test(String(resolve(context, name))),
      ),
  );
}
