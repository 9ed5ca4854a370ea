/**
 * fast-check arbitraries for the three constructs, their dependencies, principals, grant settings
 * and whole stacks.
 *
 * Every arbitrary takes a chaos level `c`: at 0 it yields only well-formed values (still full of
 * Terraform tokens, Unicode, template sequences, duplicates, mixed-case emails and huge lists, all
 * of which the library must accept); above 0 it also yields malformed values and values of the
 * wrong type, more often as `c` grows. Input classes that currently break the library are excluded
 * unless FUZZ_KNOWN_BUGS=1, each at a `// BUG: [Bn]` comment (see the bug list in fuzz.test.ts).
 */
import fc from "fast-check";
import { INCLUDE_KNOWN_BUGS } from "./fuzz-kit";
import type { DepSpec, TokenSpec } from "./values";

/** Chaos level: 0 well-formed only; 1 some malformed values; 3 many. */
export type Chaos = number;

/** Weight of an input class excluded because of a known bug (0 unless FUZZ_KNOWN_BUGS=1). */
export const bugWeight = (w: number): number => (INCLUDE_KNOWN_BUGS ? w : 0);

/** Cache an arbitrary factory by its arguments (building arbitraries is far slower than sampling). */
function memo<A extends (number | string)[], T>(
  f: (...args: A) => fc.Arbitrary<T>,
): (...args: A) => fc.Arbitrary<T> {
  const cache = new Map<string, fc.Arbitrary<T>>();
  return (...args: A) => {
    const key = args.join(",");
    let a = cache.get(key);
    if (a === undefined) cache.set(key, (a = f(...args)));
    return a;
  };
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

const chars = (s: string): fc.Arbitrary<string> => fc.constantFrom(...s.split(""));
const HEX = chars("0123456789abcdef");
const ALNUM = chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
const UPPER_ALNUM = chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

export const hex = (n: number): fc.Arbitrary<string> => fc.string({ unit: HEX, minLength: n, maxLength: n });

/** Pick with weights, skipping zero weights: `weighted([3, a], [c * 1, b])`. */
export function weighted<T>(...pairs: [number, fc.Arbitrary<T>][]): fc.Arbitrary<T> {
  const live = pairs.filter(([w]) => w > 0);
  return fc.oneof(...live.map(([weight, arbitrary]) => ({ weight, arbitrary })));
}

/** A Terraform variable's value of the given kind. */
export const token = (kind: TokenSpec["$tf"] = "string"): fc.Arbitrary<TokenSpec> =>
  fc.constant({ $tf: kind });

/** Terraform template sequences, their escapes, and look-alikes. */
export const TEMPLATE_FRAGMENTS = [
  "${",
  "%{",
  "$${",
  "%%{",
  "$$${",
  "}",
  "$",
  "%",
  "$$",
  "${var.user}",
  "%{ if true }yes%{ endif }",
  '${file("/etc/passwd")}',
  "${~ x ~}",
  "$${var.x}",
  "{{secrets/not/a-ref}}",
];

/** Unicode and control characters. */
export const UNICODE_FRAGMENTS = [
  "é",
  "Données",
  "表格",
  "💥",
  "👩‍👩‍👧",
  "\u202e",
  "\u200b",
  "\ud800",
  "ß",
  "İ",
  "\u0000",
  "\n",
  "\t",
  '"',
  "\\",
  "'",
  "`",
  "/",
  "  ",
];

/** Any string, biased towards template sequences and awkward Unicode (may be empty). */
export const weirdString: fc.Arbitrary<string> = fc
  .array(
    weighted<string>(
      [3, fc.constantFrom(...TEMPLATE_FRAGMENTS)],
      [2, fc.constantFrom(...UNICODE_FRAGMENTS)],
      [2, fc.string({ maxLength: 6 })],
      [1, fc.string({ unit: "grapheme", maxLength: 6 })],
      [1, fc.string({ unit: "binary", maxLength: 4 })],
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(""));

/**
 * True when a string mixes a token with a literal `${` / `%{`, or puts a literal `$` right before a
 * token. cdktf cannot render such a string faithfully, so the library refuses it by design
 * (DBA-CFG-001, see test/endpoint.test.ts); generators that expect a synthesized stack leave it out.
 */
export function breaksTokenInterpolation(parts: readonly (string | TokenSpec)[]): boolean {
  if (parts.every((p) => typeof p === "string")) return false;
  const segments: string[] = [""];
  for (const p of parts) {
    if (typeof p === "string") segments[segments.length - 1] += p;
    else segments.push("");
  }
  return segments.some((seg, i) => /\$\{|%\{/.test(seg) || (i < segments.length - 1 && seg.endsWith("$")));
}

/** A string that may hold Terraform tokens between literal parts. */
export const stringWithTokens: fc.Arbitrary<unknown> = fc
  .array(weighted<string | TokenSpec>([6, weirdString], [1, token()]), { minLength: 1, maxLength: 3 })
  // Refused by design (was B14): a token mixed with literal `${`/`%{`, or `$` right before a token.
  .filter((parts) => !breaksTokenInterpolation(parts))
  .map((parts) => (parts.every((p) => typeof p === "string") ? parts.join("") : { $cat: parts }));

/** Secret-looking literals: Databricks PATs, OpenAI keys, GitHub tokens, AWS keys; maybe padded. */
export const secretLiteral: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(
      hex(32).map((h) => `dapi${h}`),
      hex(32).map((h) => `dose${h}`),
      fc.string({ unit: ALNUM, minLength: 24, maxLength: 48 }).map((s) => `sk-${s}`),
      fc.string({ unit: ALNUM, minLength: 36, maxLength: 36 }).map((s) => `ghp_${s}`),
      fc.string({ unit: UPPER_ALNUM, minLength: 16, maxLength: 16 }).map((s) => `AKIA${s}`),
    ),
    fc.constantFrom("", " ", "\n"),
  )
  .map(([core, pad]) => ({ $secretLit: core, $pad: pad }));

/** Values of the wrong type for any prop. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(Number.NaN),
  fc.bigInt(),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
  fc.array(fc.anything({ maxDepth: 1, maxKeys: 2 }), { maxLength: 3 }),
  fc.date(),
  fc.constant([["nested"]]),
);

/** Wrong-type values JavaScript callers produce that even String() cannot convert. */
export const hostileJunk: fc.Arbitrary<unknown> = fc.constantFrom(Symbol("junk"), {
  toString: "not a function",
});

/** A record built from entries, so `__proto__` and friends become own keys. */
export const recordOf = <V>(entry: fc.Arbitrary<[string, V]>, maxKeys = 4): fc.Arbitrary<Record<string, V>> =>
  fc
    .array(entry, { maxLength: maxKeys })
    // FIXED [B9] (was excluded): a "__proto__" key (a valid variable name, a possible tag key) is dropped silently.
    .map((entries) => Object.fromEntries(entries.filter(([k]) => INCLUDE_KNOWN_BUGS || k !== "__proto__")));

/** Random upper/lower case, driven by `bits`. */
export const mixCase = (s: string, bits: number): string =>
  s
    .split("")
    .map((ch, i) => ((bits >> i % 30) & 1 ? ch.toUpperCase() : ch.toLowerCase()))
    .join("");

// ---------------------------------------------------------------------------------------------
// Names and ids
// ---------------------------------------------------------------------------------------------

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);

export const ucPart: fc.Arbitrary<string> = weighted<string>(
  [6, fc.constantFrom("main", "health_monitor", "sales", "billing", "agents")],
  [4, ident],
  [1, fc.constantFrom("données", "表", "Ünïcödé", "a-b", "UPPER", "💥")],
);

/**
 * Template sequences in a UC name part that the name check lets through (no dot, space, quote,
 * slash): they reach databricks_grant and databricks_model_serving unescaped.
 */
export const INJECTED_UC_PARTS = ["${timestamp()}", "%{if true}x%{endif}", "t${", "$${x}", "${uuid()}"];

export const ucName = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [60, fc.tuple(ucPart, ucPart, ucPart).map(([a, b, d]) => `${a}.${b}.${d}`)],
      [
        2 * c,
        fc.constantFrom(
          "main.sales",
          "a b.c.d",
          "",
          "main..t",
          "`x`.y.z",
          "a.b.c.d",
          "main.sales.orders ",
          "a/b.c.d",
        ),
      ],
      [c, token()],
      [c, weirdString],
      // FIXED [B5] (was excluded): template sequences in a UC name part reach Terraform unescaped.
      [
        bugWeight(2),
        fc.tuple(ucPart, ucPart, fc.constantFrom(...INJECTED_UC_PARTS)).map(([a, b, d]) => `${a}.${b}.${d}`),
      ],
    ),
);

