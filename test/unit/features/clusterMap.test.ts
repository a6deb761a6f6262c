import * as assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { clusterMapData, clusterMapTargets } from '../../../server/src/engine/features/clusterMap';
import { clusterMapHtml } from '../../../server/src/engine/features/clusterMapHtml';
import { controlPlane, inventory, ROOT, worker } from '../../helpers';

/** cp-1 misses 6443; cp-2's etcd rule admits only 10.9.0.0/16 (cp-1 is outside it); w-1 runs a listener on 10256; flannel's port is open on the control plane only. */
function cluster() {
  const text = inventory(
    controlPlane('cp-1', 11, '        - port: 8472\n          protocol: UDP\n').replace('        - port: 6443\n', '') +
      controlPlane('cp-2', 12, '        - port: 8472\n          protocol: UDP\n').replace(
        '        - port: 2379-2380\n',
        '        - port: 2379-2380\n          source: 10.9.0.0/16\n',
      ) +
      worker('w-1', 1, '      listeners:\n        - name: exporter\n          port: 10256\n'),
    '  cni:\n    plugin: flannel\n',
  );
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  workspace.setText(`${ROOT}inventory.yaml`, text);
  return { workspace, text, map: clusterMapData(workspace, `${ROOT}inventory.yaml`) };
}

