import { TerraformVariable, Testing } from "cdktf";
import { AgentServingEndpoint, SecretRef } from "../lib";
import { containsCredential, CREDENTIAL_PATTERNS, maskCredentials } from "../lib/model/credentials";
import { AgentConfigError, formatProblem } from "../lib/model/problem";
import { runRule, type StackRule } from "../lib/rules/rule";
import { agent, newStack, SPACE_ID, synthError, WAREHOUSE_ID } from "./helpers";

/** Credentials the detector must find anywhere in a value, with the part that must never be shown. */
const CREDENTIALS: readonly { what: string; value: string; secret: string }[] = [
  { what: "a bare PAT", value: `dapi${"a1".repeat(16)}`, secret: "a1".repeat(16) },
  { what: "a PAT with the -2 suffix", value: `dapi${"b2".repeat(16)}-2`, secret: "b2".repeat(16) },
  { what: "a Bearer header", value: `Bearer dapi${"c3".repeat(16)}`, secret: "c3".repeat(16) },
  {
    what: "a Bearer header with an opaque token",
    value: "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    secret: "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
  },
  { what: "a Basic header", value: "Basic dXNlcjpodW50ZXIy", secret: "dXNlcjpodW50ZXIy" },
  {
    what: "JSON with a token inside",
    value: `{"token":"dapi${"d4".repeat(16)}","host":"x"}`,
    secret: "d4".repeat(16),
  },
  {
    what: "JSON with a password inside",
    value: '{"user":"svc","password":"Hunter2-correct-horse"}',
    secret: "Hunter2-correct-horse",
  },
  {
    what: "a URL with a password in its userinfo",
    value: "postgres://svc:s3cr3t-pa55@db.example.com:5432/app",
    secret: "s3cr3t-pa55",
  },
  { what: "a URL with only a password", value: "redis://:Pa55w0rd99@cache:6379", secret: "Pa55w0rd99" },
  {
    what: "a query-string token",
    value: "https://api.example.com/v1?token=Zx81kPq0vW3mN7&x=1",
    secret: "Zx81kPq0vW3mN7",
  },
  {
    what: "two tokens in one value",
    value: `dapi${"e5".repeat(16)},dapi${"f6".repeat(16)}`,
    secret: "f6".repeat(16),
  },
  {
    what: "a fine-grained GitHub token",
    value: `github_pat_11ABCDEFG0${"x".repeat(12)}_${"Y9".repeat(20)}`,
    secret: "Y9".repeat(20),
  },
  { what: "a classic GitHub token", value: `ghp_${"Ab3".repeat(12)}`, secret: "Ab3".repeat(12) },
  {
    what: "a Google API key",
    value: `AIzaSyD-${"k7Q".repeat(10)}abc`,
    secret: "k7Q".repeat(10),
  },
  { what: "an OpenAI key of lowercase letters", value: `sk-${"a".repeat(24)}`, secret: "a".repeat(24) },
  {
    what: "a JSON-escaped AWS key after a newline",
    value: JSON.stringify("\nAKIA" + "A".repeat(16) + "\n"),
    secret: "AKIA" + "A".repeat(16),
  },
  { what: "an OpenAI project key", value: `sk-proj-${"Qw9".repeat(10)}`, secret: "Qw9".repeat(10) },
  {
    what: "a Stripe live key",
    value: `sk_live_${"4eC39HqLyjWDarjtT1zdp7dc".repeat(1)}`,
    secret: "4eC39HqLyjWDarjtT1zdp7dc",
  },
  { what: "a Slack bot token", value: "xoxb-1234567890-abcdefghijKL", secret: "abcdefghijKL" },
  {
    what: "a Slack webhook",
    value: "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    secret: "XXXXXXXXXXXXXXXXXXXXXXXX",
  },
  { what: "an AWS access key id", value: "id=AKIAIOSFODNN7EXAMPLE", secret: "AKIAIOSFODNN7EXAMPLE" },
  {
    what: "a JWT",
    value: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    secret: "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  },
  {
    what: "a PEM private key",
    value:
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----",
    secret: "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo",
  },
  {
    what: "a PEM header without a footer",
    value: "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA",
    secret: "b3BlbnNzaC1rZXktdjEAAAAA",
  },
];

/** Ordinary values the detector must leave alone. */
const ORDINARY: readonly string[] = [
  WAREHOUSE_ID,
  SPACE_ID,
  "0123456789abcdef0123456789abcdef",
  "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b",
  "main.sales.orders",
  "main.agents.sales_agent",
  "https://adb-1234567890123456.7.azuredatabricks.net",
  "https://example.com:8443/path?x=1",
  "postgres://db.example.com:5432/app",
  "mailto:user@example.com",
  "task-process-queue-handler-name",
  "sk-learn-pipeline-for-customers",
  "Basic authentication is disabled",
  "Bearer tokens are accepted",
  "max_tokens: 1000",
  "token=${TfToken[TOKEN.12]}",
  "{{secrets/agents/openai}}",
  "info",
  "true",
  "sales-agent",
  "Answers questions about sales with Genie",
];

describe("the credential detector (lib/model/credentials.ts)", () => {
  test.each(CREDENTIALS)("finds and masks $what", ({ value, secret }) => {
    expect(containsCredential(value)).toBe(true);
    expect(containsCredential(`prefix ${value} suffix`)).toBe(true);
    const masked = maskCredentials(value);
    expect(masked).toContain("<redacted, ");
    expect(masked).not.toContain(secret);
    expect(containsCredential(masked)).toBe(false);
  });

  test.each(ORDINARY)("leaves the ordinary value %j alone", (value) => {
    expect(containsCredential(value)).toBe(false);
    expect(maskCredentials(value)).toBe(value);
  });

  test("every pattern is global (masking replaces every occurrence) and finds at least one listed credential", () => {
    for (const { name, pattern } of CREDENTIAL_PATTERNS) {
      expect([name, pattern.flags.includes("g")]).toEqual([name, true]);
      expect([
        name,
        CREDENTIALS.some(({ value }) => new RegExp(pattern.source, pattern.flags).test(value)),
      ]).toEqual([name, true]);
    }
  });

  test("a pattern's required literal is in every match of it (texts without it are not scanned)", () => {
    const gated = CREDENTIAL_PATTERNS.filter((p) => p.requires !== undefined);
    expect(gated.map((p) => p.name)).toEqual(["GitHub token", "URL password"]);
    for (const { name, pattern, requires } of gated) {
      const matches = CREDENTIALS.flatMap(({ value }) => [
        ...value.matchAll(new RegExp(pattern.source, pattern.flags)),
      ]).map((m) => m[0]);
      expect([name, matches.length > 0]).toEqual([name, true]);
      for (const m of matches) expect([name, m.includes(requires!)]).toEqual([name, true]);
    }
  });

  test("a pattern's hint is in every match of it (a text without any hint is not scanned)", () => {
    for (const { name, pattern, hint } of CREDENTIAL_PATTERNS) {
      if (hint === undefined) continue;
      const matches = CREDENTIALS.flatMap(({ value }) => [
        ...`prefix ${value} suffix`.matchAll(new RegExp(pattern.source, pattern.flags)),
      ]).map((m) => m[0]);
      expect([name, matches.length > 0]).toEqual([name, true]);
      for (const m of matches)
        expect([name, m, new RegExp(hint.source, "i").test(m)]).toEqual([name, m, true]);
    }
  });

  test("a text is masked exactly where a pattern matches it, whether or not it was seen clean before", () => {
    const value = `postgres://svc:s3cr3t-pa55@db and ghp_${"Ab3".repeat(12)} and dapi${"a1".repeat(16)}`;
    expect(maskCredentials(value)).toBe(
      "<redacted, 27 characters>db and <redacted, 40 characters> and <redacted, 36 characters>",
    );
    const clean = "postgres://db.example.com:5432/app and github_issue_42";
    expect(maskCredentials(clean)).toBe(clean);
    expect(containsCredential(clean)).toBe(false);
    expect(maskCredentials(clean)).toBe(clean);
  });
});

/** The problems an AgentConfigError lists, or [] when `fn` does not throw one. */
function configError(fn: () => unknown): AgentConfigError | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AgentConfigError) return e;
    throw e;
  }
  return undefined;
}

