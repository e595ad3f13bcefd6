/** Operators that compare one property with one value. */
export type ComparisonOperator =
  | "-eq"
  | "-ne"
  | "-startsWith"
  | "-notStartsWith"
  | "-contains"
  | "-notContains";

/** Operators that compare one property with a list of values. */
export type ListOperator = "-in" | "-notIn";

/** A rule value: text, a boolean (accountEnabled) or null ("the property is empty"). */
export type RuleValue = string | boolean | null;

/**
 * The parsed form of an auto-assignment rule. Property names are canonical ("department",
 * "extensionAttribute3"); values keep the case they were written in, comparisons ignore it.
 */
export type RuleAst =
  | { kind: "compare"; property: string; operator: ComparisonOperator; value: RuleValue }
  | { kind: "list"; property: string; operator: ListOperator; values: string[] }
  | { kind: "and"; operands: RuleAst[] }
  | { kind: "or"; operands: RuleAst[] }
  | { kind: "not"; operand: RuleAst };

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = [
  "-eq",
  "-ne",
  "-startsWith",
  "-notStartsWith",
  "-contains",
  "-notContains",
];

export const LIST_OPERATORS: readonly ListOperator[] = ["-in", "-notIn"];
