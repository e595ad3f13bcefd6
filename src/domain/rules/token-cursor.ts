import type { Token } from "./tokens";

/** Walks a rule's tokens; `endPosition` is where "expected ..." points once they run out. */
export class TokenCursor {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    readonly endPosition: number,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(): Token | undefined {
    return this.tokens[this.index++];
  }
}

/** Operators may be written with or without the hyphen and in any case, as Entra allows. */
export function keyword(token: Token | undefined): string | undefined {
  if (token?.type !== "word") return undefined;
  const lower = token.text.toLowerCase();
  return lower.startsWith("-") ? lower : `-${lower}`;
}
