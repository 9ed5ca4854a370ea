/**
 * The seed-000 health-monitor program (examples/health-monitor/stack.ts) rewritten to take a
 * shuffle function: bundles, their tables and functions, the policy's dependency lists, the
 * endpoint's consumers, managers, environment and tags are declared in whatever order `shuffle`
 * gives. Every order must synthesize the same bytes as HealthMonitorStack.
 */
import { LocalBackend, TerraformStack } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import type { Construct } from "constructs";
import {
  AgentAuthPolicy,
  AgentServingEndpoint,
  AgentStackContext,
  GenieResourceBundle,
  LakebaseInstance,
  Principal,
  ServingEndpoint,
  SqlWarehouse,
} from "../../lib";
import { HEALTH_MONITOR_SPACES } from "../../examples/health-monitor/stack";

/** Returns a permutation of its argument (a new array). */
export type Shuffle = <T>(xs: readonly T[]) => T[];

/** The identity order. */
export const inOrder: Shuffle = (xs) => [...xs];

/** A seeded shuffle (mulberry32 + Fisher-Yates), so every order is reproducible from its seed. */
export function seededShuffle(seed: number): Shuffle {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
}

const shuffledRecord = (r: Record<string, string>, shuffle: Shuffle): Record<string, string> =>
  Object.fromEntries(shuffle(Object.entries(r)));

export interface HealthMonitorOptions {
  /** Extra consumers and managers (mixed-case emails, groups, service principals), for a richer grant plan. */
  readonly extraPrincipals?: boolean;
}

/** Seed 000 as a plain TerraformStack, declared in the order `shuffle` decides. */
export function shuffledHealthMonitor(
  scope: Construct,
  shuffle: Shuffle,
  id = "health-monitor",
  options: HealthMonitorOptions = {},
): TerraformStack {
  const stack = new TerraformStack(scope, id);
  new LocalBackend(stack, { path: `terraform.${id}.tfstate` });
  new DatabricksProvider(stack, "databricks", {});

  const llm = ServingEndpoint.fromName("databricks-claude-sonnet-4");
  const memory = LakebaseInstance.fromName("health-monitor-memory");

  // Bundles in a shuffled declaration order; each gets its own (equal) warehouse reference.
  const bundles = new Map<string, GenieResourceBundle>();
  for (const s of shuffle(HEALTH_MONITOR_SPACES)) {
    bundles.set(
      s.domain,
      new GenieResourceBundle(stack, `${s.domain[0]!.toUpperCase()}${s.domain.slice(1)}Genie`, {
        domain: s.domain,
        spaceId: s.spaceId,
        warehouse: SqlWarehouse.fromId("4b9b953939869799"),
        tables: shuffle(s.tables),
        ...(s.functions ? { functions: shuffle(s.functions) } : {}),
      }),
    );
  }
  const genie = [...bundles.values()];

  const policy = new AgentAuthPolicy(stack, "Policy", {
    system: shuffle([llm, memory, ...genie]),
    onBehalfOfUser: shuffle([llm, ...genie]),
    mlflowVersion: "3.3.2",
  });
  AgentStackContext.of(stack).acknowledge(
    policy,
    "DBA-AUTH-001",
    "Seed 000: evaluation and notebooks must run as the service principal; Model Serving runs on behalf of the user.",
  );

  const extraConsumers = options.extraPrincipals
    ? [
        Principal.user("Alice.Smith@Example.COM"),
        Principal.user("bob@example.com"),
        Principal.group("finops-analysts"),
        Principal.servicePrincipal("0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"),
        Principal.user("alice.smith@example.com"),
      ]
    : [];
  const extraManagers = options.extraPrincipals ? [Principal.user("Ops.Lead@Example.com")] : [];

  new AgentServingEndpoint(stack, "HealthMonitor", {
    name: "health-monitor-agent",
    model: { name: "main.agents.health_monitor_agent", version: "7" },
    workloadSize: "Small",
    scaleToZero: true,
    authPolicy: policy,
    environment: shuffledRecord({ LOG_LEVEL: "info", ENABLE_MLFLOW_TRACING: "true" }, shuffle),
    tags: shuffledRecord({ team: "platform", agent: "health-monitor" }, shuffle),
    consumers: shuffle([Principal.group("platform-health-readers"), ...extraConsumers]),
    managers: shuffle([Principal.group("platform-admins"), ...extraManagers]),
    deployer: Principal.servicePrincipal("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"),
  });
  return stack;
}
