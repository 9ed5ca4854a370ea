/**
 * Recognise CDKTF token encodings without importing cdktf, so the model stays engine-neutral.
 *
 * CDKTF encodes unresolved values as `${TfToken[TOKEN.n]}` in strings, `#{TfToken[TOKEN.n]}` in lists
 * and very large negative numbers for numbers. A value holding a token is only known at apply time,
 * so format checks skip it.
 */
const TOKEN_PATTERN = /[$#]\{TfToken\[[^\]]+\]\}/;
const TOKEN_PATTERN_GLOBAL = /[$#]\{TfToken\[[^\]]+\]\}/g;

/** True when the string holds at least one unresolved CDKTF token. */
export function containsToken(value: string): boolean {
  // The substring test first: most strings hold no token, and it is several times cheaper than the pattern.
  return value.includes("{TfToken[") && TOKEN_PATTERN.test(value);
}

/** True when the whole string is one unresolved CDKTF token (a bare Terraform reference). */
export function isWholeToken(value: string): boolean {
  return /^\$\{TfToken\[[^\]]+\]\}$/.test(value);
}

/**
 * Escape Terraform template sequences (`${` and `%{`) in the literal parts of a string, leaving
 * CDKTF tokens intact, so a literal such as `cost ${USD}` reaches Terraform as text, never as an
 * interpolation.
 */
export function escapeTemplateLiterals(value: string): string {
  const escapeLiteral = (s: string): string =>
    s.replace(/([$%])\{/g, (_m, sigil: string) => `${sigil}${sigil}{`);
  let out = "";
  let last = 0;
  for (const match of value.matchAll(TOKEN_PATTERN_GLOBAL)) {
    const index = match.index ?? 0;
    out += escapeLiteral(value.slice(last, index)) + match[0];
    last = index + match[0].length;
  }
  return out + escapeLiteral(value.slice(last));
}

/** True when a literal (non-token) part of the string holds a Terraform template sequence. */
export function containsTemplateSequence(value: string): boolean {
  return /\$\{|%\{/.test(value.replace(TOKEN_PATTERN_GLOBAL, ""));
}

/**
 * True when a string mixes a Terraform reference with a literal `${` / `%{`, or puts a literal `$`
 * right before a reference. CDKTF's token parser and Terraform's escapes (`$${`, `%%{`) cannot
 * express such a string faithfully: the reference would become text, or the text an expression.
 */
export function sigilBeforeToken(value: string): boolean {
  return containsToken(value) && (containsTemplateSequence(value) || /\$\$\{TfToken\[/.test(value));
}
