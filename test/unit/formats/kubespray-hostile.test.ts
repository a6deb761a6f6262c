import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import type { Finding } from '../../../server/src/engine/core/findings';
import { LineIndex } from '../../../server/src/engine/core/text/lineIndex';
import type { Range } from '../../../server/src/engine/core/text/positions';
import { expandHostPattern } from '../../../server/src/engine/sources/kubespray/ansible';
import { expectRule, ofRule, ROOT, spanOf } from '../../helpers';

/** The findings of one inventory and the node names of its cluster. */
function analyse(files: Record<string, string>, name: string): { findings: Finding[]; nodes: string[] } {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [file, text] of Object.entries(files)) workspace.setText(ROOT + file, text);
  const findings = workspace.findings(ROOT + name);
  const nodes = workspace.model(ROOT + name).nodes.map((n) => n.hostname?.value ?? '');
  return { findings, nodes };
}

const ini = (text: string) => analyse({ 'inventory.ini': text }, 'inventory.ini');

function noInternalErrors(findings: readonly Finding[]): void {
  assert.deepEqual(
    findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message),
    [],
  );
}

/** The best of three runs, in milliseconds: noise only ever adds time. */
function bestOf3(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** Eight times the input must cost well under the 64 times a quadratic walk would take. */
function assertLinear(build: (n: number) => string, n: number): void {
  ini(build(n)); // warm up
  const small = bestOf3(() => ini(build(n)));
  const large = bestOf3(() => ini(build(8 * n)));
  assert.ok(
    large / Math.max(small, 1) < 24,
    `8x the input took ${(large / small).toFixed(1)}x the time (${small} ms, ${large} ms)`,
  );
}

const controlPlane = '[kube_control_plane]\ncp ip=10.0.0.1\n[etcd:children]\nkube_control_plane\n';

/** A `[gN:children]` chain n deep below kube_node, with one host at its bottom. */
const chain = (n: number) => {
  let text = controlPlane + '[kube_node:children]\ng0\n';
  for (let i = 0; i < n; i++) text += `[g${i}:children]\ng${i + 1}\n`;
  return text + `[g${n}]\nw1 ip=10.0.0.2\n`;
};

/** kube_node as the child of n parent groups. */
const parents = (n: number) => {
  let text = controlPlane;
  for (let i = 0; i < n; i++) text += `[p${i}:children]\nkube_node\n`;
  return text + '[kube_node]\nw1 ip=10.0.0.2\n';
};

describe('Kubespray inventories, issue 18: deep and wide input keeps its nodes', function () {
  // Large inputs built in the test; two cores are shared with other jobs.
  this.timeout(60_000);
  it('a host followed by [0:0] 5,000 times is one host, expanded without recursion', () => {
    const pattern = 'n' + '[0:0]'.repeat(5000);
    assert.deepEqual(expandHostPattern(pattern), ['n' + '0'.repeat(5000)]);
    const { findings, nodes } = ini(controlPlane + '[kube_node]\n' + pattern + ' ip=10.0.0.2\n');
    noInternalErrors(findings);
    assert.deepEqual(nodes, ['cp', 'n' + '0'.repeat(5000)]);
    // The name is what is wrong with it (longer than DNS allows), nothing else.
    assert.equal(ofRule(findings, 'invalid-hostname').length, 1);
  });

  it('a 3,000- and a 10,000-deep [gN:children] chain keep their nodes, with no internal error', () => {
    for (const depth of [3000, 10000]) {
      const text = chain(depth);
      const { findings, nodes } = ini(text);
      noInternalErrors(findings);
      assert.deepEqual(nodes, ['cp', 'w1']);
      assert.deepEqual(findings, []);
    }
    // missing-host-address resolves variables through the whole chain.
    const bare = chain(10000).replace('w1 ip=10.0.0.2', 'w1');
    const { findings } = ini(bare);
    expectRule(findings, 'missing-host-address', [{ range: spanOf(bare, 'w1'), severity: 'warning' }]);
    noInternalErrors(findings);
  });

  it('150,000 parent groups keep the node, with no internal error', () => {
    const { findings, nodes } = ini(parents(150_000));
    noInternalErrors(findings);
    assert.deepEqual(nodes, ['cp', 'w1']);
    assert.deepEqual(findings, []);
  });

  it('deep chains and many parents cost linear time', () => {
    assertLinear(chain, 1000);
    assertLinear(parents, 2000);
  });
});

describe('Kubespray INI inventories, issue 18: lines Ansible rejects are errors where Ansible stops', () => {
  it('an unclosed quote on a host line', () => {
    const text = controlPlane + '[kube_node]\nw1 ip="10.0.0.2\nw2 ip=10.0.0.3\n';
    const { findings, nodes } = ini(text);
    expectRule(findings, 'schema', [
      { range: spanOf(text, '"10.0.0.2'), severity: 'error', message: /never closed.*Ansible rejects/ },
    ]);
    assert.deepEqual(nodes, ['cp', 'w2']);
  });

  it('quotes shlex accepts are no finding: escaped, inside the other quote, in a comment', () => {
    const text =
      controlPlane + `[kube_node]\nw1 ip=10.0.0.2 note=it\\'s motd="say \\"hi\\"" # it's "open\nw2 ip=10.0.0.3 tag="it's"\n`;
    const { findings, nodes } = ini(text);
    assert.deepEqual(findings, []);
    assert.deepEqual(nodes, ['cp', 'w1', 'w2']);
  });

  it('a children loop (a <-> b), and a group that is its own child', () => {
    const text = controlPlane + '[kube_node]\nw1 ip=10.0.0.2\n[a:children]\nb\n[b:children]\na\n[c:children]\nc\n';
    const { findings, nodes } = ini(text);
    expectRule(findings, 'schema', [
      { range: lineOf(text, 'a', '[b:children]'), severity: 'error', message: /"a" as a child of "b" makes a loop/ },
      { range: lineOf(text, 'c', '[c:children]'), message: /"c" is listed as its own child/ },
    ]);
    assert.deepEqual(nodes, ['cp', 'w1']);
  });

  it('a {{ host }} host line: Ansible reads "{{" and then a word that is not key=value', () => {
    const text = controlPlane + '[kube_node]\n{{ host }}\nw2 ip=10.0.0.3\n';
    const { findings, nodes } = ini(text);
    expectRule(findings, 'schema', [
      { range: spanOf(text, 'host'), severity: 'error', message: /"host" after the host name "\{\{" is not a key=value/ },
    ]);
    assert.deepEqual(nodes, ['cp', 'w2']);
  });

  it('[kube_node without "]" is accepted by Ansible as a host of the section above: no parse error, an invalid name', () => {
    const text = controlPlane.replace('cp ip=10.0.0.1\n', 'cp ip=10.0.0.1\n[kube_node\nw1 ip=10.0.0.2\n');
    const { findings, nodes } = ini(text);
    assert.deepEqual(ofRule(findings, 'schema'), []);
    // Both lines below the broken header join kube_control_plane, as in Ansible.
    assert.deepEqual(nodes, ['cp', '[kube_node', 'w1']);
    expectRule(findings, 'invalid-hostname', [{ range: spanOf(text, '[kube_node'), message: /contains "\["/ }]);
  });

  it('a header Ansible refuses: spaces in it, an unknown section type', () => {
    const text = controlPlane + '[kube node]\nw1\n[kube_node:hosts2]\nw2\n[kube_node]\nw3 ip=10.0.0.3\n';
    const { findings, nodes } = ini(text);
    expectRule(findings, 'schema', [
      { range: spanOf(text, '[kube node]'), severity: 'error', message: /not a valid section header/ },
      { range: spanOf(text, '[kube_node:hosts2]'), message: /unknown type/ },
    ]);
    assert.deepEqual(nodes, ['cp', 'w3']);
  });

  it('an IPv6 host with a port is a host line, not a broken header', () => {
    const text = controlPlane + '[kube_node]\n[fd00::2]:2222 ip=fd00::2\n';
    const { findings, nodes } = ini(text);
    // An address is no node name (invalid-hostname says so), but the line is read.
    assert.deepEqual(ofRule(findings, 'schema'), []);
    assert.deepEqual(nodes, ['cp', 'fd00::2']);
  });
});

describe('Kubespray inventories, issue 18: host patterns share one budget per file', function () {
  // Large inputs built in the test; two cores are shared with other jobs.
  this.timeout(60_000);
  it('100 lines nX-[0:9999] expand the first 10,000 hosts and note the pattern that crosses the budget', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `n${i}-[0:9999]`);
    const text = controlPlane + '[kube_node]\n' + lines.join('\n') + '\nlast ip=10.0.0.9\n';
    const started = performance.now();
    const { findings, nodes } = ini(text);
    // A generous per-call budget: it took 43 s and 2.8 GB before.
    assert.ok(performance.now() - started < 20_000);
    expectRule(findings, 'file-too-large', [
      {
        range: spanOf(text, 'n1-[0:9999]'),
        severity: 'information',
        message: /"n1-\[0:9999\]" was not expanded: .* more than 10,000 hosts/,
      },
    ]);
    noInternalErrors(findings);
    // cp, n0-0..n0-9999, and the plain name after the budget ran out.
    assert.equal(nodes.length, 1 + 10_000 + 1);
    assert.deepEqual([nodes[1], nodes[10_000], nodes[10_001]], ['n0-0', 'n0-9999', 'last']);
  });

  it('one pattern beyond the budget is one note, not an invalid name', () => {
    const text = controlPlane + '[kube_node]\nbig[1:99999999]\nw1 ip=10.0.0.2\n';
    const { findings, nodes } = ini(text);
    expectRule(findings, 'file-too-large', [{ range: spanOf(text, 'big[1:99999999]'), severity: 'information' }]);
    assert.deepEqual(ofRule(findings, 'invalid-hostname'), []);
    assert.deepEqual(nodes, ['cp', 'w1']);
  });

  it('n[0:9][0:9][0:9][0:9] is 10,000 hosts: within the budget', () => {
    const { findings, nodes } = ini(controlPlane + '[kube_node]\nn[0:9][0:9][0:9][0:9]\n');
    assert.deepEqual(ofRule(findings, 'file-too-large'), []);
    assert.equal(nodes.length, 10_001);
    assert.deepEqual([nodes[1], nodes[10_000]], ['n0000', 'n9999']);
  });

  it('YAML inventories share the budget the same way', () => {
    const text = [
      'all:',
      '  children:',
      '    kube_control_plane:',
      '      hosts:',
      '        cp:',
      '          ip: 10.0.0.1',
      '    etcd:',
      '      children:',
      '        kube_control_plane:',
      '    kube_node:',
      '      hosts:',
      '        a[0:9999]:',
      '        b[0:9999]:',
      '        w1:',
      '',
    ].join('\n');
    const { findings, nodes } = analyse({ 'hosts.yaml': text }, 'hosts.yaml');
    expectRule(findings, 'file-too-large', [{ range: spanOf(text, 'b[0:9999]'), severity: 'information' }]);
    assert.equal(nodes.length, 1 + 10_000 + 1);
  });
});

/** The range of the line `line` right after the line `after`. */
function lineOf(text: string, line: string, after: string): Range {
  const at = text.indexOf(after + '\n' + line + '\n') + after.length + 1;
  return new LineIndex(text).rangeOf(at, at + line.length);
}
