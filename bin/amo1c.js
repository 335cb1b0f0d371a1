#!/usr/bin/env node
// The `amo1c` admin command (npx amo1c <command>). amo1c runs from its
// TypeScript sources, so this shim registers tsx's loader, then imports the
// CLI entry.
import { register } from "tsx/esm/api";

register();
await import("../server/src/cli/main.ts");
