import "dotenv/config";

import { runCli } from "./run-cli.js";

/** The `amo1c` command (bin/amo1c.js runs this file). */
const exitCode = await runCli(process.argv.slice(2));
// A command holds no work in the background: exit even if a pool lingers.
process.exit(exitCode);
