import type { DependencyProblem, IAgentDependency } from "./dependency";
import { show } from "./problem";
import {
  DEPENDENCY_KINDS,
  type AgentResource,
  type DependencyKind,
  type DeploymentTarget,
  type OboReach,
} from "./resource-kinds";
import type { OboAccessPath } from "./scopes";
import { uc, ws, type AccessNeed, type AccessRole } from "./securable";
import { containsToken } from "./tokens";
import { nameCharacterProblem } from "./name-characters";
import { checkUcName, UC_NAME_ALLOWED } from "./uc-name";

function nameProblem(
  prop: string,
  value: unknown,
  pattern: RegExp,
  allowed: string,
  fix: string,
): DependencyProblem[] {
  const characters =
    typeof value === "string" ? nameCharacterProblem(value, { what: `the ${prop}` }) : undefined;
  if (characters !== undefined)
    return [
      {
        prop,
        message: `${prop} ${characters.message}`,
        received: show(value),
        allowed: characters.allowed,
        fix: characters.fix,
      },
    ];
  if (typeof value !== "string" || (!containsToken(value) && !pattern.test(value)))
    return [{ prop, message: `is not a valid ${prop}`, received: show(value), allowed, fix }];
  return [];
}

function ucNameProblem(prop: string, value: unknown, what: string, example: string): DependencyProblem[] {
  const parsed = typeof value === "string" ? checkUcName(value) : { message: "is not a string" };
  return "message" in parsed
    ? [
        {
          prop,
          message: `${what} name ${parsed.message}`,
          received: show(value),
          allowed: parsed.allowed ?? UC_NAME_ALLOWED,
          fix: parsed.fix ?? `give the full three-level name of the ${what}, e.g. "${example}"`,
        },
      ]
    : [];
}

/** A reference in the kinds table's terms. */
export interface KindReferenceOf {
  /** Its row in `DEPENDENCY_KINDS`. */
  readonly kind: DependencyKind;
  /** Its identifier (the MLflow `name`). */
  readonly name: string;
  /** Which of the row's `obo` variants applies. */
  readonly variant: string;
  /**
   * Other names the row's `access` and `names` refer to with `of`.
   * @default - none
   */
  readonly names?: Readonly<Record<string, string | undefined>>;
}

/**
 * The shape every reference class shares (lib/model/references.ts): a reference to an existing object
 * of one dependency kind, whose key, description, MLflow resource, OBO access paths, access needs per
 * role and name checks are read from its row in `DEPENDENCY_KINDS`. Subclasses only say which row, which
 * identifier and which variant.
 */
export abstract class KindReference implements IAgentDependency {
  /** This reference in the kinds table's terms. */
  protected abstract kindReference(): KindReferenceOf;

  get dependencyKey(): string {
    const r = this.kindReference();
    return `${r.kind}:${r.name}`;
  }
  get description(): string {
    const r = this.kindReference();
    return `${DEPENDENCY_KINDS[r.kind].label} ${r.name}`;
  }
  get oboUnsupportedReason(): string | undefined {
    return this.oboUnsupportedReasonOn("modelServing");
  }
  oboUnsupportedReasonOn(target: DeploymentTarget): string | undefined {
    const reach = this.oboReach(target);
    return "unsupported" in reach ? reach.unsupported : undefined;
  }
  systemResources(): AgentResource[] {
    const r = this.kindReference();
    return [{ kind: r.kind, name: r.name }];
  }
  oboAccessPaths(target: DeploymentTarget = "modelServing"): OboAccessPath[] {
    const reach = this.oboReach(target);
    return "paths" in reach ? [...reach.paths] : [];
  }
  accessNeeds(role: AccessRole = "deployer"): AccessNeed[] {
    const r = this.kindReference();
    return DEPENDENCY_KINDS[r.kind].access.map((a) => {
      const name = (a.of === undefined ? r.name : r.names?.[a.of]) as string;
      return {
        securable: a.securable.family === "uc" ? uc(a.securable.type, name) : ws(a.securable.type, name),
        privilege: a[role],
      };
    });
  }
  problems(): DependencyProblem[] {
    const r = this.kindReference();
    const { label, alsoCalled, names } = DEPENDENCY_KINDS[r.kind];
    const problems = names.flatMap((rule) => {
      const value = rule.of === undefined ? r.name : r.names?.[rule.of];
      return "pattern" in rule
        ? nameProblem(rule.prop, value, rule.pattern, rule.allowed, rule.fix)
        : ucNameProblem(rule.prop, value, rule.ucObject, rule.example);
    });
    // Both names in errors: the one the API and MLflow use, and the one users now see.
    return alsoCalled === undefined
      ? problems
      : problems.map((p) => ({ ...p, message: `${p.message} (a ${label} is now called ${alsoCalled})` }));
  }
  private oboReach(target: DeploymentTarget): OboReach {
    const r = this.kindReference();
    const reach = DEPENDENCY_KINDS[r.kind].obo[r.variant]?.[target];
    if (reach === undefined)
      throw new Error(`internal: ${r.kind} has no OBO variant ${r.variant} on ${target}`);
    return reach;
  }
}