describe("DBA-SEC-001 finds a credential anywhere in a value, in every prop", () => {
  test.each(CREDENTIALS)("environment: $what fails synth, masked", ({ value, secret }) => {
    const s = newStack();
    agent(s, { endpoint: { environment: { CONFIG: value } } });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-SEC-001] test/Agent (prop environment.CONFIG)");
    expect(msg).not.toContain(secret);
  });

  test.each(CREDENTIALS)("a served entity's environment: $what fails synth", ({ value, secret }) => {
    const s = newStack();
    agent(s, {
      endpoint: {
        model: undefined,
        servedEntities: [
          {
            name: "current",
            model: { name: "main.agents.sales_agent", version: "3" },
            environment: { X: value },
          },
        ],
      },
    });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-SEC-001] test/Agent (prop servedEntities.current.environment.X)");
    expect(msg).not.toContain(secret);
  });

  test.each(CREDENTIALS)(
    "tags and description: $what is refused at construction, masked",
    ({ value, secret }) => {
      const s = newStack();
      const error = configError(() =>
        agent(s, { endpoint: { tags: { owner: value.slice(0, 255) }, description: value } }),
      );
      expect(error?.problems.map((p) => [p.ruleId, p.prop])).toEqual([
        ["DBA-SEC-001", "tags.owner"],
        ["DBA-SEC-001", "description"],
      ]);
      expect(error!.message).not.toContain(secret);
      expect(JSON.stringify(error!.problems)).not.toContain(secret);
    },
  );

  test("ordinary values in environment, tags and the description synthesize", () => {
    const s = newStack();
    const values = Object.fromEntries(
      ORDINARY.filter((v) => !v.includes("{{") && !v.includes("TfToken")).map((v, i) => [`V${i}`, v]),
    );
    agent(s, {
      endpoint: { environment: values, tags: values, description: ORDINARY.slice(4, 9).join(" ") },
    });
    expect(synthError(s)).toBe("");
  });
});

