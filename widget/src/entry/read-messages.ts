import type { Messages } from "../i18n/create-translator.js";
import type { AmoWidgetHost } from "./amocrm-host.js";

const MESSAGE_GROUPS: readonly (keyof Messages)[] = [
  "common",
  "panel",
  "run",
  "sync",
  "connection",
  "errors",
  "setup",
  "check",
];

/**
 * The UI strings of the user's language. amoCRM reads them from the zip's
 * i18n/<lang>.json and hands out one group per `i18n(group)` call
 * (reference amocrm §5.1, §5.3), so the bundle carries no strings.
 */
export function readMessages(host: AmoWidgetHost): object {
  const groups = MESSAGE_GROUPS.map((group) => [group, host.i18n(group)]);
  return Object.fromEntries(
    groups.filter(([, value]) => typeof value === "object" && value !== null),
  );
}
