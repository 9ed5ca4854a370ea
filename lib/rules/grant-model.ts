import type { GrantRequest } from "../grants/grant-request";
import type { PlannedGrant } from "../grants/plan";
import type { Principal } from "../model/principal";

/** A grant-like resource the stack holds that the plan did not create (an escape hatch). */
export interface ForeignGrant {
  readonly kind: "databricks_grant" | "databricks_grants" | "databricks_permissions";
  /**
   * Securable key (`uc:table:a.b.c`, `ws:serving_endpoint:name`), when it could be read.
   * @default - unreadable: the resource is not compared with the plan
   */
  readonly securableKey?: string;
  /**
   * The principal, for a `databricks_grant`.
   * @default - none (the resource lists its principals itself)
   */
  readonly principal?: string;
  readonly path: string;
}

/** An `ownedGrants` declaration as the rules see it: its plan key and how the user wrote it. */
export interface OwnedGrantModel {
  /** The (securable, principal) pair key (`pairKey`). */
  readonly key: string;
  /** `<type>:<full name> for <principal key>`, as the user wrote it. */
  readonly label: string;
}

/** What the grant rules see besides the plan and the requests. Every field is optional. */
export interface GrantRuleContext {
  /**
   * Grant-like resources added through escape hatches.
   * @default []
   */
  readonly foreign?: readonly ForeignGrant[];
  /**
   * Names of the endpoints' hidden service principals.
   * @default - none
   */
  readonly hiddenPrincipalNames?: ReadonlySet<string>;
  /**
   * Names that are references to an app's service principal.
   * @default - none
   */
  readonly targetIdentityNames?: ReadonlySet<string>;
  /**
   * The requests the library made for a target's own identity (the only ones that may name it).
   * @default - none
   */
  readonly targetIdentityRequests?: ReadonlySet<GrantRequest>;
  /**
   * Ids of the warehouses whose owner is given (`configureGrants({ warehouseOwners })`).
   * @default - none
   */
  readonly warehouseOwners?: ReadonlySet<string>;
  /**
   * The warehouse owners' principals, checked like every other principal.
   * @default []
   */
  readonly warehouseOwnerPrincipals?: readonly Principal[];
  /**
   * The stack's `ownedGrants` declarations.
   * @default []
   */
  readonly ownedGrants?: readonly OwnedGrantModel[];
  /**
   * Pairs and objects other stacks of the same app realise with an authoritative resource: key to stack.
   * @default - none
   */
  readonly authoritativeElsewhere?: ReadonlyMap<string, string>;
  /**
   * The Databricks provider version the bindings pin: decides whether `databricks_permissions` has a
   * workspace object type's attribute (DBA-GRANT-007).
   * @default - not checked: every attribute in the table counts as available
   */
  readonly providerVersion?: string;
  /**
   * The `uc_grant` rows of the previous report, privileges by {@link previousGrantKey} (DBA-PROV-003).
   * @default - none: no previous report was given
   */
  readonly previousGrants?: ReadonlyMap<string, readonly string[]>;
}

/** Everything the grant rules read, as plain data. */
export interface GrantRuleInput {
  /** The merged grant plan. */
  readonly plan: readonly PlannedGrant[];
  /** Every grant request of the stack, as made. */
  readonly requests: readonly GrantRequest[];
  /** The stack context's construct path: where stack-wide grant findings are reported. */
  readonly contextPath: string;
  readonly foreign: readonly ForeignGrant[];
  readonly hiddenPrincipalNames: ReadonlySet<string>;
  readonly targetIdentityNames: ReadonlySet<string>;
  readonly targetIdentityRequests: ReadonlySet<GrantRequest>;
  readonly warehouseOwners: ReadonlySet<string>;
  readonly warehouseOwnerPrincipals: readonly Principal[];
  readonly ownedGrants: readonly OwnedGrantModel[];
  readonly authoritativeElsewhere: ReadonlyMap<string, string>;
  readonly providerVersion?: string;
  /** The `uc_grant` rows of the previous report, privileges by {@link previousGrantKey}. */
  readonly previousGrants: ReadonlyMap<string, readonly string[]>;
}

/** The grant rules' input, with the context's defaults filled in. */
export function grantRuleInput(
  plan: readonly PlannedGrant[],
  requests: readonly GrantRequest[],
  contextPath: string,
  context: GrantRuleContext = {},
): GrantRuleInput {
  return {
    plan,
    requests,
    contextPath,
    foreign: context.foreign ?? [],
    hiddenPrincipalNames: context.hiddenPrincipalNames ?? new Set<string>(),
    targetIdentityNames: context.targetIdentityNames ?? new Set<string>(),
    targetIdentityRequests: context.targetIdentityRequests ?? new Set<GrantRequest>(),
    warehouseOwners: context.warehouseOwners ?? new Set<string>(),
    warehouseOwnerPrincipals: context.warehouseOwnerPrincipals ?? [],
    ownedGrants: context.ownedGrants ?? [],
    authoritativeElsewhere: context.authoritativeElsewhere ?? new Map<string, string>(),
    ...(context.providerVersion !== undefined ? { providerVersion: context.providerVersion } : {}),
    previousGrants: context.previousGrants ?? new Map<string, readonly string[]>(),
  };
}

/** The key of a report grant row: its securable as the report names it and its principal key. */
export function previousGrantKey(securable: string, principal: string): string {
  return `${securable}\u0000${principal}`;
}
