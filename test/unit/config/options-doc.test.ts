// docs/OPTIONS.md must be exactly what the option table renders, so the docs cannot drift from the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderOptionsMarkdown } from '../../../src/config/render-options.js';
import { OPTIONS, envVarName } from '../../../src/config/option-table.js';

const docUrl = new URL('../../../../docs/OPTIONS.md', import.meta.url);

test('docs/OPTIONS.md is up to date with the option table', () => {
  const onDisk = readFileSync(docUrl, 'utf8');
  assert.equal(onDisk, renderOptionsMarkdown(),
    'docs/OPTIONS.md is stale: npm run build && node build/src/config/render-options.js > docs/OPTIONS.md');
});

test('the doc lists every option with its environment variable', () => {
  const doc = renderOptionsMarkdown();
  for (const o of OPTIONS) {
    assert.ok(doc.includes(`\`${envVarName(o)}\``), o.name);
    assert.ok(doc.includes('secret' in o ? `\`${o.name}\` (no flag: secret)` : `\`--${o.name}\``), o.name);
  }
});