describe("DBA-SEC-001 refuses a Terraform reference under a secret-looking name", () => {
  test("API_TOKEN set from a variable fails synth, fix: use secrets", () => {
    const s = newStack();
    const v = new TerraformVariable(s, "apiToken", { type: "string" });
    agent(s, { endpoint: { environment: { API_TOKEN: v.stringValue } } });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-SEC-001] test/Agent (prop environment.API_TOKEN)");
    expect(msg).toContain("API_TOKEN looks like a secret but is set from a Terraform reference");
    expect(msg).toContain("move API_TOKEN to `secrets`");
  });

  test("a plain name set from a variable is fine", () => {
    const s = newStack();
    const v = new TerraformVariable(s, "logLevel", { type: "string" });
    agent(s, { endpoint: { environment: { LOG_LEVEL: v.stringValue } } });
    expect(synthError(s)).toBe("");
  });
});

describe("no message, problem or finding prints a credential", () => {
  const PAT = `dapi${"0f".repeat(16)}`;
  const HIDDEN = "0f".repeat(16);

  test("a credential used as a tag key", () => {
    const error = configError(() => agent(newStack(), { endpoint: { tags: { [PAT]: "x" } } }));
    expect(error?.problems.map((p) => p.ruleId)).toEqual(["DBA-SEC-001"]);
    expect(error!.message).not.toContain(HIDDEN);
    expect(JSON.stringify(error!.problems)).not.toContain(HIDDEN);
  });

  test("a credential used as a traffic split key", () => {
    const key = `dapi${"0f".repeat(16)}-2`;
    const error = configError(() =>
      agent(newStack(), {
        endpoint: {
          model: undefined,
          servedEntities: [{ name: "current", model: { name: "main.agents.sales_agent", version: "3" } }],
          traffic: { [key]: 100 },
        },
      }),
    );
    expect(error?.problems.map((p) => p.ruleId)).toContain("DBA-SEC-001");
    expect(error!.message).not.toContain(HIDDEN);
    expect(JSON.stringify(error!.problems)).not.toContain(HIDDEN);
  });

  test("a credential used as an environment variable name fails synth without naming it", () => {
    const s = newStack();
    agent(s, { endpoint: { environment: { [PAT]: "x" } } });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-SEC-001] test/Agent (prop environment.<redacted, 36 characters>)");
    expect(msg).toContain("a variable name looks like a credential");
    expect(msg).not.toContain(HIDDEN);
  });

  test("a SecretRef passed to a plain prop does not print its scope or key", () => {
    const ref = SecretRef.of("scope-xq7", "key-zz9");
    const error = configError(() =>
      agent(newStack(), { endpoint: { tags: { owner: ref as never }, description: ref as never } }),
    );
    expect(error?.problems.map((p) => p.prop)).toEqual(["tags.owner", "description"]);
    expect(error!.message).not.toMatch(/scope-xq7|key-zz9/);
    expect(JSON.stringify(error!.problems)).not.toMatch(/scope-xq7|key-zz9/);
    expect(JSON.stringify({ ref })).toBe('{"ref":"<SecretRef>"}');
  });

  test.each([
    ["the construct's own id", (id: string) => ["test", id]],
    ["a parent's id", (id: string) => [id, "Agent"]],
  ])("a credential in %s is refused at construction, path masked", (_what, ids) => {
    const [stackId, endpointId] = ids(PAT) as [string, string];
    const s = newStack(stackId);
    const error = configError(
      () =>
        new AgentServingEndpoint(s, endpointId, {
          name: "sales-agent",
          model: { name: "main.agents.sales_agent", version: "3" },
        }),
    );
    expect(error?.problems.map((p) => p.ruleId)).toEqual(["DBA-SEC-001"]);
    expect(error!.problems[0]!.message).toContain(
      "the construct path holds something that looks like a credential",
    );
    expect(error!.message).not.toContain(HIDDEN);
    expect(JSON.stringify(error!.problems)).not.toContain(HIDDEN);
  });

  test("a finding is masked in every field, whatever the rule returns", () => {
    const leaky: StackRule = {
      id: "DBA-TEST-001",
      severity: "error",
      acknowledgeable: false,
      title: "test",
      fix: "test",
      reads: "stack",
      check: () => [{ path: `a/${PAT}`, prop: PAT, message: PAT, received: PAT, allowed: PAT, fix: PAT }],
    };
    const findings = runRule(leaky, { bundles: [], policies: [], endpoints: [] }, "test");
    expect(JSON.stringify(findings)).not.toContain(HIDDEN);
    expect(formatProblem({ ruleId: "X", path: PAT, prop: PAT, message: PAT, fix: PAT })).not.toContain(
      HIDDEN,
    );
  });

  test("nothing of a refused credential reaches an output file: synth writes none", () => {
    const s = newStack();
    agent(s, { endpoint: { environment: { DB_URL: "postgres://svc:s3cr3t-pa55@db:5432/app" } } });
    expect(() => Testing.synth(s, true)).toThrow("[DBA-SEC-001]");
  });
});

