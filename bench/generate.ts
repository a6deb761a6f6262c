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

/**
 * A Kubespray inventory of `nodes` hosts (10.0.x.y) and a Terraform module of `files` files
 * holding `rules` `aws_security_group_rule`s over five security groups, and the instances that
 * put every host behind the first group. Rules on 20000+ ports are needed by nobody, so an edit
 * of one changes no finding; the group lacks 2380, so there is a finding to keep.
 */
export function generateTerraformCluster(nodes: number, files: number, rules: number): Record<string, string> {
  const hosts = Array.from({ length: nodes }, (_, i) => `node${i + 1} ip=10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  const out: Record<string, string> = {
    'inventory.ini': `[all]\n${hosts.join('\n')}\n\n[kube_control_plane]\nnode[1:3]\n\n[etcd]\nnode[1:3]\n\n[kube_node]\nnode[4:${nodes}]\n`,
  };
  const groups = ['k8s', 'lb', 'bastion', 'monitoring', 'storage'];
  out['terraform/groups.tf'] =
    groups.map((g) => `resource "aws_security_group" "${g}" {\n  name = "${g}"\n}\n`).join('\n') +
    `\nvariable "vpc_cidr" {\n  default = "10.0.0.0/16"\n}\n\nlocals {\n  base = [\n${[6443, 2379, 10250, 10257, 10259, 10256].map((p) => `    { port = ${p}, to = ${p} },`).join('\n')}\n    { port = 30000, to = 32767 },\n  ]\n}\n\nresource "aws_security_group_rule" "base" {\n  count             = length(local.base)\n  type              = "ingress"\n  from_port         = local.base[count.index].port\n  to_port           = local.base[count.index].to\n  protocol          = "tcp"\n  cidr_blocks       = [var.vpc_cidr]\n  security_group_id = aws_security_group.k8s.id\n}\n\nresource "aws_security_group_rule" "vxlan" {\n  type              = "ingress"\n  from_port         = 4789\n  to_port           = 4789\n  protocol          = "udp"\n  self              = true\n  security_group_id = aws_security_group.k8s.id\n}\n\nresource "aws_instance" "node" {\n  count                  = ${nodes}\n  private_ip             = "10.0.\${floor(count.index / 250)}.\${count.index % 250 + 1}"\n  vpc_security_group_ids = [aws_security_group.k8s.id]\n}\n`;
  const perFile = Math.ceil(rules / (files - 1));
  let made = 0;
  for (let f = 1; f < files; f++) {
    const parts: string[] = [];
    for (let r = 0; r < perFile && made < rules; r++, made++) {
      const port = 20000 + made;
      parts.push(
        `resource "aws_security_group_rule" "r${made}" {\n  type              = "ingress"\n  description       = "rule ${made}"\n  from_port         = ${port}\n  to_port           = ${port}\n  protocol          = "${made % 2 ? 'udp' : 'tcp'}"\n  cidr_blocks       = [cidrsubnet(var.vpc_cidr, 8, ${made % 256})]\n  security_group_id = aws_security_group.${groups[made % groups.length]}.id\n}\n`,
      );
    }
    out[`terraform/rules-${f}.tf`] = parts.join('\n');
  }
  return out;
}
