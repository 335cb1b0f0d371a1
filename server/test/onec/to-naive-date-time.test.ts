import { describe, expect, it } from "vitest";

import {
  readOnecDate,
  readOnecNumber,
  readOnecRef,
} from "../../src/onec/read-onec-value.js";
import { toNaiveDateTime } from "../../src/onec/to-naive-date-time.js";

describe("toNaiveDateTime", () => {
  it.each([
    ["Europe/Moscow", "2026-01-14T22:30:00Z", "2026-01-15T01:30:00"],
    ["Asia/Vladivostok", "2026-01-14T22:30:05Z", "2026-01-15T08:30:05"],
    ["Europe/Kaliningrad", "2026-01-15T00:00:00Z", "2026-01-15T02:00:00"],
    ["UTC", "2026-06-30T23:59:59Z", "2026-06-30T23:59:59"],
    ["Europe/Moscow", "2026-01-14T21:00:00Z", "2026-01-15T00:00:00"],
  ])("writes the wall-clock time in %s", (zone, instant, expected) => {
    expect(toNaiveDateTime(new Date(instant), zone)).toBe(expected);
  });
});

describe("reading 1C values", () => {
  it("reads the empty date and the empty reference as null", () => {
    expect(readOnecDate("0001-01-01T00:00:00")).toBeNull();
    expect(readOnecRef("00000000-0000-0000-0000-000000000000")).toBeNull();
    expect(readOnecDate("2026-01-15T10:00:00")).toBe("2026-01-15T10:00:00");
  });

  it("reads Int64 numbers that arrive as strings", () => {
    expect(readOnecNumber("12")).toBe(12);
    expect(readOnecNumber(12.5)).toBe(12.5);
    expect(readOnecNumber(undefined)).toBe(0);
  });
});
