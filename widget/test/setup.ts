import { cleanup } from "@testing-library/preact";
import { afterEach } from "vitest";

// Vitest runs without globals, so testing-library cannot register its own
// cleanup: unmount every render after each test here.
afterEach(cleanup);
