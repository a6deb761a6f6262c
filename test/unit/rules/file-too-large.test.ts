import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { formatSize } from '../../../server/src/engine/sources/kind';
import { controlPlane, inventory, ROOT, worker } from '../../helpers';

describe('file-too-large', () => {
  const big = inventory(controlPlane('cp-1', 11) + worker('W_1', 1).repeat(40));

  it('gives a file above the limit that looks like ours one note, and checks nothing else in it', () => {
    const workspace = new Workspace({ maxFileSize: 2_000 });
    workspace.setRoots([ROOT]);
    workspace.setText(`${ROOT}inventory.yaml`, big);
    assert.deepEqual(
      workspace.findings(`${ROOT}inventory.yaml`).map((f) => [f.ruleId, f.severity, f.range.start, f.message]),
      [
        [
          'file-too-large',
          'information',
          { line: 0, character: 0 },
          `This file is ${(big.length / 1024).toFixed(1)} KB, above the 2.0 KB (2,000 bytes) limit for one file, so it was not checked. Raise the limit with --max-file-size (CLI) or clusterPreflight.maxFileSize (editor) to check it.`,
        ],
      ],
    );
  });
  it('names sizes in units that suit them (issue 17 item 9: not "0.0 MB, above the 0.0 MB limit")', () => {
    assert.equal(formatSize(1024), '1 KB');
    assert.equal(formatSize(1229), '1.2 KB');
    assert.equal(formatSize(1025), '1.0 KB (1,025 bytes)');
    assert.equal(formatSize(900), '900 bytes');
    assert.equal(formatSize(1), '1 byte');
    assert.equal(formatSize(10 * 1024 * 1024), '10 MB');
    assert.equal(formatSize(42_048_000), '40.1 MB');
    assert.equal(formatSize(3 * 1024 ** 3), '3 GB');
  });

  it('says nothing about a large file that is not ours', () => {
    const workspace = new Workspace({ maxFileSize: 100 });
    workspace.setText(`${ROOT}values.yaml`, 'items:\n' + '  - name: x\n'.repeat(100));
    assert.deepEqual(workspace.findings(`${ROOT}values.yaml`), []);
  });
  it('checks the file again when the limit is raised', () => {
    const workspace = new Workspace({ maxFileSize: 2_000 });
    workspace.setRoots([ROOT]);
    workspace.setText(`${ROOT}inventory.yaml`, big);
    assert.equal(workspace.findings(`${ROOT}inventory.yaml`)[0].ruleId, 'file-too-large');
    workspace.setMaxFileSize(1024 * 1024);
    const findings = workspace.findings(`${ROOT}inventory.yaml`);
    assert.ok(findings.some((f) => f.ruleId === 'invalid-hostname'));
    assert.ok(!findings.some((f) => f.ruleId === 'file-too-large'));
  });
});
