/**
 * Deterministic inventories of any size for the benchmark and the differential tests:
 * realistic nodes (two interfaces, one with its MTU, firewall rules, listeners; flannel routing
 * without encapsulation, so that no plugin port joins the rules) with a few deliberate
 * mistakes so that diagnostics are never empty.
 */

/** A small seeded PRNG (mulberry32), so every run sees the same files and edits. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number) => n.toString(16).padStart(2, '0');

export interface GeneratedNode {
  hostname: string;
  text: string;
}

/** One node item, indented for `spec.nodes`. Index 0-2 are control-plane nodes. */
export function generateNode(index: number, options: { mistakes?: boolean } = {}): GeneratedNode {
  const controlPlane = index < 3;
  const mistakes = options.mistakes ?? true;
  // Deliberate mistakes, so every size has diagnostics: a forgotten kubelet rule every 97
  // nodes, a cloned VM's MAC every 331 and a reused hostname every 499.
  const macIndex = mistakes && index % 331 === 200 ? index - 100 : index;
  const hostname = mistakes && index % 499 === 300 ? `node-${index - 200}` : controlPlane ? `cp-${index + 1}` : `node-${index}`;
  const forgetKubelet = mistakes && index % 97 === 50;
  // And a server on a smaller network every 211 nodes, whose MTU the others' and the plugin's do not fit.
  const mtu = mistakes && index % 211 === 100 ? 1450 : 1500;
  // A typo only the schema catches, so that both servers of the benchmark have something to report.
  const typo = mistakes && index % 97 === 60;
  const lines = [
    `    - hostname: ${hostname}`,
    `      roles: [${controlPlane ? 'control-plane' : 'worker'}]`,
    `      interfaces:`,
    `        - name: eth0`,
    `          mac: "52:54:${hex((macIndex >> 16) & 255)}:${hex((macIndex >> 8) & 255)}:${hex(macIndex & 255)}:01"`,
    `          address: 10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}/8`,
    `          mtu: ${mtu}`,
    `        - name: eth1`,
    `          mac: "52:55:${hex((macIndex >> 16) & 255)}:${hex((macIndex >> 8) & 255)}:${hex(macIndex & 255)}:02"`,
    `          address: 172.16.${(index >> 8) & 255}.${index & 255}/16`,
    `      firewall:`,
  ];
  if (controlPlane) {
    lines.push(`        - port: 6443`, `          protocol: TCP`, `          comment: Kubernetes API server`);
    lines.push(`        - port: 2379-2380`, `          comment: etcd`);
    lines.push(`        - port: 10257`, `        - port: 10259`);
  }
  if (!forgetKubelet) lines.push(`        - port: 10250`, `          protocol: TCP`, `          comment: kubelet`);
  if (!controlPlane) {
    lines.push(`        - port: 10256`, `          ${typo ? 'coment' : 'comment'}: kube-proxy`);
    lines.push(`        - port: 30000-32767`, `          source: 10.0.0.0/8`, `          comment: NodePort Services`);
  }
  lines.push(`      listeners:`, `        - name: node-exporter`, `          port: 9100`);
  return { hostname, text: lines.join('\n') + '\n' };
}

export function generateInventory(nodes: number, options: { mistakes?: boolean; name?: string } = {}): string {
  let text = `apiVersion: cluster-preflight/v1alpha1\nkind: Inventory\nmetadata:\n  name: ${options.name ?? `generated-${nodes}`}\nspec:\n  apiServerPort: 6443\n  nodePortRange: 30000-32767\n  cni:\n    plugin: flannel\n    mode: host-gw\n    mtu: 1500\n  nodes:\n`;
  for (let i = 0; i < nodes; i++) text += generateNode(i, options).text;
  return text;
}

if (require.main === module) {
  process.stdout.write(generateInventory(Number(process.argv[2] ?? 100)));
}
