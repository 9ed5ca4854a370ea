// Agent Bricks agents (Knowledge Assistants, Supervisor Agents) as dependencies and as consumers' targets:
// the knowledge_assistant and supervisor_agent rows of lib/model/resource-kinds.ts (no MLflow row), their
// workspace object types in lib/model/securable-types.ts, the classes in lib/model/references.ts,
// DBA-BRICKS-001 and AgentBricksAccess. Runs under both engines: the default run binds cdktf's provider
// 1.99.0 (no knowledge_assistant_id / supervisor_agent_id in databricks_permissions), the cdktn run
// (jest.cdktn.config.js) binds 1.132.0, which has both.
import type { TerraformStack } from "cdktf";
import {
  AgentApp,
  AgentAuthPolicy,
  AgentBricksAccess,
  AgentServingEndpoint,
  AgentStackContext,
  AgentTesting,
  DEPENDENCY_KINDS,
  GenieResourceBundle,
  GenieSpace,
  KnowledgeAssistant,
  Principal,
  RESOURCE_KINDS,
  RULES,
  ServingEndpoint,
  SqlWarehouse,
  SupervisorAgent,
  UcFunction,
  type IAgentDependency,
} from "../lib";
import { ENGINES } from "../lib/engine/compat";
import { ENGINE_NAME } from "../lib/engine/current";
import { additiveCommands } from "../lib/grants/permissions-api";
import { permissionsAttributeAvailable, SECURABLE_TYPES } from "../lib/model/securable-types";
import { isMlflowKind, type ResourceKind } from "../lib/model/resource-kinds";
import { passthroughWithoutMlflowKind } from "../lib/rules/scope-rules";
import { DEPLOYER, newStack, SPACE_ID, thrown, WAREHOUSE_ID } from "./helpers";

const KA = "01f0a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b";
const KA_2 = "01f0a1b2c3d44e5f8a9b0c1d2e3f4a6c";
const SUPERVISOR = "01f0b2c3-d4e5-4f60-9a0b-1c2d3e4f5a6b";
const LLM = "databricks-claude-sonnet-4";
const ANALYSTS = Principal.group("analysts");
const PROVIDER = ENGINES[ENGINE_NAME].provider;
const NATIVE = permissionsAttributeAvailable("knowledge_assistant", PROVIDER);

type Tf = { resource: Record<string, Record<string, Record<string, unknown>>> };
const tfOf = (s: TerraformStack): Tf => JSON.parse(AgentTesting.synth(s).terraform) as Tf;
const rows = (s: TerraformStack, principal: string) =>
  AgentTesting.synth(s)
    .report.grants.filter((g) => g.principal === principal)
    .map((g) => `${g.securable} | ${g.privileges.join(",")} | ${g.mechanism}`)
    .sort();

function genie(s: TerraformStack): GenieResourceBundle {
  return new GenieResourceBundle(s, "SalesGenie", {
    domain: "sales",
    spaceId: SPACE_ID,
    warehouse: SqlWarehouse.fromId(WAREHOUSE_ID),
    tables: ["main.sales.orders"],
    functions: ["main.sales.lookup"],
  });
}

function supervisor(s: TerraformStack): SupervisorAgent {
  return SupervisorAgent.fromId(SUPERVISOR, {
    subAgents: [
      genie(s),
      KnowledgeAssistant.fromId(KA),
      ServingEndpoint.fromName("support-router"),
      UcFunction.fromName("main.tools.refund"),
    ],
  });
}

/** A Model Serving agent with the given dependencies on behalf of the user (or in system). */
function endpointStack(
  deps: (s: TerraformStack) => IAgentDependency[],
  mode: "system" | "onBehalfOfUser" = "onBehalfOfUser",
  mechanism?: "report" | "additive",
) {
  const s = newStack();
  if (mechanism) AgentStackContext.of(s).configureGrants({ mechanism });
  const policy = new AgentAuthPolicy(s, "Policy", {
    [mode]: deps(s),
    ...(mode === "onBehalfOfUser" ? { system: [ServingEndpoint.fromName(LLM)] } : {}),
  });
  new AgentServingEndpoint(s, "Agent", {
    name: "bricks-agent",
    model: { name: "main.agents.bricks_agent", version: "1" },
    authPolicy: policy,
    consumers: [ANALYSTS],
    deployer: DEPLOYER,
  });
  return { s, policy };
}

