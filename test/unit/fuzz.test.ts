import * as assert from 'node:assert/strict';
import { fuzz, HOSTILE_SHAPES } from '../fuzz/fuzz';

describe('fuzz (a bounded pass; `npm run fuzz -- --docs 100000 --seed N` runs longer)', () => {
  it('mutated documents of every format, hovers, completion, outline, references, rename, the cluster map, code actions, firewall fixes and fix-all: no exception, no call over 2 s (twice the budget of npm run fuzz: the suite shares its machine), no broken fix', function () {
    this.timeout(300_000);
    const figures = fuzz({ seed: 20261125, docs: 3000, fixRounds: 400, budgetScale: 2 });
    assert.deepEqual(figures.exceptions.slice(0, 3), []);
    assert.deepEqual(figures.hangs.slice(0, 3), []);
    assert.deepEqual(figures.brokenFixes.slice(0, 3), []);
    assert.equal(figures.documents, 3000);
    assert.ok(figures.otherRequests >= 12000, `${figures.otherRequests} other requests`);
    assert.ok(figures.fixesApplied > 1000, `${figures.fixesApplied} fixes applied`);
    assert.equal(figures.fixAllRequests, 400);
  });

  it('hostile shapes at half the reported sizes (duplicate groups of 1,000, 100,000 comment lines, 0.5 MB scalars, 1,000-item flow lists, 20,000-key maps, 20,000 labels with one re-indented, tag- and anchor-prefixed nesting, CR-only line ends, 50,000 rule keys in a config, a kubeadm migration of 10,000 extraArgs and one beside 10,000-deep nesting, fix-all on 250 flannel nodes): findings, hover, outline, code actions and fix-all within their budgets, and what fix-all gives checked', function () {
    this.timeout(300_000);
    const figures = fuzz({ seed: 20261206, docs: 50, fixRounds: 0, hostileRounds: 1, hostileScale: 0.5, budgetScale: 2 });
    assert.deepEqual(figures.exceptions.slice(0, 3), []);
    assert.deepEqual(figures.hangs.slice(0, 3), []);
    assert.equal(figures.hostileCalls, HOSTILE_SHAPES.length * 5);
  });
});
