/** A problem the operator fixes (bad --from, unreachable database, wrong secret key): one sentence, shown as is. */
export class ImportError extends Error {}
