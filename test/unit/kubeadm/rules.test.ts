import * as assert from 'node:assert/strict';
import { check, controlPlane, expectRule, findingsOf, inventory, ofRule, ROOT, spanAfter, spanOf, worker } from '../../helpers';

const init = (body: string, version = 'v1beta4') => `apiVersion: kubeadm.k8s.io/${version}\nkind: InitConfiguration\n${body}`;
const cluster = (body: string, version = 'v1beta4') =>
  `apiVersion: kubeadm.k8s.io/${version}\nkind: ClusterConfiguration\n${body}`;
const join = (body: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n${body}`;
const kubelet = (body: string) => `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n${body}`;

describe('kubeadm rules', () => {
  describe('kubeadm-api-removed and kubeadm-api-deprecated', () => {
    it('report the apiVersion value', () => {
      const text = `${init('', 'v1beta2')}---\n${init('', 'v1beta3')}---\n${init('')}`;
      const findings = findingsOf(text, 'kubeadm.yaml');
      expectRule(findings, 'kubeadm-api-removed', [
        { range: spanOf(text, 'kubeadm.k8s.io/v1beta2'), message: /removed in Kubernetes 1\.27/ },
      ]);
      expectRule(findings, 'kubeadm-api-deprecated', [
        {
          range: spanOf(text, 'kubeadm.k8s.io/v1beta3'),
          severity: 'warning',
          message: /deprecated since Kubernetes 1\.31 and rejected from 1\.36/,
        },
      ]);
    });
  });

  describe('invalid-address', () => {
    it('checks advertiseAddress, endpoints and subnets', () => {
      const text = [
        init('localAPIEndpoint:\n  advertiseAddress: 10.0.0.1/24\n'),
        cluster(
          'controlPlaneEndpoint: "[fd00::1:6443"\nnetworking:\n  podSubnet: 10.244.0.0\n  serviceSubnet: 10.96.0.0/12,10.97.0.0/16\n',
        ),
        join(
          'discovery:\n  bootstrapToken:\n    apiServerEndpoint: k8s-api.lab\n    token: abcdef.0123456789abcdef\n    unsafeSkipCAVerification: true\n',
        ),
      ].join('---\n');
      expectRule(findingsOf(text, 'kubeadm.yaml'), 'invalid-address', [
        { range: spanOf(text, '10.0.0.1/24'), message: /advertiseAddress "10\.0\.0\.1\/24" is not an IP address/ },
        { range: spanOf(text, '"[fd00::1:6443"'), message: /controlPlaneEndpoint "\[fd00::1:6443" is not host\[:port\]/ },
        { range: spanAfter(text, 'podSubnet: ', '10.244.0.0'), message: /"10\.244\.0\.0" is not a network in CIDR notation/ },
        { range: spanOf(text, '10.96.0.0/12,10.97.0.0/16'), message: /a dual-stack pair needs one IPv4 and one IPv6 subnet/ },
        { range: spanOf(text, 'k8s-api.lab'), message: /apiServerEndpoint "k8s-api\.lab" is not host:port: a port is required/ },
      ]);
    });
    it('accepts dual-stack pairs, bracketed IPv6 endpoints and DNS names', () => {
      const text =
        cluster(
          'controlPlaneEndpoint: "[fd00::10]:6443"\nnetworking:\n  podSubnet: 10.244.0.0/16,fd00:10:244::/56\n  serviceSubnet: 10.96.0.0/12\n',
        ) +
        '---\n' +
        init('localAPIEndpoint:\n  advertiseAddress: fd00::11\n');
      assert.deepEqual(findingsOf(text, 'kubeadm.yaml'), []);
    });
  });

  it('invalid-hostname checks nodeRegistration.name', () => {
    const text = init('nodeRegistration:\n  name: CP_1\n');
    expectRule(findingsOf(text, 'kubeadm.yaml'), 'invalid-hostname', [
      { range: spanOf(text, 'CP_1'), message: /nodeRegistration\.name "CP_1" is not a valid node name \(kubeadm rejects it\)/ },
    ]);
  });

  it('invalid-port-range checks service-node-port-range', () => {
    const text = cluster('apiServer:\n  extraArgs:\n    - name: service-node-port-range\n      value: "32767-30000"\n');
    expectRule(findingsOf(text, 'kubeadm.yaml'), 'invalid-port-range', [
      { range: spanOf(text, '"32767-30000"'), message: /Invalid service-node-port-range: the range 32767-30000 is reversed/ },
    ]);
  });

  describe('port-conflict', () => {
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

  describe('cidr-overlap', () => {
    it('reports podSubnet and serviceSubnet overlapping, on both', () => {
      const text = cluster('networking:\n  podSubnet: 10.96.0.0/16\n  serviceSubnet: 10.96.0.0/12\n');
      expectRule(findingsOf(text, 'kubeadm.yaml'), 'cidr-overlap', [
        { range: spanOf(text, '10.96.0.0/16'), message: /podSubnet 10\.96\.0\.0\/16 overlaps serviceSubnet 10\.96\.0\.0\/12/ },
        { range: spanOf(text, '10.96.0.0/12'), message: /serviceSubnet 10\.96\.0\.0\/12 overlaps podSubnet/ },
      ]);
    });
    it("reports a subnet that contains the inventory's node addresses (cross-file)", () => {
      const inv = inventory(controlPlane('cp-1', 11) + worker('w-1', 1));
      const kubeadm = cluster('networking:\n  podSubnet: 192.168.0.0/16\n');
      const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml');
      expectRule(findings, 'cidr-overlap', [
        {
          range: spanOf(kubeadm, '192.168.0.0/16'),
          message:
            /contains 2 addresses of the cluster's nodes: 192\.168\.1\.11 \(node "cp-1"\), 192\.168\.1\.101 \(node "w-1"\)/,
        },
      ]);
      assert.equal(findings[0].related?.[0].uri, `${ROOT}inventory.yaml`);
    });
  });

  describe('missing-control-plane-endpoint', () => {
    it('reports on the ClusterConfiguration kind when the inventory has several control-plane nodes', () => {
      const inv = inventory(controlPlane('cp-1', 11) + controlPlane('cp-2', 12) + controlPlane('cp-3', 13));
      const kubeadm = cluster('networking:\n  podSubnet: 10.244.0.0/16\n');
      expectRule(check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml'), 'missing-control-plane-endpoint', [
        {
          range: spanOf(kubeadm, 'ClusterConfiguration'),
          message: /no controlPlaneEndpoint, but the inventory has 3 control-plane nodes/,
        },
      ]);
      const withEndpoint = cluster('controlPlaneEndpoint: k8s-api.lab:6443\n');
      assert.deepEqual(
        ofRule(check({ 'inventory.yaml': inv, 'kubeadm.yaml': withEndpoint })('kubeadm.yaml'), 'missing-control-plane-endpoint'),
        [],
      );
    });
    it('reports when a JoinConfiguration joins a control-plane node', () => {
      const kubeadm = cluster('clusterName: lab\n');
      const joinText = join(
        'controlPlane:\n  certificateKey: abc\ndiscovery:\n  file:\n    kubeConfigPath: /etc/kubernetes/discovery.yaml\n',
      );
      const findings = check({ 'cluster.yaml': kubeadm, 'join.yaml': joinText })('cluster.yaml');
      expectRule(findings, 'missing-control-plane-endpoint', [
        { range: spanOf(kubeadm, 'ClusterConfiguration'), message: /join\.yaml joins a control-plane node/ },
      ]);
      assert.equal(findings[0].related?.[0].uri, `${ROOT}join.yaml`);
    });
  });

  it('unknown-node warns about names and addresses the inventory does not have', () => {
    const inv = inventory(controlPlane('cp-1', 11));
    const kubeadm =
      init('localAPIEndpoint:\n  advertiseAddress: 192.168.1.99\nnodeRegistration:\n  name: cp-01\n') +
      '---\n' +
      init('localAPIEndpoint:\n  advertiseAddress: 192.168.1.11\nnodeRegistration:\n  name: CP-1\n');
    expectRule(check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('kubeadm.yaml'), 'unknown-node', [
      {
        range: spanOf(kubeadm, '192.168.1.99'),
        severity: 'warning',
        message: /advertiseAddress 192\.168\.1\.99 is no interface address of a node in the inventory \(inventory\.yaml\)/,
      },
      {
        range: spanOf(kubeadm, 'cp-01'),
        severity: 'warning',
        message: /nodeRegistration\.name "cp-01" matches no node of the inventory/,
      },
    ]);
    assert.deepEqual(ofRule(findingsOf(kubeadm, 'kubeadm.yaml'), 'unknown-node'), [], 'no inventory, no check');
  });

  describe('config-mismatch', () => {
    it("reports the inventory's apiServerPort when kubeadm sets another port", () => {
      const inv = inventory(controlPlane('cp-1', 11), '  apiServerPort: 6443\n');
      const kubeadm = init('localAPIEndpoint:\n  bindPort: 8443\n');
      const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('inventory.yaml');
      expectRule(findings, 'config-mismatch', [
        {
          range: spanAfter(inv, 'apiServerPort: ', '6443'),
          severity: 'warning',
          message:
            /spec\.apiServerPort is 6443, but the API server will listen on 8443 \(InitConfiguration localAPIEndpoint\.bindPort in kubeadm\.yaml\)/,
        },
      ]);
      assert.equal(findings.find((f) => f.ruleId === 'config-mismatch')!.related?.[0].uri, `${ROOT}kubeadm.yaml`);
    });
    it("reports the inventory's values when kubeadm leaves them at the defaults", () => {
      const inv = inventory(
        controlPlane('cp-1', 11).replace('port: 6443', 'port: 8443') + worker('w-1', 1).replace('30000-32767', '31000-31999'),
        '  apiServerPort: 8443\n  nodePortRange: 31000-31999\n',
      );
      const kubeadm = cluster('clusterName: lab\n');
      const findings = check({ 'inventory.yaml': inv, 'kubeadm.yaml': kubeadm })('inventory.yaml');
      expectRule(findings, 'config-mismatch', [
        {
          range: spanAfter(inv, 'apiServerPort: ', '8443'),
          severity: 'warning',
          message: /will listen on 6443 \(the kubeadm config, which sets no bindPort \(default\)\)/,
        },
        { range: spanAfter(inv, 'nodePortRange: ', '31000-31999'), severity: 'warning', message: /will use 30000-32767/ },
      ]);
      // Firewalls are checked against what kubeadm will deploy.
      assert.deepEqual(
        ofRule(findings, 'missing-port-rule').map((f) => f.message.replace(/^.*admitting /, '')),
        [
          '6443/TCP (Kubernetes API server).',
          'Node "w-1" (worker) admits only part of 30000-32767/TCP (NodePort Services); 30000-30999, 32000-32767/TCP are not covered.',
        ],
      );
    });
  });
});
