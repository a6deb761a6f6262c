import * as assert from 'node:assert/strict';
import { controlPlane, expectRule, findingsOf, inventory, ofRule, spanAfter, spanOf, worker } from '../../helpers';

describe('cross-node rules', () => {
  describe('duplicate-hostname', () => {
    it('reports every occurrence, case-insensitively, each pointing at the others', () => {
      const text = inventory(controlPlane('cp-1', 11) + worker('Worker-1', 1) + worker('worker-1', 2));
      const findings = findingsOf(text);
      expectRule(findings, 'duplicate-hostname', [
        { range: spanAfter(text, 'hostname: ', 'Worker-1'), message: /Hostname "Worker-1" and "worker-1" is used by 2 nodes/ },
        { range: spanAfter(text, 'hostname: ', 'worker-1') },
      ]);
      const [first, second] = ofRule(findings, 'duplicate-hostname');
      assert.deepEqual(
        first.related?.map((r) => r.range),
        [spanAfter(text, 'hostname: ', 'worker-1')],
      );
      assert.deepEqual(
        second.related?.map((r) => r.range),
        [spanAfter(text, 'hostname: ', 'Worker-1')],
      );
    });
  });

  describe('duplicate-mac', () => {
    it('compares normalised MACs across nodes and reports every occurrence', () => {
      const text = inventory(
        controlPlane('cp-1', 11) + worker('w-1', 1).replace('"52:54:00:00:01:01"', '52-54-00-00-00-0B') + worker('w-2', 2),
      );
      const findings = findingsOf(text);
      expectRule(findings, 'duplicate-mac', [
        { range: spanOf(text, '"52:54:00:00:00:0b"'), message: /MAC address 52:54:00:00:00:0b is on 2 nodes \("cp-1", "w-1"\)/ },
        { range: spanOf(text, '52-54-00-00-00-0B') },
      ]);
      assert.equal(ofRule(findings, 'duplicate-mac')[0].related?.[0].message, 'Same MAC on node "w-1"');
    });
    it('allows one MAC on several interfaces of the same node (bonds, VLANs)', () => {
      const bond = worker('w-1', 1).replace(
        '      firewall:',
        '        - name: bond0\n          mac: "52:54:00:00:01:01"\n          address: 10.0.0.1/24\n      firewall:',
      );
      const text = inventory(controlPlane('cp-1', 11) + bond);
      assert.deepEqual(ofRule(findingsOf(text), 'duplicate-mac'), []);
    });
  });

  describe('duplicate-ip', () => {
    it('ignores the prefix and compares IPv6 canonically', () => {
      const text = inventory(
        controlPlane('cp-1', 11).replace('192.168.1.11/24', 'fd00::11/64') +
          worker('w-1', 1).replace('192.168.1.101/24', 'fd00:0:0::11/120') +
          worker('w-2', 2),
      );
      expectRule(findingsOf(text), 'duplicate-ip', [
        { range: spanOf(text, 'fd00::11/64'), message: /Address fd00:0:0:0:0:0:0:11 is on 2 nodes/ },
        { range: spanOf(text, 'fd00:0:0::11/120') },
      ]);
    });
  });

  describe('no-control-plane', () => {
    it('reports an inventory without control-plane nodes on the nodes key', () => {
      const text = inventory(worker('w-1', 1));
      expectRule(findingsOf(text), 'no-control-plane', [
        { range: spanOf(text, 'nodes'), message: /1 node but none with role control-plane/ },
      ]);
    });
    it('waits while a node item has a syntax error (its roles may be half-typed)', () => {
      const text = inventory(worker('w-1', 1) + '    - hostname: w-2\n      roles: [control-pl\n');
      const findings = findingsOf(text);
      assert.deepEqual(ofRule(findings, 'no-control-plane'), []);
      assert.ok(ofRule(findings, 'yaml-syntax').length > 0);
    });
  });

  describe('etcd-quorum', () => {
    it('warns about an even number of stacked etcd members', () => {
      const text = inventory(controlPlane('cp-1', 11) + controlPlane('cp-2', 12) + worker('w-1', 1));
      expectRule(findingsOf(text), 'etcd-quorum', [
        { range: spanOf(text, 'nodes'), severity: 'warning', message: /2 etcd members \(control-plane nodes, stacked etcd\)/ },
      ]);
    });
    it('counts the nodes with role etcd when there are any', () => {
      const etcd = (name: string, octet: number) =>
        controlPlane(name, octet)
          .replace('roles: [control-plane]', 'roles: [etcd]')
          .replace(/        - port: (6443|10250|10257|10259)\n/g, '');
      const three = inventory(
        controlPlane('cp-1', 11) + controlPlane('cp-2', 12) + etcd('etcd-1', 21) + etcd('etcd-2', 22) + etcd('etcd-3', 23),
      );
      assert.deepEqual(ofRule(findingsOf(three), 'etcd-quorum'), []);
      const four = inventory(
        controlPlane('cp-1', 11) + etcd('etcd-1', 21) + etcd('etcd-2', 22) + etcd('etcd-3', 23) + etcd('etcd-4', 24),
      );
      expectRule(findingsOf(four), 'etcd-quorum', [
        { range: spanOf(four, 'nodes'), severity: 'warning', message: /4 etcd members \(nodes with role etcd\)/ },
      ]);
    });
  });
});