export const domain = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [10, fc.constantFrom("cost", "security", "performance", "quality", "sales", "unified", "ops")],
      [6, fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/)],
      [2 * c, fc.constantFrom("", "1cost", "cost-x", "a".repeat(64), "coût", "${x}", "cost ")],
      [c, token()],
    ),
);

export const spaceId = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [6, fc.constantFrom("01f0a1b2c3d4e5f60718293a4b5c6d01", "01f0a1b2c3d4e5f60718293a4b5c6d02")],
      [6, hex(32)],
      [1, token()],
      [c, fc.constantFrom("01f0", "01F0A1B2C3D4E5F60718293A4B5C6D01", "x".repeat(32), "", "${x}")],
    ),
);

export const warehouseId = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, fc.constantFrom("4b9b953939869799", "0123456789abcdef")],
      [4, hex(16)],
      [1, token()],
      [c, fc.constantFrom("Starter Warehouse", "4B9B953939869799", "", "jdbc:spark://x", "${x}")],
    ),
);

export const endpointName = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [6, fc.constantFrom("health-monitor-agent", "sales-agent", "a")],
      [6, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,30}$/)],
      [1, token()],
      [c, fc.constantFrom("", "has space", "a".repeat(64), "-lead", "é", "${x}", "a.b", "%{x}")],
    ),
);

export const version = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, fc.integer({ min: 1, max: 999_999 }).map(String)],
      [4, fc.integer({ min: 1, max: 999 })],
      [1, token()],
      [c, token("number")],
      [2 * c, fc.constantFrom("latest", "0", 0, -1, 1.5, "v7", "@champion", "", "${x}", "7 ", "01")],
    ),
);

/** Variable names that trigger rules (secrets, manual auth, Genie ids, the OBO flag). */
export const RULE_ENV_NAMES = [
  "OPENAI_API_KEY",
  "DATABRICKS_TOKEN",
  "MY_SECRET",
  "COST_GENIE_SPACE_ID",
  "CUSTOM_GENIE_SPACE_ID",
  "DATABRICKS_USE_IDENTITY_PASSTHROUGH",
];

/** Harmless names, including ones that are Object.prototype members. */
export const PLAIN_ENV_NAMES = [
  "LOG_LEVEL",
  "ENABLE_MLFLOW_TRACING",
  "DATABRICKS_HOST",
  "constructor",
  "toString",
  "hasOwnProperty",
  "_x",
];

export const envName = memo(
  (c: Chaos): fc.Arbitrary<string> =>
    weighted<string>(
      [6, fc.constantFrom(...PLAIN_ENV_NAMES)],
      [
        6,
        fc
          .stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/)
          .filter((n) => !/TOKEN|SECRET|PASSW|KEY|CREDENTIAL|GENIE_SPACE_ID/.test(n)),
      ],
      [2 * c, fc.constantFrom(...RULE_ENV_NAMES)],
      // FIXED [B9] (was excluded): "__proto__" is a valid variable name but the props parser drops it silently.
      [bugWeight(1), fc.constant("__proto__")],
      [c, fc.constantFrom("1X", "has space", "X-Y", "", "É", "${X}", "A".repeat(300))],
    ),
);

