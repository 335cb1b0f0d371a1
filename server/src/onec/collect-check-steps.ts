import type {
  CheckSideResult,
  CheckStep,
} from "../../../shared/check-result.js";
import {
  stepTitle,
  type StepTitle,
} from "../../../shared/check-step-titles.js";
import type { AppError } from "../errors.js";
import { quoteOnecError } from "./map-onec-error.js";

/** The steps in the order they run; each id is its default title's key. */
export const STEP_IDS = [
  "onec_reach",
  "onec_auth",
  "onec_profile",
  "onec_objects",
  "onec_rights",
  "onec_contact_kinds",
  "onec_organization",
  "onec_deal_item",
] as const;

export type StepId = (typeof STEP_IDS)[number];

/** Advice for each way a request to 1C can fail, by error code. */
export const ADVICE: Record<string, string> = {
  onec_not_published:
    'Check the address: the base\'s publication URL followed by /odata/standard.odata, published with the standard OData interface enabled (<standardOdata enable="true"/> in default.vrd).',
  onec_unavailable:
    "Check that the 1C web server is running and reachable from the amo1c server (host, port, firewall, certificate).",
  onec_bad_response:
    "Something answers at this address, but not 1C OData: check that the address ends with /odata/standard.odata.",
  onec_unauthorized:
    "Check the 1C user name and password; the user must exist in this base and may sign in with a password.",
  onec_access_denied:
    'Give the 1C user the role "Удаленный доступ OData" and the rights to read and change the objects listed.',
  onec_field_not_published:
    "Publish the fields listed, or choose the profile that matches the configuration.",
  onec_entity_not_published:
    'Add the objects to the OData composition with the data processor "Настройка стандартного интерфейса OData" (Administration → Synchronization settings).',
};

const FALLBACK_ADVICE =
  "Read 1C's message above; the 1C administrator can find details in the event log.";

/** Collects the outcome of each step; steps never reached are "skipped". */
export class CheckSteps {
  readonly #steps: CheckStep[] = [];

  ok(id: StepId, title: StepTitle = stepTitle(id)): void {
    this.#steps.push({ id, ...title, outcome: "ok" });
  }

  fail(
    id: StepId,
    title: StepTitle,
    detail: { serverMessage?: string; advice?: string },
  ): false {
    this.#steps.push({ id, ...title, outcome: "failed", ...detail });
    return false;
  }

  failWith(id: StepId, title: StepTitle, error: AppError): false {
    return this.fail(id, title, {
      serverMessage: withOnecWords(error),
      advice: ADVICE[error.code] ?? FALLBACK_ADVICE,
    });
  }

  result(): CheckSideResult {
    const byId = new Map(this.#steps.map((step) => [step.id, step]));
    const steps = STEP_IDS.map(
      (id): CheckStep =>
        byId.get(id) ?? { id, ...stepTitle(id), outcome: "skipped" },
    );
    return { ok: steps.every((step) => step.outcome === "ok"), steps };
  }
}

/** The error's message with 1C's code and message, unless it has them. */
function withOnecWords(error: AppError): string {
  const { code, message } = error.remote ?? {};
  if (message && error.message.includes(message)) {
    const codeShown = !code || error.message.includes(`code ${code}`);
    return codeShown ? error.message : `${error.message} (1C, code ${code})`;
  }
  const quoted = quoteOnecError(error.remote);
  return quoted ? `${error.message} ${quoted}` : error.message;
}
