import * as assert from 'node:assert/strict';
import { cluster, controlPlane, expectRule, findingsOf, inventory, spanAfter, spanOf, worker } from '../../helpers';

describe('nodeport-range-overlap', () => {
  describe('in inventories', () => {
    it('reports a NodePort range that swallows component ports', () => {
      const text = inventory(
        controlPlane('cp-1', 11) + worker('w-1', 1).replace('30000-32767', '10000-32767'),
        '  nodePortRange: 10000-32767\n',
      );
      expectRule(findingsOf(text), 'nodeport-range-overlap', [
        {
          range: spanAfter(text, 'nodePortRange: ', '10000-32767'),
          message:
            /includes 10248\/TCP \(kubelet health check, on localhost\), 10249\/TCP .*10250\/TCP \(Kubelet API\), 10256\/TCP/,
        },
      ]);
    });
    it('accepts a custom range clear of component ports', () => {
      const text = inventory(
        controlPlane('cp-1', 11) + worker('w-1', 1).replace('30000-32767', '31000-31999'),
        '  nodePortRange: 31000-31999\n',
      );
      assert.deepEqual(findingsOf(text), []);
    });
  });

  describe('in kubeadm configs', () => {
    it('nodeport-range-overlap checks service-node-port-range against the configured ports', () => {
      const text = cluster('apiServer:\n  extraArgs:\n    - name: service-node-port-range\n      value: 2000-4000\n');
      expectRule(findingsOf(text, 'kubeadm.yaml'), 'nodeport-range-overlap', [
        {
          range: spanOf(text, '2000-4000'),
          message:
            /service-node-port-range 2000-4000 includes 2379\/TCP \(etcd server client API\), 2380\/TCP \(etcd peer communication\), 2381\/TCP/,
        },
      ]);
    });
  });
});
