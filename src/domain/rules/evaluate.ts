import type { DirectoryUser } from "../model";
import type { RuleAst, RuleValue } from "./ast";
import { readProperty } from "./properties";

/**
 * Whether a user satisfies a rule. Text comparisons ignore case, as Entra's do. A property the
 * directory does not have counts as empty: `-eq null` and the negative operators match it.
 */
export function evaluateRule(ast: RuleAst, user: DirectoryUser): boolean {
  switch (ast.kind) {
    case "and":
      return ast.operands.every((operand) => evaluateRule(operand, user));
    case "or":
      return ast.operands.some((operand) => evaluateRule(operand, user));
    case "not":
      return !evaluateRule(ast.operand, user);
    case "list": {
      const actual = text(readProperty(user, ast.property));
      const found = actual !== "" && ast.values.some((value) => value.toLowerCase() === actual);
      return ast.operator === "-in" ? found : !found;
    }
    case "compare":
      return compare(ast.operator, readProperty(user, ast.property), ast.value);
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
    default:
      return !(actual !== "" && actual.includes(value));
  }
}

const text = (value: string | boolean | undefined): string =>
  value === undefined ? "" : String(value).toLowerCase();