export const envValue = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, stringWithTokens],
      [2, fc.constantFrom("true", "info", "", "01f0a1b2c3d4e5f60718293a4b5c6d01")],
      [c, secretLiteral],
    ),
);

/** Environment entries; a secret-looking value under a `*_GENIE_SPACE_ID` name is echoed by DBA-GENIE-004. */
export const envEntry = memo(
  (c: Chaos): fc.Arbitrary<[string, unknown]> =>
    fc
      .tuple(envName(c), envValue(c))
      // FIXED [B2a] (was excluded): DBA-GENIE-004 prints the value of a *_GENIE_SPACE_ID variable unmasked.
      .filter(
        ([k, v]) =>
          INCLUDE_KNOWN_BUGS ||
          !(/GENIE_SPACE_ID$/i.test(k) && typeof v === "object" && v !== null && "$secretLit" in v),
      ),
);

export const tagKey = memo(
  (c: Chaos): fc.Arbitrary<string> =>
    weighted<string>(
      [8, fc.string({ minLength: 1, maxLength: 12 })],
      [6, weirdString.filter((s) => s.length > 0 && s.length <= 255)],
      [c, fc.constantFrom("", "k".repeat(256))],
    ),
);

export const tagValue = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, stringWithTokens],
      [c, fc.constantFrom("v".repeat(256))],
      // FIXED [B2c] (was excluded): secret-looking tag values are synthesized as they are.
      [bugWeight(c), secretLiteral],
    ),
);

export const description = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, stringWithTokens],
      [1, fc.constantFrom("", "d".repeat(1000))],
      [c, fc.constant("d".repeat(1001))],
      // FIXED [B2c] (was excluded): a secret-looking description is synthesized as it is.
      [bugWeight(c), secretLiteral],
    ),
);

export const API_SCOPES = [
  "dashboards.genie",
  "mcp.genie",
  "serving.serving-endpoints",
  "sql.warehouses",
  "sql.statement-execution",
  "vectorsearch.vector-search-indexes",
  "vectorsearch.vector-search-endpoints",
  "catalog.connections",
  "apps.apps",
  "mcp.functions",
  "mcp.sql",
  "mcp.external",
  "mcp.vectorsearch",
  "catalog.tables:read",
  "files",
  "dashboard.genie",
  "mcp.geni",
  "Serving.serving-endpoints",
  "sql.warehouse",
  "",
];

export const apiScope = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>([10, fc.constantFrom(...API_SCOPES)], [1, weirdString], [c, junk]),
);

export const mlflowVersion = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [6, fc.constantFrom("3.3.2", "3.4.0", "10.0.0")],
      [2 * c, fc.constantFrom("2.22.1", "2.21.0", "2.18.0", "1.0")],
      [c, fc.tuple(fc.nat(9), fc.nat(40), fc.nat(9)).map(([a, b, d]) => `${a}.${b}.${d}`)],
      [c, fc.constantFrom("latest", "3", "3.3.2rc1", "", "v3.3.2")],
    ),
);

// ---------------------------------------------------------------------------------------------
// Principals
// ---------------------------------------------------------------------------------------------

export const email = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, fc.tuple(fc.emailAddress(), fc.nat()).map(([e, bits]) => mixCase(e, bits))],
      [4, fc.constantFrom("Alice@Example.com", "alice@example.com", " ALICE@EXAMPLE.COM ", "bob@corp.io")],
      [1, token()],
      [c, fc.constantFrom("not-an-email", "", "jöse@exämple.com", "a@b.c\n", "${x}@b.c", "a@@b.c")],
    ),
);

export const groupName = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [
        8,
        fc.constantFrom(
          "platform-readers",
          "finops-analysts",
          "Données équipe",
          "表",
          "sales analysts",
          "O'Brien & co $(x)",
        ),
      ],
      [2, fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _-]{0,20}$/)],
      [c, fc.constantFrom("users", "Users", "account users", "admins")],
      [c, weirdString],
      [1, token()],
    ),
);

export const spId = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, fc.tuple(fc.uuid(), fc.nat()).map(([u, bits]) => mixCase(u, bits))],
      [1, token()],
      [c, fc.constantFrom("not-a-uuid", "", "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b\n")],
    ),
);

/** `Principal.<kind>(name)`. */
export const principal = memo((c: Chaos): fc.Arbitrary<unknown> => {
  // Values of the wrong type (found crashing as B1, fixed in c9e8fd3: now AgentConfigError).
  const wrong: [number, fc.Arbitrary<unknown>] = [c, fc.oneof(junk, hostileJunk)];
  return fc.oneof(
    weighted<unknown>([6, email(c)], wrong).map((n) => ({ $principal: ["user", n] })),
    weighted<unknown>([6, groupName(c)], wrong).map((n) => ({ $principal: ["group", n] })),
    weighted<unknown>([6, spId(c)], wrong).map((n) => ({ $principal: ["servicePrincipal", n] })),
  );
});

// ---------------------------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------------------------

const via = memo(
  (c: Chaos, ...values: string[]): fc.Arbitrary<unknown> =>
    weighted<unknown>([8, fc.constantFrom<unknown>(undefined, ...values)], [c, weirdString]),
);

const vsiOptions = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [
        8,
        fc.record(
          {
            endpointName: weighted<unknown>(
              [6, fc.constantFrom("vs-endpoint", "shared_vs")],
              [c, weirdString],
            ),
            embeddingEndpoint: fc.constantFrom(undefined, "databricks-gte-large-en"),
            via: via(c, "api", "mcp"),
          },
          { requiredKeys: ["endpointName"] },
        ),
      ],
      [c, fc.constant({})],
      // No options (found crashing as B3, fixed in c9e8fd3: now AgentConfigError).
      [c, fc.constantFrom(undefined, null)],
    ),
);

const named = memo(
  (c: Chaos, ...good: string[]): fc.Arbitrary<unknown> =>
    weighted<unknown>([8, fc.constantFrom(...good)], [1, token()], [c, weirdString], [c, junk]),
);

