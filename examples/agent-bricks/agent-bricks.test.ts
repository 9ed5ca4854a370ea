import { synthHarness, reportRows } from "../synth-harness";
import { AGENT_BRICKS, AgentBricksStack } from "./stack";

const STACK = "agent-bricks";
const { synthWith, read, snapshotTests, mlflowEntry } = synthHarness(STACK);

interface ReportJson {
  findings: { ruleId: string }[];
  grants: { securable: string; principal: string; privileges: string[]; mechanism: string }[];
}
interface Tf {
  resource: {
    terraform_data: Record<string, { input: { payload: string } }>;
    databricks_permissions: Record<string, Record<string, unknown>>;
  };
}

describe("agent-bricks example (a Supervisor Agent with sub-agents, a Knowledge Assistant's direct users)", () => {
  const synth = synthWith((app) => new AgentBricksStack(app, STACK));
  snapshotTests(synth, "support-bricks-agent");

  test("no findings; the policy's scope is the serving endpoints' and MLflow declares only the LLM", () => {
    expect((reportRows(read(synth.outdir, "agent-report.json")) as ReportJson).findings).toEqual([]);
    expect(mlflowEntry(synth.outdir, "support-bricks-agent").auth_policy).toEqual({
      system_auth_policy: {
        resources: { api_version: "1", databricks: { serving_endpoint: [{ name: AGENT_BRICKS.llm }] } },
      },
      user_auth_policy: { api_scopes: ["serving.serving-endpoints"] },
    });
  });

  test("the agent's consumers reach the supervisor and every sub-agent with its data; the docs readers the assistant only", () => {
    const grants = (reportRows(read(synth.outdir, "agent-report.json")) as ReportJson).grants;
    const of = (p: string) =>
      grants
        .filter((g) => g.principal === `group:${p}`)
        .map((g) => `${g.securable} ${g.privileges.join(",")}`);
    expect(of(AGENT_BRICKS.consumers)).toEqual(
      expect.arrayContaining([
        `supervisor agent ${AGENT_BRICKS.supervisorId} CAN_QUERY`,
        `knowledge assistant ${AGENT_BRICKS.docsAssistantId} CAN_QUERY`,
        `genie space ${AGENT_BRICKS.genieSpaceId} CAN_RUN`,
        `sql warehouse ${AGENT_BRICKS.warehouseId} CAN_USE`,
        "table main.support.tickets SELECT",
        "function main.support.ticket_summary EXECUTE",
        `function ${AGENT_BRICKS.refund} EXECUTE`,
        `serving endpoint ${AGENT_BRICKS.router} CAN_QUERY`,
      ]),
    );
    expect(of(AGENT_BRICKS.docsReaders)).toEqual([
      `knowledge assistant ${AGENT_BRICKS.docsAssistantId} CAN_QUERY`,
    ]);
    expect(
      grants.filter((g) => /agent |assistant /.test(g.securable)).every((g) => g.mechanism === "additive"),
    ).toBe(true);
  });

  test("the additive step names the Permissions API's object types; no databricks_permissions on objects the stack does not own", () => {
    const tf = read(synth.outdir, "cdk.tf.json") as Tf;
    const payloads = Object.values(tf.resource.terraform_data).map(
      (d) => JSON.parse(d.input.payload) as { apiType: string; id: string },
    );
    expect(payloads.filter((p) => p.id === AGENT_BRICKS.docsAssistantId).map((p) => p.apiType)).toEqual([
      "knowledge-assistants",
    ]);
    expect(payloads.filter((p) => p.id === AGENT_BRICKS.supervisorId).map((p) => p.apiType)).toEqual([
      "supervisor-agents",
    ]);
    expect(
      Object.values(tf.resource.databricks_permissions).filter(
        (p) => "knowledge_assistant_id" in p || "supervisor_agent_id" in p,
      ),
    ).toEqual([]);
  });
});
