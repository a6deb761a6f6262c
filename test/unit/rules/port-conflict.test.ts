import * as assert from 'node:assert/strict';
import {
  cluster,
  controlPlane,
  expectRule,
  findingsOf,
  init,
  inventory,
  kubelet,
  ofRule,
  spanAfter,
  spanOf,
  worker,
} from '../../helpers';

describe('port-conflict', () => {
  describe('in inventories', () => {
    it('reports a listener on a port a component of its node needs, on the listener port value', () => {
      const text = inventory(
        controlPlane('cp-1', 11, '      listeners:\n        - name: haproxy\n          port: 6443\n') +
          worker('w-1', 1, '      listeners:\n        - name: haproxy\n          port: 6443\n'),
      );
      expectRule(findingsOf(text), 'port-conflict', [
        {
          range: spanAfter(text, 'port: ', '6443', 1),
          message: /Listener "haproxy" binds 6443\/TCP, which kube-apiserver needs on node "cp-1"/,
        },
      ]);
    });
    it('warns about a listener inside the NodePort range', () => {
      const text = inventory(
        controlPlane('cp-1', 11) + worker('w-1', 1, '      listeners:\n        - name: exporter\n          port: 30100\n'),
      );
      expectRule(findingsOf(text), 'port-conflict', [
        { range: spanOf(text, '30100'), severity: 'warning', message: /inside the NodePort range 30000-32767/ },
      ]);
    });
    it('reports two listeners on one port and protocol, each pointing at the other', () => {
      const text = inventory(
        controlPlane('cp-1', 11) +
          worker(
            'w-1',
            1,
            '      listeners:\n        - name: a\n          port: 9100\n        - name: b\n          port: 9100\n        - name: c\n          port: 9100\n          protocol: UDP\n',
          ),
      );
      const findings = findingsOf(text);
      expectRule(findings, 'port-conflict', [
        { range: spanOf(text, '9100', 0), message: /Listener "a" binds 9100\/TCP, and so does "b"/ },
        { range: spanOf(text, '9100', 1) },
      ]);
      assert.deepEqual(
        ofRule(findings, 'port-conflict')[0].related?.map((r) => r.range),
        [spanOf(text, '9100', 1)],
      );
    });
  });

  describe('in kubeadm configs', () => {
    it('reports every explicit value of two components on one port', () => {
      const text = `${cluster('scheduler:\n  extraArgs:\n    - name: secure-port\n      value: "10250"\n')}---\n${kubelet('port: 10250\n')}`;
      const findings = ofRule(findingsOf(text, 'kubeadm.yaml'), 'port-conflict');
      assert.deepEqual(
        findings.map((f) => f.range),
        [spanOf(text, '"10250"'), spanAfter(text, 'port: ', '10250')],
      );
      assert.match(
        findings[0].message,
        /kube-scheduler is set to port 10250 \(ClusterConfiguration scheduler\.extraArgs secure-port in kubeadm\.yaml\), which kubelet \(KubeletConfiguration port in kubeadm\.yaml\) also uses/,
      );
      assert.equal(findings[0].related?.[0].range.start.line, spanAfter(text, 'port: ', '10250').start.line);
    });
    it('names the default side of a conflict', () => {
      const text = init('localAPIEndpoint:\n  bindPort: 10259\n');
      expectRule(findingsOf(text, 'kubeadm.yaml'), 'port-conflict', [
        {
          range: spanOf(text, '10259'),
          message:
            /kube-apiserver is set to port 10259 .*which kube-scheduler at its default \(scheduler\.extraArgs secure-port\) also uses/,
        },
      ]);
    });
    it('reads etcd ports from listen URLs, and v1beta3 maps', () => {
      const text = cluster('etcd:\n  local:\n    extraArgs:\n      listen-metrics-urls: http://127.0.0.1:2379\n', 'v1beta3');
      expectRule(findingsOf(text, 'kubeadm.yaml'), 'port-conflict', [
        {
          range: spanOf(text, 'http://127.0.0.1:2379'),
          message: /etcd is set to port 2379 .*which etcd at its default \(etcd\.local\.extraArgs listen-client-urls\)/,
        },
      ]);
    });
    it('ignores disabled ports and external etcd', () => {
      const text =
        cluster(
          'scheduler:\n  extraArgs:\n    - name: secure-port\n      value: "0"\netcd:\n  external:\n    endpoints: [https://10.0.0.5:2379]\n',
        ) +
        '---\n' +
        kubelet('port: 2379\n');
      assert.deepEqual(ofRule(findingsOf(text, 'kubeadm.yaml'), 'port-conflict'), []);
    });
  });
});
