// The README's layout section is how a newcomer finds a capability: every folder of src/ has its
// row there, and no row names a folder that is gone.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const folders = readdirSync('src', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

function layoutRows(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('\n## Layout'), readme.indexOf('\n## ', readme.indexOf('\n## Layout') + 1) >>> 0);
  return [...section.matchAll(/^\| `([a-z-]+)\/` \|/gm)].map((m) => m[1]).sort();
}

test("the README's layout table has one row per folder of src/, and no other", () => {
  assert.deepEqual(layoutRows(), folders);
});
