import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../bin/check-auth-policy";
import { comparePolicies, formatDiff, parseMlmodel, parsePolicyFile } from "../lib/mlflow/contract";

const POLICY = {
  system_auth_policy: {
    resources: {
      api_version: "1",
      databricks: {
        genie_space: [{ name: "01f0c0ffee0000000000000000000001" }],
        serving_endpoint: [{ name: "databricks-claude-sonnet-4" }],
        sql_warehouse: [{ name: "4b9b953939869799" }],
        table: [{ name: "main.sales.customers" }, { name: "main.sales.orders" }],
      },
    },
  },
  user_auth_policy: { api_scopes: ["dashboards.genie"] },
};

/** An MLmodel as MLflow's save_model writes it (PyYAML block style). */
const mlmodel = (tables: string[], scopes: string[]): string =>
  [
    "artifact_path: null",
    "auth_policy:",
    "  system_auth_policy:",
    "    resources:",
    "      api_version: '1'",
    "      databricks:",
    "        genie_space:",
    "        - name: 01f0c0ffee0000000000000000000001",
    "        serving_endpoint:",
    "        - name: databricks-claude-sonnet-4",
    "        sql_warehouse:",
    "        - name: '4b9b953939869799'",
    "        table:",
    ...tables.map((t) => `        - name: ${t}`),
    ...(scopes.length
      ? ["  user_auth_policy:", "    api_scopes:", ...scopes.map((s) => `    - ${s}`)]
      : ["  user_auth_policy: {}"]),
    "flavors:",
    "  python_function:",
    "    loader_module: mlflow.pyfunc.model",
    "mlflow_version: 3.17.2",
    "",
  ].join("\n");

function files(model: string, policy: unknown = POLICY): { policy: string; model: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dba-contract-"));
  fs.writeFileSync(
    path.join(dir, "auth_policy.json"),
    typeof policy === "string" ? policy : JSON.stringify(policy),
  );
  fs.writeFileSync(path.join(dir, "MLmodel"), model);
  return { policy: path.join(dir, "auth_policy.json"), model: path.join(dir, "MLmodel"), dir };
}

function run(args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = main(
    args,
    (s) => (out += s + "\n"),
    (s) => (err += s + "\n"),
  );
  return { code, out, err };
}

