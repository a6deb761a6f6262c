import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runCli } from '../../server/src/cli/main';
import { RULES } from '../../server/src/engine/rules/catalogue';

interface Diagnostic {
  file: string;
  code: string;
  message: string;
  range: { start: { line: number; character: number } };
}

/** What `--format json` reports for a path under examples/. */
function diagnosticsOf(path: string): Diagnostic[] {
  let stdout = '';
  runCli(
    ['--format', 'json', resolve(__dirname, '../../../examples', path)],
    { write: (t: string) => (stdout += t) },
    { write: () => undefined },
  );
  return JSON.parse(stdout).diagnostics;
}

describe('bundled examples', () => {
  it('show every rule at least once', () => {
    const shown = new Set(diagnosticsOf('.').map((d) => d.code));
    // internal-error reports a bug in Cluster Preflight, which no example should trigger;
    // file-too-large needs a file above 10 MB, which the repository does not ship (tests build one).
    const notShown = ['internal-error', 'file-too-large'];
    assert.deepEqual(
      RULES.map((r) => r.meta.id).filter((id) => !shown.has(id) && !notShown.includes(id)),
      [],
      'rules the examples do not show',
    );
  });

  it("show an RKE2 agent joining on 6443, the API server's port, rather than the supervisor's 9345", () => {
    const agent = diagnosticsOf('rke2').filter((d) => d.file.endsWith('rke2/agent-1/config.yaml'));
    assert.deepEqual(
      agent.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['join-address', 1, 8]],
    );
    assert.match(agent[0].message, /use https:\/\/rke2\.lab\.example\.net:9345\.$/);
  });

  it("show dc's firewall written from old guides: VXLAN opened as TCP on worker-1, 10251 on cp-2", () => {
    const found = diagnosticsOf('dc')
      .filter((d) => ['firewall-wrong-protocol', 'obsolete-port-rule', 'missing-port-rule'].includes(d.code))
      .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
    assert.deepEqual(found, [
      `42:17 obsolete-port-rule Node "cp-2"'s firewall rule opens 10251/TCP, kube-scheduler's insecure HTTP port, removed in Kubernetes 1.23 (kube-scheduler serves on 10259/TCP now).`,
      '68:7 missing-port-rule Node "worker-1" (worker) has no firewall rule admitting 8472/UDP (flannel VXLAN).',
      `72:17 firewall-wrong-protocol Node "worker-1"'s firewall rule 8472/TCP is on the wrong protocol: the node needs 8472/UDP (flannel VXLAN) there, and no rule admits it.`,
    ]);
  });

  it("show hetzner's MTU and address-plan mistakes: Calico's 1500-network MTU on a 1450 cloud network, a 1400 vSwitch node, a public pod subnet and a VPN inside the Service network", () => {
    const found = diagnosticsOf('hetzner').map(
      (d) => `${d.file.replace(/^.*examples\//, '')}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`,
    );
    assert.deepEqual(found, [
      'hetzner/inventory.yaml:12:10 mtu-overlay-overhead',
      'hetzner/inventory.yaml:64:16 mtu-mismatch',
      'hetzner/kubeadm.yaml:7:14 subnet-public-range',
      'hetzner/kubeadm.yaml:8:18 subnet-overlaps-host-network',
    ]);
  });

  it("show terraform-aws's security group opening Calico's VXLAN as TCP in front of a Kubespray cluster", () => {
    const found = diagnosticsOf('terraform-aws').map(
      (d) =>
        `${d.file.slice(d.file.indexOf('terraform-aws/'))}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`,
    );
    assert.deepEqual(found, [
      'terraform-aws/terraform/main.tf:5:1 missing-port-rule aws_security_group "kubernetes" admits no 4789/UDP (Calico VXLAN); nodes "node1", "node2", "node3", "node4", "node5" behind it need it.',
      `terraform-aws/terraform/main.tf:54:19 firewall-wrong-protocol aws_security_group "kubernetes"'s rule 4789/TCP is on the wrong protocol: nodes "node1", "node2", "node3", "node4", "node5" behind it need 4789/UDP (Calico VXLAN) there, and no rule admits it.`,
    ]);
  });

  it("show ansible-firewalld's role opening the old scheduler and controller-manager ports instead of 10259 and 10257", () => {
    const found = diagnosticsOf('ansible-firewalld').map(
      (d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`,
    );
    assert.deepEqual(found, [
      `2:3 missing-port-rule None of Ansible task "Open the control-plane ports", Ansible task "Open flannel's VXLAN on every node" admits 10257/TCP (kube-controller-manager); nodes "cp1", "cp2", "cp3" (control-plane, etcd) need it.`,
      `2:3 missing-port-rule None of Ansible task "Open the control-plane ports", Ansible task "Open flannel's VXLAN on every node" admits 10259/TCP (kube-scheduler); nodes "cp1", "cp2", "cp3" (control-plane, etcd) need it.`,
      `14:7 obsolete-port-rule Ansible task "Open the control-plane ports"'s rule opens 10251/TCP, kube-scheduler's insecure HTTP port, removed in Kubernetes 1.23 (kube-scheduler serves on 10259/TCP now).`,
      `15:7 obsolete-port-rule Ansible task "Open the control-plane ports"'s rule opens 10252/TCP, kube-controller-manager's insecure HTTP port, removed in Kubernetes 1.22 (kube-controller-manager serves on 10257/TCP now).`,
    ]);
  });
});
