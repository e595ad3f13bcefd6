import { ITEM_PROPERTY, type RuleAst, type RuleValue } from "./ast";
import { itemName } from "./properties";

/**
 * Writes a rule in canonical form: Entra's property and operator spelling, double-quoted values,
 * and only the parentheses precedence needs (-not binds tighter than -and, -and tighter than -or).
 * Formatting a parsed rule and parsing it again gives the same rule.
 */
export function formatRule(ast: RuleAst, item?: string): string {
  const name = (property: string) =>
    property === ITEM_PROPERTY && item !== undefined ? itemName(item) : `user.${property}`;
  switch (ast.kind) {
    case "compare":
      return `${name(ast.property)} ${ast.operator} ${formatValue(ast.value)}`;
    case "list":
      return `${name(ast.property)} ${ast.operator} [${ast.values.map(quote).join(", ")}]`;
    case "collection":
      return `user.${ast.property} ${ast.operator} (${formatRule(ast.condition, ast.property)})`;
    case "not":
      return `-not ${ast.operand.kind === "and" || ast.operand.kind === "or" ? `(${formatRule(ast.operand, item)})` : formatRule(ast.operand, item)}`;
    case "and":
      return ast.operands
        .map((operand) =>
          operand.kind === "or" ? `(${formatRule(operand, item)})` : formatRule(operand, item),
        )
        .join(" -and ");
    case "or":
      return ast.operands.map((operand) => formatRule(operand, item)).join(" -or ");
  }
}

function formatValue(value: RuleValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  return quote(value);
}

// Entra escapes with a backtick: a backtick or a double quote inside a value gets one.
const quote = (value: string): string => `"${value.replace(/[`"]/g, (ch) => `\`${ch}`)}"`;
