import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, inventory, ofRule, spanAfter, spanOf, worker } from '../../helpers';

const service = (nodePort: number) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: ${nodePort}\n`;

describe('one cluster across files', () => {
  it("an API server moved to 8443 changes the control plane's firewall requirement", () => {
    const inv = inventory(controlPlane('cp-1', 11));
    const kubeadm =
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    - name: secure-port\n      value: "8443"\n';
    const findings = check({ 'inventory.yaml': inv, 'kubeadm/config.yaml': kubeadm })('inventory.yaml');
    expectRule(findings, 'missing-port-rule', [
      {
        range: spanOf(inv, 'firewall'),
        severity: 'error',
        message:
          /admitting 8443\/TCP \(Kubernetes API server\); ClusterConfiguration apiServer\.extraArgs secure-port in config\.yaml sets it/,
      },
    ]);
  });

  it('etcd, kubelet and scheduler ports follow their configs; a disabled port needs no rule', () => {
    const inv = inventory(controlPlane('cp-1', 11) + controlPlane('cp-2', 12) + controlPlane('cp-3', 13));
    const kubeadm = [
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrolPlaneEndpoint: api:6443',
      'etcd:\n  local:\n    extraArgs:\n      - name: listen-peer-urls\n        value: https://0.0.0.0:12380',
      'scheduler:\n  extraArgs:\n    - name: secure-port\n      value: "0"',
      '---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nport: 11250\n',
    ].join('\n');
    const messages = ofRule(check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('inventory.yaml'), 'missing-port-rule').map(
      (f) => f.message.replace(/^Node "cp-1".*admitting /, ''),
    );
    assert.deepEqual(
      messages.filter((m) => !m.startsWith('Node')),
      [
        '11250/TCP (Kubelet API); KubeletConfiguration port in kubeadm.yaml sets it.',
        '12380/TCP (etcd peer communication); ClusterConfiguration etcd.local.extraArgs listen-peer-urls in kubeadm.yaml sets it.',
      ],
    );
    assert.ok(!messages.some((m) => m.includes('kube-scheduler')), 'scheduler secure-port 0 disables the requirement');
  });

  it("service-node-port-range replaces the inventory's range for workers and for Service nodePorts", () => {
    const inv = inventory(controlPlane('cp-1', 11) + worker('w-1', 1));
    const kubeadm =
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    - name: service-node-port-range\n      value: 31000-33999\n';
    const findingsOf = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm, 'apps/svc.yaml': service(30080) });
    expectRule(findingsOf('inventory.yaml'), 'missing-port-rule', [
      {
        range: spanOf(inv, 'firewall', 1),
        severity: 'warning',
        message:
          /admits only part of 31000-33999\/TCP \(NodePort Services\); 32768-33999\/TCP is not covered; ClusterConfiguration apiServer\.extraArgs service-node-port-range in kubeadm\.yaml sets it/,
      },
    ]);
    const svc = service(30080);
    const out = findingsOf('apps/svc.yaml');
    expectRule(out, 'nodeport-out-of-range', [
      {
        range: spanAfter(svc, 'nodePort: ', '30080'),
        message:
          /The range of valid ports is 31000-33999 \(ClusterConfiguration apiServer\.extraArgs service-node-port-range in kubeadm\.yaml\)/,
      },
    ]);
  });

  it('a subdirectory with its own inventory is another cluster', () => {
    const kubeadm = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: 8443\n';
    const findingsOf = check({
      'inventory.yaml': inventory(controlPlane('cp-1', 11)),
      'kubeadm.yaml': kubeadm,
      'site-b/inventory.yaml': inventory(controlPlane('cp-9', 19)),
    });
    assert.equal(ofRule(findingsOf('inventory.yaml'), 'missing-port-rule').length, 1);
    assert.deepEqual(ofRule(findingsOf('site-b/inventory.yaml'), 'missing-port-rule'), []);
  });
});