describe("the Agent Bricks kinds", () => {
  test("rows without an MLflow row: key, description, CAN_QUERY per role, reached through their endpoint", () => {
    expect(isMlflowKind("knowledge_assistant")).toBe(false);
    expect(DEPENDENCY_KINDS.knowledge_assistant.mlflowClass).toBeUndefined();
    const d = KnowledgeAssistant.fromId(KA);
    expect(d.dependencyKey).toBe(`knowledge_assistant:${KA}`);
    expect(d.description).toBe(`Knowledge Assistant ${KA}`);
    // Its resource, for the rules and app resources; never written into an MLflow auth policy.
    expect(d.systemResources()).toEqual([{ kind: "knowledge_assistant", name: KA }]);
    for (const role of ["deployer", "consumer"] as const)
      expect(d.accessNeeds(role)).toEqual([
        { securable: { family: "workspace", type: "knowledge_assistant", id: KA }, privilege: "CAN_QUERY" },
      ]);
    expect(d.oboAccessPaths()).toEqual(["serving_endpoint"]);
    expect(d.oboAccessPaths("databricksApps")).toEqual(["serving_endpoint"]);
    expect(RESOURCE_KINDS.knowledge_assistant.noMlflowKind).toMatch(
      /MLflow has no resource class for Knowledge Assistants/,
    );
    expect(d.problems()).toEqual([]);
    expect(KnowledgeAssistant.fromId(KA_2).problems()).toEqual([]);
  });

  test("a row says why MLflow cannot declare it exactly when it has no MLflow row", () => {
    for (const [key, row] of Object.entries(DEPENDENCY_KINDS)) {
      expect(row.key).toBe(key);
      expect(row.noMlflowKind === undefined).toBe(isMlflowKind(key as ResourceKind));
      expect(row.mlflowClass === undefined).toBe(!isMlflowKind(key as ResourceKind));
    }
    expect(Object.keys(DEPENDENCY_KINDS)).toEqual([...Object.keys(DEPENDENCY_KINDS)].sort());
  });

  test("the Permissions API types are the provider's (1.128 permission_definitions.go), from provider 1.116", () => {
    expect(SECURABLE_TYPES.workspace.knowledge_assistant).toMatchObject({
      apiType: "knowledge-assistants",
      terraformAttribute: "knowledge_assistant_id",
      terraformAttributeSince: "1.116.0",
      levels: ["CAN_QUERY", "CAN_MANAGE"],
    });
    expect(SECURABLE_TYPES.workspace.supervisor_agent).toMatchObject({
      apiType: "supervisor-agents",
      terraformAttribute: "supervisor_agent_id",
      terraformAttributeSince: "1.116.0",
    });
    expect(permissionsAttributeAvailable("supervisor_agent", ENGINES.cdktf.provider)).toBe(false);
    expect(permissionsAttributeAvailable("supervisor_agent", ENGINES.cdktn.provider)).toBe(true);
    expect(permissionsAttributeAvailable("app", ENGINES.cdktf.provider)).toBe(true);
    expect(permissionsAttributeAvailable("genie_space", ENGINES.cdktn.provider)).toBe(false);
  });

  test("an id that is not a UUID fails with DBA-CFG-002: what was received, what is allowed, the fix", () => {
    for (const [bad, make] of [
      ["Sales KA", (x: string) => KnowledgeAssistant.fromId(x)],
      [`knowledge-assistants/${KA}`, (x: string) => KnowledgeAssistant.fromId(x)],
      ["ka-sales-endpoint", (x: string) => SupervisorAgent.fromId(x)],
    ] as const) {
      const message = thrown(() => new AgentAuthPolicy(newStack(), "P", { onBehalfOfUser: [make(bad)] }));
      expect(message).toContain("[DBA-CFG-002] test/P");
      expect(message).toContain(`"${bad}"`);
      expect(message).toContain(
        "a UUID (8-4-4-4-12 hexadecimal digits, hyphens optional) or a Terraform reference",
      );
      expect(message).toMatch(/(knowledge_assistant_id|supervisor_agent_id)/);
    }
  });

  test("a Terraform reference passes the id check", () => {
    const s = newStack();
    const { TerraformVariable } = jest.requireActual<typeof import("cdktf")>("cdktf");
    const v = new TerraformVariable(s, "ka_id", { type: "string" });
    expect(KnowledgeAssistant.fromId(v.stringValue).problems()).toEqual([]);
  });
});

