import { Command } from "commander";

import { startOnecEmulator } from "./start-onec-emulator.js";

const DEFAULT_PORT = 4020;

const program = new Command()
  .name("emulator:onec")
  .description("1C:Enterprise standard OData emulator (bases ut11 and bp30)")
  .option(
    "--port <port>",
    "port to listen on",
    process.env.ONEC_EMULATOR_PORT ?? String(DEFAULT_PORT),
  )
  .option("--user <user>", "Basic auth user", "Администратор")
  .option("--password <password>", "Basic auth password", "secret")
  .option("--latency <ms>", "delay before every OData answer", "0")
  .parse();

const options = program.opts<{
  port: string;
  user: string;
  password: string;
  latency: string;
}>();
const emulator = await startOnecEmulator({
  port: Number(options.port),
  user: options.user,
  password: options.password,
  latencyMs: Number(options.latency),
});

console.log(`1C OData emulator on ${emulator.url}`);
for (const base of ["ut11", "bp30"])
  console.log(`  ${base}: ${emulator.odataUrl(base)}`);
// What amo1c's 1C settings need, and where to see what amo1c wrote.
console.log(`  user: ${options.user}, password: ${options.password}`);
console.log(
  `  objects as JSON: ${emulator.url}/__admin/<base>/<entity set>, such as /__admin/ut11/Document_ЗаказКлиента`,
);
console.log(`  admin: ${emulator.url}/__admin/requests`);

const shutdown = (): void => {
  void emulator.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
