import * as assert from 'node:assert/strict';
import type { Finding } from '../../../server/src/engine/core/findings';
import { check, controlPlane, inventory, ofRule, service } from '../../helpers';

/**
 * Issue 17 item 11: one file of 2,000 Inventory documents with the same host name and address (a template
 * that forgot to vary the hostname) took 83 s and 4.3 GB: every duplicate finding pointed at, and named, every
 * other member. Each finding now points at no more than 20 others and says how many more there are.
 */
const GROUP_RULES = ['duplicate-hostname', 'duplicate-ip', 'duplicate-mac'];

function copies(count: number): string {
  return Array.from({ length: count }, () => inventory(controlPlane('cp-1', 11))).join('---\n');
}

/** The related locations of every group finding: the work the rules do, which must grow linearly. */
function relatedCount(findings: readonly Finding[]): number {
  return findings.reduce((sum, f) => sum + (GROUP_RULES.includes(f.ruleId) ? (f.related?.length ?? 0) : 0), 0);
}

describe('duplicate groups of thousands', () => {
  it('reports every member once, with at most 20 related locations and names, linear in the group size', () => {
    const small = check({ 'inventory.yaml': copies(500) })('inventory.yaml');
    const large = check({ 'inventory.yaml': copies(2000) })('inventory.yaml');
    for (const ruleId of GROUP_RULES) {
      const findings = ofRule(large, ruleId);
      assert.equal(findings.length, 2000, ruleId);
      for (const f of findings) {
        assert.ok((f.related?.length ?? 0) <= 20, `${ruleId}: ${f.related?.length} related`);
        assert.ok(f.message.length < 1000, `${ruleId}: message of ${f.message.length} characters`);
      }
    }
    assert.match(ofRule(large, 'duplicate-hostname')[0].message, /Hostname "cp-1" is used by 2000 nodes/);
    assert.match(ofRule(large, 'duplicate-ip')[0].message, /is on 2000 nodes \(("cp-1", ){19}"cp-1" and 1,980 more\)/);
    assert.match(ofRule(large, 'duplicate-mac')[0].message, /and 1,980 more\)/);
    // Four times the documents, four times the related locations (every member pointing at every other: 16 times).
    assert.equal(relatedCount(large) / relatedCount(small), 4);
  });

  it('bounds nodePort groups the same way, and counts the others that clash', () => {
    const services = Array.from({ length: 300 }, (_, i) => service(`web-${i}`, [30080])).join('---\n');
    const findings = ofRule(check({ 'svc.yaml': services })('svc.yaml'), 'nodeport-duplicate');
    assert.equal(findings.length, 300);
    for (const f of findings) assert.equal(f.related?.length, 20);
    assert.match(findings[0].message, /is also requested by (Service shop\/web-\d+, ){19}Service shop\/web-20 and 279 more;/);
  });
});
