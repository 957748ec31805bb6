// The import rules of STYLE.md ("What may import what"), checked by `npm run lint:deps` (part of
// `npm run lint`). dependency-cruiser rather than an ESLint import plugin: it counts `import type`
// too (every cycle the style guide forbids was type-only), and it runs once over the whole graph
// in ~4 s instead of resolving each file's imports again inside ESLint.
//
// Vocabulary of the rules:
// - plumbing: db/, http/ and crypto/, imported file by file;
// - lower layers: db/, queue/, mail/, errors.ts, config.ts with its parsers (config-*.ts), and
//   logging.ts (which only formats config); they import no capability;
// - capabilities: every other folder under src/, each entered only through its index.ts.
const PLUMBING = '^src/(db|http|crypto)/';
const LOWER_LAYERS = '^src/(db|queue|mail)/|^src/(errors|config|config-[a-z-]+|logging)[.]ts$';
// The composition root and the process entry: they wire every capability, route plugins included.
const ENTRY_POINTS = '^src/(app|main|workers)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No cycles, types included: where two modules need each other, the lower takes a callback or emits a job (STYLE.md).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'capability-through-index',
      comment: "Another capability is imported only through its index.ts: `import { getUser } from '../users/index.ts'`.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      // admin/schema-kit.ts: the admin API's schema pieces without its guard, for *.admin-schemas.ts
      // files, which the console type-checks (they must reach no server code).
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', PLUMBING, '^src/[^/]+/index[.]ts$', '^src/admin/schema-kit[.]ts$'] },
    },
    {
      name: 'capability-through-index-from-root',
      comment: 'Files at the top of src/ (other than the composition root and the process entry) also use index.ts.',
      severity: 'error',
      from: { path: '^src/[^/]+[.]ts$', pathNot: ENTRY_POINTS },
      to: { path: '^src/[^/]+/', pathNot: [PLUMBING, '^src/[^/]+/index[.]ts$'] },
    },
    {
      name: 'lower-layers-import-no-capability',
      comment: 'db/, queue/, mail/, errors.ts and config.ts import no capability, not even through another module.',
      severity: 'error',
      from: { path: LOWER_LAYERS },
      // Every way into a capability passes its index.ts (rule above): one line per capability reached.
      to: { path: '^src/[^/]+/index[.]ts$', pathNot: [LOWER_LAYERS, PLUMBING], reachable: true },
    },
    {
      name: 'lower-layers-import-no-root-module',
      comment: 'Nor the composition root or another top-level module above them (app.ts, runtime.ts, ...).',
      severity: 'error',
      from: { path: LOWER_LAYERS },
      to: { path: '^src/[^/]+[.]ts$', pathNot: LOWER_LAYERS },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing would escape every rule above.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies too: a type cycle is still a cycle for the reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
