import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export interface TappedRequest {
  method: string;
  /** Path and query, percent-decoded. */
  url: string;
  body: string;
}

export interface WireAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface WireTap {
  /** The tap's address standing in for the target's origin. */
  url: string;
  requests: TappedRequest[];
  stop(): Promise<void>;
}

/**
 * An HTTP hop in front of the emulator that records what the client sent
 * and, where `answer` returns something, answers in the emulator's place:
 * for wire replies the emulator does not produce (a 403 from 1C rights).
 */
export async function startWireTap(
  target: string,
  answer: (request: TappedRequest) => WireAnswer | undefined = () => undefined,
): Promise<WireTap> {
  const requests: TappedRequest[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const tapped = {
        method: req.method ?? "GET",
        url: decodeURIComponent(req.url ?? ""),
        body,
      };
      requests.push(tapped);
      const override = answer(tapped);
      if (override) {
        res.writeHead(override.status, {
          "Content-Type": override.contentType,
        });
        res.end(override.body);
        return;
      }
      forward(target, req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => close(server),
  };
}

function forward(
  target: string,
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
): void {
  const upstream = httpRequest(
    `${target}${req.url ?? ""}`,
    {
      method: req.method,
      headers: { ...req.headers, host: new URL(target).host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => res.destroy());
  upstream.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
