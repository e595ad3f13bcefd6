import {
  COLLECTION_OPERATORS,
  COMPARISON_OPERATORS,
  LIST_OPERATORS,
  type CollectionOperator,
  type ComparisonOperator,
  type ListOperator,
  type RuleValue,
} from "./ast";
import { canonicalProperty, isBooleanProperty, suggestProperty } from "./properties";
import { regexProblem } from "./regex";
import { keyword, type TokenCursor } from "./token-cursor";
import { RuleSyntaxError, type Token } from "./tokens";

/**
 * The parts of one condition: its property, operator and value or list. Each reads from the cursor
 * and, on a mistake, throws a RuleSyntaxError that points at the token and says what to write.
 */
const SUPPORTED_PROPERTIES =
  "department, jobTitle, country, companyName, userType, city, officeLocation, displayName, mail, userPrincipalName, accountEnabled, extensionAttribute1..15, otherMails, proxyAddresses, memberOf";
const SUPPORTED_OPERATORS = [...COMPARISON_OPERATORS, ...LIST_OPERATORS].join(", ");
// Operators some query languages have and Entra's rules do not: named so the message says "not supported".
const UNSUPPORTED_OPERATORS = ["-gt", "-lt"];

export type Operator = ComparisonOperator | ListOperator | CollectionOperator;
const OPERATORS = new Map<string, Operator>(
  [...COMPARISON_OPERATORS, ...LIST_OPERATORS, ...COLLECTION_OPERATORS].map((op) => [op.toLowerCase(), op]),
);
const NUMBER = /^-?\d+(\.\d+)?$/;

/** `user.<name>` to the property's canonical name, or the nearest known one as a hint. */
export function ruleProperty(token: Token): string {
  const name = token.text.slice("user.".length);
  const canonical = canonicalProperty(name);
  if (canonical) return canonical;
  const suggestion = suggestProperty(name);
  const hint = suggestion ? `did you mean ${suggestion}?` : `supported: ${SUPPORTED_PROPERTIES}`;
  throw new RuleSyntaxError(`unknown property ${token.text}`, token.position, hint);
}

/** The operator in `token` (not consumed), after `property` (for the message when it is missing). */
export function ruleOperator(cursor: TokenCursor, token: Token | undefined, property: Token): Operator {
  const word = keyword(token);
  const operator = word === undefined ? undefined : OPERATORS.get(word);
  if (operator) return operator;
  if (!token) throw new RuleSyntaxError(`expected an operator after ${property.text}`, cursor.endPosition);
  if (word && UNSUPPORTED_OPERATORS.includes(word)) {
    throw new RuleSyntaxError(
      `operator ${token.text} is not supported`,
      token.position,
      `use ${SUPPORTED_OPERATORS}`,
    );
  }
  const found =
    token.type === "word" && token.text.startsWith("-") ? "unknown operator" : "expected an operator, found";
  throw new RuleSyntaxError(`${found} ${token.text}`, token.position, `use ${SUPPORTED_OPERATORS}`);
}

/** The value a comparison compares with: true/false, null, a number for -ge/-le, or quoted text. */
export function ruleValue(
  cursor: TokenCursor,
  property: string,
  operator: ComparisonOperator,
  operatorToken: Token,
): RuleValue {
  const token = cursor.peek();
  if (!token) throw new RuleSyntaxError(`expected a value after ${operatorToken.text}`, cursor.endPosition);
  const literal = token.type === "word" ? token.text.toLowerCase() : undefined;
  if (isBooleanProperty(property)) {
    if (operator !== "-eq" && operator !== "-ne") {
      throw new RuleSyntaxError(
        `${operatorToken.text} does not apply to user.${property}`,
        operatorToken.position,
        "use -eq or -ne",
      );
    }
    if (literal !== "true" && literal !== "false") {
      throw new RuleSyntaxError(`user.${property} takes true or false, found ${token.text}`, token.position);
    }
    cursor.next();
    return literal === "true";
  }
  if (literal === "null") {
    if (operator !== "-eq" && operator !== "-ne") {
      throw new RuleSyntaxError(
        `null works only with -eq and -ne, not ${operatorToken.text}`,
        token.position,
      );
    }
    cursor.next();
    return null;
  }
  if ((operator === "-ge" || operator === "-le") && token.type === "word" && NUMBER.test(token.text)) {
    cursor.next();
    return token.text;
  }
  if (token.type !== "string") {
    throw new RuleSyntaxError(
      `expected a value after ${operatorToken.text}, found ${token.text}`,
      token.position,
      'put text values in double quotes, like "Sales"',
    );
  }
  if (operator === "-match" || operator === "-notMatch") {
    const problem = regexProblem(token.value);
    if (problem) {
      throw new RuleSyntaxError(
        `the pattern ${token.text} does not compile: ${problem}`,
        token.position,
        "patterns use RE2 syntax (no lookaround or backreferences)",
      );
    }
  }
  cursor.next();
  return token.value;
}

/** `["a", "b", ...]` after -in/-notIn; an empty list is allowed. */
export function ruleList(cursor: TokenCursor, operatorToken: Token): string[] {
  const open = cursor.peek();
  if (open?.type !== "[") {
    throw new RuleSyntaxError(
      `expected a list like ["a", "b"] after ${operatorToken.text}`,
      open?.position ?? cursor.endPosition,
    );
  }
  cursor.next();
  const values: string[] = [];
  for (;;) {
    const item = cursor.next();
    if (!item) throw new RuleSyntaxError("unclosed [ opened", open.position);
    if (item.type === "]" && values.length === 0) break;
    if (item.type !== "string") {
      throw new RuleSyntaxError(`expected a quoted value in the list, found ${item.text}`, item.position);
    }
    values.push(item.value);
    const separator = cursor.next();
    if (!separator) throw new RuleSyntaxError("unclosed [ opened", open.position);
    if (separator.type === "]") break;
    if (separator.type !== ",") {
      throw new RuleSyntaxError(`expected , or ] in the list, found ${separator.text}`, separator.position);
    }
  }
  return values;
}
