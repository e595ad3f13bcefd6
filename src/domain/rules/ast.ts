/** Operators that compare one property with one value. */
export type ComparisonOperator =
  | "-eq"
  | "-ne"
  | "-startsWith"
  | "-notStartsWith"
  | "-contains"
  | "-notContains"
  | "-match"
  | "-notMatch"
  | "-ge"
  | "-le";

/** Operators that compare one property with a list of values. */
export type ListOperator = "-in" | "-notIn";

/** Operators over a multi-valued property: some item (`-any`) or every item (`-all`) satisfies the condition. */
export type CollectionOperator = "-any" | "-all";

/** A rule value: text, a boolean (accountEnabled) or null ("the property is empty"). */
export type RuleValue = string | boolean | null;

/**
 * The property an item condition reads: `_` (the item itself, for `otherMails` and
 * `proxyAddresses`) or `group.objectId` (for `memberOf`). Stored as ITEM_PROPERTY.
 */
export const ITEM_PROPERTY = "_";

/**
 * The parsed form of an auto-assignment rule. Property names are canonical ("department",
 * "extensionAttribute3"); values keep the case they were written in, comparisons ignore it.
 * Inside a collection condition the property is ITEM_PROPERTY.
 */
export type RuleAst =
  | { kind: "compare"; property: string; operator: ComparisonOperator; value: RuleValue }
  | { kind: "list"; property: string; operator: ListOperator; values: string[] }
  | { kind: "collection"; property: string; operator: CollectionOperator; condition: RuleAst }
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
  "-match",
  "-notMatch",
  "-ge",
  "-le",
];

export const LIST_OPERATORS: readonly ListOperator[] = ["-in", "-notIn"];

export const COLLECTION_OPERATORS: readonly CollectionOperator[] = ["-any", "-all"];

/** The group ids a rule's `user.memberOf` conditions name: the memberships worth reading. */
export function ruleGroupIds(ast: RuleAst): string[] {
  const ids = new Set<string>();
  const visit = (node: RuleAst, inMemberOf: boolean): void => {
    switch (node.kind) {
      case "and":
      case "or":
        node.operands.forEach((o) => visit(o, inMemberOf));
        return;
      case "not":
        visit(node.operand, inMemberOf);
        return;
      case "collection":
        visit(node.condition, node.property === "memberOf");
        return;
      case "list":
        if (inMemberOf) node.values.forEach((v) => ids.add(v.toLowerCase()));
        return;
      case "compare":
        if (inMemberOf && typeof node.value === "string") ids.add(node.value.toLowerCase());
    }
  };
  visit(ast, false);
  return [...ids];
}

/** Whether the rule reads group memberships (`user.memberOf`). */
export const ruleReadsMemberships = (ast: RuleAst): boolean => usesProperty(ast, "memberOf");

function usesProperty(ast: RuleAst, property: string): boolean {
  switch (ast.kind) {
    case "and":
    case "or":
      return ast.operands.some((o) => usesProperty(o, property));
    case "not":
      return usesProperty(ast.operand, property);
    default:
      return ast.property === property;
  }
}
