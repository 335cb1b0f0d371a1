import { createContext } from "preact";
import { useContext } from "preact/hooks";

import type { DealStore } from "./create-deal-store.js";
import type { SettingsStore } from "./create-settings-store.js";

export const DealStoreContext = createContext<DealStore | null>(null);
export const SettingsStoreContext = createContext<SettingsStore | null>(null);

export function useDealStore(): DealStore {
  return required(useContext(DealStoreContext), "DealStoreContext");
}

export function useSettingsStore(): SettingsStore {
  return required(useContext(SettingsStoreContext), "SettingsStoreContext");
}

function required<T>(value: T | null, name: string): T {
  if (value === null) throw new Error(`${name} has no provider above`);
  return value;
}
