// Issue 16 items 1, 3 and 6: Unity Gateway MCP services and Lakebase Autoscaling projects as rows of the
// kinds table (neither has an MLflow class), ownedGrants on a UC type the bound provider's databricks_grant
// may lack (model_service, mcp_service: from 1.127), an authoritative ACL on a workspace type its
// databricks_permissions may lack (database_project_name: from 1.108), and the new names as aliases.
// Runs under both engines: cdktf binds provider 1.99.0 (additive or report, the report says why), cdktn
// binds 1.132.0 (native databricks_grant / databricks_permissions).
import {
  AgentApp,
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  AgentTesting,
  AiSearchIndex,
  GenieAgent,
  GenieAgentBundle,
  GenieResourceBundle,
  GenieSpace,
  LakebaseProject,
  McpService,
  Principal,
  RESOURCE_KINDS,
  ServingEndpoint,
  SqlWarehouse,
  UcModelService,
  VectorSearchIndex,
  type IAgentDependency,
} from "../lib";
import { ENGINES } from "../lib/engine/compat";
import { ENGINE_NAME } from "../lib/engine/current";
import { DEPLOYER, newStack, thrown } from "./helpers";

const MCP = "main.agents.jira_mcp";
const SERVICE = "main.agents.chat_service";
const PROJECT = "agent-memory";
const ANALYSTS = Principal.group("analysts");
const PROVIDER = ENGINES[ENGINE_NAME].provider;
const NATIVE = ENGINE_NAME === "cdktn"; // 1.132.0 has model_service, mcp_service and database_project_name

type Tf = { resource: Record<string, Record<string, Record<string, unknown>>> };

function endpointStack(
  deps: { system?: IAgentDependency[]; onBehalfOfUser?: IAgentDependency[] },
  grants: Parameters<AgentStackContext["configureGrants"]>[0] = {},
) {
  const s = newStack();
  const ctx = AgentStackContext.of(s);
  ctx.configureGrants(grants);
  const policy = new AgentAuthPolicy(s, "Policy", {
    system: [ServingEndpoint.fromName("databricks-claude-sonnet-4"), ...(deps.system ?? [])],
    ...(deps.onBehalfOfUser ? { onBehalfOfUser: deps.onBehalfOfUser } : {}),
  });
  new AgentServingEndpoint(s, "Agent", {
    name: "gw-agent",
    model: { name: "main.agents.gw_agent", version: "1" },
    authPolicy: policy,
    consumers: [ANALYSTS],
    deployer: DEPLOYER,
  });
  return { s, ctx, policy };
}

const rows = (s: ReturnType<typeof newStack>, principal: string) =>
  AgentTesting.synth(s)
    .report.grants.filter((g) => g.principal === principal)
    .map((g) => `${g.securable} | ${g.privileges.join(",")} | ${g.mechanism}`);

