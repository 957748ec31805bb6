// `npm run docs`: regenerates the generated parts of docs/ (a test fails when one is stale).
import { writeFileSync } from 'node:fs';
import { renderConfigDoc } from '../src/config-doc.ts';
import { renderErrorsDoc } from '../src/errors-doc.ts';

const generated: Record<string, () => string> = {
  'docs/configuration.md': renderConfigDoc,
  'docs/errors.md': renderErrorsDoc,
};
for (const [path, render] of Object.entries(generated)) {
  writeFileSync(path, render());
  console.warn(`${path} written`);
}
