import type { Amo1c } from "../app/create-amo1c.js";
import { createDealStateRepository } from "../exchange/deal-state-repository.js";
import type { CliIo, ExitCode } from "./cli-io.js";
import { printDealState } from "./print-deal-state.js";

/** `amo1c status <dealId>`: what amo1c holds about the deal, no remote call. */
export async function showDealStatus(
  amo1c: Pick<Amo1c, "database" | "queue">,
  dealId: number,
  io: CliIo,
): Promise<ExitCode> {
  const [state, pending] = await Promise.all([
    createDealStateRepository(amo1c.database.db).get(dealId),
    amo1c.queue.isPending(dealId),
  ]);

  if (state) printDealState(state, io);
  else io.out(`deal ${dealId} has not been synced yet`);
  io.out(`pending: ${pending ? "yes, a run is queued or running" : "no"}`);
  return 0;
}
