import type {
  CheckResult,
  CheckSideResult,
  CheckStep,
} from "../../../shared/check-result.js";
import type { CliIo, ExitCode } from "./cli-io.js";

const MARKS: Record<CheckStep["outcome"], string> = {
  ok: "[ok]     ",
  failed: "[failed] ",
  skipped: "[skipped]",
};

/** `amo1c check`: the settings page's Check, step by step. */
export async function checkSettings(
  amo1c: { runCheck(): Promise<CheckResult> },
  io: CliIo,
): Promise<ExitCode> {
  const result = await amo1c.runCheck();

  printSide("amoCRM", result.amocrm, io);
  printSide("1C", result.onec, io);

  io.out(
    result.ok
      ? "Check passed: amo1c can exchange deals."
      : "Check failed: fix the steps marked [failed] and run it again.",
  );
  return result.ok ? 0 : 1;
}

function printSide(name: string, side: CheckSideResult, io: CliIo): void {
  io.out(`${name}: ${side.ok ? "ok" : "failed"}`);
  for (const step of side.steps) {
    io.out(`  ${MARKS[step.outcome]} ${step.title}`);
    if (step.serverMessage) io.out(`      server said: ${step.serverMessage}`);
    if (step.advice) io.out(`      what to do: ${step.advice}`);
  }
}
