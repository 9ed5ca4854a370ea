/**
 * The one credential detector. Every check that refuses a credential (DBA-SEC-001 on the environment
 * maps at synth, on every other prop and on construct paths at construction) and every mask applied
 * to messages, problems and findings reads this module: a credential found by one is found by all.
 *
 * A credential is found anywhere in a text (a prefix, a header, a URL, JSON around it, two in one
 * value), never only when the whole text is one. Ordinary values (warehouse ids, Genie space ids and
 * other hex ids, Unity Catalog names, URLs without a password) are not credentials.
 */

/**
 * Nothing of a credential's own alphabet right before it, so `task-...` is no `sk-...` key; a letter
 * that ends an escape (the `n` of `\n` in JSON-encoded text) does not count.
 */
const START = "(?<!(?<!\\\\)[A-Za-z0-9_-])";

/** One kind of credential: its name (for documentation and tests) and a pattern finding it in a text. */
export interface CredentialPattern {
  readonly name: string;
  readonly pattern: RegExp;
  /**
   * A literal every match of `pattern` contains: a text without it is not scanned (for speed, where the
   * pattern backtracks over ordinary text; the tests check every listed credential's match contains it).
   * @default - every text is scanned
   */
  readonly requires?: string;
  /**
   * Text every match of `pattern` contains, as a regular expression read case-insensitively (the
   * credential's fixed prefix or keyword). One scan of a text for the hints of all patterns decides
   * whether any hinted pattern is tried at all: almost every text (ids, names, paths) has none, and
   * one pass is cheaper than a pass per pattern (the tests check every listed credential's match holds
   * its pattern's hint).
   * @default - the pattern is tried on every text
   */
  readonly hint?: RegExp;
}

/** The credential kinds, each a global pattern matching the whole credential (so masking hides all of it). */
export const CREDENTIAL_PATTERNS: readonly CredentialPattern[] = [
  // Databricks personal access tokens (dapi), OAuth secrets (dose), with the optional `-<n>` suffix.
  {
    name: "Databricks token",
    pattern: new RegExp(`${START}(?:dapi|dkea|dose|dsapi)[0-9a-f]{32}(?:-\\d+)?`, "g"),
    hint: /dapi|dkea|dose|dsapi/,
  },
  // OpenAI keys (sk-..., sk-proj-...): lowercase words joined by '-' (`sk-learn-pipeline-...`) are a name.
  {
    name: "OpenAI key",
    pattern: new RegExp(
      `${START}sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20,}|(?=[A-Za-z0-9_-]*[A-Z0-9])[A-Za-z0-9_-]{20,})`,
      "g",
    ),
    hint: /sk-/,
  },
  {
    name: "Stripe key",
    pattern: new RegExp(`${START}(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}`, "g"),
    hint: /[srp]k_/,
  },
  {
    name: "GitHub token",
    pattern: new RegExp(`${START}(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})`, "g"),
    requires: "_",
    hint: /gh[pousr]_|github_pat_/,
  },
  {
    name: "AWS access key id",
    pattern: new RegExp(`${START}(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])`, "g"),
    hint: /AKIA|ASIA/,
  },
  { name: "Google API key", pattern: new RegExp(`${START}AIza[0-9A-Za-z_-]{35}`, "g"), hint: /AIza/ },
  {
    name: "Slack token",
    pattern: new RegExp(`${START}xox[abeoprs]-[A-Za-z0-9-]{10,}`, "g"),
    hint: /xox/,
  },
  {
    name: "Slack webhook",
    pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9_/-]{10,}/g,
    hint: /hooks\.slack\.com/,
  },
  { name: "JWT", pattern: /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g, hint: /eyJ/ },
  // A PEM private key: from its header to its footer, or to the end of the text.
  {
    name: "private key",
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|[\s\S]*)/g,
    hint: /-----BEGIN /,
  },
  // An Authorization header's credentials: `Bearer <token>`, `Basic <base64>` (a word such as
  // "Basic authentication" has no digit, '+', '/' or '=' and is no credential).
  {
    name: "authorization header",
    pattern: /\b(?:[Bb]earer|BEARER|[Bb]asic|BASIC)\s+(?=[A-Za-z0-9._~+/-]*[0-9+/=])[A-Za-z0-9._~+/-]{8,}=*/g,
    hint: /bearer|basic/,
  },
  // A password in a URL's userinfo: `postgres://user:password@host`, `redis://:password@host`.
  // Scanned only where `://` is: the scheme's run of letters backtracks at every word of a long text.
  {
    name: "URL password",
    pattern: /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/g,
    requires: "://",
    hint: /:\/\//,
  },
  // `password=...`, `"token": "..."`, `api_key: ...` (a literal value of at least 8 characters
  // with a letter and a digit; a secret reference, a Terraform reference, an already masked value or a
  // word such as `SecretRef.of(...)` in a message is none).
  {
    name: "assigned secret",
    pattern:
      /(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|token)["']?\s*[:=]\s*["']?(?!\{\{secrets\/|[$#]\{TfToken\[|<redacted)(?=[^\s"'&,;}]*[0-9])(?=[^\s"'&,;}]*[a-z])[^\s"'&,;}]{8,}/gi,
    hint: /password|passwd|pwd|secret|api[_-]?key|access[_-]?key|token/,
  },
];

