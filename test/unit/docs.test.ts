import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FORMAT_DOCS } from '../../server/src/engine/knowledge/docs';
import { RULES } from '../../server/src/engine/rules/catalogue';
import { renderRuleDocs, RULE_DOCS_PATH } from '../../scripts/rule-docs';

describe('rule catalogue', () => {
  it('docs/rules.md is up to date (run `npm run docs`)', () => {
    assert.equal(readFileSync(RULE_DOCS_PATH, 'utf8'), renderRuleDocs());
  });
  it('every rule has its tests in test/unit/rules/<id>.test.ts', () => {
    const missing = RULES.map((r) => r.meta.id).filter(
      (id) => !existsSync(resolve(__dirname, `../../../test/unit/rules/${id}.test.ts`)),
    );
    assert.deepEqual(missing, [], 'rules without a test file');
  });
  it('every rule lives in a module named after its id, with complete metadata', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
    for (const { meta } of RULES) {
      assert.ok(existsSync(resolve(__dirname, `../../../server/src/engine/rules/${meta.id}.ts`)), `rules/${meta.id}.ts`);
      assert.ok(meta.title && meta.description && meta.appliesTo.length, meta.id);
      // Parser, schema and internal errors, templates and skipped files are not about a Kubernetes requirement.
      // A rule about one installer's format (a Kubespray group) links that installer's docs instead.
      const installerOnly = meta.appliesTo.every((kind) => ['kubespray', 'k0sctl', 'k0s', 'rke2'].includes(kind));
      if (installerOnly)
        assert.ok(
          Object.values(FORMAT_DOCS).includes(meta.docs as never) || meta.docs?.startsWith('https://kubernetes.io/'),
          `${meta.id} links its format's docs or the Kubernetes docs`,
        );
      else if (
        !['yaml-syntax', 'schema', 'internal-error', 'template-placeholder', 'file-too-large', 'unused-disable'].includes(meta.id)
      )
        assert.match(meta.docs ?? '', /^https:\/\/kubernetes\.io\//, `${meta.id} links the Kubernetes docs`);
    }
  });
});

describe('README', () => {
  it('lists every rule in its rule table', () => {
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    const listed = new Set([...readme.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]));
    assert.deepEqual(
      RULES.map((r) => r.meta.id).filter((id) => !listed.has(id)),
      [],
    );
  });
});
