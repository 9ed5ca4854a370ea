/**
 * The two variants of every shape: the library as users write it, and the same Terraform written by
 * hand with the raw provider classes (ModelServing, App, Permissions, outputs).
 */
import * as path from "path";
import { createRequire } from "module";
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { App as DatabricksApp, type AppResources } from "@cdktf/provider-databricks/lib/app";
import { ModelServing } from "@cdktf/provider-databricks/lib/model-serving";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  ACK_REASON,
  APP_ACK_REASON,
  capitalised,
  DEPLOYER,
  ENVIRONMENT,
  LLM,
  MANAGERS,
  MLFLOW_VERSION,
  OBO_FLAG,
  WAREHOUSES,
  type AgentSpec,
} from "./workload";

export type Lib = typeof import("../lib");
export type Variant = "library" | "raw";
export const VARIANTS: readonly Variant[] = ["library", "raw"];

/** The library directory the benchmark loads: BENCH_LIB (the parent makes it absolute), else the built package. */
export const libDir = (): string =>
  path.resolve(process.env.BENCH_LIB ?? path.join(__dirname, "..", "dist", "cdktf", "lib"));

/** index.js of the built package, or index.ts under tsx for BENCH_LIB=lib. */
export const loadLib = (): Lib => createRequire(__filename)(libDir()) as Lib;

function newStack(app: App, s: number): TerraformStack {
  const stack = new TerraformStack(app, `agents-${s}`);
  new LocalBackend(stack, { path: `terraform.agents-${s}.tfstate` });
  new DatabricksProvider(stack, "databricks", {});
  return stack;
}

// ---------------------------------------------------------------------------------------------------
// Variant 1: the library.
// ---------------------------------------------------------------------------------------------------

