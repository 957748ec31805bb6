// Webhooks (#21): endpoints that receive the event log as signed POSTs through the durable queue.
export { webhookJobHandlers } from './webhooks.jobs.ts';
