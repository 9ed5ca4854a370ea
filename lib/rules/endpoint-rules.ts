import type { Problem } from "../model/problem";
import { mask, show } from "../model/problem";
import {
  isSecretReference,
  MANUAL_AUTH_VARIABLES,
  SECRET_NAME_PATTERN,
  SECRET_VALUE_PATTERN,
} from "../model/secret-ref";
import { containsToken } from "../model/tokens";
import { parseUcName, UC_NAME_ALLOWED } from "../model/uc-name";
import { environmentEntries, type StackModel } from "./stack-model";

/** Endpoint names Model Serving accepts. */
export const ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** DBA-EP-001: routes not summing to 100. */
export function routesNotHundred(m: StackModel): Problem[] {
  return m.endpoints
    .filter((e) => e.entities.length > 0)
    .filter((e) => Object.values(e.traffic).reduce((a, b) => a + b, 0) !== 100)
    .map((e) => ({
      ruleId: "DBA-EP-001",
      path: e.path,
      prop: "traffic",
      message: `traffic percentages sum to ${Object.values(e.traffic).reduce((a, b) => a + b, 0)}, not 100`,
      received: show(e.traffic),
      allowed: "whole percentages from 0 to 100 that sum to 100",
      fix: "adjust the split so it sums to 100, e.g. { current: 90, candidate: 10 }",
    }));
}

/** DBA-EP-002: a route to an unknown entity, or an entity without a route. */
export function routeTargets(m: StackModel): Problem[] {
  return m.endpoints.flatMap((e) => {
    const names = e.entities.map((x) => x.name);
    const routed = Object.keys(e.traffic);
    const toUnknown = routed
      .filter((r) => !names.includes(r))
      .map((r) => ({
        ruleId: "DBA-EP-002",
        path: e.path,
        prop: `traffic.${r}`,
        message: `route "${r}" names no served entity`,
        received: `"${r}"`,
        allowed: names.map((n) => `"${n}"`).join(", "),
        fix: "route to a declared served entity's name",
      }));
    const unrouted = names
      .filter((n) => !routed.includes(n))
      .map((n) => ({
        ruleId: "DBA-EP-002",
        path: e.path,
        prop: "traffic",
        message: `served entity "${n}" has no route; the server would invent one and the plan would drift`,
        received: show(e.traffic),
        allowed: "a route (0 to 100) for every served entity",
        fix: `add "${n}": <percentage> to traffic (0 keeps it warm without traffic)`,
      }));
    const badPercent = Object.entries(e.traffic)
      .filter(([, v]) => !Number.isInteger(v) || v < 0 || v > 100)
      .map(([k, v]) => ({
        ruleId: "DBA-EP-001",
        path: e.path,
        prop: `traffic.${k}`,
        message: `route "${k}" has percentage ${v}`,
        received: String(v),
        allowed: "a whole number from 0 to 100",
        fix: "use whole percentages",
      }));
    return [...toUnknown, ...unrouted, ...badPercent];
  });
}

/** DBA-EP-003: duplicate served-entity names in an endpoint, or duplicate endpoint names in a stack. */
export function duplicateNames(m: StackModel): Problem[] {
  const entityDups = m.endpoints.flatMap((e) => {
    const seen = new Set<string>();
    const dups = new Set(
      e.entities.map((x) => x.name).filter((n) => (seen.has(n) ? true : (seen.add(n), false))),
    );
    return [...dups].map((n) => ({
      ruleId: "DBA-EP-003",
      path: e.path,
      prop: "servedEntities",
      message: `served entity name "${n}" is used more than once`,
      received: `"${n}"`,
      allowed: "unique names",
      fix: "give each served entity its own name, e.g. the model version",
    }));
  });
  const byName = new Map<string, string[]>();
  for (const e of m.endpoints) byName.set(e.name, [...(byName.get(e.name) ?? []), e.path]);
  const endpointDups = [...byName.entries()]
    .filter(([, paths]) => paths.length > 1)
    .map(([name, paths]) => ({
      ruleId: "DBA-EP-003",
      path: paths[1]!,
      prop: "name",
      message: `endpoint name "${name}" is also used by ${paths.filter((p) => p !== paths[1]).join(", ")}; both would manage one endpoint`,
      received: `"${name}"`,
      allowed: "a name unique in the workspace",
      fix: "rename one endpoint",
    }));
  return [...entityDups, ...endpointDups];
}

/** DBA-EP-004: invalid endpoint name. */
export function invalidEndpointName(m: StackModel): Problem[] {
  return m.endpoints
    .filter((e) => !containsToken(e.name) && !ENDPOINT_NAME.test(e.name))
    .map((e) => ({
      ruleId: "DBA-EP-004",
      path: e.path,
      prop: "name",
      message: "is not a valid serving endpoint name",
      received: show(e.name),
      allowed: "letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters",
      fix: 'use a name such as "health-monitor-agent"',
    }));
}

/** DBA-EP-005: unpinned model version. */
export function unpinnedVersion(m: StackModel): Problem[] {
  return m.endpoints.flatMap((e) =>
    e.entities
      .filter((x) => !containsToken(x.version) && !/^[1-9][0-9]{0,9}$/.test(x.version))
      .map((x) => ({
        ruleId: "DBA-EP-005",
        path: e.path,
        prop: `served entity "${x.name}" version`,
        message: "the served model version is not pinned to a version number",
        received: show(x.version),
        allowed: 'a positive version number such as "7"',
        fix: "serve an explicit version; resolve aliases such as @champion to their number when you synthesize",
      })),
  );
}

