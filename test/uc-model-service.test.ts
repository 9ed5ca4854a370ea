// uc_model_service end to end: MLflow's DatabricksUCModelService (3.17.0) as a dependency kind, added with
// a row in lib/model/mlflow-kinds.json, a row in lib/model/resource-kinds.ts, the model_service securable
// type in lib/model/securable-types.ts and the class in lib/model/references.ts.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../bin/check-auth-policy";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  AgentTesting,
  Principal,
  RESOURCE_KINDS,
  ServingEndpoint,
  UcModelService,
} from "../lib";
import { ENGINES } from "../lib/engine/compat";
import { grantAttributeAvailable, SECURABLE_TYPES } from "../lib/model/securable-types";
import { DEPLOYER, newStack, thrown } from "./helpers";

const SERVICE = "main.agents.chat_service";

function stack(
  mode: "system" | "onBehalfOfUser",
  extra: { mlflowVersion?: string; mechanism?: "report" | "additive" } = {},
) {
  const s = newStack();
  if (extra.mechanism) AgentStackContext.of(s).configureGrants({ mechanism: extra.mechanism });
  const policy = new AgentAuthPolicy(s, "Policy", {
    [mode]: [UcModelService.fromName(SERVICE)],
    ...(mode === "onBehalfOfUser"
      ? { system: [ServingEndpoint.fromName("databricks-claude-sonnet-4")] }
      : {}),
    ...(extra.mlflowVersion ? { mlflowVersion: extra.mlflowVersion } : {}),
  });
  new AgentServingEndpoint(s, "Agent", {
    name: "svc-agent",
    model: { name: "main.agents.svc_agent", version: "1" },
    authPolicy: policy,
    consumers: [Principal.group("analysts")],
    deployer: DEPLOYER,
  });
  return { s, policy };
}