describe("on behalf of the user (Model Serving)", () => {
  test("each consumer gets CAN_QUERY on the Knowledge Assistant; the scope is the serving endpoints'", () => {
    const { s, policy } = endpointStack(() => [KnowledgeAssistant.fromId(KA)]);
    expect(policy.apiScopes).toEqual(["serving.serving-endpoints"]);
    expect(policy.systemResources).toEqual([{ kind: "serving_endpoint", name: LLM }]);
    expect(rows(s, ANALYSTS.key)).toContain(`knowledge assistant ${KA} | CAN_QUERY | report`);
    const action = AgentTesting.synth(s).report.requiredActions.find(
      (a) => a.object === `knowledge assistant ${KA}`,
    )!;
    expect(action.commands).toEqual([
      `databricks permissions update --json '{"access_control_list":[{"group_name":"analysts","permission_level":"CAN_QUERY"}]}' -- knowledge-assistants ${KA}`,
    ]);
  });

  test("additive: the step PATCHes /api/2.0/permissions/knowledge-assistants/<id> through the CLI, never lowering a level", () => {
    const { s } = endpointStack(() => [KnowledgeAssistant.fromId(KA)], "onBehalfOfUser", "additive");
    const payloads = Object.values(tfOf(s).resource.terraform_data ?? {}).map(
      (d) => JSON.parse((d.input as { payload: string }).payload) as Record<string, unknown>,
    );
    expect(payloads.find((p) => p.id === KA)).toEqual({
      kind: "permissions",
      cli: "databricks",
      apiType: "knowledge-assistants",
      id: KA,
      lookup: [],
      levels: ["CAN_QUERY", "CAN_MANAGE"],
      entries: [{ group_name: "analysts", permission_level: "CAN_QUERY" }],
    });
    // Not through databricks_permissions on any engine: the stack does not own the Knowledge Assistant.
    expect(
      Object.values(tfOf(s).resource.databricks_permissions ?? {}).filter(
        (p) => "knowledge_assistant_id" in p,
      ),
    ).toEqual([]);
  });

  test("a supervisor's consumers get CAN_QUERY on it and every sub-agent's access with its data", () => {
    const { s, policy } = endpointStack((st) => [supervisor(st)]);
    expect(policy.apiScopes).toEqual(["serving.serving-endpoints"]);
    expect(rows(s, ANALYSTS.key)).toEqual(
      [
        `supervisor agent ${SUPERVISOR} | CAN_QUERY | report`,
        `knowledge assistant ${KA} | CAN_QUERY | report`,
        `genie space ${SPACE_ID} | CAN_RUN | report`,
        `sql warehouse ${WAREHOUSE_ID} | CAN_USE | report`,
        "table main.sales.orders | SELECT | report",
        "function main.sales.lookup | EXECUTE | report",
        "function main.tools.refund | EXECUTE | report",
        "serving endpoint support-router | CAN_QUERY | report",
        "catalog main | USE_CATALOG | report",
        "schema main.sales | USE_SCHEMA | report",
        "schema main.tools | USE_SCHEMA | report",
        // The endpoint itself:
        "serving endpoint bricks-agent | CAN_QUERY | owned_acl",
      ].sort(),
    );
    const supervisorAction = AgentTesting.synth(s).report.requiredActions.find(
      (a) => a.object === `supervisor agent ${SUPERVISOR}`,
    )!;
    expect(supervisorAction.commands[0]).toContain(`-- supervisor-agents ${SUPERVISOR}`);
  });

  test("a sub-agent Genie space without its bundle, or a sub-agent that is not a dependency, fails with DBA-CFG-002", () => {
    const bare = thrown(
      () =>
        new AgentAuthPolicy(newStack(), "P", {
          onBehalfOfUser: [SupervisorAgent.fromId(SUPERVISOR, { subAgents: [GenieSpace.fromId(SPACE_ID)] })],
        }),
    );
    expect(bare).toContain("[DBA-CFG-002] test/P (prop onBehalfOfUser[0] subAgents[0])");
    expect(bare).toContain("declare the space with `new GenieResourceBundle(...)`");
    const notDep = thrown(
      () =>
        new AgentAuthPolicy(newStack(), "P", {
          onBehalfOfUser: [
            SupervisorAgent.fromId(SUPERVISOR, {
              subAgents: ["main.tools.refund" as unknown as IAgentDependency],
            }),
          ],
        }),
    );
    expect(notDep).toContain("subAgents[0]");
    expect(notDep).toContain("is not a dependency");
    const badSub = thrown(
      () =>
        new AgentAuthPolicy(newStack(), "P", {
          onBehalfOfUser: [
            SupervisorAgent.fromId(SUPERVISOR, { subAgents: [KnowledgeAssistant.fromId("nope")] }),
          ],
        }),
    );
    expect(badSub).toContain("subAgents[0] Knowledge Assistant id");
    expect(badSub).toContain('"nope"');
  });
});