/** A dependency other than a bundle. */
export const dependency = memo(
  (c: Chaos): fc.Arbitrary<DepSpec> =>
    weighted<DepSpec>(
      [
        4,
        fc.record({
          k: fc.constant("warehouse" as const),
          id: warehouseId(c),
          via: via(c, "statement-execution", "mcp"),
        }),
      ],
      [
        5,
        fc.record({
          k: fc.constant("endpoint" as const),
          name: named(c, "databricks-claude-sonnet-4", "databricks-gte-large-en"),
        }),
      ],
      [2, fc.record({ k: fc.constant("vsi" as const), name: ucName(c), options: vsiOptions(c) })],
      [
        2,
        fc.record({
          k: fc.constant("conn" as const),
          name: named(c, "github", "jira_conn"),
          via: via(c, "http", "mcp"),
        }),
      ],
      [2, fc.record({ k: fc.constant("fn" as const), name: ucName(c), via: via(c, "sql", "mcp") })],
      [2, fc.record({ k: fc.constant("table" as const), name: ucName(c) })],
      [
        2,
        fc.record({
          k: fc.constant("lakebase" as const),
          name: named(c, "agent-memory", "health-monitor-memory"),
        }),
      ],
      [1, fc.record({ k: fc.constant("app" as const), name: named(c, "my-app") })],
      [
        2,
        fc.record({ k: fc.constant("genie" as const), id: spaceId(c), iface: via(c, "conversation", "mcp") }),
      ],
      // FIXED [B4] (was excluded): an object with systemResources() and accessNeeds() but without problems() passes
      // the schema and crashes AgentAuthPolicy (TypeError: d.problems is not a function).
      [bugWeight(c), fc.constant({ k: "duck" as const, methods: ["systemResources", "accessNeeds"] })],
    ),
);

/** A dependency in a policy list: one of the case's bundles (by index) or a reference. */
export const depRef = memo(
  (c: Chaos, bundles: number): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [bundles > 0 ? 6 : 0, fc.nat(bundles).map((i) => ({ $dep: { k: "bundle", i } }))],
      [4, dependency(c).map((d) => ({ $dep: d }))],
      [c, junk],
    ),
);

/** In a clean scenario, OBO dependencies are ones that can be reached on behalf of the user. */
const oboFriendly = (bundles: number): fc.Arbitrary<unknown> =>
  weighted<unknown>(
    [bundles > 0 ? 6 : 0, fc.nat(bundles).map((i) => ({ $dep: { k: "bundle", i } }))],
    [3, fc.constant({ $dep: { k: "endpoint", name: "databricks-claude-sonnet-4" } })],
    [1, fc.constant({ $dep: { k: "warehouse", id: "4b9b953939869799" } })],
    [1, fc.constant({ $dep: { k: "genie", id: "01f0a1b2c3d4e5f60718293a4b5c6d09", iface: "mcp" } })],
    [1, fc.constant({ $dep: { k: "conn", name: "github" } })],
  );

// ---------------------------------------------------------------------------------------------
// Construct props
// ---------------------------------------------------------------------------------------------

export const bundleProps = memo(
  (c: Chaos): fc.Arbitrary<Record<string, unknown>> =>
    fc.record(
      {
        domain: domain(c),
        spaceId: spaceId(c),
        warehouse: weighted<unknown>(
          [12, warehouseId(c).map((id) => ({ $warehouse: id }))],
          [c, fc.constant(undefined)],
        ),
        tables: weighted<unknown>(
          [12, fc.array(ucName(c), { minLength: 1, maxLength: 4 })],
          [
            1,
            fc.array(fc.constantFrom("main.sales.orders", "main.sales.orders", "main.billing.usage"), {
              minLength: 2,
              maxLength: 6,
            }),
          ],
          [c === 0 ? 0 : 1, fc.constant(Array.from({ length: 1000 }, (_, i) => `main.big.t${i % 997}`))],
          [c, fc.constant([])],
          [c, fc.constant(Array.from({ length: 1001 }, (_, i) => `main.s.t${i}`))],
          [c, token("list")],
        ),
        functions: weighted<unknown>([4, fc.constant(undefined)], [2, fc.array(ucName(c), { maxLength: 2 })]),
        interface: weighted<unknown>(
          [8, fc.constantFrom(undefined, "conversation", "mcp")],
          [c, weirdString],
        ),
      },
      { requiredKeys: ["domain", "spaceId", "tables"] },
    ),
);

export const policyProps = memo(
  (c: Chaos, bundles: number): fc.Arbitrary<Record<string, unknown>> =>
    fc.record(
      {
        system: weighted<unknown>(
          [8, fc.array(depRef(c, bundles), { maxLength: 6 })],
          [c === 0 ? 0 : 1, fc.array(depRef(c, bundles), { minLength: 50, maxLength: 120 })],
        ),
        onBehalfOfUser: weighted<unknown>(
          [c === 0 ? 8 : 0, fc.array(oboFriendly(bundles), { maxLength: 4 })],
          [c, fc.array(depRef(c, bundles), { maxLength: 6 })],
        ),
        apiScopes: weighted<unknown>(
          [8, fc.constant(undefined)],
          [2 * c, fc.array(apiScope(c), { maxLength: 6 })],
        ),
        additionalServingScopes: weighted<unknown>(
          [6, fc.constant(undefined)],
          [1, fc.constant(["newservice.things"])],
          [c, fc.array(fc.constantFrom("newservice.things", "Bad Scope", "a".repeat(101)), { maxLength: 2 })],
        ),
        mlflowVersion: weighted<unknown>([4, fc.constant(undefined)], [3, mlflowVersion(c)]),
      },
      { requiredKeys: [] },
    ),
);

const entityName = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, fc.constantFrom("current", "candidate", "canary", "b", "Current")],
      [2, fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/)],
      [c, fc.constantFrom("", "has space", "é")],
      // FIXED [B5] (was excluded): served-entity names (and the traffic keys naming them) are neither checked nor escaped.
      [bugWeight(c), fc.constantFrom(...INJECTED_UC_PARTS, '${file("/etc/passwd")}')],
    ),
);