/** DBA-EP-006: a variable set twice. */
export function environmentCollision(m: StackModel): Problem[] {
  return m.endpoints.flatMap((e) =>
    environmentEntries(e)
      .filter(({ name }) => e.managedEnvironment.includes(name) || e.secretNames.includes(name))
      .map(({ prop, name: k }) => ({
        ruleId: "DBA-EP-006",
        path: e.path,
        prop,
        message: `${k} is set in environment and also ${e.managedEnvironment.includes(k) ? "by the library (from the auth policy)" : "in secrets"}`,
        received: k,
        allowed: "each variable set once",
        fix: e.managedEnvironment.includes(k)
          ? `remove ${k} from environment: the library sets it from the policy`
          : `remove ${k} from environment and keep the secret reference`,
      })),
  );
}

/** DBA-EP-007: a served model that is not a UC model. */
export function modelNotInUc(m: StackModel): Problem[] {
  return m.endpoints.flatMap((e) =>
    e.entities
      .filter((x) => !containsToken(x.modelName) && typeof parseUcName(x.modelName) === "string")
      .map((x) => ({
        ruleId: "DBA-EP-007",
        path: e.path,
        prop: `served entity "${x.name}" model name`,
        message: `model name ${parseUcName(x.modelName) as string}`,
        received: show(x.modelName),
        allowed: UC_NAME_ALLOWED,
        fix: "register the agent in Unity Catalog (mlflow.set_registry_uri('databricks-uc')) and serve catalog.schema.model",
      })),
  );
}

/** DBA-SEC-001: a secret-looking variable with a literal value. The value is never printed. */
export function literalSecret(m: StackModel): Problem[] {
  return m.endpoints.flatMap((e) =>
    environmentEntries(e)
      .filter(
        ({ name: k, value: v }) =>
          !containsToken(v) &&
          !isSecretReference(v) &&
          (SECRET_NAME_PATTERN.test(k) || SECRET_VALUE_PATTERN.test(v.trim())),
      )
      .map(({ prop, name: k, value: v }) => ({
        ruleId: "DBA-SEC-001",
        path: e.path,
        prop,
        message: `${k} looks like a secret but has a literal value: it would appear in the plan output and the Terraform state`,
        received: mask(v),
        allowed: "a secret reference: secrets: { " + k + ": SecretRef.of(scope, key) }",
        fix: `store the value in a Databricks secret scope and move ${k} to \`secrets\``,
      }))
      .sort((a, b) => (a.prop < b.prop ? -1 : 1)),
  );
}

/** DBA-SEC-002: manual-auth variables that disable passthrough. */
export function manualAuthVariables(m: StackModel): Problem[] {
  return m.endpoints
    .filter((e) => e.hasSystemDependencies)
    .flatMap((e) => {
      const set = [...new Set([...environmentEntries(e).map((x) => x.name), ...e.secretNames])]
        .filter((k) => MANUAL_AUTH_VARIABLES.includes(k))
        .sort();
      if (set.length === 0) return [];
      return [
        {
          ruleId: "DBA-SEC-002",
          path: e.path,
          prop: "environment/secrets",
          message: `${set.join(", ")} switch the Databricks SDK to manual authentication, which overrides the passthrough credentials for every resource the policy declares`,
          received: set.join(", "),
          allowed: "no manual-auth variables when resources are declared for passthrough",
          fix: "remove them, or acknowledge DBA-SEC-002 on the endpoint and grant the manual identity access to every declared resource",
        },
      ];
    });
}

/** DBA-EP-008: a change that replaces a deployed endpoint (name, route_optimized) while it is protected. */
export function replacingChange(m: StackModel): Problem[] {
  const deployed = m.deployedEndpoints;
  if (deployed === undefined) return [];
  return m.endpoints.flatMap((e) => {
    const before = deployed[e.path];
    if (before === undefined || !e.protect) return [];
    const changes = [
      ...(before.name !== e.name ? [`name "${before.name}" -> "${e.name}"`] : []),
      ...(before.routeOptimized !== e.routeOptimized
        ? [`routeOptimized ${before.routeOptimized} -> ${e.routeOptimized}`]
        : []),
    ];
    if (changes.length === 0) return [];
    return [
      {
        ruleId: "DBA-EP-008",
        path: e.path,
        prop: before.name !== e.name ? "name" : "routeOptimized",
        message: `${changes.join(" and ")} replaces the deployed endpoint: new URL, new service principal, permissions recreated`,
        received: changes.join(", "),
        allowed: `name "${before.name}", routeOptimized ${before.routeOptimized} (as deployed), or protect: false`,
        fix: "revert the change, or set protect: false on this endpoint to accept the replacement, then update the lock file",
      },
    ];
  });
}

/** DBA-EP-009: a deployed endpoint whose construct is gone (a rename of its id destroys it). */
export function deployedEndpointGone(m: StackModel): Problem[] {
  const deployed = m.deployedEndpoints;
  if (deployed === undefined) return [];
  const present = new Set(m.endpoints.map((e) => e.path));
  return Object.entries(deployed)
    .filter(([path]) => !present.has(path))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, d]) => ({
      ruleId: "DBA-EP-009",
      path,
      message: `deployed endpoint "${d.name}" has no construct at this path any more: the next apply would destroy it (a renamed construct id is a new resource)`,
      received: "no AgentServingEndpoint at this path",
      allowed: "every deployed endpoint keeps its construct path",
      fix: "restore the construct id, or move the state (cdktf moveTo / a moved block) and update the lock; acknowledge if the endpoint is meant to go",
    }));
}
