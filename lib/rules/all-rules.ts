import { invalidAcknowledgement, staleAcknowledgement } from "./acknowledgement";
import * as app from "./app-rules";
import * as construction from "./construction-rules";
import * as endpoint from "./endpoint-rules";
import * as genie from "./genie-rules";
import * as grant from "./grant-rules";
import * as provider from "./provider-rules";
import { ruleFailed, type GrantRule, type Rule, type StackRule } from "./rule";
import * as scope from "./scope-rules";
import * as secret from "./secret-rules";
import * as version from "./version-rules";

/**
 * Every rule, in catalog order (the order of the README's rule table). Each rule is defined once, as an
 * object beside its check; this list only orders them. A test checks that every rule object the rule
 * modules export is listed here exactly once.
 */
export const ALL_RULES: readonly Rule[] = [
  construction.malformedProp,
  construction.malformedReference,
  construction.outsideStack,
  construction.reservedContextId,
  genie.genieWithoutWarehouse,
  genie.genieWithoutTables,
  genie.genieSpaceWithoutDownstream,
  genie.genieEnvWithoutBundle,
  genie.genieBundleUnused,
  genie.genieDomainClash,
  scope.missingScope,
  scope.unusedScope,
  scope.unknownScope,
  scope.appsOnlyScope,
  scope.mcpGenieWithConversationScope,
  scope.oboScopeMismatch,
  scope.oboUnsupported,
  scope.bothModesFallback,
  scope.passthroughWithoutMlflowKind,
  secret.literalSecret,
  secret.manualAuthVariables,
  endpoint.routesNotHundred,
  endpoint.routeTargets,
  endpoint.duplicateNames,
  endpoint.invalidEndpointName,
  endpoint.unpinnedVersion,
  endpoint.environmentCollision,
  endpoint.modelNotInUc,
  grant.authoritativeOnShared,
  grant.hiddenPrincipalGrant,
  grant.broadGroupGrant,
  grant.foreignGrantClash,
  grant.adminsOnAcl,
  grant.malformedPrincipal,
  grant.authoritativeImpossible,
  grant.warehouseWithoutOwner,
  endpoint.replacingChange,
  endpoint.deployedEndpointGone,
  endpoint.endpointInTwoStacks,
  grant.ownedGrantUnmatched,
  grant.ownedInTwoStacks,
  grant.mixedReferenceInAdditive,
  provider.createOnlyFieldChanged,
  provider.aiGatewayRemoved,
  provider.grantChangesBothWays,
  app.servingScopeOnApp,
  app.deprecatedAppScope,
  app.rejectedAppScope,
  app.unknownAppScope,
  app.missingAppScope,
  app.unusedAppScope,
  app.invalidAppName,
  app.appUnreachable,
  app.appPrincipalByHand,
  app.appResourceUnavailable,
  app.appBothModes,
  version.mlflowTooOld,
  version.policyWithReferences,
  invalidAcknowledgement,
  staleAcknowledgement,
  ruleFailed,
  construction.unsupportedPackage,
  construction.duplicatePackage,
  construction.nodeTooOld,
];

/** The rules over the stack's declarations, in catalog order. */
export const STACK_RULES: readonly StackRule[] = ALL_RULES.filter((r): r is StackRule => r.reads === "stack");

/** The rules over the grant plan, in catalog order. */
export const GRANT_RULES: readonly GrantRule[] = ALL_RULES.filter(
  (r): r is GrantRule => r.reads === "grants",
);
