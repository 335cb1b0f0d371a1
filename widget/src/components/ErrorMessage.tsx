import type { ApiError } from "../api/api-error.js";
import { describeApiError } from "../i18n/describe-api-error.js";
import { useTranslator } from "../i18n/i18n-context.js";

export interface ErrorMessageProps {
  error: ApiError;
}

export function ErrorMessage({ error }: ErrorMessageProps) {
  const translator = useTranslator();
  return (
    <p class="amo1c-error" role="alert">
      {describeApiError(error, translator)}
    </p>
  );
}