describe("DBA-AUTH-002 for Agent Bricks agents: passthrough on Model Serving", () => {
  test("is in the catalog", () => {
    expect(RULES["DBA-AUTH-002"]).toMatchObject({ severity: "error", acknowledgeable: false });
  });

  test("fires for a Knowledge Assistant or a Supervisor Agent in system on an endpoint, with what to do", () => {
    for (const dep of [() => KnowledgeAssistant.fromId(KA), () => SupervisorAgent.fromId(SUPERVISOR)]) {
      const message = thrown(() => AgentTesting.synth(endpointStack(() => [dep()], "system").s));
      expect(message).toContain("[DBA-AUTH-002] test/Policy (prop system)");
      expect(message).toContain("cannot be declared for automatic passthrough on Model Serving");
      expect(message).toContain("declare it in `onBehalfOfUser`");
      expect(message).toContain("AgentApp");
    }
  });

  test("is silent on behalf of the user, and for a policy no endpoint uses", () => {
    expect(thrown(() => AgentTesting.synth(endpointStack(() => [KnowledgeAssistant.fromId(KA)]).s))).toBe("");
    const model = {
      bundles: [],
      endpoints: [],
      policies: [
        {
          path: "p",
          dependencies: [
            {
              key: "k",
              description: "d",
              system: true,
              onBehalfOfUser: false,
              oboAccessPaths: [],
              systemResources: [{ kind: "knowledge_assistant" as const, name: KA }],
            },
          ],
          additionalServingScopes: [],
          mlflowFloors: [],
        },
      ],
    };
    expect(passthroughWithoutMlflowKind.check(model)).toEqual([]);
  });

  test("is silent on an AgentApp: the app's service principal gets CAN_QUERY and the sub-agents' access", () => {
    const s = newStack();
    const policy = new AgentAuthPolicy(s, "Policy", {
      system: [
        SupervisorAgent.fromId(SUPERVISOR, { subAgents: [KnowledgeAssistant.fromId(KA)] }),
        KnowledgeAssistant.fromId(KA_2),
      ],
    });
    new AgentApp(s, "App", { name: "bricks-app", authPolicy: policy, consumers: [ANALYSTS] });
    const synth = AgentTesting.synth(s);
    const sp = synth.report.grants.filter((g) => /knowledge assistant|supervisor agent/.test(g.securable));
    expect(sp.map((g) => `${g.securable} | ${g.privileges.join(",")}`).sort()).toEqual([
      `knowledge assistant ${KA} | CAN_QUERY`,
      `knowledge assistant ${KA_2} | CAN_QUERY`,
      `supervisor agent ${SUPERVISOR} | CAN_QUERY`,
    ]);
    expect(new Set(sp.map((g) => g.principal)).size).toBe(1);
    expect(sp[0]!.principal).not.toBe(ANALYSTS.key);
  });
});

