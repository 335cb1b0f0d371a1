import { buildServer } from "../../../scripts/build-server.js";

/**
 * Tests that start amo1c as a process of its own run what `npm start` runs:
 * the compiled bundle. It is built once, before any test file starts.
 */
export default async function buildServerBundle(): Promise<void> {
  await buildServer();
}
