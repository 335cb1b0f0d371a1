import { describe, expect, test } from "vitest";

import { onecSettingsSchema } from "./settings.js";

const BASE = {
  odataUrl: "http://1c.example.com/ut11/odata/standard.odata",
  user: "exchange",
  profile: "ut11",
};

function zoneError(timeZone: string): string | undefined {
  const parsed = onecSettingsSchema.safeParse({ ...BASE, timeZone });
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

describe("the 1C time zone setting", () => {
  test("takes IANA zones, again and again", () => {
    for (let i = 0; i < 3; i++) {
      expect(zoneError("Europe/Moscow")).toBeUndefined();
      expect(zoneError("Asia/Yekaterinburg")).toBeUndefined();
    }
  });

  test("refuses what is not a zone, also after valid zones were seen", () => {
    expect(zoneError("Europe/Moscow")).toBeUndefined();
    for (const wrong of ["", "Moscow", "Europe/Atlantis", "UTC+3"]) {
      expect(zoneError(wrong)).toBe(
        "expected an IANA time zone such as Europe/Moscow",
      );
    }
  });
});