const model = memo(
  (c: Chaos): fc.Arbitrary<Record<string, unknown>> => fc.record({ name: ucName(c), version: version(c) }),
);

const workloadType = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, fc.constantFrom("CPU", "GPU_SMALL", "GPU_MEDIUM")],
      [c, fc.constantFrom("", "gpu small")],
      // FIXED [B5] (was excluded): workloadType is not escaped.
      [bugWeight(c), fc.constantFrom(...INJECTED_UC_PARTS)],
    ),
);

const entityEnvironment = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, recordOf(fc.tuple(fc.constantFrom("ENTITY_LEVEL", "SHARD", "LOG_LEVEL"), stringWithTokens), 2)],
      // Any variables (found unchecked as B6; the rules cover served-entity environments since 7a8b0cd).
      [c, recordOf(envEntry(c), 3)],
    ),
);

const servedEntity = memo(
  (c: Chaos): fc.Arbitrary<Record<string, unknown>> =>
    fc.record(
      {
        name: entityName(c),
        model: model(c),
        workloadSize: weighted<unknown>([8, fc.constantFrom("Small", "Medium", "Large")], [c, weirdString]),
        workloadType: workloadType(c),
        scaleToZero: fc.boolean(),
        environment: entityEnvironment(c),
      },
      { requiredKeys: ["name", "model"] },
    ),
);

/** A split that sums to 100 over the given names, or (with chaos) a broken one. */
const trafficFor = (c: Chaos, names: unknown[]): fc.Arbitrary<unknown> => {
  const keys = names.map((n) => String(n));
  const valid = fc.array(fc.nat(100), { minLength: keys.length, maxLength: keys.length }).map((ws) => {
    const total = ws.reduce((a, b) => a + b, 0) || 1;
    const pcts = ws.map((w) => Math.floor((w * 100) / total));
    pcts[0] = (pcts[0] ?? 0) + 100 - pcts.reduce((a, b) => a + b, 0);
    return Object.fromEntries(keys.map((k, i) => [k, pcts[i]]));
  });
  return weighted<unknown>(
    [8, valid],
    [c, valid.map((t) => ({ ...t, [keys[0] ?? "x"]: 5 }))],
    [c, valid.map((t) => ({ ...t, unknown_route: 0 }))],
    [c, fc.constant(Object.fromEntries(keys.map((k) => [k, 100 / Math.max(1, keys.length)])))],
    [c, fc.constant({})],
    [c, token("number").map((t) => Object.fromEntries(keys.map((k) => [k, t])))],
  );
};

const serving = memo(
  (c: Chaos): fc.Arbitrary<Record<string, unknown>> =>
    weighted<Record<string, unknown>>(
      [8, model(c).map((m) => ({ model: m }))],
      [
        3,
        (c === 0
          ? fc.uniqueArray(servedEntity(c), { minLength: 1, maxLength: 3, selector: (e) => String(e.name) })
          : fc.array(servedEntity(c), { minLength: 1, maxLength: 3 })
        ).chain((es) =>
          fc.record({
            servedEntities: fc.constant(es),
            traffic: trafficFor(
              c,
              es.map((e) => e.name),
            ),
          }),
        ),
      ],
      [c, fc.constant({})],
      [c, model(c).map((m) => ({ model: m, servedEntities: [{ name: "current", model: m }] }))],
      // FIXED [B7] (was excluded): `model` together with `servedEntities: []` crashes the endpoint (TypeError).
      [bugWeight(c), model(c).map((m) => ({ model: m, servedEntities: [] }))],
    ),
);

/** Secret scope and key parts, distinctive so a leak of either can be found. */
const secretPart = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, hex(10).map((h) => `s${h}`)],
      // FIXED [B8] (was excluded): SecretRef scope and key are never checked (SecretRef.problem() is unused) nor escaped.
      [bugWeight(c), weirdString],
    ),
);

const secretName = memo(
  (c: Chaos): fc.Arbitrary<string> =>
    weighted<string>(
      [8, fc.constantFrom("OPENAI_API_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "ANTHROPIC_API_KEY")],
      [c, fc.constantFrom("DATABRICKS_TOKEN", "LOG_LEVEL")],
      // FIXED [B8] (was excluded): secret variable names are not checked ("bad name", "${x}" become environment_vars keys).
      [bugWeight(c), fc.constantFrom("bad name", "${x}", "", "%{x}")],
    ),
);

const secrets = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    recordOf(
      fc.tuple(
        secretName(c),
        weighted<unknown>(
          [8, fc.tuple(secretPart(c), secretPart(c)).map((sk) => ({ $secretRef: sk }))],
          [c, secretLiteral],
          [c, junk],
        ),
      ),
      3,
    ),
);

function bigEnvironment(n: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`VAR_${i}`, `value ${i} \${not_interpolated} %{x}`]),
  );
}

