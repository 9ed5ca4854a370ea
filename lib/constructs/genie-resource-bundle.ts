import { Construct } from "constructs";
import type { DependencyProblem, IAgentDependency } from "../model/dependency";
import { AgentConfigError, show, type Problem } from "../model/problem";
import type { AgentResource } from "../model/resource-kinds";
import { UcFunction, UcTable, type SqlWarehouse } from "../model/references";
import type { OboAccessPath } from "../model/scopes";
import { ws, type AccessNeed } from "../model/securable";
import { boundedMemo } from "../model/bounded-memo";
import { parseProps } from "../model/schemas";
import {
  GENIE_BUNDLE_HELP,
  genieBundleSchema,
  type GenieResourceBundleProps,
} from "./genie-resource-bundle-props";

export type { GenieResourceBundleProps } from "./genie-resource-bundle-props";
import { containsToken } from "../model/tokens";
import type { BundleModel } from "../rules/stack-model";
import { AgentStackContext, resolvedIn, sameCopyScope } from "./agent-stack-context";

const GENIE_SPACE_ID = /^[0-9a-f]{32}$/;

/**
 * The problems of each table and function name a bundle lists, found once per name: bundles share
 * their tables (thousands of bundles, a few hundred names), and a name's problems depend on the name
 * alone.
 */
const NAME_PROBLEMS = {
  tables: boundedMemo(50_000, (name: string) => UcTable.fromName(name).problems()),
  functions: boundedMemo(50_000, (name: string) => UcFunction.fromName(name).problems()),
};

/**
 * A Genie space with its downstream dependencies: the SQL warehouse it runs on, its tables and its
 * functions. Declared for passthrough it implies all of them as MLflow resources; declared on behalf
 * of the user it implies the consumers' access to all of them.
 */
export class GenieResourceBundle extends Construct implements IAgentDependency {
  /** The domain, as given. */
  readonly domain: string;
  /** The Genie space id (literal or token). */
  readonly spaceId: string;
  /** The warehouse, when declared (rule DBA-GENIE-001 fails synth otherwise). */
  readonly warehouse?: SqlWarehouse;
  /** Table names. */
  readonly tables: readonly string[];
  /** Function names. */
  readonly functions: readonly string[];
  /** Conversation API or MCP. */
  readonly interface: "conversation" | "mcp";
  /** The endpoint variable that carries the space id, e.g. `COST_GENIE_SPACE_ID`. */
  readonly envVar: string;

  constructor(scope: Construct, id: string, props: GenieResourceBundleProps) {
    super(sameCopyScope(scope, id), id);
    const parsed = parseProps(genieBundleSchema, props, this.node.path, GENIE_BUNDLE_HELP);
    if (!parsed.ok) throw new AgentConfigError(resolvedIn(this, parsed.problems));
    const p = parsed.value;
    this.domain = p.domain;
    this.spaceId = p.spaceId;
    this.warehouse = p.warehouse;
    this.tables = [...new Set(p.tables ?? [])].sort();
    this.functions = [...new Set(p.functions ?? [])].sort();
    this.interface = p.interface ?? "conversation";
    this.envVar = `${p.domain.toUpperCase()}_GENIE_SPACE_ID`;
    const problems = this.ownProblems(p.tables ?? [], p.functions ?? []);
    if (problems.length > 0) throw new AgentConfigError(resolvedIn(this, problems));
    AgentStackContext.of(this).registerBundle(this);
  }

  /** The managed MCP server URL for this space on a workspace host (e.g. `https://adb-1.azuredatabricks.net`). */
  mcpServerUrl(host: string): string {
    return `${host.replace(/\/+$/, "")}/api/2.0/mcp/genie/${this.spaceId}`;
  }

  get dependencyKey(): string {
    return `genie_space:${this.spaceId}`;
  }

  get description(): string {
    return `Genie space ${this.spaceId} (domain "${this.domain}")`;
  }

  systemResources(): AgentResource[] {
    // Fixed at construction, as the needs are: computed once (the policy and its model each ask).
    this.systemResourcesCache ??= [
      { kind: "genie_space", name: this.spaceId },
      ...(this.warehouse?.systemResources() ?? []),
      ...this.tables.map((t): AgentResource => ({ kind: "table", name: t })),
      ...this.functions.map((f): AgentResource => ({ kind: "function", name: f })),
    ];
    return [...this.systemResourcesCache];
  }
  private systemResourcesCache?: AgentResource[];

  oboAccessPaths(): OboAccessPath[] {
    return [this.interface === "mcp" ? "genie_mcp" : "genie_conversation"];
  }

  accessNeeds(): AccessNeed[] {
    // Fixed at construction (the needs are readonly values): computed once, though every target that
    // reaches the bundle asks, for its consumers and its deployer.
    this.accessNeedsCache ??= [
      { securable: ws("genie_space", this.spaceId), privilege: "CAN_RUN" },
      ...(this.warehouse?.accessNeeds() ?? []),
      ...this.tables.flatMap((t) => UcTable.fromName(t).accessNeeds()),
      ...this.functions.flatMap((f) => UcFunction.fromName(f).accessNeeds()),
    ];
    return [...this.accessNeedsCache];
  }
  private accessNeedsCache?: AccessNeed[];

  /** Checked in the constructor; nothing is left for synth. */
  problems(): DependencyProblem[] {
    return [];
  }

  /** The bundle as the rules see it. */
  toModel(): BundleModel {
    return {
      path: this.node.path,
      domain: this.domain,
      envVar: this.envVar,
      spaceId: this.spaceId,
      warehouseId: this.warehouse?.id,
      tables: this.tables,
      functions: this.functions,
      interface: this.interface,
    };
  }

  private ownProblems(tables: readonly string[], functions: readonly string[]): Problem[] {
    const path = this.node.path;
    const problems: Problem[] = [];
    if (!containsToken(this.spaceId) && !GENIE_SPACE_ID.test(this.spaceId))
      problems.push({
        ruleId: "DBA-CFG-001",
        path,
        prop: "spaceId",
        message: "is not a Genie space id",
        received: show(this.spaceId),
        allowed: GENIE_BUNDLE_HELP.spaceId!.allowed,
        fix: GENIE_BUNDLE_HELP.spaceId!.fix,
      });
    const check = (prop: string, i: number | undefined, found: readonly DependencyProblem[]): void => {
      for (const x of found)
        problems.push({
          ruleId: "DBA-CFG-002",
          path,
          prop: i === undefined ? prop : `${prop}[${i}]`,
          message: x.message,
          received: x.received,
          allowed: x.allowed,
          fix: x.fix,
        });
    };
    if (this.warehouse) check("warehouse", undefined, this.warehouse.problems());
    tables.forEach((t, i) => check("tables", i, NAME_PROBLEMS.tables(t)));
    functions.forEach((f, i) => check("functions", i, NAME_PROBLEMS.functions(f)));
    return problems;
  }
}

/** Genie Agent bundle: the new name of {@link GenieResourceBundle} (Genie spaces are now Genie Agents). */
export const GenieAgentBundle = GenieResourceBundle;
/** Genie Agent bundle: the new name of {@link GenieResourceBundle}. */
export type GenieAgentBundle = GenieResourceBundle;