describe("secret references", () => {
  test.each([
    ["null, null", null, null, ["scope", "key"]],
    ["an empty scope", "", "k", ["scope"]],
    ["a key with a slash", "s", "a/b", ["key"]],
    ["a number", "s", 7, ["key"]],
  ])("SecretRef.of(%s) throws DBA-CFG-001", (_what, scope, key, props) => {
    const error = configError(() => SecretRef.of(scope as string, key as string));
    expect(error?.problems.map((p) => [p.ruleId, p.path, p.prop])).toEqual(
      props.map((p) => ["DBA-CFG-001", "SecretRef.of", p]),
    );
  });

  test("SecretRef.of refuses a credential passed as the key (DBA-SEC-001), printing nothing of it", () => {
    const pat = `dapi${"7a".repeat(16)}`;
    const error = configError(() => SecretRef.of("agents", pat));
    expect(error?.problems.map((p) => [p.ruleId, p.prop, p.received])).toEqual([
      ["DBA-SEC-001", "key", "<redacted, 36 characters>"],
    ]);
    expect(error!.message).not.toContain("7a".repeat(16));
  });

  test("SecretRef.of with valid parts renders the reference", () => {
    expect(SecretRef.of("agents", "openai").toString()).toBe("{{secrets/agents/openai}}");
  });

  test("a {{secrets/...}} string in plain environment fails synth: move it to secrets", () => {
    const s = newStack();
    agent(s, { endpoint: { environment: { OPENAI_API_KEY: "{{secrets/agents/openai}}" } } });
    const msg = synthError(s);
    expect(msg).toContain("[DBA-SEC-001] test/Agent (prop environment.OPENAI_API_KEY)");
    expect(msg).toContain("the deployer's READ grant on its secret scope is never requested");
    expect(msg).toContain("move it to secrets: { OPENAI_API_KEY: SecretRef.of(scope, key) }");
  });

  test("the same reference under a plain name fails too", () => {
    const s = newStack();
    agent(s, { endpoint: { environment: { UPSTREAM: " {{secrets/agents/upstream}} " } } });
    expect(synthError(s)).toContain("[DBA-SEC-001] test/Agent (prop environment.UPSTREAM)");
  });

  test("the reference in `secrets` synthesizes, with READ requested for the deployer", () => {
    const s = newStack();
    agent(s, { endpoint: { secrets: { OPENAI_API_KEY: SecretRef.of("agents", "openai") } } });
    expect(synthError(s)).toBe("");
  });
});
