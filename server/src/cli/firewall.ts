/**
 * `cluster-preflight firewall`: the firewall rules each node of the clusters under the paths
 * needs, in one target format, on standard output. The files are read exactly as `check` reads
 * them (same discovery, context and project configs); nothing is reported about them here.
 */
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/analysis/sourceFile';
import { Workspace } from '../engine/analysis/workspace';
import { FIREWALL_FORMAT_IDS } from '../engine/features/firewall/formats';
import { allowFromProblem, generateFirewall, type ClusterToGenerate } from '../engine/features/firewall/generate';
import { ROLES, type Role } from '../engine/knowledge/ports';
import { parseSize } from '../node/files';
import { displayPath } from './format';
import { loadPaths, parseProblem, usageError, type CliEnvironment, type Writable } from './load';

export const FIREWALL_USAGE = `Usage: cluster-preflight firewall [options] <file-or-directory>...
       cluster-preflight firewall [options] - --stdin-filename <path>

Writes the firewall rules each node of the clusters found needs, from the roles, distribution
(kubeadm, RKE2, K3s, k0s) and network plugin the files describe: the same ports missing-port-rule
checks. Ports between nodes admit only the nodes that use them; ports used from outside the
cluster (the API server, NodePorts, load-balancer health checks) admit --allow-from, else anywhere.
Unknown values (templates, nodes without an address) become comments saying what to fill in.

Options:
  --format <format>            nftables (default), firewalld (a firewall-cmd script), firewalld-xml
                               (a zone file), ufw, iptables (iptables-restore input), ansible
                               (ansible.posix.firewalld tasks per role group), terraform-aws,
                               terraform-hcloud, terraform-openstack (a security group or firewall
                               per role group), inventory (firewall: lists for our inventory), json
  --peers <node|subnet>        admit peers by their addresses (default) or by their subnets (the
                               prefix their address is written with)
  --allow-from <cidr>          who may reach the ports used from outside the cluster (repeatable;
                               default: anywhere, and the output says so)
  --essential-only             leave out optional ports (health, metrics, registry)
  --node <name>                only this node's rules
  --role <role>                only the nodes with this role (control-plane, worker, etcd)
  --stdin-filename <path>      the path of the text read from "-" (standard input)
  --max-file-size <size>       skip files above this size, such as 25MB (default: 10MB)
  -h, --help                   show this help

Host firewalls (nftables, firewalld, ufw, iptables, inventory) print one section per role
combination, naming the nodes it is for; the others print one group per role.

Exit codes: 0 rules written, 2 usage or I/O problem.

Examples:
  cluster-preflight firewall inventory/                        nftables rules for every node
  cluster-preflight firewall --format ufw --node cp-1 .        one node's ufw commands
  cluster-preflight firewall --format terraform-aws --allow-from 203.0.113.0/24 .
`;

export function runFirewall(argv: string[], stdout: Writable, stderr: Writable, environment: CliEnvironment = {}): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'nftables' },
        peers: { type: 'string', default: 'node' },
        'allow-from': { type: 'string', multiple: true },
        'essential-only': { type: 'boolean', default: false },
        node: { type: 'string' },
        role: { type: 'string' },
        'stdin-filename': { type: 'string' },
        'max-file-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return usageError(stderr, `firewall: ${parseProblem(error)}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    stdout.write(FIREWALL_USAGE);
    return 0;
  }
  const format = values.format!;
  if (!FIREWALL_FORMAT_IDS.includes(format))
    return usageError(stderr, `firewall: unknown --format "${format}"; use ${FIREWALL_FORMAT_IDS.join(', ')}`);
  const peers = values.peers!;
  if (peers !== 'node' && peers !== 'subnet')
    return usageError(stderr, `firewall: unknown --peers "${peers}"; use node or subnet`);
  const allowFrom = values['allow-from'] ?? [];
  for (const cidr of allowFrom) {
    const problem = allowFromProblem(cidr);
    if (problem) return usageError(stderr, `firewall: --allow-from ${problem}`);
  }
  const role = values.role;
  if (role !== undefined && !(ROLES as readonly string[]).includes(role))
    return usageError(stderr, `firewall: unknown --role "${role}"; use ${ROLES.join(', ')}`);
  if (values.node !== undefined && values.node.trim() === '') return usageError(stderr, 'firewall: --node needs a node name');
  if (positionals.length === 0) return usageError(stderr, 'firewall: no files or directories given');
  const stdinName = values['stdin-filename'];
  if (positionals.includes('-') && !stdinName)
    return usageError(stderr, 'firewall: "-" (standard input) needs --stdin-filename <path>');
  let maxFileSize = DEFAULT_MAX_FILE_SIZE;
  if (values['max-file-size'] !== undefined) {
    const size = parseSize(values['max-file-size']);
    if (size === undefined) return usageError(stderr, `firewall: --max-file-size "${values['max-file-size']}" is not a size`);
    maxFileSize = size;
  }

  const warn = (message: string) => stderr.write(`cluster-preflight: warning: ${message}\n`);
  const workspace = new Workspace({ maxFileSize, log: (message) => stderr.write(`cluster-preflight: ${message}\n`) });
  const loaded = loadPaths(workspace, positionals, stdinName, maxFileSize, environment, stderr, warn, warn);
  if (!loaded.ok) return loaded.code;

  workspace.analyzeAll();
  // One entry per cluster of the files given, in the order of their first file.
  const clusters = new Map<string, ClusterToGenerate>();
  for (const path of [...loaded.reported].sort()) {
    const uri = pathToFileURL(path).href;
    try {
      if (workspace.isIgnored(uri) || !workspace.file(uri)?.isOurs) continue;
      const id = workspace.clusterOf(uri);
      if (clusters.has(id)) continue;
      const { name, root } = workspace.describeCluster(id);
      const rootPath = relative(process.cwd(), fileURLToPath(root)) === '' ? '.' : displayPath(fileURLToPath(root));
      clusters.set(id, { uri, name: name ?? rootPath });
    } catch (error) {
      stderr.write(`cluster-preflight: reading ${path} failed: ${(error as Error)?.stack ?? String(error)}\n`);
    }
  }
  const generated = generateFirewall(workspace, [...clusters.values()], format, {
    peers,
    allowFrom,
    essentialOnly: values['essential-only']!,
    node: values.node,
    role: role as Role | undefined,
  });
  for (const failure of generated.failures) stderr.write(`cluster-preflight: generating the rules of ${failure} failed\n`);
  stdout.write(generated.text);
  return 0;
}
