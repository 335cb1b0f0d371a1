export * as m0001Initial from "./0001-initial.js";
