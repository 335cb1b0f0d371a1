import { describeStartFailure } from "../../server/src/describe-start-failure.js";
import { createLogger } from "../../server/src/log.js";
import { startDemo } from "./start-demo.js";

/** `npm run demo`: amo1c with emulated amoCRM and 1C, on embedded defaults. */
async function main(): Promise<void> {
  const env = process.env;
  const demo = await startDemo({
    port: portOf(env["PORT"], 3000),
    amocrmPort: portOf(env["AMOCRM_EMULATOR_PORT"], 4010),
    onecPort: portOf(env["ONEC_EMULATOR_PORT"], 4020),
    log: createLogger({ level: env["LOG_LEVEL"] ?? "info", pretty: true }),
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

/** A port from the environment; 0 picks a free one. */
function portOf(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${value} is not a port number (0 to 65535)`);
  }
  return port;
}

main().catch((error: unknown) => {
  console.error(`demo failed to start: ${describeStartFailure(error)}`);
  process.exit(1);
});
