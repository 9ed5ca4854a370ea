import * as fs from "fs";
import { synthHarness } from "../synth-harness";
import * as path from "path";
import { GenieResourceBundle, SqlWarehouse } from "../../lib";
import { HealthMonitorStack } from "./stack";

const { synthWith: synthInto, read, snapshotTests } = synthHarness("health-monitor");

describe("health-monitor example (seed 000)", () => {
  const synth = synthInto((app) => new HealthMonitorStack(app));
  const { outdir } = synth;
  snapshotTests(synth, "health-monitor-agent");

  test("the endpoint carries the six Genie space ids and the OBO flag", () => {
    const tf = read(outdir, "cdk.tf.json") as {
      resource: {
        databricks_model_serving: Record<
          string,
          { config: { served_entities: { environment_vars: Record<string, string> }[] } }
        >;
      };
    };
    const env = Object.values(tf.resource.databricks_model_serving)[0]!.config.served_entities[0]!
      .environment_vars;
    expect(Object.keys(env).filter((k) => k.endsWith("_GENIE_SPACE_ID"))).toEqual([
      "COST_GENIE_SPACE_ID",
      "PERFORMANCE_GENIE_SPACE_ID",
      "QUALITY_GENIE_SPACE_ID",
      "RELIABILITY_GENIE_SPACE_ID",
      "SECURITY_GENIE_SPACE_ID",
      "UNIFIED_GENIE_SPACE_ID",
    ]);
    expect(env.DATABRICKS_USE_IDENTITY_PASSTHROUGH).toBe("true");
  });

  test("removing one Genie bundle's warehouse fails synth with DBA-GENIE-001 and the bundle's path, and writes no cdk.tf.json", () => {
    const broken = synthInto((app) => {
      const stack = new HealthMonitorStack(app);
      // A JavaScript or config-driven caller can omit the warehouse; TypeScript would refuse it at compile time.
      new GenieResourceBundle(stack, "FinanceGenie", {
        domain: "finance",
        spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d07",
        tables: ["main.finance.ledger"],
      } as unknown as ConstructorParameters<typeof GenieResourceBundle>[2]);
    });
    expect(broken.error).toContain("[DBA-GENIE-001] health-monitor/FinanceGenie (prop warehouse)");
    expect(broken.error).toContain("fix:");
    expect(fs.existsSync(path.join(broken.outdir, "stacks", "health-monitor", "cdk.tf.json"))).toBe(false);
  });

  test("an OBO Genie dependency without its scope fails synth with DBA-SCOPE-001 and the policy's path", () => {
    const broken = synthInto(
      (app) => new HealthMonitorStack(app, "health-monitor", { apiScopes: ["serving.serving-endpoints"] }),
    );
    expect(broken.error).toContain("[DBA-SCOPE-001] health-monitor/Policy (prop apiScopes)");
    expect(broken.error).toContain('add "dashboards.genie" to apiScopes');
    expect(fs.existsSync(path.join(broken.outdir, "stacks", "health-monitor", "cdk.tf.json"))).toBe(false);
  });

  test("a warehouse given in the bundle is enough (the closest correct input)", () => {
    const ok = synthInto((app) => {
      const stack = new HealthMonitorStack(app);
      new GenieResourceBundle(stack, "FinanceGenie", {
        domain: "finance",
        spaceId: "01f0a1b2c3d4e5f60718293a4b5c6d07",
        warehouse: SqlWarehouse.fromId("4b9b953939869799"),
        tables: ["main.finance.ledger"],
      });
    });
    // The extra bundle is unused: a warning, not an error.
    expect(ok.error).toBe("");
  });
});
