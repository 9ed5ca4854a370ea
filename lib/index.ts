// The public API, and nothing else: every name here is covered by the semver policy in CHANGELOG.md.
// First: the installation check runs before the engine loads (missing engine, second copies).
import "./engine/guard";

// Constructs
export { AgentStackContext } from "./constructs/agent-stack-context";
export type { AgentStackArtifacts } from "./constructs/artifact-writer";
export type { GrantSettings, OwnedGrant } from "./grants/grant-settings";
export type { AppsEntry, AppsFile, FileSettings, MlflowEntry, MlflowFile } from "./constructs/target-files";
export {
  GenieAgentBundle,
  GenieResourceBundle,
  type GenieResourceBundleProps,
} from "./constructs/genie-resource-bundle";
export {
  AgentAuthPolicy,
  type AgentAuthPolicyProps,
  type PolicyDependency,
} from "./constructs/agent-auth-policy";
export {
  AgentServingEndpoint,
  DEFAULT_OBO_FLAG,
  type AgentServingEndpointProps,
  type ModelVersionRef,
  type ServedEntityProps,
} from "./constructs/agent-serving-endpoint";
export { AgentApp, type AgentAppProps } from "./constructs/agent-app";
export { AgentBricksAccess, type AgentBricksAccessProps } from "./constructs/agent-bricks-access";
export { AgentTesting, type AgentStackSynthesis } from "./constructs/agent-testing";
export { AgentSynthError, type StackProblems } from "./constructs/synth-gate";

// What an agent reaches, and who
// The reference classes, one per dependency kind (SqlWarehouse.fromId, UcTable.fromName, ...): the module
// exports nothing else, so a new kind's class is public with it (test/public-api.test.ts pins the list).
export * from "./model/references";
export type { IAgentDependency, DependencyProblem } from "./model/dependency";
export { Principal, type PrincipalKind } from "./model/principal";
export { SecretRef, MANUAL_AUTH_VARIABLES } from "./model/secret-ref";

// Reference data (read-only tables the library decides with)
export {
  RESOURCE_KINDS,
  DEPENDENCY_KINDS,
  type ResourceKind,
  type ResourceKindInfo,
  type DependencyKind,
  type DependencyKindInfo,
  type MlflowKind,
  type AgentResource,
} from "./model/resource-kinds";
export {
  SERVING_ACCEPTED_SCOPES,
  APPS_ONLY_SCOPES,
  SCOPES_BY_ACCESS_PATH,
  type OboAccessPath,
} from "./model/scopes";
export {
  APP_SCOPES,
  APP_SCOPES_BY_ACCESS_PATH,
  type AppScopeInfo,
  type AppScopeStatus,
} from "./model/app-scopes";
export { RULES, type RuleInfo, type Severity } from "./rules/catalog";
export { ENGINES, type EngineName, type EngineSupport, type VersionRange } from "./engine/compat";

// Errors, findings, report shapes
export { AgentConfigError, type Problem } from "./model/problem";
export { EngineSetupError } from "./engine/guard";
export type { Finding, Evaluation } from "./rules/evaluate";
export type { Acknowledgement, AcknowledgeOptions } from "./rules/acknowledgement";
export type { GrantMechanism, GrantRequest } from "./grants/grant-request";
export type { PlannedGrant } from "./grants/plan";
export type { Securable, UcSecurableType, WorkspaceObjectType, AccessNeed } from "./model/securable";
export type { AuthPolicyDict, SerializedResources } from "./model/mlflow-policy";
export type { StackReport, ReportGrant } from "./constructs/report";
export type { AppHandoff, AppYamlEnv, IAgentTarget, MlflowMetadata, OwnedAcl } from "./constructs/target";
export type { ReportApp, DeployerRole } from "./constructs/report";
export type { ReportFile, ReportFileAcknowledgement, ReportView } from "./constructs/report-file";
export type { ReportGrantRow, ReportGrantLine } from "./model/report-format";
export type { DeployedEndpoint } from "./rules/stack-model";