describe("McpService (Unity Gateway MCP service, UC securable mcp_service)", () => {
  test("reads its row: EXECUTE for both roles, OBO through ai-gateway, no MLflow class", () => {
    const d = McpService.fromName(MCP);
    expect(d.description).toBe(`Unity Gateway MCP service ${MCP}`);
    for (const role of ["deployer", "consumer"] as const)
      expect(d.accessNeeds(role)).toEqual([
        { securable: { family: "uc", type: "mcp_service", name: MCP }, privilege: "EXECUTE" },
      ]);
    expect(d.oboAccessPaths("modelServing")).toEqual(["unity_gateway"]);
    expect(d.oboAccessPaths("databricksApps")).toEqual(["unity_gateway"]);
    expect(RESOURCE_KINDS.mcp_service.mlflowClass).toBeUndefined();
    expect(RESOURCE_KINDS.mcp_service.noMlflowKind).toContain("MLflow has no resource class");
  });

  test("a name that is not catalog.schema.name fails with DBA-CFG-002, naming what was received and the fix", () => {
    const message = thrown(
      () => new AgentAuthPolicy(newStack(), "P", { onBehalfOfUser: [McpService.fromName("jira_mcp")] }),
    );
    expect(message).toContain("DBA-CFG-002");
    expect(message).toContain("Unity Gateway MCP service jira_mcp: MCP service name has 1 part, not 3");
    expect(message).toContain('e.g. "main.agents.jira_mcp"');
  });

  test("on behalf of the user (Model Serving): scope ai-gateway, EXECUTE and parents' USE_* per consumer, no MLflow resource", () => {
    const { s, policy } = endpointStack({ onBehalfOfUser: [McpService.fromName(MCP)] });
    const dict = policy.toMlflowDict();
    expect(dict.user_auth_policy).toEqual({ api_scopes: ["ai-gateway"] });
    expect(JSON.stringify(dict)).not.toContain("mcp_service");
    expect(rows(s, ANALYSTS.key)).toEqual(
      expect.arrayContaining([
        "catalog main | USE_CATALOG | report",
        "schema main.agents | USE_SCHEMA | report",
        `mcp_service ${MCP} | EXECUTE | report`,
      ]),
    );
  });

  test("DBA-AUTH-002: declared for passthrough on Model Serving it fails, saying what MLflow cannot declare and what to do", () => {
    const message = thrown(() => AgentTesting.synth(endpointStack({ system: [McpService.fromName(MCP)] }).s));
    expect(message).toContain("DBA-AUTH-002");
    expect(message).toContain(
      `Unity Gateway MCP service ${MCP} cannot be declared for automatic passthrough on Model Serving: MLflow has no resource kind for it`,
    );
    expect(message).toContain(
      "declare it on behalf of the user (onBehalfOfUser), deploy the agent as an AgentApp",
    );
  });

  test("DBA-AUTH-002 is silent for MLflow kinds and on an app: the app's service principal gets EXECUTE", () => {
    expect(
      thrown(() => AgentTesting.synth(endpointStack({ system: [UcModelService.fromName(SERVICE)] }).s)),
    ).toBe("");
    const s = newStack();
    const policy = new AgentAuthPolicy(s, "Policy", { system: [McpService.fromName(MCP)] });
    new AgentApp(s, "App", { name: "gw-app", authPolicy: policy, consumers: [ANALYSTS] });
    const synth = AgentTesting.synth(s);
    expect(synth.report.findings.map((f) => f.ruleId)).not.toContain("DBA-AUTH-002");
    expect(
      synth.report.grants.filter((g) => g.securable === `mcp_service ${MCP}`).map((g) => g.privileges),
    ).toEqual([["EXECUTE"]]);
  });
});

describe("ownedGrants on Unity Gateway services: native databricks_grant only where the bound provider has the attribute", () => {
  const build = (mechanism: "report" | "additive") => {
    const { s, ctx } = endpointStack(
      { onBehalfOfUser: [UcModelService.fromName(SERVICE), McpService.fromName(MCP)] },
      {
        mechanism,
        ownedGrants: [
          { securable: `model_service:${SERVICE}`, principal: ANALYSTS },
          { securable: `mcp_service:${MCP}`, principal: ANALYSTS },
        ],
      },
    );
    ctx.acknowledge(
      s,
      "DBA-GRANT-001",
      "these services are created for this agent and only this stack grants on them",
    );
    return s;
  };

  test.each(["report", "additive"] as const)(
    `${ENGINE_NAME} (provider ${PROVIDER}), mechanism %s: accepted, never dropped`,
    (mechanism) => {
      const s = build(mechanism);
      const synth = AgentTesting.synth(s);
      const tf = JSON.parse(synth.terraform) as Tf;
      const grants = Object.values(tf.resource.databricks_grant ?? {});
      const payloads = Object.values(tf.resource.terraform_data ?? {}).map(
        (d) => JSON.parse((d.input as { payload: string }).payload) as { apiType: string; id: string },
      );
      for (const [type, name] of [
        ["model_service", SERVICE],
        ["mcp_service", MCP],
      ] as const) {
        const row = synth.report.grants.find(
          (g) => g.securable === `${type} ${name}` && g.principal === ANALYSTS.key,
        )!;
        if (NATIVE) {
          expect(row.mechanism).toBe("uc_grant");
          expect(grants).toContainEqual({ [type]: name, principal: "analysts", privileges: ["EXECUTE"] });
        } else {
          expect(row.mechanism).toBe(mechanism);
          expect(row.reasons).toContain(
            `ownedGrants: databricks_grant of the bound provider 1.99.0 has no ${type} (provider 1.127.0 adds it): realised by ${mechanism} instead`,
          );
          expect(grants.filter((g) => g[type] !== undefined)).toEqual([]);
          if (mechanism === "additive")
            expect(payloads).toContainEqual(expect.objectContaining({ apiType: type, id: name }));
        }
      }
    },
  );
});

