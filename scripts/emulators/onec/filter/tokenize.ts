import { queryParseError } from "../errors.js";

export type Token =
  | { kind: "name"; text: string; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "guid"; value: string; at: number }
  | { kind: "datetime"; value: string; at: number }
  | { kind: "number"; value: number; at: number }
  | { kind: "punct"; text: "(" | ")" | "," | "/" | ":"; at: number }
  | { kind: "end"; at: number };

const NAME = /[\p{L}_$][\p{L}\p{N}_]*/uy;
const NUMBER = /-?\d+(\.\d+)?/y;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(\.\d+)?$/;
const PUNCTUATION = new Set(["(", ")", ",", "/", ":"]);

/**
 * Splits a decoded `$filter` into tokens. Only a space separates tokens: a
 * `+` is not decoded by 1C inside `$filter` and fails the parse (reference
 * onec §1.1).
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source.charAt(at);
    if (char === " ") {
      at += 1;
      continue;
    }
    const token = readToken(source, at);
    tokens.push(token.token);
    at = token.next;
  }
  tokens.push({ kind: "end", at });
  return tokens;
}

function readToken(source: string, at: number): { token: Token; next: number } {
  const char = source.charAt(at);
  if (PUNCTUATION.has(char)) {
    const text = char as "(" | ")" | "," | "/" | ":";
    return { token: { kind: "punct", text, at }, next: at + 1 };
  }
  if (char === "'") return readString(source, at);
  if (/[\d-]/.test(char)) return readNumber(source, at);

  NAME.lastIndex = at;
  const name = NAME.exec(source);
  if (!name)
    throw queryParseError(`недопустимый символ "${char}" в позиции ${at}`);
  const next = at + name[0].length;
  if (source.charAt(next) === "'") return readTypedLiteral(source, name[0], at);
  return { token: { kind: "name", text: name[0], at }, next };
}

/** String literals double an apostrophe to escape it: 'O''Brien'. */
function readString(
  source: string,
  start: number,
): { token: Token; next: number } {
  let value = "";
  let at = start + 1;
  for (;;) {
    const quote = source.indexOf("'", at);
    if (quote < 0)
      throw queryParseError(`незакрытая строка в позиции ${start}`);
    value += source.slice(at, quote);
    if (source.charAt(quote + 1) !== "'") {
      return { token: { kind: "string", value, at: start }, next: quote + 1 };
    }
    value += "'";
    at = quote + 2;
  }
}

/** 1C refuses exponent notation such as 1e-7 (reference onec §1.5). */
function readNumber(
  source: string,
  at: number,
): { token: Token; next: number } {
  NUMBER.lastIndex = at;
  const match = NUMBER.exec(source);
  if (!match) throw queryParseError(`недопустимый символ "-" в позиции ${at}`);
  let next = at + match[0].length;
  const after = source.charAt(next);

  if (after === "e" || after === "E") {
    throw queryParseError(`экспоненциальная запись числа в позиции ${at}`);
  }
  if (
    /[mMdDfFlL]/.test(after) &&
    !/[\p{L}\p{N}_]/u.test(source.charAt(next + 1))
  ) {
    next += 1;
  }
  const token: Token = { kind: "number", value: Number(match[0]), at };
  return { token, next };
}

function readTypedLiteral(
  source: string,
  prefix: string,
  at: number,
): { token: Token; next: number } {
  const body = readString(source, at + prefix.length);
  const text = body.token.kind === "string" ? body.token.value : "";

  switch (prefix.toLowerCase()) {
    case "guid":
      if (!GUID.test(text))
        throw queryParseError(`неверный литерал guid'${text}'`);
      return {
        token: { kind: "guid", value: text.toLowerCase(), at },
        next: body.next,
      };
    case "datetime": {
      const match = DATETIME.exec(text);
      if (!match) throw queryParseError(`неверный литерал datetime'${text}'`);
      const value = `${match[1]}${match[2] ?? ":00"}`;
      return { token: { kind: "datetime", value, at }, next: body.next };
    }
    default:
      throw queryParseError(`неподдерживаемый литерал ${prefix}'${text}'`);
  }
}
