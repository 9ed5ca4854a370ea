import type { Problem } from "../model/problem";
import * as endpoint from "./endpoint-rules";
import * as genie from "./genie-rules";
import * as scope from "./scope-rules";
import type { StackModel } from "./stack-model";
import * as version from "./version-rules";

/** A rule check: a pure function from the stack's declarations to problems. */
export type RuleCheck = (m: StackModel) => Problem[];

/** Every cross-construct check, in catalog order. */
export const RULE_CHECKS: readonly RuleCheck[] = [
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
  endpoint.literalSecret,
  endpoint.manualAuthVariables,
  endpoint.routesNotHundred,
  endpoint.routeTargets,
  endpoint.duplicateNames,
  endpoint.invalidEndpointName,
  endpoint.unpinnedVersion,
  endpoint.environmentCollision,
  endpoint.modelNotInUc,
  endpoint.replacingChange,
  endpoint.deployedEndpointGone,
  version.mlflowTooOld,
  version.policyWithReferences,
];
