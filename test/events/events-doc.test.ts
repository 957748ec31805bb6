// #21 docs/events.md lists every event type the log records, and no other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { eventTypes } from '../../src/events/index.ts';

test('#21 docs/events.md lists every event type, and only those', () => {
  const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('## Event types'), doc.indexOf('## Reading the log'));
  const listed = [...table.matchAll(/^\| `([a-z_]+\.[a-z_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual([...listed].sort(), Object.keys(eventTypes).sort());
});
