/**
 * The one check of the characters in a name the user gives: Unity Catalog names, principals (emails,
 * group names), dependency names and ids, and the name props of the schemas. It refuses what cannot be
 * seen or is made to look like something else, and accepts names written in one script, ASCII or not:
 *
 * - invisible characters: format characters (zero width space U+200B, joiners, the bidirectional
 *   controls U+202A-U+202E and U+2066-U+2069, the byte order mark), spaces other than U+0020 (no-break
 *   space U+00A0, ...), line and paragraph separators, non-ASCII control characters, private-use,
 *   surrogate and unassigned code points, fillers and variation selectors;
 * - a name that is only spaces, or starts or ends with one;
 * - compatibility forms that normalise (NFKC) to other characters (fullwidth letters, ligatures) and
 *   decomposed sequences that compose (NFC) to one character: two spellings that look the same;
 * - letters of two scripts in one identifier (a Cyrillic `о` in a Latin table name); Han may be mixed
 *   with Hiragana and Katakana, Bopomofo or Hangul, and those with Latin (Unicode TS #39, "highly
 *   restrictive").
 *
 * ASCII control characters, quotes and slashes are each check's own business (they have their own
 * messages). Terraform references are skipped: they are only known at apply time.
 */
import { containsToken } from "./tokens";

/** Why a name's characters are refused: the sentence, what is allowed and the fix. */
export interface CharacterProblem {
  /** e.g. `has an invisible character, U+200B ZERO WIDTH SPACE, at character 8 of "main.sa<U+200B>les.orders"` */
  readonly message: string;
  readonly allowed: string;
  readonly fix: string;
}

/** What every name may hold, for messages. */
export const NAME_CHARACTERS_ALLOWED =
  "visible characters; the letters of each name part from one script (Han may mix with Hiragana/Katakana, Bopomofo or Hangul, and with Latin); no invisible, bidirectional-control or non-ASCII space characters, no compatibility or decomposed forms, no leading or trailing space";

/** Names of the characters most often pasted by accident. */
const KNOWN_NAMES: Readonly<Record<number, string>> = {
  0x00a0: "NO-BREAK SPACE",
  0x00ad: "SOFT HYPHEN",
  0x034f: "COMBINING GRAPHEME JOINER",
  0x061c: "ARABIC LETTER MARK",
  0x115f: "HANGUL CHOSEONG FILLER",
  0x1160: "HANGUL JUNGSEONG FILLER",
  0x180e: "MONGOLIAN VOWEL SEPARATOR",
  0x2007: "FIGURE SPACE",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x2028: "LINE SEPARATOR",
  0x2029: "PARAGRAPH SEPARATOR",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x202f: "NARROW NO-BREAK SPACE",
  0x205f: "MEDIUM MATHEMATICAL SPACE",
  0x2060: "WORD JOINER",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0x3000: "IDEOGRAPHIC SPACE",
  0x3164: "HANGUL FILLER",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
  0xffa0: "HALFWIDTH HANGUL FILLER",
};

/** Invisible or unprintable: formats, separators, non-ASCII controls and spaces, private use, unassigned, fillers, variation selectors. */
const INVISIBLE =
  /[\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\u0080-\u009f\u034f\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]|(?! )\p{Zs}/u;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const MARK = /\p{M}/u;
const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
/** Characters every script uses (digits, punctuation, symbols) and marks that take their base's script. */
const NO_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** The scripts told apart, most common first; a letter of any other script is "another script". */
const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  "Latin",
  "Cyrillic",
  "Greek",
  "Han",
  "Hiragana",
  "Katakana",
  "Hangul",
  "Bopomofo",
  "Arabic",
  "Hebrew",
  "Armenian",
  "Georgian",
  "Devanagari",
  "Bengali",
  "Gurmukhi",
  "Gujarati",
  "Oriya",
  "Tamil",
  "Telugu",
  "Kannada",
  "Malayalam",
  "Sinhala",
  "Thai",
  "Lao",
  "Tibetan",
  "Myanmar",
  "Khmer",
  "Mongolian",
  "Ethiopic",
  "Cherokee",
  "Thaana",
  "Syriac",
].map((s) => [s, new RegExp(`\\p{Script=${s}}`, "u")] as const);

