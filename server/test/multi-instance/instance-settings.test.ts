import { describe, expect, it } from "vitest";

import { jobTimeoutTuning } from "../../src/app/create-queue.js";
import { loadConfig } from "../../src/config/load-config.js";

const VALID = {
  PUBLIC_URL: "https://amo1c.example.com",
  AMO1C_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
  AMOCRM_CLIENT_ID: "id",
  AMOCRM_CLIENT_SECRET: "secret",
};

describe("settings for several instances", () => {
  it("defaults to amoCRM's 7 requests per second and a 300 s job timeout", () => {
    const config = loadConfig({
      ...VALID,
      AMOCRM_RATE_LIMIT_PER_SECOND: "",
      QUEUE_JOB_TIMEOUT_SECONDS: "",
    });

    expect(config.amocrm.rateLimitPerSecond).toBe(7);
    expect(config.queue.jobTimeoutSeconds).toBe(300);
  });

  it("takes a share of the rate limit and a shorter job timeout", () => {
    const config = loadConfig({
      ...VALID,
      AMOCRM_RATE_LIMIT_PER_SECOND: "3.5",
      QUEUE_JOB_TIMEOUT_SECONDS: "6",
    });

    expect(config.amocrm.rateLimitPerSecond).toBe(3.5);
    expect(config.queue.jobTimeoutSeconds).toBe(6);
  });

  it.each([
    [
      { AMOCRM_RATE_LIMIT_PER_SECOND: "0" },
      /^AMOCRM_RATE_LIMIT_PER_SECOND is invalid: expected more than 0/,
    ],
    [
      { AMOCRM_RATE_LIMIT_PER_SECOND: "fast" },
      /^AMOCRM_RATE_LIMIT_PER_SECOND is invalid: expected a number/,
    ],
    [
      { QUEUE_JOB_TIMEOUT_SECONDS: "1" },
      /^QUEUE_JOB_TIMEOUT_SECONDS is invalid: expected whole seconds, at least 2/,
    ],
    [
      { QUEUE_JOB_TIMEOUT_SECONDS: "2.5" },
      /^QUEUE_JOB_TIMEOUT_SECONDS is invalid: expected whole seconds$/,
    ],
  ])("refuses %o with a line naming the variable", (env, message) => {
    expect(() => loadConfig({ ...VALID, ...env })).toThrow(message);
  });

  it("sweeps for lost jobs four times per timeout, between 1 and 60 seconds", () => {
    expect(jobTimeoutTuning(300)).toEqual({
      expireInSeconds: 300,
      maintenanceIntervalSeconds: 60,
    });
    expect(jobTimeoutTuning(40)).toEqual({
      expireInSeconds: 40,
      maintenanceIntervalSeconds: 10,
    });
    expect(jobTimeoutTuning(2)).toEqual({
      expireInSeconds: 2,
      maintenanceIntervalSeconds: 1,
    });
  });
});