describe("dba-check-auth-policy", () => {
  test("exit 0 when the model agrees (given the model directory)", () => {
    const f = files(mlmodel(["main.sales.customers", "main.sales.orders"], ["dashboards.genie"]));
    const r = run([f.policy, f.dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("(5 resources, 1 scopes)");
  });

  test("exit 1 listing a removed table and an extra scope", () => {
    const f = files(mlmodel(["main.sales.orders"], ["dashboards.genie", "sql.warehouses"]));
    const r = run([f.policy, f.model]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "resources the policy declares but the model does not (passthrough will lack access):\n  - table:main.sales.customers",
    );
    expect(r.err).toContain(
      "scopes the model declares but the policy does not need (least privilege):\n  - sql.warehouses",
    );
  });

  test("exit 1 for a model logged with resources= only, naming it", () => {
    const f = files(
      "resources:\n  api_version: '1'\n  databricks:\n    serving_endpoint:\n    - name: databricks-claude-sonnet-4\n",
    );
    const r = run([f.policy, f.model]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("logged with resources=");
    expect(r.err).toContain("  - dashboards.genie");
  });

  test.each([
    ["a policy that is not JSON", "{nope", mlmodel([], []), "auth_policy.json: (file): not valid JSON"],
    [
      "api_version as a number",
      JSON.stringify({
        system_auth_policy: { resources: { api_version: 1, databricks: {} } },
        user_auth_policy: {},
      }),
      mlmodel([], []),
      'system_auth_policy.resources.api_version: expected the string "1", got 1',
    ],
    [
      "an unknown resource kind",
      JSON.stringify({
        system_auth_policy: { resources: { api_version: "1", databricks: { genie: [{ name: "x" }] } } },
        user_auth_policy: {},
      }),
      mlmodel([], []),
      "system_auth_policy.resources.databricks.genie: unknown resource kind",
    ],
    [
      "an entry without name",
      JSON.stringify({
        system_auth_policy: {
          resources: { api_version: "1", databricks: { table: [{ table_name: "a.b.c" }] } },
        },
        user_auth_policy: {},
      }),
      mlmodel([], []),
      "databricks.table[0].name: expected a non-empty string",
    ],
    [
      "a scope that is not a string",
      JSON.stringify({ system_auth_policy: {}, user_auth_policy: { api_scopes: ["a", 3] } }),
      mlmodel([], []),
      "user_auth_policy.api_scopes[1]: expected a scope string, got 3",
    ],
    ["an MLmodel that is not YAML", JSON.stringify(POLICY), "a: [b\n", "MLmodel: (file): not valid YAML"],
    [
      "an MLmodel without auth_policy",
      JSON.stringify(POLICY),
      "flavors: {}\n",
      "MLmodel: auth_policy: missing",
    ],
  ])("exit 2 naming the file and the field for %s", (_name, policy, model, message) => {
    const f = files(model, policy);
    const r = run([f.policy, f.model]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  test("usage and missing files", () => {
    expect(run([]).code).toBe(2);
    expect(run(["/nonexistent/auth_policy.json", "/nonexistent"]).err).toContain(
      "/nonexistent/auth_policy.json: (file): does not exist",
    );
  });

  describe("the policy as an entry of a stack's mlflow.json", () => {
    /** A stack directory whose mlflow.json holds `policy` under `sales-agent`, and a model logged with it. */
    const stack = (policy: unknown = POLICY) => {
      const f = files(mlmodel(["main.sales.customers", "main.sales.orders"], ["dashboards.genie"]));
      const metadata = { endpoint_name: "sales-agent" };
      fs.writeFileSync(
        path.join(f.dir, "mlflow.json"),
        JSON.stringify({ "sales-agent": { auth_policy: policy, metadata } }),
      );
      return f;
    };
    test("the stack directory or mlflow.json with --target: exit 0 when the model agrees", () => {
      const f = stack();
      const r = run([f.dir, "--target", "sales-agent", f.dir]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`agrees with ${path.join(f.dir, "mlflow.json")} [sales-agent] (5 resources`);
      expect(run([path.join(f.dir, "mlflow.json"), f.model, "--target", "sales-agent"]).code).toBe(0);
    });
    test("exit 1 when the model differs from the entry", () => {
      const f = stack({ ...POLICY, user_auth_policy: { api_scopes: ["sql.warehouses"] } });
      expect(run([f.dir, "--target", "sales-agent", f.model]).code).toBe(1);
    });
    test("exit 2 for an unknown or missing --target, naming the endpoints there are, and a malformed entry", () => {
      const f = stack();
      const unknown = run([f.dir, "--target", "sales", f.model]);
      expect(unknown.code).toBe(2);
      expect(unknown.err).toContain(
        '--target "sales" names no target; endpoints (mlflow.json): sales-agent;',
      );
      expect(run([f.dir, f.model]).err).toContain("--target is needed to pick a target from a stack's files");
      expect(run([f.policy, "--target", "sales-agent", f.model]).err).toContain(
        "--target is for a stack directory or its mlflow.json, not a per-target file",
      );
      expect(run([f.dir, "--target", f.model]).err).toContain("usage:");
      const bad = stack({
        system_auth_policy: { resources: { api_version: 1, databricks: {} } },
        user_auth_policy: {},
      });
      expect(run([bad.dir, "--target", "sales-agent", bad.model]).err).toContain(
        `${path.join(bad.dir, "mlflow.json")} [sales-agent]: system_auth_policy.resources.api_version: expected the string "1"`,
      );
    });
  });

  test("the pure comparison is symmetric and sorted", () => {
    const a = parsePolicyFile("a", JSON.stringify(POLICY));
    const b = parseMlmodel("b", mlmodel(["main.sales.orders", "main.x.y"], []));
    const d = comparePolicies(a, b);
    expect(d).toEqual({
      missingResources: ["table:main.sales.customers"],
      extraResources: ["table:main.x.y"],
      missingScopes: ["dashboards.genie"],
      extraScopes: [],
    });
    expect(formatDiff(d).split("\n")).toHaveLength(6);
  });
});
