import type { ReadonlySignal } from "@preact/signals-core";
import { useEffect, useReducer } from "preact/hooks";

const bump = (count: number) => count + 1;

/**
 * The signal's value, re-rendering the component when it changes. A small
 * stand-in for @preact/signals' render hook, which costs the bundle 1.2 KB.
 */
export function useSignalValue<T>(source: ReadonlySignal<T>): T {
  const value = source.value;
  const [, rerender] = useReducer(bump, 0);

  // subscribe() calls back at once; that call only matters if the value
  // moved between render and effect.
  useEffect(
    () =>
      source.subscribe((next) => {
        if (next !== value) rerender(0);
      }),
    [source, value],
  );
  return value;
}
