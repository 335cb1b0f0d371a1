import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

// Paths below are relative to the repository root, whether Vite runs from
// there or Vitest loads this file as one of its projects.
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * One UMD file for amoCRM's RequireJS loader. Rolldown (Vite 8) has no `amd`
 * output; its UMD wrapper calls `define` when RequireJS is on the page, which
 * is how amoCRM loads a widget's script.js (reference amocrm §5.3).
 */
export default defineConfig({
  root: REPO_ROOT,
  // Production JSX even when NODE_ENV is "test" (a build run from a test).
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact", development: false },
  },
  build: {
    outDir: "dist/widget",
    emptyOutDir: true,
    target: "es2022",
    lib: {
      entry: "widget/src/entry/script.ts",
      name: "Amo1cWidget",
      formats: ["umd"],
      fileName: () => "script.js",
      cssFileName: "style",
    },
    rolldownOptions: {
      // amoCRM provides jQuery to every widget; never bundle a second copy.
      external: ["jquery"],
      output: { exports: "default", globals: { jquery: "jQuery" } },
    },
  },
  test: {
    name: "widget",
    // A Vitest project is rooted at its config file's folder unless told.
    root: REPO_ROOT,
    environment: "happy-dom",
    include: ["widget/**/*.test.ts?(x)"],
    setupFiles: ["widget/test/setup.ts"],
    // The widget links its style.css; tests have no server to fetch it from.
    environmentOptions: {
      happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: true } },
    },
  },
});
