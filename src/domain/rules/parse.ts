import type { DomainError } from "../errors";
import { err, ok, type Result } from "../result";
import {
  COLLECTION_OPERATORS,
  COMPARISON_OPERATORS,
  ITEM_PROPERTY,
  LIST_OPERATORS,
  type CollectionOperator,
  type ComparisonOperator,
  type ListOperator,
  type RuleAst,
  type RuleValue,
} from "./ast";
import {
  canonicalProperty,
  isBooleanProperty,
  isCollectionProperty,
  itemName,
  suggestProperty,
} from "./properties";
import { regexProblem } from "./regex";
import { RuleSyntaxError, tokenize, type Token } from "./tokens";

export interface RuleParseError extends DomainError {
  code: "RULE.PARSE";
  /** 1-based column of the problem in the rule text. */
  position: number;
}

const SUPPORTED_PROPERTIES =
  "department, jobTitle, country, companyName, userType, city, officeLocation, displayName, mail, userPrincipalName, accountEnabled, extensionAttribute1..15, otherMails, proxyAddresses, memberOf";
const SUPPORTED_OPERATORS = [...COMPARISON_OPERATORS, ...LIST_OPERATORS].join(", ");
// Operators some query languages have and Entra's rules do not: named so the message says "not supported".
const UNSUPPORTED_OPERATORS = ["-gt", "-lt"];

type Operator = ComparisonOperator | ListOperator | CollectionOperator;
const OPERATORS = new Map<string, Operator>(
  [...COMPARISON_OPERATORS, ...LIST_OPERATORS, ...COLLECTION_OPERATORS].map((op) => [op.toLowerCase(), op]),
);
const NUMBER = /^-?\d+(\.\d+)?$/;

/** Parses an Entra dynamic-membership rule (the subset Access Desk evaluates). */
export function parseRule(text: string): Result<RuleAst, RuleParseError> {
  try {
    const tokens = tokenize(text);
    if (tokens.length === 0) {
      throw new RuleSyntaxError("the rule is empty", 1, 'write a condition like user.department -eq "Sales"');
    }
    return ok(new Parser(tokens, text.length + 1).parseAll());
  } catch (e) {
    if (!(e instanceof RuleSyntaxError)) throw e;
    return err({ code: "RULE.PARSE", message: e.message, position: e.position });
  }
}

/** Operators may be written with or without the hyphen and in any case, as Entra allows. */
function keyword(token: Token | undefined): string | undefined {
  if (token?.type !== "word") return undefined;
  const lower = token.text.toLowerCase();
  return lower.startsWith("-") ? lower : `-${lower}`;
}

class Parser {
  private index = 0;
  /** Inside `user.<collection> -any (...)`: the collection whose items the conditions read. */
  private item: string | undefined;

  constructor(
    private readonly tokens: Token[],
    private readonly endPosition: number,
  ) {}

  parseAll(): RuleAst {
    const ast = this.parseOr();
    const extra = this.peek();
    if (extra) {
      if (extra.type === ")")
        throw new RuleSyntaxError("unexpected )", extra.position, "no parenthesis is open");
      throw new RuleSyntaxError(`expected -and or -or, found ${extra.text}`, extra.position);
    }
    return ast;
  }

  private parseOr(after?: Token): RuleAst {
    const operands = [this.parseAnd(after)];
    while (keyword(this.peek()) === "-or") {
      const or = this.next()!;
      operands.push(this.parseAnd(or));
    }
    return operands.length === 1 ? operands[0]! : { kind: "or", operands };
  }

  private parseAnd(after?: Token): RuleAst {
    const operands = [this.parseUnary(after)];
    while (keyword(this.peek()) === "-and") {
      const and = this.next()!;
      operands.push(this.parseUnary(and));
    }
    return operands.length === 1 ? operands[0]! : { kind: "and", operands };
  }

  private parseUnary(after?: Token): RuleAst {
    if (keyword(this.peek()) === "-not") {
      const not = this.next()!;
      return { kind: "not", operand: this.parseUnary(not) };
    }
    return this.parsePrimary(after);
  }

  private parsePrimary(after?: Token): RuleAst {
    const token = this.peek();
    if (token?.type === "(") {
      this.next();
      const inner = this.parseOr(token);
      if (this.peek()?.type !== ")") {
        throw new RuleSyntaxError(`unclosed parenthesis opened`, token.position);
      }
      this.next();
      return inner;
    }
    if (
      this.item !== undefined &&
      token?.type === "word" &&
      token.text.toLowerCase() === itemName(this.item).toLowerCase()
    ) {
      return this.parseItemCondition();
    }
    if (token?.type === "word" && token.text.toLowerCase().startsWith("user.")) {
      if (this.item !== undefined) {
        throw new RuleSyntaxError(
          `expected ${itemName(this.item)} inside -any/-all, found ${token.text}`,
          token.position,
          `write user.${this.item} -any (${itemName(this.item)} ...)`,
        );
      }
      return this.parseCondition();
    }
    const context = after ? ` after ${after.text}` : "";
    if (!token) throw new RuleSyntaxError(`expected a condition${context}`, this.endPosition);
    throw new RuleSyntaxError(
      `expected a condition${context}, found ${token.text}`,
      token.position,
      'a condition looks like user.department -eq "Sales"',
    );
  }

