import { queryParseError } from "../errors.js";
import type { BinaryOperator, Expr } from "./ast.js";
import { tokenize } from "./tokenize.js";
import type { Token } from "./tokenize.js";

const COMPARISONS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const ADDITIVE = new Set(["add", "sub"]);
const MULTIPLICATIVE = new Set(["mul", "div"]);

/**
 * Parses a decoded `$filter` into an expression tree. Precedence, loosest
 * first: or, and, not, comparison, add/sub, mul/div. `not` applies to the
 * whole comparison after it (`not A eq 1` is `not (A eq 1)`), as in 1C's
 * query language the filter is translated to.
 */
export function parseFilter(source: string): Expr {
  const parser = new FilterParser(tokenize(source));
  return parser.parseAll();
}

class FilterParser {
  readonly #tokens: Token[];
  #position = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parseAll(): Expr {
    const expr = this.#parseOr();
    const rest = this.#peek();
    if (rest.kind === "end") return expr;
    if (isName(rest, "in")) {
      throw queryParseError("оператор in не поддерживается");
    }
    throw queryParseError(`неожиданный фрагмент в позиции ${rest.at}`);
  }

  #parseOr(): Expr {
    let left = this.#parseAnd();
    while (isName(this.#peek(), "or")) {
      this.#next();
      left = { kind: "binary", op: "or", left, right: this.#parseAnd() };
    }
    return left;
  }

  #parseAnd(): Expr {
    let left = this.#parseNot();
    while (isName(this.#peek(), "and")) {
      this.#next();
      left = { kind: "binary", op: "and", left, right: this.#parseNot() };
    }
    return left;
  }

  #parseNot(): Expr {
    if (!isName(this.#peek(), "not")) return this.#parseComparison();
    this.#next();
    return { kind: "not", operand: this.#parseNot() };
  }

  #parseComparison(): Expr {
    const left = this.#parseBinary(ADDITIVE, () =>
      this.#parseBinary(MULTIPLICATIVE, () => this.#parsePrimary()),
    );
    const op = this.#operatorIn(COMPARISONS);
    if (!op) return left;

    const right = this.#parseBinary(ADDITIVE, () =>
      this.#parseBinary(MULTIPLICATIVE, () => this.#parsePrimary()),
    );
    return { kind: "binary", op, left, right };
  }

  #parseBinary(operators: Set<string>, operand: () => Expr): Expr {
    let left = operand();
    for (;;) {
      const op = this.#operatorIn(operators);
      if (!op) return left;
      left = { kind: "binary", op, left, right: operand() };
    }
  }

  #operatorIn(operators: Set<string>): BinaryOperator | undefined {
    const token = this.#peek();
    if (token.kind !== "name" || !operators.has(token.text)) return undefined;
    this.#next();
    return token.text as BinaryOperator;
  }

  #parsePrimary(): Expr {
    const token = this.#next();
    switch (token.kind) {
      case "string":
        return { kind: "literal", value: { t: "string", v: token.value } };
      case "number":
        return { kind: "literal", value: { t: "number", v: token.value } };
      case "guid":
        return { kind: "literal", value: { t: "guid", v: token.value } };
      case "datetime":
        return { kind: "literal", value: { t: "datetime", v: token.value } };
      case "name":
        return this.#parseName(token.text);
      case "punct":
        if (token.text === "(") return this.#parseParenthesised();
        break;
      case "end":
        throw queryParseError("неожиданный конец выражения");
    }
    throw queryParseError(
      `неожиданный символ "${token.text}" в позиции ${token.at}`,
    );
  }

  #parseParenthesised(): Expr {
    const inner = this.#parseOr();
    this.#expect(")");
    return inner;
  }

  #parseName(name: string): Expr {
    if (name === "true" || name === "false") {
      return { kind: "literal", value: { t: "boolean", v: name === "true" } };
    }
    if (name === "null") return { kind: "literal", value: { t: "null" } };
    if (isPunct(this.#peek(), "(")) return this.#parseCall(name);
    return this.#parsePath(name);
  }

  #parseCall(name: string): Expr {
    this.#expect("(");
    const args: Expr[] = [];
    if (!isPunct(this.#peek(), ")")) {
      args.push(this.#parseOr());
      while (isPunct(this.#peek(), ",")) {
        this.#next();
        args.push(this.#parseOr());
      }
    }
    this.#expect(")");
    return { kind: "call", name, args };
  }

  /** `Field`, `var/Column`, or `Section/any(var: body)` (reference onec §1.5). */
  #parsePath(first: string): Expr {
    const path = [first];
    while (isPunct(this.#peek(), "/")) {
      this.#next();
      const segment = this.#next();
      if (segment.kind !== "name") {
        throw queryParseError(`ожидалось имя свойства в позиции ${segment.at}`);
      }
      const quantifier = segment.text;
      if (
        (quantifier === "any" || quantifier === "all") &&
        isPunct(this.#peek(), "(")
      ) {
        return this.#parseLambda(path, quantifier);
      }
      path.push(segment.text);
    }
    return { kind: "member", path };
  }

  #parseLambda(path: string[], quantifier: "any" | "all"): Expr {
    if (path.length !== 1) {
      throw queryParseError(
        `лямбда-выражение допустимо только для табличной части`,
      );
    }
    this.#expect("(");
    if (isPunct(this.#peek(), ")")) {
      this.#next();
      const collection = path[0] ?? "";
      return {
        kind: "lambda",
        collection,
        quantifier,
        variable: undefined,
        body: undefined,
      };
    }

    const variable = this.#next();
    if (variable.kind !== "name") {
      throw queryParseError(
        `ожидалось имя переменной в позиции ${variable.at}`,
      );
    }
    this.#expect(":");
    const body = this.#parseOr();
    this.#expect(")");
    return {
      kind: "lambda",
      collection: path[0] ?? "",
      quantifier,
      variable: variable.text,
      body,
    };
  }

  #expect(text: string): void {
    const token = this.#next();
    if (!isPunct(token, text)) {
      throw queryParseError(`ожидался символ "${text}" в позиции ${token.at}`);
    }
  }

  #peek(): Token {
    return this.#tokens[this.#position] ?? { kind: "end", at: 0 };
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== "end") this.#position += 1;
    return token;
  }
}

function isName(token: Token, text: string): boolean {
  return token.kind === "name" && token.text === text;
}

function isPunct(token: Token, text: string): boolean {
  return token.kind === "punct" && token.text === text;
}
