import type { DomainError } from "../errors";
import { err, ok, type Result } from "../result";
import { ITEM_PROPERTY, type RuleAst } from "./ast";
import { ruleList, ruleOperator, ruleProperty, ruleValue } from "./condition-parts";
import { isBooleanProperty, isCollectionProperty, itemName } from "./properties";
import { keyword, TokenCursor } from "./token-cursor";
import { RuleSyntaxError, tokenize, type Token } from "./tokens";

export interface RuleParseError extends DomainError {
  code: "RULE.PARSE";
  /** 1-based column of the problem in the rule text. */
  position: number;
}

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

/** The grammar: -or over -and over -not over conditions and parentheses; parts in condition-parts.ts. */
class Parser extends TokenCursor {
  /** Inside `user.<collection> -any (...)`: the collection whose items the conditions read. */
  private item: string | undefined;

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
    const property = ruleProperty(propertyToken);
    const operatorToken = this.peek();
    const operator = ruleOperator(this, operatorToken, propertyToken);
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
      return { kind: "list", property, operator, values: ruleList(this, operatorToken!) };
    }
    return {
      kind: "compare",
      property,
      operator,
      value: ruleValue(this, property, operator, operatorToken!),
    };
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
    const operator = ruleOperator(this, operatorToken, itemToken);
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
      return { kind: "list", property: ITEM_PROPERTY, operator, values: ruleList(this, operatorToken!) };
    }
    return {
      kind: "compare",
      property: ITEM_PROPERTY,
      operator,
      value: ruleValue(this, ITEM_PROPERTY, operator, operatorToken!),
    };
  }
}
