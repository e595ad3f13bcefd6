import type { DirectoryUser } from "../model";
import { ITEM_PROPERTY, type RuleAst, type RuleValue } from "./ast";
import { readCollection, readProperty } from "./properties";
import { regexMatches } from "./regex";

/**
 * Whether a user satisfies a rule. Text comparisons ignore case, as Entra's do. A property the
 * directory does not have counts as empty: `-eq null` and the negative operators match it.
 * `memberOf` holds the user's transitive group ids (lower case), needed only by rules that read
 * `user.memberOf`; without it the user is in no group.
 */
export function evaluateRule(ast: RuleAst, user: DirectoryUser, memberOf?: ReadonlySet<string>): boolean {
  return evaluate(ast, (property) => readProperty(user, property), user, memberOf);
}

type Read = (property: string) => string | boolean | undefined;

function evaluate(
  ast: RuleAst,
  read: Read,
  user: DirectoryUser,
  memberOf: ReadonlySet<string> | undefined,
): boolean {
  switch (ast.kind) {
    case "and":
      return ast.operands.every((operand) => evaluate(operand, read, user, memberOf));
    case "or":
      return ast.operands.some((operand) => evaluate(operand, read, user, memberOf));
    case "not":
      return !evaluate(ast.operand, read, user, memberOf);
    case "collection": {
      const items = readCollection(user, ast.property, memberOf);
      const holds = (item: string) =>
        evaluate(ast.condition, (p) => (p === ITEM_PROPERTY ? item : undefined), user, memberOf);
      // As in Entra, -all over no items is true and -any over no items is false.
      return ast.operator === "-any" ? items.some(holds) : items.every(holds);
    }
    case "list": {
      const actual = text(read(ast.property));
      const found = actual !== "" && ast.values.some((value) => value.toLowerCase() === actual);
      return ast.operator === "-in" ? found : !found;
    }
    case "compare":
      return compare(ast.operator, read(ast.property), ast.value);
  }
}

function compare(operator: string, actualValue: string | boolean | undefined, expected: RuleValue): boolean {
  if (typeof expected === "boolean") {
    const equal = actualValue === expected;
    return operator === "-eq" ? equal : !equal;
  }
  const actual = text(actualValue);
  if (expected === null) return operator === "-eq" ? actual === "" : actual !== "";
  const value = expected.toLowerCase();
  switch (operator) {
    case "-eq":
      return actual === value;
    case "-ne":
      return actual !== value;
    case "-startsWith":
      return actual !== "" && actual.startsWith(value);
    case "-notStartsWith":
      return !(actual !== "" && actual.startsWith(value));
    case "-contains":
      return actual !== "" && actual.includes(value);
    case "-notContains":
      return !(actual !== "" && actual.includes(value));
    case "-match":
      return actual !== "" && regexMatches(expected, String(actualValue));
    case "-notMatch":
      return !(actual !== "" && regexMatches(expected, String(actualValue)));
    case "-ge":
      return actual !== "" && order(actual, value) >= 0;
    default:
      return actual !== "" && order(actual, value) <= 0;
  }
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/** Numbers compare as numbers, dates as instants, anything else as lower-case text. */
function order(actual: string, expected: string): number {
  if (NUMBER.test(actual) && NUMBER.test(expected)) return Number(actual) - Number(expected);
  if (DATE.test(actual) && DATE.test(expected)) {
    const a = Date.parse(actual);
    const b = Date.parse(expected);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  }
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

const text = (value: string | boolean | undefined): string =>
  value === undefined ? "" : String(value).toLowerCase();
