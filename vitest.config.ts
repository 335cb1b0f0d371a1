import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      "widget/vite.config.ts",
      {
        test: {
          name: "server",
          include: [
            "server/test/**/*.test.ts",
            "scripts/**/*.test.ts",
            "shared/**/*.test.ts",
          ],
          environment: "node",
          globalSetup: ["server/test/setup/build-server-bundle.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
