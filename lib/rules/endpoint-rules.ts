import { show } from "../model/problem";
import { containsToken } from "../model/tokens";
import { parseUcName, UC_NAME_ALLOWED } from "../model/uc-name";
import type { RuleProblem, StackRule } from "./rule";
import { environmentEntries, environmentTargets, type TargetEnvironmentModel } from "./stack-model";
import { pushTo } from "../model/record";

/** Endpoint names Model Serving accepts. */
export const ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** DBA-EP-001: routes not summing to 100, or a route that is not a whole percentage. */
export const routesNotHundred: StackRule = {
  id: "DBA-EP-001",
  severity: "error",
  acknowledgeable: false,
  title: "Traffic routes do not sum to 100.",
  fix: "Make the percentages sum to exactly 100.",
  reads: "stack",
  check: (m) => [
    ...m.endpoints
      .filter((e) => e.entities.length > 0)
      .filter((e) => Object.values(e.traffic).reduce((a, b) => a + b, 0) !== 100)
      .map((e) => ({
        path: e.path,
        prop: "traffic",
        message: `traffic percentages sum to ${Object.values(e.traffic).reduce((a, b) => a + b, 0)}, not 100`,
        received: show(e.traffic),
        allowed: "whole percentages from 0 to 100 that sum to 100",
        fix: "adjust the split so it sums to 100, e.g. { current: 90, candidate: 10 }",
      })),
    ...m.endpoints.flatMap((e) =>
      Object.entries(e.traffic)
        .filter(([, v]) => !Number.isInteger(v) || v < 0 || v > 100)
        .map(([k, v]) => ({
          path: e.path,
          prop: `traffic.${k}`,
          message: `route "${k}" has percentage ${v}`,
          received: String(v),
          allowed: "a whole number from 0 to 100",
          fix: "use whole percentages",
        })),
    ),
  ],
};

/** DBA-EP-002: a route to an unknown entity, or an entity without a route. */
export const routeTargets: StackRule = {
  id: "DBA-EP-002",
  severity: "error",
  acknowledgeable: false,
  title: "A traffic route names no served entity, or a served entity gets no route.",
  fix: "Route only to declared served entities, and route to each of them.",
  reads: "stack",
  check: (m) =>
    m.endpoints.flatMap((e) => {
      const names = e.entities.map((x) => x.name);
      const routed = Object.keys(e.traffic);
      const toUnknown = routed
        .filter((r) => !names.includes(r))
        .map((r) => ({
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
          path: e.path,
          prop: "traffic",
          message: `served entity "${n}" has no route; the server would invent one and the plan would drift`,
          received: show(e.traffic),
          allowed: "a route (0 to 100) for every served entity",
          fix: `add "${n}": <percentage> to traffic (0 keeps it warm without traffic)`,
        }));
      return [...toUnknown, ...unrouted];
    }),
};

/** DBA-EP-003: duplicate served-entity names in an endpoint, or duplicate endpoint names in a stack. */
export const duplicateNames: StackRule = {
  id: "DBA-EP-003",
  severity: "error",
  acknowledgeable: false,
  title: "Duplicate served-entity names or endpoint names.",
  fix: "Give every served entity and endpoint a unique name.",
  reads: "stack",
  check: (m) => {
    const entityDups = m.endpoints.flatMap((e) => {
      const seen = new Set<string>();
      const dups = new Set(
        e.entities.map((x) => x.name).filter((n) => (seen.has(n) ? true : (seen.add(n), false))),
      );
      return [...dups].map((n) => ({
        path: e.path,
        prop: "servedEntities",
        message: `served entity name "${n}" is used more than once`,
        received: `"${n}"`,
        allowed: "unique names",
        fix: "give each served entity its own name, e.g. the model version",
      }));
    });
    const byName = new Map<string, string[]>();
    // By the name as the lock records it: two uses of one variable are one name.
    for (const e of m.endpoints) {
      const name = e.lockEntry?.name ?? e.name;
      pushTo(byName, name, e.path);
    }
    const endpointDups = [...byName.entries()]
      .filter(([, paths]) => paths.length > 1)
      .map(([name, paths]) => ({
        path: paths[1]!,
        prop: "name",
        message: `endpoint name "${name}" is also used by ${paths.filter((p) => p !== paths[1]).join(", ")}; both would manage one endpoint`,
        received: `"${name}"`,
        allowed: "a name unique in the workspace",
        fix: "rename one endpoint",
      }));
    return [...entityDups, ...endpointDups];
  },
};