export const endpointProps = memo(
  (c: Chaos, policies: number): fc.Arbitrary<Record<string, unknown>> =>
    fc
      .tuple(
        serving(c),
        fc.record(
          {
            name: endpointName(c),
            workloadSize: weighted<unknown>(
              [8, fc.constantFrom("Small", "Medium", "Large")],
              [c, weirdString],
            ),
            workloadType: workloadType(c),
            scaleToZero: fc.boolean(),
            authPolicy: weighted<unknown>(
              [policies > 0 ? 8 : 0, fc.nat(policies).map((i) => ({ $policy: i }))],
              [1, fc.constant(undefined)],
              // FIXED [B10] (was excluded): a plain object with a `policyModel` key passes the schema and crashes synth.
              [bugWeight(c), fc.constant({ policyModel: true })],
            ),
            environment: weighted<unknown>(
              [8, recordOf(envEntry(c))],
              [c === 0 ? 0 : 1, fc.constant(null).map(() => bigEnvironment(300))],
            ),
            secrets: secrets(c),
            oboFlagEnvVar: weighted<unknown>(
              [8, fc.constantFrom(undefined, "DATABRICKS_USE_IDENTITY_PASSTHROUGH", "USE_OBO", false)],
              [c, fc.constantFrom("", "bad name", true, "LOG_LEVEL")],
            ),
            tags: recordOf(fc.tuple(tagKey(c), tagValue(c))),
            description: description(c),
            budgetPolicyId: weighted<unknown>(
              [8, fc.constantFrom(undefined, "bp-123", "0f1e2d3c")],
              [c, fc.constant("")],
              // FIXED [B5] (was excluded): budgetPolicyId is not escaped.
              [bugWeight(c), fc.constantFrom(...INJECTED_UC_PARTS)],
            ),
            routeOptimized: fc.boolean(),
            protect: fc.boolean(),
            consumers: weighted<unknown>(
              [8, fc.array(principal(c), { maxLength: 4 })],
              [c === 0 ? 0 : 1, fc.array(principal(0), { minLength: 30, maxLength: 80 })],
            ),
            managers: fc.array(principal(c), { maxLength: 2 }),
            deployer: weighted<unknown>([6, principal(c)], [2, fc.constant(undefined)]),
          },
          { requiredKeys: ["name"] },
        ),
      )
      .map(([s, rest]) => ({ ...rest, ...s })),
);

// ---------------------------------------------------------------------------------------------
// Mutations: a wrong value at a prop (or an array element) of one construct
// ---------------------------------------------------------------------------------------------

export const PROPS = {
  bundle: ["domain", "spaceId", "warehouse", "tables", "functions", "interface"],
  policy: ["system", "onBehalfOfUser", "apiScopes", "additionalServingScopes", "mlflowVersion"],
  endpoint: [
    "name",
    "model",
    "servedEntities",
    "traffic",
    "workloadSize",
    "workloadType",
    "scaleToZero",
    "authPolicy",
    "environment",
    "secrets",
    "oboFlagEnvVar",
    "tags",
    "description",
    "budgetPolicyId",
    "routeOptimized",
    "protect",
    "consumers",
    "managers",
    "deployer",
  ],
} as const;

export const UNKNOWN_PROPS = [
  "tabels",
  "Name",
  "warehouseId",
  "consumer",
  "__proto__",
  "constructor",
  "spaceID",
  "scopes",
];

export interface Mutation {
  readonly target: keyof typeof PROPS;
  readonly index: number;
  readonly prop: string;
  /** When set and the prop holds an array, replace that element instead of the prop. */
  readonly element?: number;
  readonly value: unknown;
}

/** Props whose string values are neither checked nor escaped (BUG B5). */
const UNESCAPED_PROPS = new Set(["workloadType", "budgetPolicyId"]);

const hasTemplate = (v: unknown): boolean => typeof v === "string" && /[$%]\{/.test(v);

/** A mutation of one construct kind. */
export const mutationOf = (target: keyof typeof PROPS): fc.Arbitrary<Mutation> =>
  fc
    .record(
      {
        target: fc.constant(target),
        index: fc.nat(3),
        prop: weighted<string>(
          [8, fc.constantFrom(...PROPS[target])],
          [1, fc.constantFrom(...UNKNOWN_PROPS)],
        ),
        element: fc.nat(5),
        value: weighted<unknown>(
          [4, junk],
          [1, hostileJunk],
          [2, weirdString],
          [1, token()],
          // FIXED [B2b] (was excluded): error messages echo secret-looking values given to props other than environment/secrets.
          [bugWeight(1), secretLiteral],
        ),
      },
      { requiredKeys: ["target", "index", "prop", "value"] },
    )
    // FIXED [B5] (was excluded): template sequences in workloadType and budgetPolicyId reach Terraform unescaped.
    .filter((m) => INCLUDE_KNOWN_BUGS || !(UNESCAPED_PROPS.has(m.prop) && hasTemplate(m.value)))
    // FIXED [B7] (was excluded): `servedEntities: []` next to `model` crashes the endpoint constructor (TypeError).
    .filter(
      (m) =>
        INCLUDE_KNOWN_BUGS ||
        !(m.prop === "servedEntities" && Array.isArray(m.value) && m.value.length === 0),
    );

const MUTATIONS = {
  bundle: mutationOf("bundle"),
  policy: mutationOf("policy"),
  endpoint: mutationOf("endpoint"),
};

/** A mutation of any construct. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  MUTATIONS.bundle,
  MUTATIONS.policy,
  MUTATIONS.endpoint,
);

/** Mutations of one construct kind: none at chaos 0, one to three otherwise. */
export const mutationsFor = (c: Chaos, target: keyof typeof PROPS): fc.Arbitrary<Mutation[]> =>
  c === 0 ? fc.constant([]) : fc.array(MUTATIONS[target], { minLength: 1, maxLength: 3 });

// ---------------------------------------------------------------------------------------------
// Stack level: grant settings, acknowledgements, manual grant requests
// ---------------------------------------------------------------------------------------------

export const MECHANISMS = ["report", "additive", "authoritative"] as const;

export const grantSettings = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [6, fc.constant(undefined)],
      [
        3,
        fc.record(
          {
            mechanism: weighted<unknown>(
              // additive realises grants with terraform_data, whose cdktf validation runs `terraform
              // version` (about 0.15 s a resource): kept rare to bound the runtime.
              [12, fc.constant("report")],
              [1, fc.constant("additive")],
              [c, fc.constant("authoritative")],
              // FIXED [B11] (was excluded): an unknown mechanism is accepted; grants on referenced objects then vanish.
              [bugWeight(c), fc.constantFrom("additve", "Report", "")],
            ),
            overrides: weighted<unknown>(
              [
                8,
                recordOf(
                  fc.tuple(
                    fc.constantFrom(
                      "sql_warehouse:4b9b953939869799",
                      "genie_space:01f0a1b2c3d4e5f60718293a4b5c6d01",
                      "serving_endpoint:databricks-claude-sonnet-4",
                    ),
                    weighted<string>(
                      [12, fc.constant("report")],
                      [1, fc.constant("additive")],
                      [c, fc.constant("authoritative")],
                    ),
                  ),
                  2,
                ),
              ],
              // FIXED [B11] (was excluded): configureGrants has no validation: `overrides: null` crashes synth.
              [bugWeight(c), fc.constant(null)],
            ),
            cliPath: fc.constantFrom("databricks", "/opt/db cli/databricks", "$(rm -rf /)"),
            warehouseOwners: weighted<unknown>(
              [
                8,
                recordOf(
                  fc.tuple(
                    fc.constantFrom("4b9b953939869799", "0123456789abcdef"),
                    // FIXED [B12] (was excluded): a warehouse owner that is not a Principal crashes synth (TypeError).
                    weighted<unknown>([4, principal(c)], [bugWeight(c), junk]),
                  ),
                  1,
                ),
              ],
              // FIXED [B11] (was excluded): configureGrants has no validation: `warehouseOwners: null` crashes synth.
              [bugWeight(c), fc.constant(null)],
            ),
          },
          { requiredKeys: [] },
        ),
      ],
    ),
);

