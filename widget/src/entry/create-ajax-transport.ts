import type { Transport } from "../api/transport.js";
import type {
  AuthorizedAjax,
  AuthorizedAjaxOptions,
  JqXhrLike,
} from "./amocrm-host.js";

/**
 * Calls the backend through amoCRM's `$authorizedAjax`, which adds a fresh
 * one-time X-Auth-Token to every request (reference amocrm §5.4, §6).
 */
export function createAjaxTransport(ajax: AuthorizedAjax): Transport {
  return (request) =>
    new Promise((resolve) => {
      const options: AuthorizedAjaxOptions = {
        url: request.url,
        method: request.method,
        dataType: "json",
      };
      if (request.body !== undefined) {
        options.data = JSON.stringify(request.body);
        options.contentType = "application/json";
      }

      ajax(options)
        .done((body, _status, xhr) => resolve({ status: xhr.status, body }))
        .fail((xhr) => resolve(readFailure(xhr)));
    });
}

function readFailure(xhr: JqXhrLike): { status: number; body: unknown } {
  if (xhr.responseJSON !== undefined) {
    return { status: xhr.status, body: xhr.responseJSON };
  }
  try {
    return { status: xhr.status, body: JSON.parse(xhr.responseText ?? "") };
  } catch {
    return { status: xhr.status, body: null };
  }
}
