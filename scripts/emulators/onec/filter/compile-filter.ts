import { queryParseError, unsupportedFunction } from "../errors.js";
import type {
  EntitySetMeta,
  PropertyMeta,
  TabularSectionMeta,
} from "../metadata/types.js";
import type { Expr } from "./ast.js";
import { resolveFunction } from "./filter-functions.js";
import { parseFilter } from "./parse-filter.js";
import { compareValues, isTrue, readValue, valuesEqual } from "./values.js";
import type { Value } from "./values.js";

type Row = Record<string, unknown>;

interface EvalContext {
  entity: Row;
  variables: Map<string, Row>;
}

type Evaluator = (context: EvalContext) => Value;

interface Scope {
  /** Header properties (or row columns, for a row set) by name. */
  properties: Map<string, PropertyMeta>;
  sections: Map<string, TabularSectionMeta>;
  /** Lambda variables in scope: name → row columns. */
  variables: Map<string, Map<string, PropertyMeta>>;
}

export type EntityPredicate = (entity: Row) => boolean;

/**
 * Compiles a `$filter` against the properties of an entity set (or of a row
 * set when `columns` is given). Unknown names fail with code 14 before any
 * object is read, as 1C validates the whole query first.
 */
export function compileFilter(
  source: string,
  meta: EntitySetMeta,
  columns?: PropertyMeta[] | undefined,
): EntityPredicate {
  const scope: Scope = {
    properties: new Map((columns ?? meta.properties).map((p) => [p.name, p])),
    sections: columns
      ? new Map()
      : new Map(meta.tabularSections.map((s) => [s.name, s])),
    variables: new Map(),
  };
  const evaluate = compile(parseFilter(source), scope);
  return (entity) => isTrue(evaluate({ entity, variables: new Map() }));
}

function compile(expr: Expr, scope: Scope): Evaluator {
  switch (expr.kind) {
    case "literal": {
      const value = expr.value;
      return () => value;
    }
    case "member":
      return compileMember(expr.path, scope);
    case "not": {
      const operand = compile(expr.operand, scope);
      return (context) => ({ t: "boolean", v: !isTrue(operand(context)) });
    }
    case "binary":
      return compileBinary(expr, scope);
    case "call":
      return compileCall(expr.name, expr.args, scope);
    case "lambda":
      return compileLambda(expr, scope);
  }
}

function compileMember(path: string[], scope: Scope): Evaluator {
  const [head = "", column, ...rest] = path;
  const variable = scope.variables.get(head);
  if (variable && column !== undefined && rest.length === 0) {
    const meta = variable.get(column);
    if (!meta) throw queryParseError(`неизвестное свойство ${column}`);
    return (context) => readValue(meta, context.variables.get(head) ?? {});
  }

  const meta = scope.properties.get(head);
  if (!meta) throw queryParseError(`неизвестное свойство ${path.join("/")}`);
  // Paths through references (Контрагент/ИНН) are refused: amo1c filters
  // by keys and own properties only.
  if (column !== undefined) {
    throw queryParseError(
      `переход по ссылке ${path.join("/")} не поддерживается`,
    );
  }
  return (context) => readValue(meta, context.entity);
}

function compileBinary(
  expr: Extract<Expr, { kind: "binary" }>,
  scope: Scope,
): Evaluator {
  const left = compile(expr.left, scope);
  const right = compile(expr.right, scope);
  const bool = (v: boolean): Value => ({ t: "boolean", v });
  const order = (context: EvalContext): number | undefined =>
    compareValues(left(context), right(context));

  switch (expr.op) {
    case "and":
      return (c) => bool(isTrue(left(c)) && isTrue(right(c)));
    case "or":
      return (c) => bool(isTrue(left(c)) || isTrue(right(c)));
    case "eq":
      return (c) => bool(valuesEqual(left(c), right(c)));
    case "ne":
      return (c) => bool(!valuesEqual(left(c), right(c)));
    case "gt":
      return (c) => bool((order(c) ?? Number.NaN) > 0);
    case "ge":
      return (c) => bool((order(c) ?? Number.NaN) >= 0);
    case "lt":
      return (c) => bool((order(c) ?? Number.NaN) < 0);
    case "le":
      return (c) => bool((order(c) ?? Number.NaN) <= 0);
    default:
      return compileArithmetic(expr.op, left, right);
  }
}

function compileArithmetic(
  op: "add" | "sub" | "mul" | "div",
  left: Evaluator,
  right: Evaluator,
): Evaluator {
  const apply = {
    add: (a: number, b: number) => a + b,
    sub: (a: number, b: number) => a - b,
    mul: (a: number, b: number) => a * b,
    div: (a: number, b: number) => a / b,
  }[op];
  return (context) => {
    const a = left(context);
    const b = right(context);
    if (a.t !== "number" || b.t !== "number") return { t: "null" };
    return { t: "number", v: apply(a.v, b.v) };
  };
}

function compileCall(name: string, args: Expr[], scope: Scope): Evaluator {
  if (name === "cast") return compileCast(args);
  const apply = resolveFunction(name, args.length);
  const compiled = args.map((arg) => compile(arg, scope));
  return (context) => apply(compiled.map((arg) => arg(context)));
}

/** `cast(guid'…','Catalog_X')` builds a typed reference for composite fields. */
function compileCast(args: Expr[]): Evaluator {
  const [ref, type] = args;
  if (
    args.length !== 2 ||
    ref?.kind !== "literal" ||
    ref.value.t !== "guid" ||
    type?.kind !== "literal" ||
    type.value.t !== "string"
  ) {
    throw unsupportedFunction("Неверные параметры функции cast");
  }
  const value: Value = {
    t: "ref",
    v: ref.value.v,
    type: `StandardODATA.${type.value.v}`,
  };
  return () => value;
}

function compileLambda(
  expr: Extract<Expr, { kind: "lambda" }>,
  scope: Scope,
): Evaluator {
  const section = scope.sections.get(expr.collection);
  if (!section) {
    throw queryParseError(`неизвестная табличная часть ${expr.collection}`);
  }
  const rowsOf = (context: EvalContext): Row[] => {
    const rows = context.entity[section.name];
    return Array.isArray(rows) ? (rows as Row[]) : [];
  };
  if (!expr.variable || !expr.body) {
    return (context) => ({ t: "boolean", v: rowsOf(context).length > 0 });
  }

  const variable = expr.variable;
  const columns = new Map(section.columns.map((c) => [c.name, c]));
  const variables = new Map(scope.variables).set(variable, columns);
  const body = compile(expr.body, { ...scope, variables });
  const test = (context: EvalContext, row: Row): boolean =>
    isTrue(
      body({
        ...context,
        variables: new Map(context.variables).set(variable, row),
      }),
    );

  return (context) => {
    const rows = rowsOf(context);
    const v =
      expr.quantifier === "any"
        ? rows.some((row) => test(context, row))
        : rows.every((row) => test(context, row));
    return { t: "boolean", v };
  };
}