/** DBA-EP-004: invalid endpoint name. */
export const invalidEndpointName: StackRule = {
  id: "DBA-EP-004",
  severity: "error",
  acknowledgeable: false,
  title: "The endpoint name is invalid.",
  fix: "Use letters, digits, '-' and '_', at most 63 characters.",
  reads: "stack",
  check: (m) =>
    m.endpoints
      .filter((e) => !containsToken(e.name) && !ENDPOINT_NAME.test(e.name))
      .map((e) => ({
        path: e.path,
        prop: "name",
        message: "is not a valid serving endpoint name",
        received: show(e.name),
        allowed: "letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters",
        fix: 'use a name such as "health-monitor-agent"',
      })),
};

/** DBA-EP-005: unpinned model version. */
export const unpinnedVersion: StackRule = {
  id: "DBA-EP-005",
  severity: "error",
  acknowledgeable: false,
  title: "A served model version is not pinned.",
  fix: "Serve an explicit version number such as \"7\"; aliases and 'latest' drift.",
  reads: "stack",
  check: (m) =>
    m.endpoints.flatMap((e) =>
      e.entities
        .filter((x) => !containsToken(x.version) && !/^[1-9][0-9]{0,9}$/.test(x.version))
        .map((x) => ({
          path: e.path,
          prop: `served entity "${x.name}" version`,
          message: "the served model version is not pinned to a version number",
          received: show(x.version),
          allowed: 'a positive version number such as "7"',
          fix: "serve an explicit version; resolve aliases such as @champion to their number when you synthesize",
        })),
    ),
};

/** One setting of an endpoint variable: who sets it, and the prop a finding names. */
interface VariableSetting {
  readonly name: string;
  /** The side as a message names it: `environment.X`, `secrets.X`, or the library's setter. */
  readonly side: string;
  readonly prop: string;
  readonly byLibrary: boolean;
  /** The served entity whose own `environment` sets it; undefined for an endpoint-wide setting. */
  readonly entity?: string;
}

/** Every setting of every variable of an endpoint: the library's, `environment`, `secrets`, the entities'. */
function variableSettings(e: TargetEnvironmentModel): VariableSetting[] {
  const managed = e.managedSetters ?? e.managedEnvironment.map((name) => ({ name, setBy: "the library" }));
  return [
    ...managed.map((m) => ({
      name: m.name,
      side: `the library: ${m.setBy}`,
      prop: m.setBy.includes("oboFlagEnvVar") ? "oboFlagEnvVar" : "authPolicy",
      byLibrary: true,
    })),
    ...environmentEntries(e).map(({ prop, name }) => ({
      name,
      side: prop,
      prop,
      byLibrary: false,
      entity: prop.startsWith("servedEntities.") ? prop.split(".")[1] : undefined,
    })),
    ...[...e.secretNames].sort().map((name) => ({
      name,
      side: `secrets.${name}`,
      prop: `secrets.${name}`,
      byLibrary: false,
    })),
  ];
}

/**
 * DBA-EP-006: a variable set twice. The library's variables (Genie space ids, the OBO flag), the
 * endpoint's `environment`, its `secrets` and each served entity's `environment` reach one map per
 * entity: any two of them naming one variable would silently drop one value. (An entity's own
 * `environment` may override the endpoint's `environment`: that is what it is for.)
 */
