/**
 * Value specs: plain data (so fast-check prints counterexamples readably) with markers that are
 * turned into real objects inside a stack: Terraform tokens, secret references, principals,
 * dependencies, bundles and policies declared earlier in the case.
 */
import { TerraformVariable, type TerraformStack } from "cdktf";
import {
  DatabricksApp,
  GenieSpace,
  LakebaseInstance,
  Principal,
  SecretRef,
  ServingEndpoint,
  SqlWarehouse,
  UcConnection,
  UcFunction,
  UcTable,
  VectorSearchIndex,
  type AgentAuthPolicy,
  type GenieResourceBundle,
} from "../../lib";
import { newSecrets, type Secrets } from "./fuzz-kit";

/** A Terraform variable's value: `new TerraformVariable(stack, ...).stringValue` etc. */
export interface TokenSpec {
  readonly $tf: "string" | "number" | "list";
}
/** A string built from literal parts, string tokens and secret literals (credentials embedded in text). */
export interface ConcatSpec {
  readonly $cat: readonly (string | TokenSpec | SecretLiteralSpec)[];
}
/** A record whose keys are specs too (a credential or a token as a tag key or traffic key). */
export interface EntriesSpec {
  readonly $entries: readonly (readonly [unknown, unknown])[];
}
/** One value used at several places (the same token principal as consumer and in ownedGrants). */
export interface SharedSpec {
  readonly $shared: readonly [string, unknown];
}
/** A secret-looking literal (recorded, must never be visible). */
export interface SecretLiteralSpec {
  readonly $secretLit: string;
  /** Whitespace around the literal (the library trims before matching). */
  readonly $pad?: string;
}
/** `SecretRef.of(scope, key)` (scope and key recorded). */
export interface SecretRefSpec {
  readonly $secretRef: readonly [unknown, unknown];
}
/** `Principal.<kind>(name)`. */
export interface PrincipalSpec {
  readonly $principal: readonly ["user" | "group" | "servicePrincipal", unknown];
}
/** A dependency built with a factory. */
export type DepSpec =
  | { readonly k: "bundle"; readonly i: number }
  | { readonly k: "warehouse"; readonly id: unknown; readonly via?: unknown }
  | { readonly k: "endpoint"; readonly name: unknown }
  | { readonly k: "vsi"; readonly name: unknown; readonly options: unknown }
  | { readonly k: "conn"; readonly name: unknown; readonly via?: unknown }
  | { readonly k: "fn"; readonly name: unknown; readonly via?: unknown }
  | { readonly k: "table"; readonly name: unknown }
  | { readonly k: "lakebase"; readonly name: unknown }
  | { readonly k: "app"; readonly name: unknown }
  | { readonly k: "genie"; readonly id: unknown; readonly iface?: unknown }
  /** A JavaScript object that looks like a dependency but is not complete. */
  | { readonly k: "duck"; readonly methods: readonly string[] };
export interface DepRef {
  readonly $dep: DepSpec;
}
/** `SqlWarehouse.fromId(id)`. */
export interface WarehouseSpec {
  readonly $warehouse: unknown;
}
/** The i-th policy declared in the case (modulo their number). */
export interface PolicyRef {
  readonly $policy: number;
}

/** Marks an element to drop from its array (a reference to a bundle when there is none). */
const SKIP = Symbol("skip");

/** Everything one case creates while its specs are turned into values. */
export class Materializer {
  /** Token string (as the library receives it) to the Terraform reference it resolves to. */
  readonly tokenRefs = new Map<string, string>();
  /** Secrets that must not be visible anywhere. */
  readonly secrets: Secrets = newSecrets();
  readonly bundles: GenieResourceBundle[] = [];
  readonly policies: AgentAuthPolicy[] = [];
  private vars = 0;
  private readonly shared = new Map<string, unknown>();

  constructor(readonly stack: TerraformStack) {}

  /** A fresh Terraform variable; returns its value of the given kind. */
  token(kind: TokenSpec["$tf"]): string | number | string[] {
    const id = `fuzzvar${this.vars++}`;
    const type = kind === "list" ? "list(string)" : kind;
    const v = new TerraformVariable(this.stack, id, { type });
    if (kind === "number") return v.numberValue;
    if (kind === "list") return v.listValue;
    // every read of stringValue makes a new token: read it once
    const value = v.stringValue;
    this.tokenRefs.set(value, `var.${id}`);
    return value;
  }

