// `npm run docs`: regenerates the generated parts of docs/.
import { writeFileSync } from 'node:fs';
import { renderConfigDoc } from '../src/config-doc.ts';

writeFileSync('docs/configuration.md', renderConfigDoc());
console.warn('docs/configuration.md written');
