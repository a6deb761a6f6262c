import * as assert from 'node:assert/strict';
import { hover } from '../../../server/src/engine/features/hover';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { controlPlane, inventory, ROOT, spanAfter, spanOf, worker } from '../../helpers';

function hoverAt(files: Record<string, string>, name: string, needle: string, nth = 0, before = '') {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [n, t] of Object.entries(files)) workspace.setText(ROOT + n, t);
  workspace.analyzeAll();
  workspace.findings(ROOT + name);
  const range = before ? spanAfter(files[name], before, needle, nth) : spanOf(files[name], needle, nth);
  return { result: hover(workspace, ROOT + name, { line: range.start.line, character: range.start.character + 1 }), range };
}

describe('hover', () => {
  const text = inventory(
    controlPlane('cp-1', 11, '        - port: 179\n      listeners:\n        - name: exporter\n          port: 9100\n') +
      worker('w-1', 1),
    '  apiServerPort: 6443\n',
  );

  it('explains a firewall port and links the Ports and Protocols page', () => {
    const { result, range } = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '6443', 0, '- port: ');
    assert.ok(result);
    assert.deepEqual(result.range, range);
    assert.match(result.markdown, /\*\*6443\/TCP\*\*/);
    assert.match(result.markdown, /Kubernetes API server\*\* \(kube-apiserver\): inbound on control-plane nodes/);
    assert.match(result.markdown, /This node \(control-plane\) needs it for Kubernetes API server\./);
    assert.match(
      result.markdown,
      /\[Kubernetes Ports and Protocols\]\(https:\/\/kubernetes\.io\/docs\/reference\/networking\/ports-and-protocols\/\)/,
    );
  });

  it('lists every component in a range', () => {
    const { result } = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '2379-2380');
    assert.match(result!.markdown, /2379\/TCP — etcd server client API/);
    assert.match(result!.markdown, /2380\/TCP — etcd peer communication/);
  });

  it('names well-known add-on ports and says when no component uses a port', () => {
    assert.match(
      hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '179').result!.markdown,
      /BGP \(Calico, kube-router, Antrea BGPPolicy\)\*\*: not a Kubernetes component port/,
    );
    const exporter = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '9100').result!.markdown;
    assert.match(exporter, /Prometheus node exporter/);
  });

  it('explains apiServerPort and nodePortRange values', () => {
    assert.match(hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', '6443', 0).result!.markdown, /Kubernetes API server/);
  });

  it('lists the ports a role needs', () => {
    const { result } = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', 'worker', 0, 'roles: [');
    assert.match(result!.markdown, /\*\*worker\*\*/);
    assert.match(
      result!.markdown,
      /- 10250\/TCP — Kubelet API\n- 10256\/TCP — kube-proxy health check\n- 30000-32767\/TCP — NodePort Services/,
    );
  });

  it('shows the schema description of a key', () => {
    const { result } = hoverAt({ 'inventory.yaml': text }, 'inventory.yaml', 'mac');
    assert.match(result!.markdown, /\*\*mac\*\* `string`\n\nHardware \(MAC\) address, unique across nodes/);
  });

  it('explains a Service nodePort with the static band', () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 30080\n    - port: 81\n      nodePort: 31000\n';
    const low = hoverAt({ 'svc.yaml': svc }, 'svc.yaml', '30080').result!.markdown;
    assert.match(low, /Inside the cluster's NodePort range 30000-32767/);
    assert.match(low, /static band 30000-30085/);
    assert.match(hoverAt({ 'svc.yaml': svc }, 'svc.yaml', '31000').result!.markdown, /dynamic band 30086-32767/);
    assert.match(
      low,
      /\[NodePort Services\]\(https:\/\/kubernetes\.io\/docs\/concepts\/services-networking\/service\/#type-nodeport\)/,
    );
  });

  it('gives nothing on files that are not ours', () => {
    const workspace = new Workspace();
    workspace.setText(`${ROOT}ci.yaml`, 'port: 6443\n');
    workspace.analyzeAll();
    assert.equal(hover(workspace, `${ROOT}ci.yaml`, { line: 0, character: 7 }), undefined);
  });
});
