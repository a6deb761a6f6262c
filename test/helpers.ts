import * as assert from 'node:assert/strict';
import type { Finding } from '../server/src/engine/core/findings';
import type { Range } from '../server/src/engine/core/text/positions';
import { LineIndex } from '../server/src/engine/core/text/lineIndex';
import { Workspace } from '../server/src/engine/analysis/workspace';
import { codeActions } from '../server/src/engine/features/codeActions';

/** Strips the common indentation of a template literal, so fixtures can be indented with the test. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((text, s, i) => text + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw
    .replace(/^\n/, '')
    .replace(/\n[ ]*$/, '\n')
    .split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** The range of the `nth` occurrence of `needle` in `text`: where a diagnostic must sit. */
export function spanOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" occurs fewer than ${nth + 1} times`);
  }
  return new LineIndex(text).rangeOf(at, at + needle.length);
}

/** The range of `needle` where it directly follows `before` (the nth time): a value after its key. */
export function spanAfter(text: string, before: string, needle: string, nth = 0): Range {
  const whole = spanOf(text, before + needle, nth);
  const lines = (before + needle).split('\n');
  const start =
    lines.length === 1
      ? { line: whole.start.line, character: whole.start.character + before.length }
      : { line: whole.end.line, character: whole.end.character - needle.length };
  return { start, end: whole.end };
}

export const ROOT = 'file:///cluster/';

/** Checks files (name -> text; names relative to file:///cluster/ unless they are URIs) as one workspace rooted there. */
export function check(files: Record<string, string>): (name: string) => Finding[] {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  const uri = (name: string) => (name.startsWith('file://') ? name : ROOT + name);
  for (const [name, text] of Object.entries(files)) workspace.setText(uri(name), text);
  return (name) => workspace.findings(uri(name));
}

/** Findings of one inventory file. */
export function findingsOf(text: string, name = 'inventory.yaml'): Finding[] {
  return check({ [name]: text })(name);
}

export function ofRule(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

/**
 * One rule's quick-fixes for a file, as an editor asks for them (the rule's diagnostics with their data),
 * without the "Disable …" actions every finding gets.
 */
export function ruleFixes(files: Record<string, string>, name: string, ruleId: string) {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [file, text] of Object.entries(files)) workspace.setText(ROOT + file, text);
  const diagnostics = ofRule(workspace.findings(ROOT + name), ruleId).map((f) => ({
    range: f.range,
    code: f.ruleId,
    source: 'cluster-preflight',
    data: f.data,
  }));
  return codeActions(workspace, ROOT + name, diagnostics).filter((f) => !f.title.startsWith('Disable'));
}

/** Asserts the exact findings of one rule: ranges and severities, in document order. */
export function expectRule(
  findings: readonly Finding[],
  ruleId: string,
  expected: Array<{ range: Range; severity?: string; message?: RegExp }>,
): void {
  const actual = ofRule(findings, ruleId);
  assert.deepEqual(
    actual.map((f) => ({ range: f.range, severity: f.severity })),
    expected.map((e) => ({ range: e.range, severity: e.severity ?? actual.find(() => true)?.severity ?? 'error' })),
    `${ruleId} findings: ${JSON.stringify(
      actual.map((f) => f.message),
      null,
      1,
    )}`,
  );
  expected.forEach((e, i) => {
    if (e.message) assert.match(actual[i].message, e.message);
  });
}

/** A minimal valid inventory around the given node items (already indented as list items under nodes:). */
export function inventory(nodes: string, spec = ''): string {
  return `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: test\nspec:\n${spec}  nodes:\n${nodes}`;
}

/** A control-plane node with every port it needs open. */
export function controlPlane(name: string, octet: number, extra = ''): string {
  return (
    [
      `    - hostname: ${name}`,
      `      roles: [control-plane]`,
      `      interfaces:`,
      `        - name: eth0`,
      `          mac: "52:54:00:00:00:${octet.toString(16).padStart(2, '0')}"`,
      `          address: 192.168.1.${octet}/24`,
      `      firewall:`,
      `        - port: 6443`,
      `        - port: 2379-2380`,
      `        - port: 10250`,
      `        - port: 10257`,
      `        - port: 10259`,
      extra,
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n'
  );
}

/** A worker node with every port it needs open. */
export function worker(name: string, octet: number, extra = ''): string {
  return (
    [
      `    - hostname: ${name}`,
      `      roles: [worker]`,
      `      interfaces:`,
      `        - name: eth0`,
      `          mac: "52:54:00:00:01:${octet.toString(16).padStart(2, '0')}"`,
      `          address: 192.168.1.${100 + octet}/24`,
      `      firewall:`,
      `        - port: 10250`,
      `        - port: 10256`,
      `        - port: 30000-32767`,
      extra,
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n'
  );
}

/** A NodePort Service in namespace shop with the given nodePorts (and protocols). */
export function service(name: string, ...ports: Array<[number, string?]>): string {
  const entries = ports
    .map(
      ([nodePort, protocol], i) =>
        `    - name: p${i}\n      port: ${80 + i}\n${protocol ? `      protocol: ${protocol}\n` : ''}      nodePort: ${nodePort}\n`,
    )
    .join('');
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  type: NodePort\n  ports:\n${entries}`;
}

/** kubeadm, kubelet documents around a body (v1beta4 unless given). */
export const init = (body: string, version = 'v1beta4') =>
  `apiVersion: kubeadm.k8s.io/${version}\nkind: InitConfiguration\n${body}`;
export const cluster = (body: string, version = 'v1beta4') =>
  `apiVersion: kubeadm.k8s.io/${version}\nkind: ClusterConfiguration\n${body}`;
export const join = (body: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n${body}`;
export const kubelet = (body: string) => `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n${body}`;

/** A Kubespray inventory of three stacked control-plane nodes and one worker, addresses 10.0.1.11-14. */
export const KUBESPRAY = yaml`
  [all]
  node1 ip=10.0.1.11
  node2 ip=10.0.1.12
  node3 ip=10.0.1.13
  node4 ip=10.0.1.14

  [kube_control_plane]
  node[1:3]

  [etcd]
  node[1:3]

  [kube_node]
  node4
`;
