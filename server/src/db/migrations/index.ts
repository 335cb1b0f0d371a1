export * as m0001Initial from "./0001-initial.js";
export * as m0002JobRequestIds from "./0002-job-request-ids.js";
