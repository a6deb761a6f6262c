import * as assert from 'node:assert/strict';
import {
  cluster,
  controlPlane,
  expectRule,
  findingsOf,
  init,
  inventory,
  join,
  ofRule,
  spanAfter,
  spanOf,
  worker,
} from '../../helpers';

describe('invalid-address', () => {
  describe('in inventories', () => {
    it('reports values that are not IPv4/IPv6 with an optional prefix', () => {
      const bad = ['192.168.1.300/24', '010.0.0.1', '10.0.0.1/33', 'fe80::1%eth0', 'cp-1.lan', ''];
      const text = inventory(
        bad
          .map((address, i) => worker(`w-${i}`, i).replace(`address: 192.168.1.${100 + i}/24`, `address: "${address}"`))
          .join(''),
      );
      expectRule(
        findingsOf(text),
        'invalid-address',
        bad.map((a) => ({ range: spanOf(text, `"${a}"`) })),
      );
    });
    it('accepts IPv4, IPv6 and prefixes', () => {
      const good = ['10.0.0.1', '10.0.0.2/8', 'fd00::1', 'fd00::2/64', '::ffff:10.0.0.3'];
      const text = inventory(
        good
          .map((address, i) => worker(`w-${i}`, i).replace(`address: 192.168.1.${100 + i}/24`, `address: "${address}"`))
          .join(''),
      );
      assert.deepEqual(ofRule(findingsOf(text), 'invalid-address'), []);
    });
  });

  describe('in kubeadm configs', () => {
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
  it("reports a network in the inventory's spec.networks that is not a CIDR, and accepts one that is", () => {
    const text = inventory(
      controlPlane('cp-1', 11),
      '  networks:\n    - name: vpn\n      cidr: 10.8.0.0\n    - name: storage\n      cidr: fd00:8::/64\n',
    );
    expectRule(findingsOf(text), 'invalid-address', [
      {
        range: spanOf(text, '10.8.0.0'),
        message: /^"10\.8\.0\.0" is not a network in CIDR notation, such as 10\.8\.0\.0\/16 or fd00:8::\/64\.$/,
      },
    ]);
  });
});
