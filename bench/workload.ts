/**
 * The benchmark's workload: N agents shaped like seed 000 (examples/health-monitor), with warehouses
 * and tables shared across agents, deployed as Model Serving endpoints, Databricks Apps or both.
 * Agent i is the same whatever N is (its own seed); only its target depends on the shape.
 */
import { createHash } from "crypto";

/** How the agents are deployed: `endpoints` all on Model Serving, `apps` all on Apps, `mixed` alternating. */
export type Shape = "endpoints" | "apps" | "mixed";
export const SHAPES: readonly Shape[] = ["endpoints", "apps", "mixed"];
/** The target one agent is deployed to. */
export type Target = "endpoint" | "app";

const WAREHOUSE_POOL = 20;
const TABLE_POOL = 300;
const SCHEMA_POOL = 10;
const FUNCTION_POOL = 10;
export const LLM = "databricks-claude-sonnet-4";
export const DEPLOYER = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";
export const MANAGERS = "platform-admins";
export const OBO_FLAG = "DATABRICKS_USE_IDENTITY_PASSTHROUGH";
export const MLFLOW_VERSION = "3.3.2";
export const ENVIRONMENT: Readonly<Record<string, string>> = {
  LOG_LEVEL: "info",
  ENABLE_MLFLOW_TRACING: "true",
};
export const ACK_REASON =
  "Seed 000: evaluation and notebooks must run as the service principal; Model Serving runs on behalf of the user.";
export const APP_ACK_REASON =
  "Seed 000: the app's identity is the fallback for scheduled checks; interactive users always forward their token.";
/** Seed 000's six domains, with how many tables and functions each space has. */
const DOMAINS: readonly { domain: string; tables: number; functions: number }[] = [
  { domain: "cost", tables: 2, functions: 1 },
  { domain: "security", tables: 1, functions: 0 },
  { domain: "performance", tables: 2, functions: 0 },
  { domain: "reliability", tables: 1, functions: 0 },
  { domain: "quality", tables: 1, functions: 0 },
  { domain: "unified", tables: 3, functions: 0 },
];

const hex = (s: string, n: number): string => createHash("sha256").update(s).digest("hex").slice(0, n);
const pad = (i: number): string => String(i).padStart(4, "0");
export const WAREHOUSES = Array.from({ length: WAREHOUSE_POOL }, (_, k) => hex(`warehouse-${k}`, 16));
const TABLES = Array.from(
  { length: TABLE_POOL },
  (_, k) => `main.health_monitor_${k % SCHEMA_POOL}.fact_${String(k).padStart(3, "0")}`,
);
const FUNCTIONS = Array.from(
  { length: FUNCTION_POOL },
  (_, k) => `main.health_monitor_${k % SCHEMA_POOL}.cost_by_sku_${k}`,
);

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample<T>(pool: readonly T[], k: number, next: () => number): T[] {
  const picked = new Set<number>();
  while (picked.size < k) picked.add(Math.floor(next() * pool.length));
  return [...picked].map((i) => pool[i]!);
}

export interface BundleSpec {
  readonly domain: string;
  readonly spaceId: string;
  readonly warehouseId: string;
  readonly tables: readonly string[];
  readonly functions: readonly string[];
}

export interface AgentSpec {
  readonly id: string;
  readonly name: string;
  readonly target: Target;
  readonly model: string;
  readonly memory: string;
  readonly consumers: string;
  readonly bundles: readonly BundleSpec[];
}

/** Agent i is the same whatever N is (its own seed); `target` comes from the shape. */
function agentSpec(i: number, target: Target): AgentSpec {
  const next = rng(0x5eed000 + i * 7919);
  return {
    id: `Agent${pad(i)}`,
    name: `agent-${pad(i)}`,
    target,
    model: `main.agents.agent_${pad(i)}`,
    memory: `agent-${pad(i)}-memory`,
    consumers: `agent-${pad(i)}-readers`,
    bundles: DOMAINS.map((d) => ({
      domain: d.domain,
      spaceId: hex(`space-${i}-${d.domain}`, 32),
      warehouseId: WAREHOUSES[Math.floor(next() * WAREHOUSES.length)]!,
      tables: sample(TABLES, d.tables, next),
      functions: sample(FUNCTIONS, d.functions, next),
    })),
  };
}

const targetOf = (shape: Shape, i: number): Target =>
  shape === "endpoints" ? "endpoint" : shape === "apps" ? "app" : i % 2 === 0 ? "endpoint" : "app";

/** Agents 0..n-1 of a shape, split contiguously into `stacks` groups. */
export function workload(shape: Shape, n: number, stacks: number): AgentSpec[][] {
  const agents = Array.from({ length: n }, (_, i) => agentSpec(i, targetOf(shape, i)));
  return Array.from({ length: stacks }, (_, s) =>
    agents.slice(Math.floor((s * n) / stacks), Math.floor(((s + 1) * n) / stacks)),
  );
}

/** `Cost` for `cost`: the bundle's construct id prefix and the stem of its variable name. */
export const capitalised = (s: string): string => `${s[0]!.toUpperCase()}${s.slice(1)}`;
