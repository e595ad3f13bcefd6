/**
 * Text that goes into a card. Adaptive Card TextBlocks interpret a markdown subset and Teams turns
 * addresses into links, so anything a person typed (or a directory holds) is made inert here:
 * markdown punctuation is escaped, autolinks and {{DATE()}} macros are broken, whitespace is
 * collapsed (no lists or headings) and the length is capped.
 */
const MARKDOWN = /[\\`*_~[\]()#>!|<]/g;
/**
 * Bidirectional controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069) and
 * marks (U+200E, U+200F, U+061C). A right-to-left override makes "exe.fdp" read as "pdf.exe" and
 * can flip a name or an amount; right-to-left text itself needs none of them, so they are removed.
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const ZWSP = "\u200B";

export const LIMITS = {
  name: 120,
  title: 200,
  short: 300,
  long: 1000,
} as const;

export function safeText(value: unknown, max: number = LIMITS.short): string {
  if (value === undefined || value === null) return "";
  let text = String(value)
    .replace(BIDI_CONTROLS, "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length > max) text = `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
  text = text
    .replace(MARKDOWN, (ch) => `\\${ch}`)
    // A leading "-", "+" or "1." would start a list.
    .replace(/^([-+]|\d+\.)/, "\\$1")
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/\{\{/g, `{${ZWSP}{`)
    .replace(/\$\{/g, `$${ZWSP}{`);
  return text;
}

/** A value for an input's `value`: not markdown, only capped and without bidirectional controls. */
export function inputValue(value: unknown, max: number = LIMITS.long): string {
  if (typeof value !== "string") return "";
  return value.replace(BIDI_CONTROLS, "").slice(0, max);
}

/** "Ana, Ben and Chloe" */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
