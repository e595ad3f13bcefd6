const GREETING =
  /^(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|day))(?:\s+(?:there|team|all|everyone|access desk|bot))?\b[\s,!.:;-]*/i;
const LEADING_FILLER =
  /^(?:(?:please|pls|plz|kindly|ok(?:ay)?|so|um+|uh+)\b[\s,]*|(?:could|can|would|will) you(?:\s+please)?\s+)/i;
const TRAILING_FILLER = /[\s,]+(?:please|pls|plz|thanks|thank you|thx|asap)$/i;

/**
 * Unwraps Teams mentions, folds whitespace, drops trailing punctuation, a leading greeting and
 * polite filler. Keeps the original case so captured names and queries read as typed.
 */
export function cleanChatText(text: string): { cleaned: string; greeted: boolean } {
  let cleaned = text
    .replace(/<at>(.*?)<\/at>/gi, "$1")
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
  const greeted = GREETING.test(cleaned);
  cleaned = cleaned.replace(GREETING, "");
  for (let previous = ""; previous !== cleaned; ) {
    previous = cleaned;
    cleaned = cleaned
      .replace(/[\s?!.,;:]+$/, "")
      .replace(LEADING_FILLER, "")
      .replace(TRAILING_FILLER, "")
      .trim();
  }
  return { cleaned, greeted };
}

/** The thing asked for, without articles, "access to" and trailing "access"/"package". */
export function tidyQuery(text: string): string {
  let query = text.trim();
  for (let previous = ""; previous !== query; ) {
    previous = query;
    query = query
      .replace(/^(?:access\s+(?:to|for)|access|to|for|the|a|an|some|my)\s+/i, "")
      .replace(/\s+(?:access|package|access package|request|please|too|as well)$/i, "")
      .replace(/^["'](.*)["']$/, "$1")
      .replace(/^(?:access|the)$/i, "")
      .trim();
  }
  return query;
}

/** A person's name as written, without "'s access" and filler around it. */
export function tidyPerson(text: string): string {
  return text
    .replace(/^@/, "")
    .replace(/(?:'s?)?\s+(?:has|have|got|gets|does)$/i, "")
    .replace(/'s?(?:\s+(?:access|permissions))?$/i, "")
    .replace(/\s+(?:has|have|does)$/i, "")
    .replace(/^(?:my colleague|my manager|colleague)\s+/i, "")
    .trim();
}

const MONTH =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const PERIOD = new RegExp(
  `(?:^|,|\\s+(?:in|for|from|during|of)\\b|\\s)\\s*((?:${MONTH})(?:\\s+\\d{4})?|\\d{4}-\\d{2}|q[1-4](?:\\s+\\d{4})?|(?:last|this|previous) (?:month|quarter|year))$`,
  "i",
);

/** Splits "Business Analyst, October" into the query and the period as written ("October"). */
export function extractPeriod(text: string): { rest: string; period?: string } {
  const match = PERIOD.exec(text.trim());
  if (!match) return { rest: text.trim() };
  return {
    rest: text
      .trim()
      .slice(0, match.index)
      .replace(/[\s,]+$/, ""),
    period: match[1]!,
  };
}
