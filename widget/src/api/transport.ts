/** One HTTP call to the amo1c backend, independent of jQuery. */
export interface TransportRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  body?: unknown;
}

/** `status` is 0 when the request never reached the server. */
export interface TransportResponse {
  status: number;
  body: unknown;
}

/** Always resolves: failures are told by `status`, never by rejection. */
export type Transport = (
  request: TransportRequest,
) => Promise<TransportResponse>;
