import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { codeActions } from '../../../server/src/engine/features/codeActions';
import { hover } from '../../../server/src/engine/features/hover';
import { CNI_PLUGINS, cniRequirements, type CniPlugin } from '../../../server/src/engine/knowledge/cni';
import { formatTransport, isIpProtocol } from '../../../server/src/engine/knowledge/ports';
import { applyEdits } from '../../edits';
import { check, controlPlane, expectRule, inventory, ofRule, ROOT, spanOf, worker } from '../../helpers';

/** Firewall entries (indented for a node item) admitting what a plugin needs in a mode. */
function cniEntries(plugin: CniPlugin, mode: string | undefined, wireguard: boolean, skip?: string): string {
  return cniRequirements({ plugin, mode, wireguard })
    .filter(({ port }) => port.id !== skip)
    .map(({ port, range }) =>
      isIpProtocol(port.protocol)
        ? `        - protocol: ${port.protocol}\n`
        : `        - port: ${range.low === range.high ? range.low : `${range.low}-${range.high}`}\n          protocol: ${port.protocol}\n`,
    )
    .join('');
}

function cluster(plugin: CniPlugin, mode: string | undefined, wireguard: boolean, skipOnWorker?: string): string {
  const spec = `  cni:\n    plugin: ${plugin}\n${mode ? `    mode: ${mode}\n` : ''}${wireguard ? '    wireguard: true\n' : ''}`;
  return inventory(
    controlPlane('cp-1', 11) +
      cniEntries(plugin, mode, wireguard) +
      worker('w-1', 1) +
      cniEntries(plugin, mode, wireguard, skipOnWorker),
    spec,
  );
}

const URI = `${ROOT}inventory.yaml`;

describe('network plugin (CNI) ports', () => {
  const cases: Array<[CniPlugin, string | undefined, boolean]> = [];
  for (const plugin of Object.keys(CNI_PLUGINS) as CniPlugin[]) {
    cases.push([plugin, undefined, false]);
    for (const mode of CNI_PLUGINS[plugin].modes) cases.push([plugin, mode, false]);
    if (cniRequirements({ plugin, wireguard: true }).some((r) => r.port.withWireguard)) cases.push([plugin, undefined, true]);
  }

  for (const [plugin, mode, wireguard] of cases) {
    const label = `${plugin}${mode ? `, mode ${mode}` : ''}${wireguard ? ', WireGuard' : ''}`;
    it(`${label}: clean with every port open; each missing one is reported on the node, and its quick-fix makes it clean`, () => {
      assert.deepEqual(check({ 'inventory.yaml': cluster(plugin, mode, wireguard) })('inventory.yaml'), [], 'all open');
      for (const { port, range } of cniRequirements({ plugin, mode, wireguard })) {
        const text = cluster(plugin, mode, wireguard, port.id);
        const workspace = new Workspace();
        workspace.setRoots([ROOT]);
        workspace.setText(URI, text);
        const findings = ofRule(workspace.findings(URI), 'missing-port-rule');
        assert.deepEqual(
          findings.map((f) => [f.range.start.line, f.severity, f.message]),
          [
            [
              spanOf(text, 'firewall', 1).start.line,
              port.missingSeverity,
              `Node "w-1" (worker) has no firewall rule admitting ${formatTransport(range, port.protocol)} (${port.purpose}).`,
            ],
          ],
          port.id,
        );
        const fixes = codeActions(
          workspace,
          URI,
          findings.map((f) => ({ range: f.range, code: f.ruleId, source: 'cluster-preflight', data: f.data })),
        );
        const fixed = applyEdits(text, fixes[0].edits);
        assert.deepEqual(check({ 'inventory.yaml': fixed })('inventory.yaml'), [], `${port.id} fixed:\n${fixed}`);
      }
    });
  }

  it('without a plugin named anywhere, no CNI port is required, and a hover on nodes says so', () => {
    const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1));
    assert.deepEqual(check({ 'inventory.yaml': text })('inventory.yaml'), []);
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(URI, text);
    workspace.findings(URI);
    const at = spanOf(text, 'nodes');
    const result = hover(workspace, URI, { line: at.start.line, character: at.start.character + 1 });
    assert.match(result!.markdown, /No file of this cluster names a network plugin/);
  });

  it("a hover on spec.cni says which plugin and mode apply, and that the mode is the plugin's default", () => {
    const text = inventory(controlPlane('cp-1', 11) + worker('w-1', 1), '  cni:\n    plugin: calico\n');
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(URI, text);
    workspace.findings(URI);
    const at = spanOf(text, 'calico');
    const result = hover(workspace, URI, { line: at.start.line, character: at.start.character + 1 });
    assert.match(result!.markdown, /\*\*Network plugin: Calico\*\*, mode ipip \(the default\), from spec\.cni/);
    assert.match(result!.markdown, /179\/TCP — Calico BGP/);
    assert.match(result!.markdown, /IP protocol 4 \(IPIP\) — Calico IP-in-IP encapsulation/);
  });

  it("an installer's plugin wins over the inventory's, with the installer's defaults and moved ports", () => {
    const inv = inventory(controlPlane('cp-1', 11) + worker('w-1', 1), '  cni:\n    plugin: flannel\n');
    const vars = 'kube_network_plugin: calico\ncalico_vxlan_port: 4790\n';
    const ini =
      '[kube_control_plane]\ncp-1 ip=192.168.1.11\n[etcd:children]\nkube_control_plane\n[kube_node]\nw-1 ip=192.168.1.101\n';
    // Two anchors in one folder are two clusters unless the project declares them one.
    const config = 'clusters:\n  - name: lab\n    files: ["*.yaml", "*.ini", "group_vars/**"]\n';
    const findings = check({
      '.cluster-preflight.yaml': config,
      'inventory.yaml': inv,
      'hosts.ini': ini,
      'group_vars/all.yml': vars,
    })('inventory.yaml');
    // Kubespray's Calico defaults to VXLAN; calico_vxlan_port moves it.
    expectRule(findings, 'missing-port-rule', [
      {
        range: spanOf(inv, 'firewall'),
        message: /4790\/UDP \(Calico VXLAN\); kube_network_plugin \(group_vars\/all\.yml\) sets it/,
      },
      { range: spanOf(inv, 'firewall', 1), message: /4790\/UDP \(Calico VXLAN\)/ },
    ]);
  });

  it('a listener on a CNI port conflicts with the plugin', () => {
    const text = inventory(
      controlPlane(
        'cp-1',
        11,
        cniEntries('flannel', undefined, false) +
          '      listeners:\n        - name: vxlan-test\n          port: 8472\n          protocol: UDP\n',
      ),
      '  cni:\n    plugin: flannel\n',
    );
    expectRule(check({ 'inventory.yaml': text })('inventory.yaml'), 'port-conflict', [
      {
        range: spanOf(text, '8472', 1),
        message: /binds 8472\/UDP, which flannel needs on node "cp-1": 8472\/UDP \(flannel VXLAN\)/,
      },
    ]);
  });
});