export const environmentCollision: StackRule = {
  id: "DBA-EP-006",
  severity: "error",
  acknowledgeable: false,
  title:
    "An environment variable is set twice (by you and by the library, by two library settings such as the OBO flag and a Genie space id, or in both `environment` and `secrets`).",
  fix: "Remove your copy: the library sets Genie space ids and the OBO flag from the policy; give oboFlagEnvVar a name no other variable has.",
  reads: "stack",
  check: (m) =>
    environmentTargets(m).flatMap((e) => {
      const byName = new Map<string, VariableSetting[]>();
      for (const v of variableSettings(e)) pushTo(byName, v.name, v);
      return [...byName.entries()]
        .filter(([, settings]) => settings.length > 1) // a variable set once collides with nothing
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .flatMap(([name, settings]): RuleProblem[] => {
          const wide = settings.filter((v) => v.entity === undefined);
          // Endpoint-wide settings collide with each other; an entity's with the library's and the secrets.
          const groups = [
            ...(wide.length > 1 ? [wide] : []),
            ...settings
              .filter((v) => v.entity !== undefined)
              .map((v) => [v, ...wide.filter((w) => w.byLibrary || w.side.startsWith("secrets."))])
              .filter((g) => g.length > 1),
          ].filter((g) => g.some((v) => v.prop !== "authPolicy")); // two bundles' domains: DBA-GENIE-006
          return groups.map((g) => {
            const first =
              g.find((v) => !v.byLibrary && !v.side.startsWith("secrets.")) ??
              g.find((v) => !v.byLibrary) ??
              g.find((v) => v.prop === "oboFlagEnvVar") ??
              g[0]!;
            const others = g.filter((v) => v !== first);
            const library = g.some((v) => v.byLibrary);
            const mine = g.filter((v) => !v.byLibrary).map((v) => v.side);
            return {
              path: e.path,
              prop: first.prop,
              message: `${name} is set ${first.byLibrary ? "by" : "in"} ${first.side} and also ${others.map((v) => (v.byLibrary ? `by ${v.side}` : `in ${v.side}`)).join(" and ")}; only one value would reach the endpoint, ${others.length > 1 ? "the others" : "the other"} silently dropped`,
              received: name,
              allowed: "each variable set once",
              fix: first.byLibrary
                ? `give oboFlagEnvVar a name no Genie bundle uses (${name} is set by ${others.map((v) => v.side.replace(/^the library: /, "")).join(", ")}), or set oboFlagEnvVar: false`
                : library
                  ? `remove ${name} from ${mine.map((p) => p.split(".").slice(0, -1).join(".")).join(" and ")}: the library sets it from the policy${g.some((v) => v.prop === "oboFlagEnvVar") ? ", or give oboFlagEnvVar another name" : ""}`
                  : `remove ${name} from ${first.side.split(".").slice(0, -1).join(".")} and keep the secret reference`,
            };
          });
        });
    }),
};

/** DBA-EP-007: a served model that is not a UC model. */
export const modelNotInUc: StackRule = {
  id: "DBA-EP-007",
  severity: "error",
  acknowledgeable: false,
  title: "A served model is not a three-level UC model name.",
  fix: "Serve a model registered in Unity Catalog: catalog.schema.model.",
  reads: "stack",
  check: (m) =>
    m.endpoints.flatMap((e) =>
      e.entities
        .filter((x) => !containsToken(x.modelName) && typeof parseUcName(x.modelName) === "string")
        .map((x) => ({
          path: e.path,
          prop: `served entity "${x.name}" model name`,
          message: `model name ${parseUcName(x.modelName) as string}`,
          received: show(x.modelName),
          allowed: UC_NAME_ALLOWED,
          fix: "register the agent in Unity Catalog (mlflow.set_registry_uri('databricks-uc')) and serve catalog.schema.model",
        })),
    ),
};

