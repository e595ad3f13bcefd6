import type { RuleAst, RuleValue } from "./ast";

/**
 * Writes a rule in canonical form: Entra's property and operator spelling, double-quoted values,
 * and only the parentheses precedence needs (-not binds tighter than -and, -and tighter than -or).
 * Formatting a parsed rule and parsing it again gives the same rule.
 */
export function formatRule(ast: RuleAst): string {
  switch (ast.kind) {
    case "compare":
      return `user.${ast.property} ${ast.operator} ${formatValue(ast.value)}`;
    case "list":
      return `user.${ast.property} ${ast.operator} [${ast.values.map(quote).join(", ")}]`;
    case "not":
      return `-not ${ast.operand.kind === "and" || ast.operand.kind === "or" ? `(${formatRule(ast.operand)})` : formatRule(ast.operand)}`;
    case "and":
      return ast.operands
        .map((operand) => (operand.kind === "or" ? `(${formatRule(operand)})` : formatRule(operand)))
        .join(" -and ");
    case "or":
      return ast.operands.map(formatRule).join(" -or ");
  }
}

function formatValue(value: RuleValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  return quote(value);
}

// Entra escapes with a backtick: a backtick or a double quote inside a value gets one.
const quote = (value: string): string => `"${value.replace(/[`"]/g, (ch) => `\`${ch}`)}"`;