describe("UcModelService", () => {
  test("reads its kind's row: key, description, MLflow resource, access per role, OBO through ai-gateway", () => {
    const d = UcModelService.fromName(SERVICE);
    expect(d).toBeInstanceOf(UcModelService);
    expect(d.name).toBe(SERVICE);
    expect(d.dependencyKey).toBe(`uc_model_service:${SERVICE}`);
    expect(d.description).toBe(`UC model service ${SERVICE}`);
    expect(d.systemResources()).toEqual([{ kind: "uc_model_service", name: SERVICE }]);
    for (const role of ["deployer", "consumer"] as const)
      expect(d.accessNeeds(role)).toEqual([
        { securable: { family: "uc", type: "model_service", name: SERVICE }, privilege: "EXECUTE" },
      ]);
    // Reached on behalf of the user through the ai-gateway scope on both targets (issue 16).
    expect(d.oboAccessPaths()).toEqual(["unity_gateway"]);
    expect(d.oboAccessPaths("databricksApps")).toEqual(["unity_gateway"]);
    expect(d.oboUnsupportedReason).toBeUndefined();
    expect(d.problems()).toEqual([]);
    expect(RESOURCE_KINDS.uc_model_service).toMatchObject({
      mlflowClass: "DatabricksUCModelService",
      constructorArg: "model_service_name",
      firstRelease: "3.17.0",
      minMlflow: "3.17.0",
    });
  });

  test("a name that is not catalog.schema.name fails with DBA-CFG-002", () => {
    const message = thrown(
      () => new AgentAuthPolicy(newStack(), "P", { system: [UcModelService.fromName("chat_service")] }),
    );
    expect(message).toContain("DBA-CFG-002");
    expect(message).toContain("UC model service chat_service: model service name has 1 part, not 3");
    expect(message).toContain('e.g. "main.agents.chat_service"');
  });

  test("passthrough: MLflow resource, minimum MLflow 3.17.0, EXECUTE for the deployer with the parents' USE_*", () => {
    const { s, policy } = stack("system");
    expect(policy.toMlflowDict().system_auth_policy).toEqual({
      resources: { api_version: "1", databricks: { uc_model_service: [{ name: SERVICE }] } },
    });
    expect(policy.minMlflowVersion).toBe("3.17.0");
    expect(policy.pipRequirements).toContain("mlflow>=3.17.0");
    const synth = AgentTesting.synth(s);
    expect(synth.mlflow["svc-agent"]!.metadata.min_mlflow_version).toBe("3.17.0");
    const rows = synth.report.grants
      .filter((g) => g.principal === DEPLOYER.key)
      .map((g) => `${g.securable} | ${g.privileges.join(",")} | ${g.mechanism}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        "catalog main | USE_CATALOG | report",
        "schema main.agents | USE_SCHEMA | report",
        `model_service ${SERVICE} | EXECUTE | report`,
      ]),
    );
    const commands = synth.report.requiredActions.find(
      (a) => a.object === `model_service ${SERVICE}`,
    )!.commands;
    expect(commands).toEqual([
      `databricks grants update --json '{"changes":[{"principal":"${DEPLOYER.name}","add":["EXECUTE"]}]}' -- model_service ${SERVICE}`,
    ]);
    // Nobody else is granted on it: consumers reach the endpoint, not the service.
    expect(synth.report.grants.filter((g) => g.securable === `model_service ${SERVICE}`)).toHaveLength(1);
  });

  test("additive: the step adds EXECUTE through the UC permissions API's model_service type", () => {
    const { s } = stack("system", { mechanism: "additive" });
    const tf = JSON.parse(AgentTesting.synth(s).terraform) as {
      resource: Record<string, Record<string, { input: { payload: string } }>>;
    };
    const payloads = Object.values(tf.resource.terraform_data ?? {}).map(
      (d) => JSON.parse(d.input.payload) as { apiType: string; id: string; changes?: unknown },
    );
    expect(payloads.find((p) => p.id === SERVICE)).toMatchObject({
      kind: "grants",
      apiType: "model_service",
      changes: [{ principal: DEPLOYER.name, add: ["EXECUTE"] }],
    });
  });

  test("on behalf of the user: scope ai-gateway, EXECUTE for each consumer with the parents' USE_*", () => {
    const { s, policy } = stack("onBehalfOfUser");
    expect(policy.toMlflowDict().user_auth_policy).toEqual({ api_scopes: ["ai-gateway"] });
    const rows = AgentTesting.synth(s)
      .report.grants.filter((g) => g.principal === "group:analysts")
      .map((g) => `${g.securable} | ${g.privileges.join(",")}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        "catalog main | USE_CATALOG",
        "schema main.agents | USE_SCHEMA",
        `model_service ${SERVICE} | EXECUTE`,
      ]),
    );
  });

  test("an MLflow pin below 3.17.0 fails with DBA-VER-001", () => {
    expect(thrown(() => AgentTesting.synth(stack("system", { mlflowVersion: "3.16.1" }).s))).toContain(
      "DBA-VER-001",
    );
    expect(thrown(() => AgentTesting.synth(stack("system", { mlflowVersion: "3.17.0" }).s))).toBe("");
  });

  test("databricks_grant has model_service from provider 1.127: cdktn's 1.132 only, not cdktf's 1.99", () => {
    expect(SECURABLE_TYPES.uc.model_service).toMatchObject({
      apiType: "model_service",
      grantAttributeSince: "1.127.0",
    });
    expect(grantAttributeAvailable("model_service", ENGINES.cdktf.provider)).toBe(false);
    expect(grantAttributeAvailable("model_service", ENGINES.cdktn.provider)).toBe(true);
    expect(grantAttributeAvailable("table", ENGINES.cdktf.provider)).toBe(true);
  });
});

describe("dba-check-auth-policy accepts uc_model_service", () => {
  test("the synthesized policy agrees with an MLmodel logged with DatabricksUCModelService (exit 0)", () => {
    const synth = AgentTesting.synth(stack("system").s);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-ucms-"));
    const policyFile = path.join(dir, "auth_policy.json");
    fs.writeFileSync(policyFile, JSON.stringify(synth.mlflow["svc-agent"]!.authPolicy));
    fs.writeFileSync(
      path.join(dir, "MLmodel"),
      [
        "auth_policy:",
        "  system_auth_policy:",
        "    resources:",
        "      api_version: '1'",
        "      databricks:",
        "        uc_model_service:",
        `        - name: ${SERVICE}`,
        "  user_auth_policy: {}",
        "mlflow_version: 3.17.2",
        "",
      ].join("\n"),
    );
    const out: string[] = [];
    const err: string[] = [];
    expect(
      main(
        [policyFile, dir],
        (x) => out.push(x),
        (x) => err.push(x),
      ),
    ).toBe(0);
    expect(err).toEqual([]);
    expect(out.join("\n")).toContain("OK:");
  });
});