/** Sets of scripts one identifier may mix (UTS #39 highly restrictive). */
const ALLOWED_MIXES: readonly ReadonlySet<string>[] = [
  new Set(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set(["Latin", "Han", "Bopomofo"]),
  new Set(["Latin", "Han", "Hangul"]),
];

/** Scripts whose words need a zero width joiner or non-joiner between letters (Persian, Indic scripts). */
const JOINING_SCRIPTS = new Set([
  "Arabic",
  "Syriac",
  "Devanagari",
  "Bengali",
  "Gurmukhi",
  "Gujarati",
  "Oriya",
  "Tamil",
  "Telugu",
  "Kannada",
  "Malayalam",
  "Sinhala",
  "Myanmar",
  "Khmer",
  "Mongolian",
]);

/** U+200C / U+200D between two letters (or a letter's virama) of one joining script: part of the word. */
function joinerInWord(chars: readonly string[], i: number): boolean {
  const ch = chars[i]!;
  if (ch !== "\u200c" && ch !== "\u200d") return false;
  const [before, after] = [chars[i - 1], chars[i + 1]];
  if (before === undefined || after === undefined) return false;
  const script = SCRIPTS.find(([, re]) => re.test(before))?.[0];
  return (
    script !== undefined &&
    JOINING_SCRIPTS.has(script) &&
    SCRIPTS.find(([, re]) => re.test(after))?.[0] === script
  );
}

function scriptOf(ch: string): string | undefined {
  if (NO_SCRIPT.test(ch) || !LETTER_OR_NUMBER.test(ch)) return undefined;
  return SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? "another script";
}

/** `U+200B`, with the character's name when known. */
export function codePoint(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = KNOWN_NAMES[cp];
  return name === undefined ? hex : `${hex} ${name}`;
}

/**
 * The value as a message may print it: every invisible character, and the one at `highlight`, shown
 * as `<U+XXXX>`; at most 120 characters.
 */
export function visibleForm(value: string, highlight?: number): string {
  const shown = [...value]
    .map((ch, i) =>
      i === highlight || (ch.codePointAt(0)! >= 0x80 && INVISIBLE.test(ch))
        ? `<${codePoint(ch).split(" ")[0]}>`
        : ch,
    )
    .join("");
  const json = JSON.stringify(shown);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

/** Tokens replaced by `_` (a character of no script) so positions and scripts of the literal parts stay right. */
function literalView(value: string): string {
  return containsToken(value)
    ? value.replace(/[$#]\{TfToken\[[^\]]+\]\}/g, (t) => "_".repeat(t.length))
    : value;
}

/**
 * Check the characters of a name; `what` names it in the fix (default "the name"). For the script
 * check, `.` and `@` split the name into identifiers (a UC name's parts, an email's local part and
 * domain labels). Returns undefined when the name is fine.
 */
export function nameCharacterProblem(
  value: string,
  options: { readonly what?: string } = {},
): CharacterProblem | undefined {
  // Printable ASCII without a space at either end (nearly every name): nothing below can fire.
  if (/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value)) return undefined;
  const what = options.what ?? "the name";
  const chars = [...literalView(value)];
  const at = (i: number): string => `at character ${i + 1} of ${visibleForm(value, i)}`;

  // Invisible characters.
  for (const [i, ch] of chars.entries()) {
    if (ch.codePointAt(0)! < 0x80 || !INVISIBLE.test(ch) || joinerInWord(chars, i)) continue;
    const kind = BIDI.test(ch)
      ? "a bidirectional control character (it reorders how the text is displayed)"
      : /\p{Zs}/u.test(ch)
        ? "a space other than U+0020"
        : /[\p{Cs}\p{Co}\p{Cn}]/u.test(ch)
          ? "a code point that is no printable character (an unpaired surrogate, private use or unassigned)"
          : "an invisible character";
    return {
      message: `has ${kind}, ${codePoint(ch)}, ${at(i)}`,
      allowed: NAME_CHARACTERS_ALLOWED,
      fix: `retype ${what} without ${codePoint(ch).split(" ")[0]} (text copied from documents and chats can carry invisible characters)`,
    };
  }

  // Blank, leading or trailing spaces.
  if (chars.length > 0 && chars.every((c) => c === " "))
    return {
      message: `is only whitespace (${chars.length} character${chars.length === 1 ? "" : "s"})`,
      allowed: NAME_CHARACTERS_ALLOWED,
      fix: `give ${what} itself`,
    };
  const edge = chars[0] === " " ? 0 : chars[chars.length - 1] === " " ? chars.length - 1 : -1;
  if (edge >= 0)
    return {
      message: `${edge === 0 ? "starts" : "ends"} with a space, ${codePoint(chars[edge]!)}, ${at(edge)}`,
      allowed: NAME_CHARACTERS_ALLOWED,
      fix: `remove the ${edge === 0 ? "leading" : "trailing"} space from ${what}`,
    };

  // ASCII is visible (controls are each check's own), stable under NFKC and all Latin: nothing more to check.
  if (/^[\u0000-\u007f]*$/.test(value)) return undefined;

  // Lookalike forms: compatibility characters and decomposed sequences.
  for (const [i, ch] of chars.entries()) {
    if (ch.codePointAt(0)! < 0x80) continue;
    const nfkc = ch.normalize("NFKC");
    if (nfkc !== ch)
      return {
        message: `has ${codePoint(ch)}, a compatibility form of ${JSON.stringify(nfkc)} (${[...nfkc].map(codePoint).join(" ")}), ${at(i)}`,
        allowed: NAME_CHARACTERS_ALLOWED,
        fix: `write ${JSON.stringify(nfkc)} instead of ${codePoint(ch)}`,
      };
    if (i > 0 && MARK.test(ch)) {
      const pair = chars[i - 1]! + ch;
      const composed = pair.normalize("NFC");
      if ([...composed].length < 2)
        return {
          message: `has ${codePoint(ch)}, a combining mark that composes with the character before it into ${codePoint(composed)}, ${at(i)}`,
          allowed: NAME_CHARACTERS_ALLOWED,
          fix: `write the composed character ${JSON.stringify(composed)} (Unicode NFC) instead of the two`,
        };
    }
  }

  // One script per identifier.
  let start = 0;
  for (let end = 0; end <= chars.length; end++) {
    if (end < chars.length && chars[end] !== "." && chars[end] !== "@") continue;
    const scripts = new Map<string, number[]>();
    for (let i = start; i < end; i++) {
      const s = scriptOf(chars[i]!);
      if (s === undefined) continue;
      const seen = scripts.get(s);
      if (seen === undefined) scripts.set(s, [i]);
      else seen.push(i);
    }
    const names = [...scripts.keys()];
    if (names.length > 1 && !ALLOWED_MIXES.some((mix) => names.every((n) => mix.has(n)))) {
      // Blame the script with the fewest letters (the first of them), against the one with the most.
      const ranked = [...scripts.entries()].sort((a, b) => b[1].length - a[1].length || a[1][0]! - b[1][0]!);
      const [main, odd] = [ranked[0]!, ranked[ranked.length - 1]!];
      const i = odd[1][0]!;
      return {
        message: `mixes scripts in one identifier: ${codePoint(chars[i]!)} (${odd[0] === "another script" ? "a letter of another script" : `${/^[AEIOU]/.test(odd[0]) ? "an" : "a"} ${odd[0]} letter`}) ${at(i)}, whose other letters are ${main[0]}`,
        allowed: NAME_CHARACTERS_ALLOWED,
        fix: `write every letter of ${JSON.stringify(chars.slice(start, end).join(""))} in one script (a lookalike letter from another keyboard layout is a different name)`,
      };
    }
    start = end + 1;
  }
  return undefined;
}