  /** Turn a spec into the value a user program would pass. */
  value(spec: unknown): unknown {
    const v = this.inner(spec);
    return v === SKIP ? undefined : v;
  }

  private inner(spec: unknown): unknown {
    if (spec === null || typeof spec !== "object") return spec;
    if (Array.isArray(spec)) return spec.map((x) => this.inner(x)).filter((x) => x !== SKIP);
    const o = spec as Record<string, unknown>;
    if ("$tf" in o) return this.token(o.$tf as TokenSpec["$tf"]);
    if ("$cat" in o)
      return (o.$cat as (string | TokenSpec | SecretLiteralSpec)[])
        .map((p) =>
          typeof p === "string" ? p : "$tf" in p ? String(this.token("string")) : String(this.inner(p)),
        )
        .join("");
    if ("$shared" in o) {
      const [name, inner] = (o as unknown as SharedSpec).$shared;
      if (!this.shared.has(name)) this.shared.set(name, this.inner(inner));
      return this.shared.get(name);
    }
    if ("$entries" in o)
      return Object.fromEntries(
        (o as unknown as EntriesSpec).$entries.map(([k, v]) => [String(this.inner(k)), this.inner(v)]),
      );
    if ("$secretLit" in o) {
      const { $secretLit: core, $pad: pad = "" } = o as unknown as SecretLiteralSpec;
      this.secrets.literals.add(core);
      return `${pad}${core}${pad}`;
    }
    if ("$secretRef" in o) {
      const [scope, key] = (o as unknown as SecretRefSpec).$secretRef.map((x) => this.inner(x));
      if (typeof scope === "string" && typeof key === "string" && scope.length >= 8 && key.length >= 8)
        this.secrets.refs.push({ scope, key });
      return SecretRef.of(scope as string, key as string);
    }
    if ("$principal" in o) {
      const [kind, name] = (o as unknown as PrincipalSpec).$principal;
      return Principal[kind](this.inner(name) as string);
    }
    if ("$warehouse" in o) return SqlWarehouse.fromId(this.inner(o.$warehouse) as string);
    if ("$policy" in o) {
      const n = this.policies.length;
      return n === 0 ? SKIP : this.policies[(o.$policy as number) % n];
    }
    if ("$dep" in o) return this.dependency((o as unknown as DepRef).$dep);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, this.inner(v)]));
  }

  private dependency(d: DepSpec): unknown {
    const s = (x: unknown): string => this.inner(x) as string;
    const opt = <T>(x: unknown): T => this.inner(x) as T;
    switch (d.k) {
      case "bundle":
        return this.bundles.length === 0 ? SKIP : this.bundles[d.i % this.bundles.length];
      case "warehouse":
        return SqlWarehouse.fromId(s(d.id), d.via === undefined ? undefined : { via: opt(d.via) });
      case "endpoint":
        return ServingEndpoint.fromName(s(d.name));
      case "vsi": {
        const o = this.inner(d.options) as Record<string, unknown> | undefined;
        const options =
          o !== null && typeof o === "object" && typeof o.embeddingEndpoint === "string"
            ? { ...o, embeddingEndpoint: ServingEndpoint.fromName(o.embeddingEndpoint) }
            : o;
        return VectorSearchIndex.fromName(s(d.name), options as never);
      }
      case "conn":
        return UcConnection.fromName(s(d.name), d.via === undefined ? undefined : { via: opt(d.via) });
      case "fn":
        return UcFunction.fromName(s(d.name), d.via === undefined ? undefined : { via: opt(d.via) });
      case "table":
        return UcTable.fromName(s(d.name));
      case "lakebase":
        return LakebaseInstance.fromName(s(d.name));
      case "app":
        return DatabricksApp.fromName(s(d.name));
      case "genie":
        return GenieSpace.fromId(s(d.id), d.iface === undefined ? undefined : { interface: opt(d.iface) });
      case "duck":
        return Object.fromEntries(
          d.methods.map((m) => [m, m === "dependencyKey" || m === "description" ? `duck-${m}` : () => []]),
        );
    }
  }
}
