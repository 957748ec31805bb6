// docs/errors.md is generated from the error catalogue (as Fastify keeps its error reference in
// step with its codes): a code added, removed or reworded in src/errors.ts without `npm run docs`
// fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { catalogue } from '../../src/errors.ts';
import { renderErrorsDoc } from '../../src/errors-doc.ts';

test('docs/errors.md is the catalogue of src/errors.ts as `npm run docs` writes it', () => {
  assert.equal(readFileSync('docs/errors.md', 'utf8'), renderErrorsDoc());
});

test('docs/errors.md names every code with its status and message, and no other code', () => {
  const doc = readFileSync('docs/errors.md', 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.*?) \|/gm)];
  assert.deepEqual(rows.map((r) => r[1]), Object.keys(catalogue));
  for (const [, code, status, message] of rows) {
    const entry = catalogue[code as keyof typeof catalogue];
    assert.equal(Number(status), entry.status, code);
    assert.equal(message.replaceAll('\\|', '|'), entry.message, code);
  }
});
