/** POST /api/v1/settings/check — the step-by-step result of the settings Check. */
export interface CheckStep {
  /** Stable id such as "clear_access_token", "refresh", "account", "onec_auth". */
  id: string;
  /** What the step did, in plain words (English). */
  title: string;
  /**
   * Which wording the title is (shared/check-step-titles.ts), for a client
   * that shows it in another language; absent for a title that quotes an
   * error as it came.
   */
  titleKey?: string | undefined;
  /** The values the title names, such as { date: "2031-05-01" }. */
  titleParams?: Record<string, string> | undefined;
  outcome: "ok" | "failed" | "skipped";
  /** The remote server's own message (amoCRM hint/title/detail, 1C odata.error text). */
  serverMessage?: string | undefined;
  /** What to do about a failure. */
  advice?: string | undefined;
}

export interface CheckSideResult {
  ok: boolean;
  steps: CheckStep[];
}

export interface CheckResult {
  ok: boolean;
  amocrm: CheckSideResult;
  onec: CheckSideResult;
}
