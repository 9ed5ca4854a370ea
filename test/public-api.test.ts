import * as api from "../lib";

// The runtime names of the public API (types are checked by the build). Adding one is a minor change,
// removing or renaming one a major change (CHANGELOG.md, semver policy): update this list on purpose.
const PUBLIC = [
  "APPS_ONLY_SCOPES",
  "APP_SCOPES",
  "APP_SCOPES_BY_ACCESS_PATH",
  "AgentApp",
  "AgentAuthPolicy",
  "AgentBricksAccess",
  "AgentConfigError",
  "AgentServingEndpoint",
  "AgentStackContext",
  "AgentSynthError",
  "AgentTesting",
  "AiSearchIndex",
  "DEFAULT_OBO_FLAG",
  "DEPENDENCY_KINDS",
  "DatabricksApp",
  "ENGINES",
  "EngineSetupError",
  "GenieAgent",
  "GenieAgentBundle",
  "GenieResourceBundle",
  "GenieSpace",
  "KnowledgeAssistant",
  "LakebaseInstance",
  "LakebaseProject",
  "MANUAL_AUTH_VARIABLES",
  "McpService",
  "Principal",
  "RESOURCE_KINDS",
  "RULES",
  "SCOPES_BY_ACCESS_PATH",
  "SERVING_ACCEPTED_SCOPES",
  "SecretRef",
  "ServingEndpoint",
  "SqlWarehouse",
  "SupervisorAgent",
  "UcConnection",
  "UcFunction",
  "UcModelService",
  "UcTable",
  "VectorSearchIndex",
];

test("lib/index.ts exports exactly the public API (no helpers by accident)", () => {
  expect(Object.keys(api).sort()).toEqual([...PUBLIC].sort());
});

test("internal helpers stay internal", () => {
  for (const helper of ["writeJsonStreamed", "uc", "ws", "securableKey", "maskCredentials", "closestScope"])
    expect(api).not.toHaveProperty(helper);
});
