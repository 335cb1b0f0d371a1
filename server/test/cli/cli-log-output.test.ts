import { describe, expect, it } from "vitest";

import { createCliLogger } from "../../src/cli/open-amo1c.js";
import type { Config } from "../../src/config/load-config.js";

const config = { logLevel: "info" } as Config;

function loggerWith(verbose: boolean) {
  const lines: string[] = [];
  const log = createCliLogger({
    config,
    verbose,
    writeLog: (line) => void lines.push(line),
  });
  return { log, lines };
}

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
  code: "ECONNREFUSED",
});

describe("the CLI's log output", () => {
  it("keeps retry warnings of the HTTP clients out of the terminal by default", () => {
    const { log, lines } = loggerWith(false);

    log.warn(
      { err: refused, attempt: 1, retriesLeft: 2 },
      "amoCRM request failed, retrying",
    );
    log.warn({ what: "GET", retriesLeft: 1 }, "1C request failed, retrying");

    expect(lines).toEqual([]);
  });

  it("prints other warnings as one short line without JSON or stack", () => {
    const { log, lines } = loggerWith(false);

    log.info("database ready");
    log.warn({ err: refused }, "amoCRM webhook subscription failed");

    expect(lines).toEqual([
      "amo1c: warning: amoCRM webhook subscription failed: connect ECONNREFUSED 127.0.0.1:1",
    ]);
  });

  it("writes every JSON line at LOG_LEVEL with -v, retries included", () => {
    const { log, lines } = loggerWith(true);

    log.info("database ready");
    log.warn({ retriesLeft: 2 }, "amoCRM request failed, retrying");

    expect(lines.map((l) => JSON.parse(l).msg)).toEqual([
      "database ready",
      "amoCRM request failed, retrying",
    ]);
  });
});
