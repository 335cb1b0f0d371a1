import type {
  Transport,
  TransportRequest,
  TransportResponse,
} from "../../src/api/transport.js";

export type Reply =
  TransportResponse | ((request: TransportRequest) => TransportResponse);

/**
 * A transport that answers by "METHOD /path" from a table, recording every
 * request. Unknown routes answer 404 with an amo1c error body.
 */
export function createFakeTransport(routes: Record<string, Reply>) {
  const requests: TransportRequest[] = [];

  const transport: Transport = async (request) => {
    requests.push(request);
    const key = `${request.method} ${new URL(request.url).pathname}`;
    const reply = routes[key];
    if (reply === undefined) {
      return {
        status: 404,
        body: { error: { code: "not_found", message: key } },
      };
    }
    return typeof reply === "function" ? reply(request) : reply;
  };
  return { transport, requests };
}