/** A previous endpoint-lock.json, as a program would load it (`useEndpointLock`). */
export const endpointLock = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    weighted<unknown>(
      [8, fc.constant(undefined)],
      [
        2,
        fc.record({
          endpoints: recordOf(
            fc.tuple(
              fc.constantFrom("fuzz/Agent0", "fuzz/Agent1", "fuzz/Gone"),
              fc.record({ name: endpointName(0), routeOptimized: fc.boolean() }),
            ),
            2,
          ),
        }),
      ],
      [c, fc.constant({})],
      // FIXED [B17] (was excluded): a malformed lock (null, an entry that is null, endpoints: null) crashes synth.
      [
        bugWeight(c),
        fc.constantFrom(
          null,
          { endpoints: null },
          { endpoints: { "fuzz/Agent0": null } },
          { endpoints: { "fuzz/Agent0": {} } },
        ),
      ],
    ),
);

export const RULE_IDS = [
  "DBA-AUTH-001",
  "DBA-GENIE-005",
  "DBA-SCOPE-002",
  "DBA-SEC-002",
  "DBA-GRANT-001",
  "DBA-GRANT-003",
  "DBA-CFG-001",
  "DBA-NOPE-999",
];

export const acknowledgement = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    fc.record({
      target: fc.constantFrom("stack", "bundle", "policy", "endpoint"),
      ruleId: weighted<unknown>([8, fc.constantFrom(...RULE_IDS)], [c, weirdString]),
      reason: weighted<unknown>(
        [8, fc.constantFrom("evaluation runs as the service principal", "short", "          x")],
        [2, weirdString],
        // FIXED [B13] (was excluded): a reason that is not a string crashes synth (TypeError: a.reason.trim).
        [bugWeight(c), junk],
      ),
    }),
);

const manualSecurable = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    fc.oneof(
      fc.record({
        family: fc.constant("uc"),
        type: fc.constantFrom("catalog", "schema", "table", "function", "model", "foreign_connection"),
        name: weighted<unknown>(
          [6, fc.tuple(ucPart, ucPart, ucPart).map(([a, b, d]) => `${a}.${b}.${d}`)],
          [2, ucPart],
          // FIXED [B5] (was excluded): names are not escaped on this path either.
          [bugWeight(c), fc.constantFrom(...INJECTED_UC_PARTS)],
        ),
      }),
      fc.record({
        family: fc.constant("workspace"),
        type: fc.constantFrom(
          "serving_endpoint",
          "sql_warehouse",
          "genie_space",
          "vector_search_endpoint",
          "database_instance",
          "app",
        ),
        id: weighted<unknown>(
          [6, fc.constantFrom("4b9b953939869799", "databricks-claude-sonnet-4")],
          [1, hex(16)],
        ),
      }),
    ),
);

export const manualGrant = memo(
  (c: Chaos): fc.Arbitrary<unknown> =>
    fc.record({
      principal: principal(c),
      securable: manualSecurable(c),
      privilege: fc.constantFrom(
        "SELECT",
        "USE_CATALOG",
        "EXECUTE",
        "CAN_USE",
        "CAN_QUERY",
        "CAN_MANAGE",
        "MODIFY",
      ),
      reason: fc.constantFrom("manual", "escape hatch"),
      requestedBy: fc.constantFrom("fuzz", "fuzz/Manual"),
      manual: fc.boolean(),
    }),
);

// ---------------------------------------------------------------------------------------------
// Whole stacks
// ---------------------------------------------------------------------------------------------

export interface Scenario {
  readonly chaos: Chaos;
  readonly idStyle: "plain" | "unicode";
  readonly bundles: readonly Record<string, unknown>[];
  readonly policies: readonly Record<string, unknown>[];
  readonly endpoints: readonly Record<string, unknown>[];
  readonly mutations: readonly Mutation[];
  readonly grantSettings: unknown;
  readonly acknowledgements: readonly unknown[];
  readonly manualGrants: readonly unknown[];
  readonly endpointLock?: unknown;
  /** Construct ids of the endpoints (specs, so a credential in an id is recorded); default Agent<i>. */
  readonly endpointIds?: readonly unknown[];
  /** Declare an unrelated TerraformVariable before anything else (shifts cdktf's token counter). */
  readonly unrelatedVariableFirst?: boolean;
}

