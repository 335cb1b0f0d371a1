import type { Logger } from "../../server/src/log.js";
import { createLogger } from "../../server/src/log.js";
import { describeDemoFailure } from "./describe-demo-failure.js";
import { startDemo } from "./start-demo.js";

/** `npm run demo`: amo1c with emulated amoCRM and 1C, on embedded defaults. */
async function main(log: Logger, ports: DemoPortVariables): Promise<void> {
  const demo = await startDemo({
    port: ports.PORT,
    amocrmPort: ports.AMOCRM_EMULATOR_PORT,
    onecPort: ports.ONEC_EMULATOR_PORT,
    log,
  });
  const { stand } = demo;

  console.log(`
amo1c demo stand is running.
  Demo page (deals, widget, 1C data): ${stand.url}/demo
  amo1c backend:                      ${stand.url}  (GET /readyz)
  amoCRM emulator:                    ${stand.amocrm.url}
  1C emulator (OData):                ${stand.odataUrl}
Edit ${demo.seedFile} to change the demo data. Ctrl-C stops everything.
`);

  const stop = async () => {
    await demo.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

interface DemoPortVariables {
  PORT: number;
  AMOCRM_EMULATOR_PORT: number;
  ONEC_EMULATOR_PORT: number;
}

/** A port from the environment variable `name`; 0 picks a free one. */
function portOf(name: keyof DemoPortVariables, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(
      `${name}=${value} is not a port number: set it to 0 to 65535 (0 picks a free port) or unset it for ${fallback}`,
    );
  }
  return port;
}

/** Prints the failure after the log lines written before it, then exits. */
function fail(log: Logger, line: string): void {
  log.flush(() => {
    console.error(`demo failed to start: ${line}`);
    process.exit(1);
  });
}

const env = process.env;
const log = createLogger({ level: env["LOG_LEVEL"] ?? "info", pretty: true });
try {
  const ports = {
    PORT: portOf("PORT", 3000),
    AMOCRM_EMULATOR_PORT: portOf("AMOCRM_EMULATOR_PORT", 4010),
    ONEC_EMULATOR_PORT: portOf("ONEC_EMULATOR_PORT", 4020),
  };
  main(log, ports).catch((error: unknown) =>
    fail(log, describeDemoFailure(error, { ...ports })),
  );
} catch (error) {
  fail(log, describeDemoFailure(error, {}));
}