describe("LakebaseProject (Lakebase Autoscaling, databricks_permissions database_project_name)", () => {
  test("reads its row: CAN_USE, no OBO, no MLflow class; a malformed name fails with DBA-CFG-002", () => {
    const d = LakebaseProject.fromName(PROJECT);
    expect(d.accessNeeds()).toEqual([
      { securable: { family: "workspace", type: "database_project", id: PROJECT }, privilege: "CAN_USE" },
    ]);
    expect(d.oboUnsupportedReason).toMatch(/no on-behalf-of-user scope for Lakebase/);
    expect(d.problems()).toEqual([]);
    const message = thrown(
      () => new AgentAuthPolicy(newStack(), "P", { system: [LakebaseProject.fromName("Agent Memory")] }),
    );
    expect(message).toContain("DBA-CFG-002");
    expect(message).toContain("lower-case letters, digits, '-' and '_', at most 63 characters");
  });

  test("DBA-AUTH-002: passthrough on Model Serving fails with what to do (AgentApp or a service principal's secret)", () => {
    const message = thrown(() =>
      AgentTesting.synth(endpointStack({ system: [LakebaseProject.fromName(PROJECT)] }).s),
    );
    expect(message).toContain("DBA-AUTH-002");
    expect(message).toContain(
      `Lakebase Autoscaling project ${PROJECT} cannot be declared for automatic passthrough`,
    );
    expect(message).toContain("deploy the agent as an AgentApp (its service principal gets CAN_USE)");
  });

  test(`on an app (${ENGINE_NAME}): CAN_USE for the app's service principal through the grant plan, additive via database-projects`, () => {
    const s = newStack();
    AgentStackContext.of(s).configureGrants({ mechanism: "additive" });
    const policy = new AgentAuthPolicy(s, "Policy", { system: [LakebaseProject.fromName(PROJECT)] });
    new AgentApp(s, "App", { name: "memory-app", authPolicy: policy });
    const synth = AgentTesting.synth(s);
    const row = synth.report.grants.find((g) => g.securable === `database project ${PROJECT}`)!;
    expect(row).toMatchObject({ privileges: ["CAN_USE"], mechanism: "additive" });
    const tf = JSON.parse(synth.terraform) as Tf;
    // The app's service principal is a reference (its payload is not plain JSON): read the payload text.
    const payloads = Object.values(tf.resource.terraform_data ?? {}).map(
      (d) => (d.input as { payload: string }).payload,
    );
    expect(
      payloads.some((p) => p.includes('"apiType":"database-projects"') && p.includes(`"id":"${PROJECT}"`)),
    ).toBe(true);
  });

  test(`authoritative override (${ENGINE_NAME}, provider ${PROVIDER}): native from 1.108, else the stack's mechanism with the reason`, () => {
    const s = newStack();
    const ctx = AgentStackContext.of(s);
    ctx.configureGrants({
      mechanism: "additive",
      overrides: { [`database_project:${PROJECT}`]: "authoritative" },
    });
    ctx.acknowledge(
      s,
      "DBA-GRANT-001",
      "this Lakebase project is dedicated to this app and owned by this stack",
    );
    const policy = new AgentAuthPolicy(s, "Policy", { system: [LakebaseProject.fromName(PROJECT)] });
    new AgentApp(s, "App", { name: "memory-app", authPolicy: policy });
    const synth = AgentTesting.synth(s);
    const tf = JSON.parse(synth.terraform) as Tf;
    const acls = Object.values(tf.resource.databricks_permissions ?? {}).filter(
      (p) => p.database_project_name !== undefined,
    );
    const row = synth.report.grants.find((g) => g.securable === `database project ${PROJECT}`)!;
    if (NATIVE) {
      expect(row.mechanism).toBe("authoritative");
      expect(acls).toHaveLength(1);
      expect(acls[0]!.database_project_name).toBe(PROJECT);
    } else {
      expect(row.mechanism).toBe("additive");
      expect(row.reasons).toContain(
        "authoritative: databricks_permissions of the bound provider 1.99.0 has no database_project_name (provider 1.108.0 adds it): realised by additive instead",
      );
      expect(acls).toEqual([]);
    }
  });
});