describe("AgentBricksAccess: consumers of an Agent Bricks agent", () => {
  test("its consumers get CAN_QUERY on the supervisor and, transitively, every sub-agent and its data", () => {
    const s = newStack();
    new AgentBricksAccess(s, "SupportUsers", { agent: supervisor(s), consumers: [ANALYSTS] });
    const got = rows(s, ANALYSTS.key);
    expect(got).toContain(`supervisor agent ${SUPERVISOR} | CAN_QUERY | report`);
    expect(got).toContain(`knowledge assistant ${KA} | CAN_QUERY | report`);
    expect(got).toContain("table main.sales.orders | SELECT | report");
    expect(got).toContain("schema main.tools | USE_SCHEMA | report");
    expect(got).toHaveLength(11);
    const reasons = AgentTesting.synth(s).report.grants.flatMap((g) => g.reasons);
    expect(reasons).toContain(`consumer of Supervisor Agent ${SUPERVISOR}`);
  });

  test("bad props fail with the rule id, the construct path, what was received and the fix", () => {
    const s = newStack();
    expect(
      thrown(
        () =>
          new AgentBricksAccess(s, "A", {
            agent: ServingEndpoint.fromName("x") as unknown as KnowledgeAssistant,
            consumers: [ANALYSTS],
          }),
      ),
    ).toContain("[DBA-CFG-001] test/A (prop agent)");
    expect(
      thrown(() => new AgentBricksAccess(s, "B", { agent: KnowledgeAssistant.fromId(KA), consumers: [] })),
    ).toContain("[DBA-CFG-001] test/B (prop consumers)");
    const bad = thrown(
      () =>
        new AgentBricksAccess(s, "C", {
          agent: KnowledgeAssistant.fromId("Sales KA"),
          consumers: [ANALYSTS],
        }),
    );
    expect(bad).toContain("[DBA-CFG-002] test/C (prop agent Knowledge Assistant id)");
    expect(bad).toContain('"Sales KA"');
  });

  test("output does not depend on declaration order", () => {
    const build = (reverse: boolean) => {
      const s = newStack();
      const a = () =>
        new AgentBricksAccess(s, "KaUsers", { agent: KnowledgeAssistant.fromId(KA), consumers: [ANALYSTS] });
      const b = () =>
        new AgentBricksAccess(s, "SupUsers", {
          agent: supervisor(s),
          consumers: [Principal.group("support")],
        });
      if (reverse) {
        b();
        a();
      } else {
        a();
        b();
      }
      AgentStackContext.of(s).configureGrants({ mechanism: "additive" });
      return AgentTesting.synth(s).terraform;
    };
    expect(build(true)).toBe(build(false));
  });
});

describe(`an authoritative ACL on a Knowledge Assistant (${ENGINE_NAME}, provider ${PROVIDER})`, () => {
  function authoritative() {
    const s = newStack();
    new AgentBricksAccess(s, "KaUsers", { agent: KnowledgeAssistant.fromId(KA), consumers: [ANALYSTS] });
    const ctx = AgentStackContext.of(s);
    ctx.configureGrants({ overrides: { [`knowledge_assistant:${KA}`]: "authoritative" } });
    ctx.acknowledge(s, "DBA-GRANT-001", "this Knowledge Assistant's ACL is managed by this stack alone");
    return s;
  }

  test(
    NATIVE
      ? "cdktn (1.132): native databricks_permissions with knowledge_assistant_id"
      : "cdktf (1.99): realised by the stack's mechanism, the report saying the bound provider lacks knowledge_assistant_id",
    () => {
      const s = authoritative();
      if (NATIVE) {
        const acls = Object.values(tfOf(s).resource.databricks_permissions ?? {});
        expect(acls).toEqual([
          {
            knowledge_assistant_id: KA,
            access_control: [{ group_name: "analysts", permission_level: "CAN_QUERY" }],
          },
        ]);
      } else {
        // Never dropped: the stack's mechanism (report) realises it, and the report says why.
        expect(tfOf(s).resource?.databricks_permissions).toBeUndefined();
        const row = AgentTesting.synth(s).report.grants.find((g) => g.securable.includes(KA))!;
        expect(row.mechanism).toBe("report");
        expect(row.reasons.join(" ")).toContain("knowledge_assistant_id");
        expect(row.reasons.join(" ")).toContain("1.116.0");
      }
    },
  );

  test("the report's commands for a knowledge assistant name the REST object type, whatever the engine", () => {
    expect(
      additiveCommands({
        kind: "permissions",
        cli: "databricks",
        apiType: "supervisor-agents",
        id: SUPERVISOR,
        lookup: [],
        levels: ["CAN_QUERY", "CAN_MANAGE"],
        entries: [{ group_name: "g", permission_level: "CAN_QUERY" }],
      }),
    ).toEqual([
      `databricks permissions update --json '{"access_control_list":[{"group_name":"g","permission_level":"CAN_QUERY"}]}' -- supervisor-agents ${SUPERVISOR}`,
    ]);
  });
});
