import { queryParseError, unsupportedFunction } from "../errors.js";
import type { Value } from "./values.js";

export type FilterFunction = (args: Value[]) => Value;

interface FunctionSpec {
  arity: readonly number[];
  apply: FilterFunction;
}

/** Functions 1C documents as unsupported (reference onec §1.5). */
const UNSUPPORTED = new Set([
  "length",
  "indexof",
  "replace",
  "tolower",
  "toupper",
  "trim",
  "years",
  "days",
  "hours",
  "minutes",
  "seconds",
  "floor",
  "ceiling",
]);

const text = (value: Value | undefined): string | undefined =>
  value?.t === "string" ? value.v : undefined;

const bool = (v: boolean): Value => ({ t: "boolean", v });
const num = (v: number): Value => ({ t: "number", v });

function stringPredicate(
  test: (first: string, second: string) => boolean,
): FilterFunction {
  return ([first, second]) => {
    const a = text(first);
    const b = text(second);
    return bool(a !== undefined && b !== undefined && test(a, b));
  };
}

function datePart(pick: (date: Date) => number): FilterFunction {
  return ([value]) => {
    if (value?.t !== "datetime") return { t: "null" };
    return num(pick(new Date(`${value.v}Z`)));
  };
}

/** ПОДОБНО wildcards: % any run, _ one character, [..] a character class. */
export function likeToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern.charAt(i);
    const classEnd = char === "[" ? pattern.indexOf("]", i) : -1;
    if (char === "%") source += "[\\s\\S]*";
    else if (char === "_") source += "[\\s\\S]";
    else if (classEnd > i) {
      source += pattern.slice(i, classEnd + 1).replace(/\\/g, "\\\\");
      i = classEnd;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "u");
}

const FUNCTIONS: Record<string, FunctionSpec> = {
  // substring first, then the field (reference onec §1.5)
  substringof: {
    arity: [2],
    apply: stringPredicate((needle, haystack) => haystack.includes(needle)),
  },
  startswith: {
    arity: [2],
    apply: stringPredicate((value, prefix) => value.startsWith(prefix)),
  },
  endswith: {
    arity: [2],
    apply: stringPredicate((value, suffix) => value.endsWith(suffix)),
  },
  like: {
    arity: [2],
    apply: stringPredicate((value, pattern) =>
      likeToRegExp(pattern).test(value),
    ),
  },
  concat: {
    arity: [2],
    apply: ([a, b]) => ({ t: "string", v: `${text(a) ?? ""}${text(b) ?? ""}` }),
  },
  substring: { arity: [2, 3], apply: substring },
  year: { arity: [1], apply: datePart((d) => d.getUTCFullYear()) },
  month: { arity: [1], apply: datePart((d) => d.getUTCMonth() + 1) },
  day: { arity: [1], apply: datePart((d) => d.getUTCDate()) },
  hour: { arity: [1], apply: datePart((d) => d.getUTCHours()) },
  minute: { arity: [1], apply: datePart((d) => d.getUTCMinutes()) },
  second: { arity: [1], apply: datePart((d) => d.getUTCSeconds()) },
  quarter: {
    arity: [1],
    apply: datePart((d) => Math.floor(d.getUTCMonth() / 3) + 1),
  },
  round: {
    arity: [1],
    apply: ([value]) =>
      value?.t === "number" ? num(Math.round(value.v)) : { t: "null" },
  },
};

function substring([value, start, length]: Value[]): Value {
  const source = text(value);
  if (source === undefined || start?.t !== "number") return { t: "null" };
  const end = length?.t === "number" ? start.v + length.v : undefined;
  return { t: "string", v: source.slice(start.v, end) };
}

/** Looks a function up, refusing the ones 1C does not implement. */
export function resolveFunction(
  name: string,
  argCount: number,
): FilterFunction {
  if (UNSUPPORTED.has(name)) {
    throw queryParseError(`функция ${name} не поддерживается`);
  }
  const spec = FUNCTIONS[name];
  // dayofweek, dayofyear, dateadd, datedifference and isof are answered as
  // unknown: amo1c's filters use none of them.
  if (!spec) throw queryParseError(`неизвестная функция ${name}`);
  if (!spec.arity.includes(argCount)) {
    throw unsupportedFunction(
      `Неверное количество параметров функции ${name}: ${argCount}`,
    );
  }
  return spec.apply;
}
