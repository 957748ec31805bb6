import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderConfigDoc } from '../../src/config-doc.ts';

test('docs/configuration.md lists every setting of src/config.ts (run `npm run docs` when this fails)', () => {
  assert.equal(readFileSync('docs/configuration.md', 'utf8'), renderConfigDoc());
});
