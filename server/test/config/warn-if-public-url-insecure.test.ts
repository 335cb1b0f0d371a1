import { describe, expect, it } from "vitest";

import { warnIfPublicUrlInsecure } from "../../src/config/warn-if-public-url-insecure.js";
import { captureLog } from "../helpers/capture-log.js";

describe("warnIfPublicUrlInsecure", () => {
  it("warns about an http PUBLIC_URL on a real host, naming the variable and the fix", () => {
    const captured = captureLog();

    warnIfPublicUrlInsecure("http://amo1c.example.com", captured.log);

    expect(captured.lines).toHaveLength(1);
    expect(captured.lines[0]).toMatchObject({
      level: 40,
      publicUrl: "http://amo1c.example.com",
    });
    expect(captured.lines[0]?.["msg"]).toMatch(
      /^PUBLIC_URL is http:\/\/.+only https.+TLS proxy/,
    );
  });

  it.each([
    "https://amo1c.example.com",
    "http://127.0.0.1:3000",
    "http://localhost:3000",
  ])("stays quiet for %s", (publicUrl) => {
    const captured = captureLog();

    warnIfPublicUrlInsecure(publicUrl, captured.log);

    expect(captured.lines).toEqual([]);
  });
});