/** The hints of every hinted pattern in one case-insensitive alternation: a text it misses has none of them. */
const ANY_HINT = new RegExp(
  CREDENTIAL_PATTERNS.flatMap(({ hint }) => (hint === undefined ? [] : [`(?:${hint.source})`])).join("|"),
  "i",
);

/**
 * Texts known to hold no credential (findings repeat their paths, props and fixes thousands of times),
 * so they are scanned once. A text with a credential is never kept. Bounded in count and length.
 */
const CLEAN = new Set<string>();
const CLEAN_LIMIT = 50_000;

/** Whether some pattern has no hint (and so is tried on every text). */
const ANY_UNHINTED = CREDENTIAL_PATTERNS.some(({ hint }) => hint === undefined);

/**
 * Texts up to this length are scanned for hints before the clean cache is asked: ids, names and
 * paths, nearly all unique, for which one short scan is cheaper than the cache's lookup and add (and
 * a text without hints is not kept). A longer text (a message, a fix) is looked up first: findings
 * repeat them, and hashing is cheaper than scanning them again.
 */
const SHORT_TEXT = 128;

/** True when a text holds a credential anywhere. */
export function containsCredential(text: string): boolean {
  const short = text.length <= SHORT_TEXT;
  if (!short && CLEAN.has(text)) return false;
  const hinted = ANY_HINT.test(text);
  if (!hinted && !ANY_UNHINTED) {
    if (!short) markClean(text);
    return false;
  }
  if (short && CLEAN.has(text)) return false;
  const found = CREDENTIAL_PATTERNS.some(({ pattern, requires, hint }) => {
    if (hint !== undefined && !hinted) return false;
    if (requires !== undefined && !text.includes(requires)) return false;
    pattern.lastIndex = 0;
    const hit = pattern.test(text);
    pattern.lastIndex = 0;
    return hit;
  });
  if (!found) markClean(text);
  return found;
}

function markClean(text: string): void {
  if (text.length > 1024) return;
  if (CLEAN.size >= CLEAN_LIMIT) CLEAN.clear();
  CLEAN.add(text);
}

/** Replace every credential in a text by its length; the rest of the text is kept. */
export function maskCredentials(text: string): string {
  // Testing is cheaper than replacing, and almost every text is clean: replace only where one is found.
  if (!containsCredential(text)) return text;
  return CREDENTIAL_PATTERNS.reduce(
    (t, { pattern }) => t.replace(pattern, (m) => `<redacted, ${m.length} characters>`),
    text,
  );
}