function buildLibrary(lib: Lib, app: App, groups: AgentSpec[][]): void {
  const warehouses = new Map(WAREHOUSES.map((id) => [id, lib.SqlWarehouse.fromId(id)]));
  const llm = lib.ServingEndpoint.fromName(LLM);
  const deployer = lib.Principal.servicePrincipal(DEPLOYER);
  const managers = lib.Principal.group(MANAGERS);
  groups.forEach((agents, s) => {
    const stack = newStack(app, s);
    const context = lib.AgentStackContext.of(stack);
    for (const a of agents) {
      const scope = new Construct(stack, a.id);
      const genie = a.bundles.map(
        (b) =>
          new lib.GenieResourceBundle(scope, `${capitalised(b.domain)}Genie`, {
            domain: b.domain,
            spaceId: b.spaceId,
            warehouse: warehouses.get(b.warehouseId)!,
            tables: b.tables,
            functions: b.functions,
          }),
      );
      const memory = lib.LakebaseInstance.fromName(a.memory);
      const policy = new lib.AgentAuthPolicy(scope, "Policy", {
        system: [llm, memory, ...genie],
        onBehalfOfUser: [llm, ...genie],
        mlflowVersion: MLFLOW_VERSION,
      });
      context.acknowledge(policy, "DBA-AUTH-001", ACK_REASON);
      const consumers = [lib.Principal.group(a.consumers)];
      if (a.target === "endpoint") {
        new lib.AgentServingEndpoint(scope, "Endpoint", {
          name: a.name,
          model: { name: a.model, version: "7" },
          workloadSize: "Small",
          scaleToZero: true,
          authPolicy: policy,
          environment: ENVIRONMENT,
          tags: { team: "platform", agent: a.name },
          consumers,
          managers: [managers],
          deployer,
        });
      } else {
        const agentApp = new lib.AgentApp(scope, "App", {
          name: a.name,
          description: `Agent ${a.name}`,
          authPolicy: policy,
          environment: ENVIRONMENT,
          consumers,
          managers: [managers],
          deployer,
        });
        context.acknowledge(agentApp, "DBA-APP-011", APP_ACK_REASON);
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Variant 2: the same resources by hand. Every grant on a shared object (the Genie spaces' tables and
// functions, their schemas and catalogs, the served model, warehouses, spaces, LLM, Lakebase) is left
// to its owners: the library's default mechanism (report) creates no resource for them, and neither
// does this variant.
// ---------------------------------------------------------------------------------------------------

const sortedRecord = (r: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const byName = <T extends { name: string }>(xs: T[]): T[] => xs.sort((x, y) => (x.name < y.name ? -1 : 1));

/** The ACL the stack owns on its target: consumers at `level`, the managers CAN_MANAGE, by group name. */
function acl(a: AgentSpec, level: string): { groupName: string; permissionLevel: string }[] {
  return [
    { groupName: a.consumers, permissionLevel: level },
    { groupName: MANAGERS, permissionLevel: "CAN_MANAGE" },
  ].sort((x, y) => (x.groupName < y.groupName ? -1 : 1));
}

function rawEndpoint(stack: TerraformStack, a: AgentSpec): void {
  const env: Record<string, string> = { ...ENVIRONMENT, [OBO_FLAG]: "true" };
  for (const b of a.bundles) env[`${b.domain.toUpperCase()}_GENIE_SPACE_ID`] = b.spaceId;
  const endpoint = new ModelServing(stack, `${a.id}_Endpoint`, {
    name: a.name,
    routeOptimized: false,
    config: {
      servedEntities: [
        {
          name: "current",
          entityName: a.model,
          entityVersion: "7",
          workloadSize: "Small",
          workloadType: "CPU",
          scaleToZeroEnabled: true,
          environmentVars: sortedRecord(env),
        },
      ],
      trafficConfig: { routes: [{ servedEntityName: "current", trafficPercentage: 100 }] },
    },
    tags: [
      { key: "agent", value: a.name },
      { key: "team", value: "platform" },
    ],
    lifecycle: {
      preventDestroy: true,
      ignoreChanges: ["description", "budget_policy_id", "email_notifications"],
    },
  });
  const where = `${stack.node.id}/${a.id}/Endpoint`;
  new TerraformOutput(stack, `${a.id}_Name`, { value: endpoint.name, description: `Name of ${where}` });
  new TerraformOutput(stack, `${a.id}_ServingEndpointId`, {
    value: endpoint.servingEndpointId,
    description: `serving_endpoint_id of ${where} (use it, not the name, for permissions)`,
  });
  new TerraformOutput(stack, `${a.id}_Url`, {
    value: endpoint.endpointUrl,
    description: `Invocation URL of ${where}`,
  });
  new Permissions(stack, `${a.id}_Permissions`, {
    servingEndpointId: endpoint.servingEndpointId,
    accessControl: acl(a, "CAN_QUERY"),
  });
}

function rawApp(stack: TerraformStack, a: AgentSpec): void {
  // What the app's own identity reaches, as app resources: the Lakebase database, the Genie spaces,
  // the LLM and each distinct warehouse (the spaces' tables and function have none on provider 1.99).
  const warehouses = [...new Set(a.bundles.map((b) => b.warehouseId))];
  const resources: AppResources[] = byName([
    {
      name: `database-${a.memory}`,
      description: `Lakebase instance ${a.memory}`,
      database: {
        databaseName: "databricks_postgres",
        instanceName: a.memory,
        permission: "CAN_CONNECT_AND_CREATE",
      },
    },
    ...a.bundles.map((b) => ({
      name: `genie-space-${b.spaceId}`,
      description: `Genie space ${b.spaceId}`,
      genieSpace: { name: b.spaceId, spaceId: b.spaceId, permission: "CAN_RUN" },
    })),
    {
      name: `serving-endpoint-${LLM}`,
      description: `serving endpoint ${LLM}`,
      servingEndpoint: { name: LLM, permission: "CAN_QUERY" },
    },
    ...warehouses.map((id) => ({
      name: `sql-warehouse-${id}`,
      description: `SQL warehouse ${id}`,
      sqlWarehouse: { id, permission: "CAN_USE" },
    })),
  ]);
  const app = new DatabricksApp(stack, `${a.id}_App`, {
    name: a.name,
    description: `Agent ${a.name}`,
    userApiScopes: ["genie", "model-serving"],
    resources,
    lifecycle: { preventDestroy: true },
  });
  const where = `${stack.node.id}/${a.id}/App`;
  new TerraformOutput(stack, `${a.id}_Name`, { value: app.name, description: `Name of ${where}` });
  new TerraformOutput(stack, `${a.id}_Url`, { value: app.url, description: `URL of ${where}` });
  new TerraformOutput(stack, `${a.id}_ServicePrincipalClientId`, {
    value: app.servicePrincipalClientId,
    description: `Application id of the service principal ${where} runs as`,
  });
  new Permissions(stack, `${a.id}_Permissions`, { appName: app.name, accessControl: acl(a, "CAN_USE") });
}

function buildRaw(app: App, groups: AgentSpec[][]): void {
  groups.forEach((agents, s) => {
    const stack = newStack(app, s);
    for (const a of agents) (a.target === "endpoint" ? rawEndpoint : rawApp)(stack, a);
  });
}

export function build(variant: Variant, app: App, groups: AgentSpec[][], lib?: Lib): void {
  if (variant === "library") buildLibrary(lib ?? loadLib(), app, groups);
  else buildRaw(app, groups);
}
