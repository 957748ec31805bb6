export { importDjam } from './import-djam.service.ts';
export type { ImportOptions } from './import-djam.service.ts';
export { formatReport, unresolvedCount } from './import-report.ts';
export type { ImportReport } from './import-report.ts';
export { ImportError, readSource } from './source.ts';
