import type en from "./en.json";

export type Language = "ru" | "en";

/** The shape of ru.json and en.json: groups of UI strings. */
export type Messages = typeof en;

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K}`
    : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** A dotted key of the message files, such as "panel.counterparty". */
export type MessageKey = Leaves<Messages>;

export type MessageParams = Record<string, string | number>;

export interface Translator {
  lang: Language;
  /** Intl locale for numbers and dates. */
  locale: string;
  t(key: MessageKey, params?: MessageParams): string;
}

export interface TranslatorOptions {
  lang: Language;
  /** Strings of that language; a missing string shows as its key. */
  messages: object;
}

const LOCALES: Record<Language, string> = { ru: "ru-RU", en: "en-GB" };

/** Looks up UI strings and fills their `{name}` placeholders. */
export function createTranslator(options: TranslatorOptions): Translator {
  const { lang, messages } = options;

  function t(key: MessageKey, params: MessageParams = {}): string {
    const text = lookUp(messages, key) ?? key;
    return text.replace(/\{(\w+)\}/g, (match, name: string) =>
      name in params ? String(params[name]) : match,
    );
  }

  return { lang, locale: LOCALES[lang], t };
}

function lookUp(messages: object, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}
