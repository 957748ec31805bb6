// What a job of each type does. Capabilities contribute handlers (`mail.send` in mail/); the
// runners only look them up by type.
export type JobHandler = (payload: Record<string, unknown>) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;
