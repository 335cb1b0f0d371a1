/** Resolves after `ms`; injected into stores so tests control time. */
export type Wait = (ms: number) => Promise<void>;

export const waitWithTimer: Wait = (ms) =>
  new Promise((resolve) => setTimeout(resolve, ms));
