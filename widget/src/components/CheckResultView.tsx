import type {
  CheckResult,
  CheckSideResult,
  CheckStep,
} from "../../../shared/check-result.js";
import { useTranslator } from "../i18n/i18n-context.js";
import { translateStepTitle } from "../i18n/translate-step-title.js";

export interface CheckResultViewProps {
  result: CheckResult;
}

/** The Check's steps for each side, with the servers' own messages. */
export function CheckResultView({ result }: CheckResultViewProps) {
  const { t } = useTranslator();
  return (
    <section class="amo1c-check" aria-label={t("setup.check")}>
      <p class={result.ok ? "amo1c-check__ok" : "amo1c-check__failed"}>
        {result.ok ? t("check.ok") : t("check.failed")}
      </p>
      <CheckSide title={t("check.amocrm")} side={result.amocrm} />
      <CheckSide title={t("check.onec")} side={result.onec} />
    </section>
  );
}

function CheckSide({ title, side }: { title: string; side: CheckSideResult }) {
  return (
    <div class="amo1c-check__side">
      <h4 class="amo1c-block__title">{title}</h4>
      <ol class="amo1c-check__steps">
        {side.steps.map((step) => (
          <CheckStepItem key={step.id} step={step} />
        ))}
      </ol>
    </div>
  );
}

function CheckStepItem({ step }: { step: CheckStep }) {
  const translator = useTranslator();
  const { t } = translator;
  return (
    <li class="amo1c-check__step" data-step={step.id}>
      <span
        class={`amo1c-status amo1c-status--${step.outcome}`}
        data-status={step.outcome}
      >
        {t(`check.outcome_${step.outcome}`)}
      </span>{" "}
      <span>{translateStepTitle(step, translator)}</span>
      {step.serverMessage !== undefined && (
        <p class="amo1c-message">
          <span class="amo1c-label">{t("check.server_said")} </span>
          <q>{step.serverMessage}</q>
        </p>
      )}
      {step.advice !== undefined && (
        <p class="amo1c-message">
          <span class="amo1c-label">{t("check.advice")} </span>
          {step.advice}
        </p>
      )}
    </li>
  );
}
