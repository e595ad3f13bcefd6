/** A piece of rule text with the 1-based column where it starts, for error messages. */
export interface Token {
  type: "(" | ")" | "[" | "]" | "," | "string" | "word";
  text: string;
  /** For strings: the value without quotes and escapes. */
  value: string;
  position: number;
}

export class RuleSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly position: number,
    readonly hint?: string,
  ) {
    super(`${problem} at position ${position}${hint ? ` (${hint})` : ""}`);
  }
}

const PUNCTUATION = new Set(["(", ")", "[", "]", ","]);
const WORD = /[A-Za-z0-9_.-]/;

/**
 * Splits rule text into tokens. Strings take double or single quotes; as in Entra, a backtick
 * escapes the next character, so `"` can appear inside a value.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const position = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (PUNCTUATION.has(ch)) {
      tokens.push({ type: ch as Token["type"], text: ch, value: ch, position });
      i++;
    } else if (ch === '"' || ch === "'") {
      const end = readString(text, i);
      tokens.push({ type: "string", text: text.slice(i, end.next), value: end.value, position });
      i = end.next;
    } else if (WORD.test(ch)) {
      let j = i;
      while (j < text.length && WORD.test(text[j]!)) j++;
      const word = text.slice(i, j);
      tokens.push({ type: "word", text: word, value: word, position });
      i = j;
    } else {
      throw new RuleSyntaxError(`unexpected character ${ch}`, position);
    }
  }
  return tokens;
}

function readString(text: string, start: number): { value: string; next: number } {
  const quote = text[start]!;
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "`" && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else if (ch === quote) {
      return { value, next: i + 1 };
    } else {
      value += ch;
      i++;
    }
  }
  throw new RuleSyntaxError(`unterminated text value starting`, start + 1, `a closing ${quote} is missing`);
}
