export * from "./ast";
export { parseRule, type RuleParseError } from "./parse";
export { evaluateRule } from "./evaluate";
export { formatRule } from "./format";
export { planAutoAssignment, type AutoAssignmentPlan } from "./plan";
export { RULE_PROPERTIES } from "./properties";
export { regexProblem } from "./regex";
