import { mask, show } from "../model/problem";
import { containsCredential } from "../model/credentials";
import type { StackRule } from "./rule";
import { environmentEntries, environmentTargets, type BundleModel } from "./stack-model";
import { pushTo } from "../model/record";

/** DBA-GENIE-001: a Genie bundle without its SQL warehouse. */
export const genieWithoutWarehouse: StackRule = {
  id: "DBA-GENIE-001",
  severity: "error",
  acknowledgeable: false,
  title: "A Genie bundle has no SQL warehouse.",
  fix: "Pass `warehouse: SqlWarehouse.fromId(...)`: Genie runs its SQL there.",
  reads: "stack",
  check: (m) =>
    m.bundles
      .filter((b) => b.warehouseId === undefined)
      .map((b) => ({
        path: b.path,
        prop: "warehouse",
        message: `Genie space ${b.spaceId} (domain "${b.domain}") has no SQL warehouse; Genie runs its SQL there, and passthrough and OBO both need CAN_USE on it`,
        received: "undefined",
        allowed: "SqlWarehouse.fromId(id)",
        fix: 'pass `warehouse: SqlWarehouse.fromId("<warehouse id>")`, the warehouse the Genie space is configured with',
      })),
};

/** DBA-GENIE-002: a Genie bundle without tables. */
export const genieWithoutTables: StackRule = {
  id: "DBA-GENIE-002",
  severity: "error",
  acknowledgeable: false,
  title: "A Genie bundle has no tables.",
  fix: "List every table the Genie space uses in `tables`.",
  reads: "stack",
  check: (m) =>
    m.bundles
      .filter((b) => b.tables.length === 0)
      .map((b) => ({
        path: b.path,
        prop: "tables",
        message: `Genie space ${b.spaceId} (domain "${b.domain}") declares no tables; without SELECT on them every Genie answer fails with a permission error`,
        received: "[]",
        allowed: "at least one catalog.schema.table",
        fix: "list every table the Genie space is configured with in `tables`",
      })),
};

/** DBA-GENIE-003: a Genie space declared for passthrough without its downstream resources. */
export const genieSpaceWithoutDownstream: StackRule = {
  id: "DBA-GENIE-003",
  severity: "error",
  acknowledgeable: false,
  title: "A Genie space is declared for passthrough without its warehouse, tables and functions.",
  fix: "Declare the space as a GenieResourceBundle so its downstream resources are declared too.",
  reads: "stack",
  check: (m) =>
    m.policies.flatMap((p) =>
      p.dependencies
        .filter(
          (d) =>
            d.system && d.bundlePath === undefined && d.systemResources.some((r) => r.kind === "genie_space"),
        )
        .map((d) => ({
          path: p.path,
          prop: "system",
          message: `${d.description} is declared for automatic passthrough without its SQL warehouse, tables and functions; evaluation then fails with "You need 'Can View' permission"`,
          received: d.description,
          allowed: "a GenieResourceBundle (space + warehouse + tables + functions)",
          fix: "declare the space with `new GenieResourceBundle(...)` and pass the bundle in `system`",
        })),
    ),
};

/** DBA-GENIE-004: an endpoint variable naming a Genie space no bundle declares. */
export const genieEnvWithoutBundle: StackRule = {
  id: "DBA-GENIE-004",
  severity: "error",
  acknowledgeable: false,
  title: "An environment variable names a Genie space that no bundle declares.",
  fix: "Declare a GenieResourceBundle for the space and add it to the endpoint's policy; the variable is then set for you.",
  reads: "stack",
  check: (m) =>
    environmentTargets(m).flatMap((e) =>
      environmentEntries(e)
        .filter(({ name: k }) => /GENIE_SPACE_ID$/i.test(k) && !e.managedEnvironment.includes(k))
        .map(({ prop, name: k, value }) => ({
          path: e.path,
          prop,
          message: `${k} names a Genie space that no GenieResourceBundle in the endpoint's policy declares, so its warehouse, tables and grants are unknown`,
          received: containsCredential(value) ? mask(value) : show(value),
          allowed: "Genie space ids set by the library from the policy's bundles",
          fix: `declare a GenieResourceBundle for the space (its domain gives ${k}) and add it to the policy; remove ${k} from environment`,
        })),
    ),
};

/** DBA-GENIE-005: a bundle no policy uses. */
export const genieBundleUnused: StackRule = {
  id: "DBA-GENIE-005",
  severity: "warning",
  acknowledgeable: true,
  title: "A Genie bundle is declared but no policy uses it.",
  fix: "Add the bundle to an AgentAuthPolicy or remove it.",
  reads: "stack",
  check: (m) => {
    const used = new Set<string | undefined>();
    for (const p of m.policies)
      for (const d of p.dependencies) {
        used.add(d.bundlePath);
        for (const sub of d.subBundlePaths ?? []) used.add(sub);
      }
    return m.bundles
      .filter((b) => !used.has(b.path))
      .map((b) => ({
        path: b.path,
        message: `Genie bundle for domain "${b.domain}" is declared but no AgentAuthPolicy uses it, so no endpoint can reach it`,
        fix: "add the bundle to a policy's `system` or `onBehalfOfUser`, or remove it",
      }));
  },
};

/** DBA-GENIE-006: two bundles of one policy share an environment variable. */
export const genieDomainClash: StackRule = {
  id: "DBA-GENIE-006",
  severity: "error",
  acknowledgeable: false,
  title: "Two Genie bundles in one policy share a domain (the same environment variable).",
  fix: "Give each bundle its own domain.",
  reads: "stack",
  check: (m) => {
    const bundleByPath = new Map(m.bundles.map((b) => [b.path, b] as const));
    return m.policies.flatMap((p) => {
      const bundles = p.dependencies.flatMap((d): BundleModel[] => {
        const b = d.bundlePath === undefined ? undefined : bundleByPath.get(d.bundlePath);
        return b ? [b] : [];
      });
      const byVar = new Map<string, string[]>();
      for (const b of bundles) pushTo(byVar, b.envVar, b.path);
      return [...byVar.entries()]
        .filter(([, paths]) => paths.length > 1)
        .map(([envVar, paths]) => ({
          path: p.path,
          message: `bundles ${paths.join(", ")} would all set ${envVar}; the agent could reach only one of them`,
          received: paths.join(", "),
          allowed: "one bundle per domain in a policy",
          fix: "give each bundle a distinct `domain`",
        }));
    });
  },
};