  private parseCondition(): RuleAst {
    const propertyToken = this.next()!;
    const property = this.property(propertyToken);
    const operatorToken = this.peek();
    const operator = this.operator(operatorToken, propertyToken);
    this.next();
    const collection = isCollectionProperty(property);
    if (operator === "-any" || operator === "-all") {
      if (!collection) {
        throw new RuleSyntaxError(
          `${operator} applies only to a multi-valued property (otherMails, proxyAddresses, memberOf)`,
          operatorToken!.position,
          "use -eq, -in or another single-value operator",
        );
      }
      return {
        kind: "collection",
        property,
        operator,
        condition: this.itemCondition(property, operatorToken!),
      };
    }
    if (collection) {
      throw new RuleSyntaxError(
        `${propertyToken.text} has several values: use -any or -all`,
        operatorToken!.position,
        `e.g. ${propertyToken.text} -any (${itemName(property)} -${property === "memberOf" ? 'in ["<group id>"]' : 'contains "x"'})`,
      );
    }
    if (operator === "-in" || operator === "-notIn") {
      if (isBooleanProperty(property)) {
        throw new RuleSyntaxError(
          `${operator} does not apply to ${propertyToken.text}`,
          operatorToken!.position,
          "use -eq or -ne",
        );
      }
      return { kind: "list", property, operator, values: this.list(operatorToken!) };
    }
    return { kind: "compare", property, operator, value: this.value(property, operator, operatorToken!) };
  }

  /** `( <item> <operator> <value> [-and|-or ...] )` after -any/-all. */
  private itemCondition(collection: string, operatorToken: Token): RuleAst {
    const open = this.peek();
    if (open?.type !== "(") {
      throw new RuleSyntaxError(
        `expected ( after ${operatorToken.text}`,
        open?.position ?? this.endPosition,
        `write ${operatorToken.text} (${itemName(collection)} ...)`,
      );
    }
    this.next();
    this.item = collection;
    const inner = this.parseOr(open);
    this.item = undefined;
    if (this.peek()?.type !== ")") throw new RuleSyntaxError("unclosed parenthesis opened", open.position);
    this.next();
    return inner;
  }

  private parseItemCondition(): RuleAst {
    const itemToken = this.next()!;
    const operatorToken = this.peek();
    const operator = this.operator(operatorToken, itemToken);
    this.next();
    if (operator === "-any" || operator === "-all") {
      throw new RuleSyntaxError(`${operator} cannot be nested`, operatorToken!.position);
    }
    if (this.item === "memberOf" && !["-eq", "-ne", "-in", "-notIn"].includes(operator)) {
      throw new RuleSyntaxError(
        `${operatorToken!.text} does not apply to group.objectId`,
        operatorToken!.position,
        'use -in ["<group id>", ...] or -eq "<group id>"',
      );
    }
    if (operator === "-in" || operator === "-notIn") {
      return { kind: "list", property: ITEM_PROPERTY, operator, values: this.list(operatorToken!) };
    }
    return {
      kind: "compare",
      property: ITEM_PROPERTY,
      operator,
      value: this.value(ITEM_PROPERTY, operator, operatorToken!),
    };
  }

  private property(token: Token): string {
    const name = token.text.slice("user.".length);
    const canonical = canonicalProperty(name);
    if (canonical) return canonical;
    const suggestion = suggestProperty(name);
    const hint = suggestion ? `did you mean ${suggestion}?` : `supported: ${SUPPORTED_PROPERTIES}`;
    throw new RuleSyntaxError(`unknown property ${token.text}`, token.position, hint);
  }

  private operator(token: Token | undefined, property: Token): Operator {
    const word = keyword(token);
    const operator = word === undefined ? undefined : OPERATORS.get(word);
    if (operator) return operator;
    if (!token) throw new RuleSyntaxError(`expected an operator after ${property.text}`, this.endPosition);
    if (word && UNSUPPORTED_OPERATORS.includes(word)) {
      throw new RuleSyntaxError(
        `operator ${token.text} is not supported`,
        token.position,
        `use ${SUPPORTED_OPERATORS}`,
      );
    }
    const found =
      token.type === "word" && token.text.startsWith("-")
        ? "unknown operator"
        : "expected an operator, found";
    throw new RuleSyntaxError(`${found} ${token.text}`, token.position, `use ${SUPPORTED_OPERATORS}`);
  }

  private value(property: string, operator: ComparisonOperator, operatorToken: Token): RuleValue {
    const token = this.peek();
    if (!token) throw new RuleSyntaxError(`expected a value after ${operatorToken.text}`, this.endPosition);
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
        throw new RuleSyntaxError(
          `user.${property} takes true or false, found ${token.text}`,
          token.position,
        );
      }
      this.next();
      return literal === "true";
    }
    if (literal === "null") {
      if (operator !== "-eq" && operator !== "-ne") {
        throw new RuleSyntaxError(
          `null works only with -eq and -ne, not ${operatorToken.text}`,
          token.position,
        );
      }
      this.next();
      return null;
    }
    if ((operator === "-ge" || operator === "-le") && token.type === "word" && NUMBER.test(token.text)) {
      this.next();
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
    this.next();
    return token.value;
  }

  private list(operatorToken: Token): string[] {
    const open = this.peek();
    if (open?.type !== "[") {
      throw new RuleSyntaxError(
        `expected a list like ["a", "b"] after ${operatorToken.text}`,
        open?.position ?? this.endPosition,
      );
    }
    this.next();
    const values: string[] = [];
    for (;;) {
      const item = this.next();
      if (!item) throw new RuleSyntaxError("unclosed [ opened", open.position);
      if (item.type === "]" && values.length === 0) break;
      if (item.type !== "string") {
        throw new RuleSyntaxError(`expected a quoted value in the list, found ${item.text}`, item.position);
      }
      values.push(item.value);
      const separator = this.next();
      if (!separator) throw new RuleSyntaxError("unclosed [ opened", open.position);
      if (separator.type === "]") break;
      if (separator.type !== ",") {
        throw new RuleSyntaxError(`expected , or ] in the list, found ${separator.text}`, separator.position);
      }
    }
    return values;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token | undefined {
    return this.tokens[this.index++];
  }
}