describe('cluster map', () => {
  it('has a cell per node and required port, with the status its findings give', () => {
    const { map } = cluster();
    assert.deepEqual(
      map.columns.map((c) => c.label),
      ['6443/TCP', '2379/TCP', '2380/TCP', '10250/TCP', '10259/TCP', '10257/TCP', '10256/TCP', '30000-32767/TCP', '8472/UDP'],
    );
    const status = (node: string) => map.cells[map.nodes.findIndex((n) => n.name === node)].map((c) => c.status).join(',');
    assert.equal(status('cp-1'), 'missing,open,open,open,open,open,none,none,open');
    // cp-2's etcd rule admits only 10.9.0.0/16: cp-1 cannot reach it.
    assert.equal(status('cp-2'), 'open,excluded,excluded,open,open,open,none,none,open');
    assert.equal(status('w-1'), 'none,none,none,open,none,none,conflict,open,missing');
    const cell = map.cells[0][0];
    assert.match(cell.message!, /has no firewall rule admitting 6443\/TCP/);
    assert.equal(cell.uri, `${ROOT}inventory.yaml`);
    // What a click may open: the places the map links to, and nothing else.
    const targets = clusterMapTargets(map);
    assert.ok(
      targets.some((t) => t.uri === cell.uri && t.line === cell.range!.start.line && t.character === cell.range!.start.character),
    );
    assert.ok(targets.every((t) => t.uri === `${ROOT}inventory.yaml`));
    assert.equal(new Set(targets.map((t) => `${t.line}:${t.character}`)).size, targets.length);
  });

  it('draws the flows with the number of target nodes that block each', () => {
    const { map } = cluster();
    assert.deepEqual(
      map.flows.map((f) => `${f.from} -> ${f.to}: ${f.label} ${f.blocked}/${f.targets}`),
      [
        'nodes, kubectl -> control plane: 6443/TCP Kubernetes API server 1/2',
        'control plane -> etcd: 2379/TCP etcd server client API 1/2',
        'etcd -> etcd: 2380/TCP etcd peer communication 1/2',
        'control plane -> every node: 10250/TCP Kubelet API 0/3',
        'load balancers -> workers: 10256/TCP kube-proxy health check 0/1',
        'clients -> workers: 30000-32767/TCP NodePort Services 0/1',
        'every node -> every node: 8472/UDP flannel VXLAN 1/3',
      ],
    );
    assert.deepEqual(
      map.settings.find((s) => s.name === 'Network plugin'),
      { name: 'Network plugin', value: 'flannel, vxlan', source: 'spec.cni' },
    );
  });

  it('renders a self-contained page: red cells with the finding as tooltip, red arrows, nothing loaded from elsewhere', () => {
    const { map } = cluster();
    const html = clusterMapHtml([map]);
    assert.match(
      html,
      /<span class="cell missing" data-status="missing" data-uri="file:\/\/\/cluster\/inventory\.yaml" data-line="\d+" data-character="\d+" title="missing: Node &quot;cp-1&quot; \(control-plane\) has no firewall rule admitting 6443\/TCP/,
    );
    assert.match(html, /<text class="label blocked" [^>]*>✕ 8472\/UDP flannel VXLAN — blocked on 1 of 3<\/text>/);
    assert.match(html, /<text class="label" [^>]*>✓ 10250\/TCP Kubelet API \(every node\)<\/text>/);
    assert.ok(!/\s(src|href)="(?!#)/.test(html), 'no external resources');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.ok(!html.includes('<script'), 'the report has no script');
    const interactive = clusterMapHtml([map], { interactive: true, nonce: 'abc' });
    assert.match(interactive, /script-src 'nonce-abc'/);
    assert.match(interactive, /<script nonce="abc">/);
  });

  it('collapses long node lists in the diagram, and escapes what files write', () => {
    const nodes = Array.from({ length: 30 }, (_, i) => worker(`w-${i}`, i + 1)).join('');
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(`${ROOT}inventory.yaml`, inventory(controlPlane('cp-<1>', 11) + nodes));
    const html = clusterMapHtml([clusterMapData(workspace, `${ROOT}inventory.yaml`)]);
    assert.match(html, />30 nodes</);
    assert.ok(html.includes('cp-&lt;1&gt;') && !html.includes('cp-<1>'));
  });
});

describe('cluster map: what is not known, and names that try to mislead', () => {
  const k0sctl = `apiVersion: k0sctl.k0sproject.io/v1beta1
kind: Cluster
metadata:
  name: k0s-lab
spec:
  hosts:
    - role: controller
      ssh:
        address: 10.20.0.11
    - role: worker
      ssh:
        address: 10.20.0.21
`;
  const k0sMap = () => {
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(`${ROOT}k0sctl.yaml`, k0sctl);
    return clusterMapData(workspace, `${ROOT}k0sctl.yaml`);
  };

  it('draws flows to nodes whose firewall is not described as unknown, never as open', () => {
    const map = k0sMap();
    assert.ok(map.flows.length > 0);
    for (const flow of map.flows) assert.deepEqual([flow.blocked, flow.unknown], [0, flow.targets], flow.label);
    const html = clusterMapHtml([map]);
    assert.ok(!/class="arrow"/.test(html), 'no flow is drawn open');
    assert.match(html, /<line class="arrow unknown" [^>]*marker-end="url\(#grey\)"/);
    assert.match(html, /<text class="label unknown" [^>]*>\? 6443\/TCP Kubernetes API server — not described on 1 of 1<\/text>/);
    assert.match(html, /\d+ flows not checked \(no firewall described\)/);
    assert.match(html, /<td class="total">\d+ not described<\/td>/);
    assert.match(html, /<td class="total">1 \?<\/td>/);
    assert.match(html, /\? ⇢ not described: cannot be checked/);
  });

  it('tells a partly admitted range from a missing one by the finding data, not its message', () => {
    const text = inventory(
      worker('w-1', 1).replace("port: '30000-32767'", "port: '30000-31000'").replace('port: 30000-32767', 'port: 30000-31000'),
    );
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(`${ROOT}inventory.yaml`, text);
    const finding = workspace.findings(`${ROOT}inventory.yaml`).find((f) => f.ruleId === 'missing-port-rule');
    assert.deepEqual(finding?.data, { componentPort: 'nodeport-services', partial: true });
    const map = clusterMapData(workspace, `${ROOT}inventory.yaml`);
    const column = map.columns.findIndex((c) => c.id === 'nodeport-services');
    assert.equal(map.cells[0][column].status, 'partial');
  });

  it('neutralises bidi controls and keeps a 10,000-character name from widening the page', () => {
    const long = 'a'.repeat(10_000);
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    workspace.setText(`${ROOT}inventory.yaml`, inventory(controlPlane('cp-\u202Egnp.exe', 11) + worker(long, 1)));
    const html = clusterMapHtml([clusterMapData(workspace, `${ROOT}inventory.yaml`)], { withProblems: true });
    assert.ok(!/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/.test(html), 'no bidi control reaches the page');
    assert.ok(html.includes('<bdi>cp-[U+202E]gnp.exe</bdi>'));
    // The diagram shortens it; the matrix cuts it with an ellipsis and keeps it whole in the tooltip.
    assert.ok(html.includes(`>${'a'.repeat(31)}…</text>`));
    assert.ok(html.includes(`title="${long}"`));
    assert.match(html, /\.matrix tbody th \.node \{[^}]*max-width: 200px; overflow: hidden; text-overflow: ellipsis/);
    assert.match(html, /td, th, \.summary, p \{ overflow-wrap: anywhere; \}/);
  });

  it('puts a summary first in a report of several clusters, most to fix first, and skips files with nothing to show', () => {
    const workspace = new Workspace();
    const a = 'file:///a/';
    const b = 'file:///b/';
    workspace.setRoots([a, b]);
    workspace.setText(`${a}k0sctl.yaml`, k0sctl);
    workspace.setText(`${b}inventory.yaml`, inventory(controlPlane('cp-1', 11).replace('        - port: 6443\n', '')));
    const empty = clusterMapData(workspace, `${a}k0sctl.yaml`);
    const maps = [
      clusterMapData(workspace, `${a}k0sctl.yaml`),
      clusterMapData(workspace, `${b}inventory.yaml`),
      { ...empty, id: 'file:///c/', nodes: [], problems: [] },
    ];
    const html = clusterMapHtml(maps, { title: 'Report', displayPath: (uri) => uri.slice('file:///'.length) });
    const summary = html.indexOf('<nav class="report-summary"');
    assert.ok(summary >= 0 && summary < html.indexOf('<section'));
    assert.match(html, /2 clusters · 1 error · 0 warnings · 1 blocked flow · \d+ flows not checked/);
    // b has the blocked flow: it comes first, and the summary links to it.
    // An inventory or a k0sctl file is its cluster (two side by side never merge): each is titled by its name and file.
    assert.match(html, /<a href="#cluster-0"><bdi>test \(b\/inventory\.yaml\)<\/bdi><\/a>/);
    assert.ok(html.indexOf('data-cluster="file:///b/inventory.yaml"') < html.indexOf('data-cluster="file:///a/k0sctl.yaml"'));
    assert.ok(!html.includes('data-cluster="file:///c/"'), 'no empty map');
  });
});
