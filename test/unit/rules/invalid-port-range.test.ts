import { cluster, controlPlane, expectRule, findingsOf, inventory, spanOf } from '../../helpers';

describe('invalid-port-range', () => {
  describe('in inventories', () => {
    it('reports malformed, reversed and out-of-bounds ranges in firewall rules and nodePortRange', () => {
      const text = inventory(
        controlPlane('cp-1', 11, '        - port: "32767-30000"\n        - port: "80-http"\n        - port: "0-10"\n'),
        '  nodePortRange: 30000-70000\n',
      );
      expectRule(findingsOf(text), 'invalid-port-range', [
        { range: spanOf(text, '30000-70000'), message: /Invalid nodePortRange: port 70000 is outside 1-65535/ },
        { range: spanOf(text, '"32767-30000"'), message: /reversed/ },
        { range: spanOf(text, '"80-http"'), message: /not a port range/ },
        { range: spanOf(text, '"0-10"'), message: /port 0 is outside/ },
      ]);
    });
  });

  describe('in kubeadm configs', () => {
    it('invalid-port-range checks service-node-port-range', () => {
      const text = cluster('apiServer:\n  extraArgs:\n    - name: service-node-port-range\n      value: "32767-30000"\n');
      expectRule(findingsOf(text, 'kubeadm.yaml'), 'invalid-port-range', [
        { range: spanOf(text, '"32767-30000"'), message: /Invalid service-node-port-range: the range 32767-30000 is reversed/ },
      ]);
    });
  });
});