describe("LakebaseProject on an app: the app resource postgres where the bound provider has it", () => {
  const build = (options: { branch?: string }, nativeUcResources: boolean) => {
    const s = newStack();
    const policy = new AgentAuthPolicy(s, "Policy", { system: [LakebaseProject.fromName(PROJECT, options)] });
    new AgentApp(s, "App", { name: "memory-app", authPolicy: policy, nativeUcResources });
    return s;
  };
  const appResources = (s: ReturnType<typeof newStack>) => {
    const tf = JSON.parse(AgentTesting.synth(s).terraform) as Tf;
    return (Object.values(tf.resource.databricks_app!)[0]!.resources ?? []) as Record<string, unknown>[];
  };

  test(`with a branch and nativeUcResources (${ENGINE_NAME}, provider ${PROVIDER})`, () => {
    const s = build({ branch: "production" }, true);
    if (NATIVE) {
      expect(appResources(s)).toEqual([
        {
          name: `postgres-${PROJECT}`,
          description: `Lakebase Autoscaling project ${PROJECT}`,
          postgres: {
            branch: `projects/${PROJECT}/branches/production`,
            permission: "CAN_CONNECT_AND_CREATE",
          },
        },
      ]);
      // The app resource covers the project: no grant-plan entry for the app's identity on it.
      expect(
        AgentTesting.synth(s).report.grants.filter((g) => g.securable === `database project ${PROJECT}`),
      ).toEqual([]);
    } else {
      const message = thrown(() => AgentTesting.synth(s));
      expect(message).toContain("DBA-APP-010");
      expect(message).toContain(
        "databricks_app of the bound provider 1.99.0 has no postgres resource; provider 1.128.0 adds it",
      );
    }
  });

  test("without a branch, or with nativeUcResources off: CAN_USE through the grant plan, saying why", () => {
    for (const s of [build({}, NATIVE), build({ branch: "production" }, false)]) {
      expect(appResources(s)).toEqual([]);
      expect(
        AgentTesting.synth(s)
          .report.grants.filter((g) => g.securable === `database project ${PROJECT}`)
          .map((g) => g.privileges),
      ).toEqual([["CAN_USE"]]);
    }
    expect(thrown(() => AgentTesting.synth(build({}, NATIVE)))).toBe("");
  });

  test("a malformed branch fails with DBA-CFG-002", () => {
    const message = thrown(
      () =>
        new AgentAuthPolicy(newStack(), "P", {
          system: [
            LakebaseProject.fromName(PROJECT, { branch: "projects/agent-memory/branches/production" }),
          ],
        }),
    );
    expect(message).toContain("DBA-CFG-002");
    expect(message).toContain("is not a valid Lakebase branch id");
  });
});

describe("Unity Gateway services on behalf of the user on an app: ai-gateway", () => {
  test("user_api_scopes ai-gateway, EXECUTE for the consumers", () => {
    const s = newStack();
    const policy = new AgentAuthPolicy(s, "Policy", {
      onBehalfOfUser: [UcModelService.fromName(SERVICE), McpService.fromName(MCP)],
    });
    const app = new AgentApp(s, "App", { name: "gw-app", authPolicy: policy, consumers: [ANALYSTS] });
    expect(app.userApiScopes).toEqual(["ai-gateway"]);
    expect(rows(s, ANALYSTS.key)).toEqual(
      expect.arrayContaining([
        `model_service ${SERVICE} | EXECUTE | report`,
        `mcp_service ${MCP} | EXECUTE | report`,
      ]),
    );
  });
});

describe("the names users now see: AI Search, Genie Agents", () => {
  test("the aliases are the same classes, not copies", () => {
    expect(AiSearchIndex).toBe(VectorSearchIndex);
    expect(GenieAgent).toBe(GenieSpace);
    expect(GenieAgentBundle).toBe(GenieResourceBundle);
    const index: AiSearchIndex = AiSearchIndex.fromName("main.docs.chunks", { endpointName: "vs" });
    expect(index).toBeInstanceOf(VectorSearchIndex);
    // The MLflow key and the REST names did not change.
    expect(index.systemResources()).toEqual([{ kind: "vector_search_index", name: "main.docs.chunks" }]);
    expect(GenieAgent.fromId("01f0c0ffee0000000000000000000001").dependencyKey).toBe(
      "genie_space:01f0c0ffee0000000000000000000001",
    );
  });

  test("errors say both names", () => {
    const index = thrown(
      () =>
        new AgentAuthPolicy(newStack(), "P", {
          system: [AiSearchIndex.fromName("chunks", { endpointName: "vs" })],
        }),
    );
    expect(index).toContain("DBA-CFG-002");
    expect(index).toContain("(a vector search index is now called AI Search index)");
    const genie = thrown(
      () => new AgentAuthPolicy(newStack(), "P", { onBehalfOfUser: [GenieAgent.fromId("not-an-id")] }),
    );
    expect(genie).toContain("(a Genie space is now called Genie Agent)");
    // A valid name has no problem, so nothing to say.
    expect(SqlWarehouse.fromId("4b9b953939869799").problems()).toEqual([]);
  });
});
