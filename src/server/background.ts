/**
 * What the crons and the delivery queue run, in one module that the Worker imports on first
 * use: an isolate that only serves visitors never loads the delivery and retention code.
 */
export { handleDeliveryBatch, sweepPendingDeliveries } from '#functions/delivery/handler.ts';
export { handleScheduledRetention } from '#functions/retention/handler.ts';
export { deliveryDeps, deliverySweepDeps } from '#src/server/delivery.ts';
export { retentionDeps } from '#src/server/retention.ts';