/** A whole stack: bundles, policies, endpoints, grant settings, acknowledgements, manual grants. */
export const scenarioAt = memo(
  (c: Chaos): fc.Arbitrary<Scenario> =>
    fc
      .record({
        idStyle: weighted<"plain" | "unicode">([8, fc.constant("plain")], [1, fc.constant("unicode")]),
        bundles: fc.array(bundleProps(c), { maxLength: 3 }),
        nPolicies: weighted<number>([1, fc.constant(0)], [8, fc.constant(1)], [1, fc.constant(2)]),
        nEndpoints: weighted<number>([1, fc.constant(0)], [8, fc.constant(1)], [2, fc.constant(2)]),
      })
      .chain(({ idStyle, bundles, nPolicies, nEndpoints }) =>
        fc.record({
          chaos: fc.constant(c),
          idStyle: fc.constant(idStyle),
          bundles: fc.constant(bundles),
          policies: fc.array(policyProps(c, bundles.length), { minLength: nPolicies, maxLength: nPolicies }),
          endpoints: fc.array(endpointProps(c, nPolicies), { minLength: nEndpoints, maxLength: nEndpoints }),
          mutations: c === 0 ? fc.constant([]) : fc.array(mutation, { minLength: 1, maxLength: 3 }),
          grantSettings: grantSettings(c),
          acknowledgements: fc.array(acknowledgement(c), { maxLength: 2 }),
          manualGrants: weighted<unknown[]>(
            [6, fc.constant([])],
            [1, fc.array(manualGrant(c), { maxLength: 3 })],
          ),
        }),
      ),
);

/** Scenarios across chaos levels: about 45% well-formed, 30% a little broken, 25% badly broken. */
export const scenario: fc.Arbitrary<Scenario> = weighted<Scenario>(
  [9, scenarioAt(0)],
  [6, scenarioAt(1)],
  [5, scenarioAt(3)],
);

// ---------------------------------------------------------------------------------------------
// Issue 14: embedded credentials, tokens everywhere, look-alike names, workload types
// ---------------------------------------------------------------------------------------------

const lit = (core: string): { $secretLit: string } => ({ $secretLit: core });

/**
 * A credential inside a longer value (issue 14 class 1): `Bearer dapi…`, a PAT with the `-2`
 * suffix, JSON holding a token, a URL with a password, two tokens in one value, `github_pat_…`,
 * `AIza…`. A `$cat` spec: the credential parts are recorded as secret literals (so neither they
 * nor a long piece of them may appear anywhere), the text around them is not.
 */
export const embeddedCredential: fc.Arbitrary<{ $cat: unknown[] }> = fc
  .oneof(
    hex(32).map((h) => ["Bearer ", lit(`dapi${h}`)]),
    hex(32).map((h) => [lit(`dapi${h}`), "-2"]),
    hex(32).map((h) => ['{"token": "', lit(`dapi${h}`), '"}']),
    fc
      .string({ unit: ALNUM, minLength: 16, maxLength: 24 })
      .map((pw) => ["postgres://agent:", lit(pw), "@db.example.com:5432/sales"]),
    fc.tuple(hex(32), hex(32)).map(([a, b]) => [lit(`dapi${a}`), ",", lit(`dapi${b}`)]),
    fc
      .tuple(
        fc.string({ unit: ALNUM, minLength: 22, maxLength: 22 }),
        fc.string({ unit: ALNUM, minLength: 59, maxLength: 59 }),
      )
      .map(([a, b]) => [lit(`github_pat_${a}_${b}`)]),
    fc.string({ unit: ALNUM, minLength: 35, maxLength: 35 }).map((s) => [lit(`AIza${s}`)]),
  )
  .map((parts) => ({ $cat: parts }));

/** Where a credential is placed: every string prop a user writes, and the endpoint's construct id. */
export const CREDENTIAL_PLACES = [
  "environment value",
  "environment value under a secret-looking name",
  "served-entity environment value",
  "tag key",
  "tag value",
  "description",
  "traffic key (served-entity name)",
  "construct id",
  "SecretRef scope",
  "SecretRef key",
  "endpoint name",
  "budgetPolicyId",
  "workloadType",
  "oboFlagEnvVar",
  "group principal",
  "table name",
  "bundle domain",
  "Genie space id",
  "warehouse id",
  "model name",
] as const;
export type CredentialPlace = (typeof CREDENTIAL_PLACES)[number];

/** The UC names and group names Unity Catalog (or the workspace) treats as one: case variants. */
export const caseVariant = (name: string): fc.Arbitrary<string> =>
  fc.nat().map((bits) => mixCase(name, bits));

/**
 * Characters a reader cannot see or tell apart (issue 14 class 6): zero-width space, right-to-left
 * override, no-break space, a Cyrillic letter that looks Latin.
 */
export const INVISIBLE_OR_LOOKALIKE = [
  "\u200b",
  "\u202e",
  "\u00a0",
  "\u0430" /* Cyrillic a */,
  "\u043e" /* Cyrillic o */,
];

/** `name` with one invisible or look-alike character inserted, or a Latin letter replaced by a Cyrillic one. */
export const disguised = (name: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...INVISIBLE_OR_LOOKALIKE), fc.nat(Math.max(0, name.length - 1)))
    .map(([ch, at]) =>
      ch === "\u0430" || ch === "\u043e"
        ? name.includes(ch === "\u0430" ? "a" : "o")
          ? name.replace(ch === "\u0430" ? "a" : "o", ch)
          : `${name.slice(0, at)}${ch}${name.slice(at)}`
        : `${name.slice(0, at)}${ch}${name.slice(at)}`,
    );

/** Workload types the provider documents (1.99: the first five; later versions add the rest). */
export const KNOWN_WORKLOAD_TYPES = [
  "CPU",
  "GPU_SMALL",
  "GPU_MEDIUM",
  "GPU_LARGE",
  "MULTIGPU_MEDIUM",
  "CPU_MEDIUM",
  "CPU_LARGE",
  "GPU_XLARGE",
  "GPU_XLARGE_8",
];

/** Names that pass the workload-type pattern but are no workload type of any provider version. */
export const UNKNOWN_WORKLOAD_TYPES = [
  "GPU_HUGE",
  "TPU",
  "CPU_SMALL",
  "GPU",
  "GPU_SMALL_2",
  "MULTIGPU_LARGE",
  "XPU_MEDIUM",
];
