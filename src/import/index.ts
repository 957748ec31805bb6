export { importDjam } from './import-djam.service.ts';
export { formatReport, unresolvedCount } from './import-report.ts';
export type { ImportReport } from './import-report.ts';
export { ImportError } from './import-error.ts';
export { readSource } from './source.ts';
