export type Literal =
  | { t: "string"; v: string }
  | { t: "number"; v: number }
  | { t: "boolean"; v: boolean }
  | { t: "guid"; v: string }
  | { t: "datetime"; v: string }
  | { t: "null" };

export type ComparisonOperator = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type ArithmeticOperator = "add" | "sub" | "mul" | "div";
export type BinaryOperator =
  ComparisonOperator | ArithmeticOperator | "and" | "or";

export type Expr =
  | { kind: "literal"; value: Literal }
  | { kind: "member"; path: string[] }
  | { kind: "binary"; op: BinaryOperator; left: Expr; right: Expr }
  | { kind: "not"; operand: Expr }
  | { kind: "call"; name: string; args: Expr[] }
  | {
      kind: "lambda";
      collection: string;
      quantifier: "any" | "all";
      variable: string | undefined;
      body: Expr | undefined;
    };
