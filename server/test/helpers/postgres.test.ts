import { expect, test } from "vitest";

import { postgresAvailable } from "./postgres.js";

// Port 1 refuses at once: nothing listens there.
const NOWHERE = "postgres://postgres@127.0.0.1:1/test";

test("a missing PostgreSQL skips its suites on a developer's machine", async () => {
  expect(await postgresAvailable(NOWHERE, {})).toBe(false);
});

test("a missing PostgreSQL fails the run under CI", async () => {
  await expect(postgresAvailable(NOWHERE, { CI: "true" })).rejects.toThrow(
    /unreachable .* CI=true/,
  );
});