/** DBA-EP-008: a change that replaces a deployed endpoint (name, route_optimized) while it is protected. */
export const replacingChange: StackRule = {
  id: "DBA-EP-008",
  severity: "error",
  acknowledgeable: false,
  title: "A protected, deployed endpoint would be replaced (its name or routeOptimized changed).",
  fix: "Revert the change, or set protect: false to accept the replacement.",
  reads: "stack",
  check: (m) => {
    const deployed = m.deployedEndpoints;
    if (deployed === undefined) return [];
    return [...m.endpoints, ...(m.apps ?? [])].flatMap((e): RuleProblem[] => {
      const before = deployed[e.path];
      if (before === undefined || !e.protect) return [];
      // Compared as the lock records them: a reference by its expression. A name an earlier release
      // recorded as cdktf token text names nothing stable, so it is not compared (commit the new lock).
      const now = e.lockEntry ?? { name: e.name, routeOptimized: e.routeOptimized };
      const renamed = !containsToken(before.name) && before.name !== now.name;
      const changes = [
        ...(renamed ? [`name "${before.name}" -> "${now.name}"`] : []),
        ...(before.routeOptimized !== now.routeOptimized
          ? [`routeOptimized ${before.routeOptimized} -> ${now.routeOptimized}`]
          : []),
      ];
      if (changes.length === 0) return [];
      return [
        {
          path: e.path,
          prop: renamed ? "name" : "routeOptimized",
          message: `${changes.join(" and ")} replaces the deployed endpoint: new URL, new service principal, permissions recreated`,
          received: changes.join(", "),
          allowed: `name "${before.name}", routeOptimized ${before.routeOptimized} (as deployed), or protect: false`,
          fix: "revert the change, or set protect: false on this endpoint to accept the replacement, then update the lock file",
        },
      ];
    });
  },
};

/** DBA-EP-009: a deployed endpoint whose construct is gone (a rename of its id destroys it). */
export const deployedEndpointGone: StackRule = {
  id: "DBA-EP-009",
  severity: "error",
  acknowledgeable: true,
  title: "A deployed endpoint's construct is gone or was renamed: the next apply destroys it.",
  fix: "Restore the construct id or move the state, then update the lock.",
  reads: "stack",
  check: (m) => {
    const deployed = m.deployedEndpoints;
    if (deployed === undefined) return [];
    const present = new Set([...m.endpoints, ...(m.apps ?? [])].map((e) => e.path));
    return Object.entries(deployed)
      .filter(([path]) => !present.has(path))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, d]) => ({
        path,
        message: `deployed endpoint "${d.name}" has no construct at this path any more: the next apply would destroy it (a renamed construct id is a new resource)`,
        received: "no AgentServingEndpoint at this path",
        allowed: "every deployed endpoint keeps its construct path",
        fix: "restore the construct id, or move the state (cdktf moveTo / a moved block) and update the lock; acknowledge if the endpoint is meant to go",
      }));
  },
};

/** DBA-EP-010: one endpoint name in two stacks of one app (both would manage one endpoint). */
export const endpointInTwoStacks: StackRule = {
  id: "DBA-EP-010",
  severity: "error",
  acknowledgeable: true,
  title:
    "Two stacks of one app declare a serving endpoint of the same name: both would manage one endpoint, and destroying either deletes it.",
  fix: "Rename one endpoint; acknowledge only when the stacks deploy to different workspaces.",
  reads: "stack",
  check: (m) => {
    const elsewhere = m.endpointNamesElsewhere;
    if (elsewhere === undefined) return [];
    return m.endpoints
      .filter((e) => !containsToken(e.name) && elsewhere.has(e.name))
      .map((e) => ({
        path: e.path,
        prop: "name",
        message: `endpoint name "${e.name}" is declared by this stack (${e.path}) and by stack ${elsewhere.get(e.name)!.join(", stack ")}: in one workspace these stacks would manage one serving endpoint, each apply overwriting the config of the others, and destroying any of them deletes it`,
        received: `"${e.name}"`,
        allowed: "an endpoint name declared by one stack of the app, per workspace",
        fix: "rename one endpoint; when the stacks deploy to different workspaces, give their providers different literal hosts, or acknowledge DBA-EP-010 with the reason",
      }));
  },
};
