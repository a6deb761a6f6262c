import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expectRule, findingsOf, ofRule, spanAfter, spanOf } from '../../helpers';

const EXAMPLES = resolve(__dirname, '../../../../schemas/examples');

describe('kubeadm, kubelet and kube-proxy schemas', () => {
  for (const name of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) {
    it(`the official-style example ${name} passes clean`, () => {
      const findings = findingsOf(readFileSync(resolve(EXAMPLES, name), 'utf8'), name);
      // v1beta3 examples are valid v1beta3: only the deprecation is reported. The kubeadm docs'
      // full example pairs podSubnet /24 with node-cidr-mask-size 20, which kubeadm's own
      // validation rejects (ValidatePodSubnetNodeMask): that one finding is right.
      const expected = /init-cluster/.test(name)
        ? ["pod-subnet-too-small: podSubnet 10.244.0.0/24 is smaller than one node's block of /20"]
        : [];
      assert.deepEqual(
        findings
          .filter((f) => f.ruleId !== 'kubeadm-api-deprecated')
          .map((f) => `${f.ruleId}: ${f.message}`.replace(/ \(controllerManager.*$/, '')),
        expected,
      );
    });
  }

  const init = (body: string, version = 'v1beta4') => `apiVersion: kubeadm.k8s.io/${version}\nkind: InitConfiguration\n${body}`;
  const cluster = (body: string, version = 'v1beta4') =>
    `apiVersion: kubeadm.k8s.io/${version}\nkind: ClusterConfiguration\n${body}`;

  it('catches a misspelled field on the key, with a suggestion', () => {
    const text = init('localAPIEndpoint:\n  advertiseAddress: 10.0.0.1\n  bindport: 6443\n');
    expectRule(findingsOf(text, 'kubeadm.yaml'), 'schema', [
      { range: spanOf(text, 'bindport'), message: /Unknown key "bindport" in "localAPIEndpoint"\. Did you mean "bindPort"\?/ },
    ]);
  });
  it('catches wrong types and enum values on the value', () => {
    const text = init('localAPIEndpoint:\n  bindPort: "6443"\nnodeRegistration:\n  imagePullPolicy: Sometimes\n');
    expectRule(findingsOf(text, 'kubeadm.yaml'), 'schema', [
      { range: spanOf(text, '"6443"'), message: /"localAPIEndpoint\.bindPort" must be an integer, not a string/ },
      { range: spanOf(text, 'Sometimes'), message: /must be one of Always, IfNotPresent, Never/ },
    ]);
  });
  it('explains a v1beta3-style extraArgs map in a v1beta4 file, on its key', () => {
    const text = cluster('apiServer:\n  extraArgs:\n    authorization-mode: Node,RBAC\n');
    expectRule(findingsOf(text, 'kubeadm.yaml'), 'schema', [
      {
        range: spanOf(text, 'extraArgs'),
        message:
          /"apiServer\.extraArgs" must be a list, not a mapping: in kubeadm\.k8s\.io\/v1beta4 extraArgs is a list of name\/value pairs/,
      },
    ]);
  });
  it('rejects fields of the other version', () => {
    const v4 = cluster('apiServer:\n  timeoutForControlPlane: 4m0s\n');
    expectRule(findingsOf(v4, 'kubeadm.yaml'), 'schema', [
      { range: spanOf(v4, 'timeoutForControlPlane'), message: /Unknown key "timeoutForControlPlane" in "apiServer"/ },
    ]);
    const v3 = init('timeouts:\n  discovery: 5m0s\n', 'v1beta3');
    expectRule(findingsOf(v3, 'kubeadm.yaml'), 'schema', [
      { range: spanOf(v3, 'timeouts'), message: /Unknown key "timeouts" in the document/ },
    ]);
  });
  it('reports a kind the version does not have, and an unknown kubeadm version', () => {
    const reset = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ResetConfiguration\n';
    expectRule(findingsOf(reset, 'reset.yaml'), 'schema', [
      {
        range: spanAfter(reset, 'kind: ', 'ResetConfiguration'),
        message: /has no kind "ResetConfiguration"; it has InitConfiguration, ClusterConfiguration, JoinConfiguration/,
      },
    ]);
    const v1 = 'apiVersion: kubeadm.k8s.io/v1\nkind: InitConfiguration\n';
    expectRule(findingsOf(v1, 'v1.yaml'), 'schema', []);
    expectRule(findingsOf(v1, 'v1.yaml'), 'unknown-api-version', [
      {
        range: spanOf(v1, 'kubeadm.k8s.io/v1'),
        message: /is not a version of InitConfiguration \(InitConfiguration exists in kubeadm\.k8s\.io\/v1beta4/,
      },
    ]);
  });
  it('checks kubelet and kube-proxy configurations', () => {
    const kubelet =
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nport: 0\nreadOnlyPort: 10255\nauthentication:\n  x509:\n    clientCaFile: /etc/kubernetes/pki/ca.crt\n';
    expectRule(findingsOf(kubelet, 'kubelet.yaml'), 'schema', [
      { range: spanAfter(kubelet, 'port: ', '0'), message: /"port" is 0, outside 1-65535/ },
      {
        range: spanOf(kubelet, 'clientCaFile'),
        severity: 'warning',
        message: /Did you mean "clientCAFile"\? The kubelet ignores it: the setting has no effect\./,
      },
    ]);
    const proxy = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: userspace\n';
    expectRule(findingsOf(proxy, 'proxy.yaml'), 'schema', [
      { range: spanOf(proxy, 'userspace'), message: /"mode" must be one of/ },
    ]);
  });
  it('leaves other kinds of these API groups alone', () => {
    assert.deepEqual(
      findingsOf('apiVersion: kubelet.config.k8s.io/v1beta1\nkind: CredentialProviderConfig\nproviders: 7\n', 'cp.yaml'),
      [],
    );
    assert.equal(
      ofRule(findingsOf('apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n', 'i.yaml'), 'schema').length,
      0,
    );
  });
});
