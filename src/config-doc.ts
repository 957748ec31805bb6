// docs/configuration.md is generated from the settings table of config.ts (npm run docs),
// and a test fails when the committed file is stale.
import { settings } from './config.ts';

export function renderConfigDoc(): string {
  const rows = Object.entries(settings).map(([name, s]) => {
    const d = 'default' in s ? `\`${s.default}\`` : '—';
    return `| \`${name}\` | ${s.kind}${'choices' in s ? ` (${s.choices.join(', ')})` : ''} | ${d} | ${s.doc.replaceAll('|', '\\|')}${'secret' in s && s.secret ? ' *(secret)*' : ''} |`;
  });
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Every setting is read from the environment, or from a `.env` file in the working directory (the environment wins).',
    '`npx djam config` prints the effective values with secrets masked. Booleans accept true/false, 1/0, yes/no, on/off.',
    '',
    '| variable | type | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
