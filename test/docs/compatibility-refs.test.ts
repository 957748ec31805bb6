// Comments and test names cite the compatibility contract as `docs/compatibility.md §5.3` (or
// `§12 item 6`, `§5.3–5.5`); each citation must lead to a heading of that file that starts with
// the same number, and every `§` must say whose section it is on its own line (the contract, an
// RFC, OIDC Core, an issue `#NN`), so that no reference points at a document the repository lacks.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const DOC = 'docs/compatibility.md';

/** The keys of the doc's headings: `5.3`, `12`, `12 item 6`. */
function headingKeys(markdown: string): Set<string> {
  const keys = new Set<string>();
  for (const m of markdown.matchAll(/^#{2,4} §(\d+(?:\.\d+)*)(?: item (\d+))?(?=[\s:]|$)/gm)) {
    keys.add(m[2] ? `${m[1]} item ${m[2]}` : m[1]);
  }
  return keys;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js|sql)$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

// The contract, another document (RFC 6749, OIDC Core, OAuth 2.1, BCP 212, an issue `#18`), or a
// section sign with its number, optionally `item N` and a range end (`§5.3–5.5`).
const TOKEN = /((?:docs\/)?compatibility\.md)|(RFC ?\d+|OIDC(?: Core)?|OpenID Connect Core|OAuth 2\.1|BCP ?\d+|#\d+)|§(\d+(?:\.\d+)*)(?: item (\d+))?(?:[–-](\d+(?:\.\d+)*))?/g;

interface Citation { file: string; line: number; key: string }

/** The contract citations of `text`, and the `§`s whose document their line does not name. */
function citations(file: string, text: string): { cited: Citation[]; unattributed: Citation[] } {
  const cited: Citation[] = [];
  const unattributed: Citation[] = [];
  text.split('\n').forEach((content, i) => {
    let source: 'contract' | 'other' | undefined;
    for (const m of content.matchAll(TOKEN)) {
      if (m[1]) source = 'contract';
      else if (m[2]) source = 'other';
      else if (source === 'contract') {
        cited.push({ file, line: i + 1, key: m[4] ? `${m[3]} item ${m[4]}` : m[3] });
        if (m[5]) cited.push({ file, line: i + 1, key: m[5].includes('.') ? m[5] : `${m[3].split('.')[0]}.${m[5]}` });
      } else if (!source) unattributed.push({ file, line: i + 1, key: m[0] });
    }
  });
  return { cited, unattributed };
}

const where = (c: Citation) => `${c.file}:${c.line} ${c.key}`;
// This file's own examples are not citations.
const files = [...sourceFiles('src'), ...sourceFiles('test')].filter((f) => !f.endsWith('compatibility-refs.test.ts'));
const all = files.map((f) => citations(f, readFileSync(f, 'utf8')));

test(`every "docs/compatibility.md §N" in src/ and test/ names a heading of ${DOC}`, () => {
  const keys = headingKeys(readFileSync(DOC, 'utf8'));
  const cited = all.flatMap((c) => c.cited);
  assert.ok(cited.length > 100, `only ${cited.length} citations found: is the scan broken?`);
  assert.deepEqual(cited.filter((c) => !keys.has(c.key)).map(where), []);
});

test('every § in src/ and test/ names its document on its line', () => {
  assert.deepEqual(all.flatMap((c) => c.unattributed).map(where), [],
    'write `docs/compatibility.md §N` for the contract, or name the RFC or issue');
});

test('the check itself: a missing heading, a range end and a bare § are caught', () => {
  const keys = headingKeys('## §5 Keys\n### §5.3 Checks\n### §12 item 6 Limits\n');
  assert.deepEqual([...keys], ['5', '5.3', '12 item 6']);
  const sample = citations('x.ts', [
    '// docs/compatibility.md §5.3–5.4, §12 item 6; RFC 6749 §4.1.2',
    '// §3.3 of something',
    '// #18 §1',
  ].join('\n'));
  assert.deepEqual(sample.cited.map((c) => c.key), ['5.3', '5.4', '12 item 6']);
  assert.deepEqual(sample.cited.filter((c) => !keys.has(c.key)).map((c) => c.key), ['5.4']);
  assert.deepEqual(sample.unattributed.map((c) => c.key), ['§3.3']);
});

test(`links into ${DOC} from docs/ and the README land on one of its headings`, () => {
  const anchors = new Set([...readFileSync(DOC, 'utf8').matchAll(/^#{1,4} (.+)$/gm)]
    .map((m) => m[1].toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replaceAll(' ', '-')));
  const docs = readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f));
  const links = [...docs, 'README.md'].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/compatibility\.md#([\w-]+)/g)]
    .map((m) => ({ f, anchor: m[1] })));
  assert.deepEqual(links.filter((l) => !anchors.has(l.anchor)).map((l) => `${l.f} #${l.anchor}`), []);
});
