export { countWebhooks } from "./count-webhooks.js";
export {
  createMetrics,
  type CreateMetricsOptions,
  type JobRunOutcome,
  type JobRunSample,
  type Metrics,
} from "./create-metrics.js";
export {
  createMetricsRouter,
  type MetricsRouterOptions,
} from "./create-metrics-router.js";
export { timeJobHandler } from "./time-job-handler.js";
