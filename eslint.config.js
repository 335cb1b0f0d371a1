import js from "@eslint/js";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/", "dist/", "coverage/", "data/", "test-results/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: { "import-x/resolver": { typescript: true } },
    rules: {
      "no-console": "error",
      "import-x/no-cycle": ["error", { maxDepth: 10 }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Command-line entry points and scripts talk to a person on a terminal.
    files: ["scripts/**", "server/src/cli/**", "server/src/main.ts", "bin/**"],
    rules: { "no-console": "off" },
  },
);
