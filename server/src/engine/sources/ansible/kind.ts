/**
 * Ansible tasks that open ports in a host firewall: `ansible.posix.firewalld` (`port`, `service`
 * for firewalld's own Kubernetes services, `rich_rule` and zone `source`s as unknown) and
 * `community.general.ufw` (`rule: allow`, `port` with `:` ranges, `proto`, `from_ip`/`src`), with
 * `loop`/`with_items` over literal lists (`{{ item }}`, `{{ item.port }}`), in a task list (a role's
 * tasks file) or a playbook's plays. Which nodes a task applies to comes from
 * `when: "'<group>' in group_names"` (or `inventory_hostname in groups['<group>']`) and the play's
 * `hosts`, for the inventory's groups that map to roles (kube_control_plane, kube_node, etcd,
 * k8s_cluster, all); a role's tasks file without a condition is taken to run on every node of
 * the cluster it sits in. Any other condition or Jinja value is unknown.
 *
 * These are host firewalls (the `host` layer): traffic passes them as well as any cloud firewall.
 * ufw filters only once enabled, so its rules count only where some task enables it (`state:
 * enabled`); a ufw `deny`/`reject` rule (first match wins) makes the node's rules not known.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { Finding } from '../../core/findings';
import type { Place } from '../../core/located';
import { detach } from '../../core/text/detach';
import type { Range } from '../../core/text/positions';
import { parseYaml } from '../../core/yaml/parse';
import { parseCidr } from '../../knowledge/net/addresses';
import type { PortRange } from '../../knowledge/ports';
import type { ClusterModelBuilder, Member } from '../../model/cluster';
import type { ExternalFirewallEntry, FirewallContribution, FirewallSource, GuardSelector } from '../../model/firewallFacts';
import { ParsedDocument, type DocumentKind } from '../kind';

export const ANSIBLE_FIREWALL_KIND_ID = 'ansible-firewall';

type RoleSet = ReadonlyArray<'control-plane' | 'worker' | 'etcd' | 'any'>;

const GROUP_ROLES: Record<string, RoleSet> = {
  all: ['any'],
  k8s_cluster: ['any'],
  'k8s-cluster': ['any'],
  kube_control_plane: ['control-plane'],
  'kube-master': ['control-plane'],
  kube_node: ['worker'],
  'kube-node': ['worker'],
  etcd: ['etcd'],
};

/** firewalld's own service definitions whose ports are certain. */
const FIREWALLD_SERVICES: Record<string, { ports: PortRange; protocol: 'TCP' | 'UDP' }> = {
  'etcd-client': { ports: { low: 2379, high: 2379 }, protocol: 'TCP' },
  'etcd-server': { ports: { low: 2380, high: 2380 }, protocol: 'TCP' },
  'kube-apiserver': { ports: { low: 6443, high: 6443 }, protocol: 'TCP' },
  kubelet: { ports: { low: 10250, high: 10250 }, protocol: 'TCP' },
  'kube-nodeport-services': { ports: { low: 30000, high: 32767 }, protocol: 'TCP' },
};

const FIREWALLD = new Set(['ansible.posix.firewalld', 'firewalld']);
const UFW = new Set(['community.general.ufw', 'ufw']);

interface ReadTask {
  label: string;
  header: Range;
  entries: Array<
    Omit<ExternalFirewallEntry, 'at' | 'sources' | 'protocolAt'> & {
      at: Range;
      sources: Array<{ source: FirewallSource; at: Range }>;
    }
  >;
  /** Which nodes: the roles, or why it is not known. */
  roles: RoleSet | string;
  module: 'firewalld' | 'ufw';
  enablesUfw?: boolean;
  ufwDenies?: boolean;
}

export class AnsibleFirewallDocument extends ParsedDocument {
  readonly findings: readonly Finding[] = [];
  readonly role = 'Ansible firewall tasks';
  constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly tasks: ReadTask[],
  ) {
    super(start, startLine, end);
  }
}

const MODULE_LINE = /^[ \t]*(?:-[ \t]+)?(?:ansible\.posix\.firewalld|firewalld|community\.general\.ufw|ufw)[ \t]*:/m;

/** A list (of tasks or plays) with a firewall module in it. */
function recognizeTasks(text: string): boolean {
  if (!MODULE_LINE.test(text)) return false;
  const first = text.split('\n').find((l) => l.trim() && !l.trim().startsWith('#') && l.trim() !== '---');
  return !!first && /^-[ \t]/.test(first.trimStart());
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function pairValue(map: YAMLMap, key: string): unknown {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

/** The nodes a `when` applies to: the roles of a group condition; a reason when it cannot be read. */
function rolesOfWhen(when: unknown): RoleSet | string | undefined {
  if (when === undefined || when === null) return undefined;
  const texts = isSeq(when) ? when.items.map(scalarText) : [scalarText(when)];
  let roles: RoleSet | undefined;
  for (const text of texts) {
    if (text === undefined) return 'a condition that is not a string';
    const match =
      /^\s*['"]([\w.-]+)['"]\s+in\s+group_names\s*$/.exec(text) ??
      /^\s*inventory_hostname\s+in\s+groups\[['"]([\w.-]+)['"]\]\s*$/.exec(text);
    if (!match) return `the condition ${JSON.stringify(text)} is not read`;
    const group = GROUP_ROLES[match[1]];
    if (!group) return `group ${match[1]} is not one whose hosts are known by role`;
    // Several conditions all hold: the narrower group decides (a role condition under `all`).
    roles = roles && !roles.includes('any') ? roles.filter((r) => group.includes(r) || group.includes('any')) : group;
  }
  return roles;
}

/** `{{ item }}`, `{{ item.key }}` replaced by the loop item's value; undefined where other Jinja remains. */
function substitute(text: string, item: unknown): string | undefined {
  const replaced = text.replace(
    /\{\{\s*item(?:\.([\w]+)|\[['"]([\w]+)['"]\])?\s*\}\}/g,
    (_, a: string | undefined, b: string | undefined) => {
      const key = a ?? b;
      const value = key ? (isMap(item) ? scalarText(pairValue(item, key)) : undefined) : scalarText(item);
      return value ?? '{{?}}';
    },
  );
  return replaced.includes('{{') || replaced.includes('{%') ? undefined : replaced;
}

/** The module's arguments as text per key (a free-form `k=v` string too), for one loop item. */
function argsOf(args: unknown, item: unknown): Map<string, { text?: string; node: Node }> | undefined {
  const out = new Map<string, { text?: string; node: Node }>();
  if (isMap(args)) {
    for (const pair of args.items) {
      if (!isScalar(pair.key)) continue;
      const raw = scalarText(pair.value);
      out.set(String(pair.key.value), {
        text: raw === undefined ? undefined : substitute(raw, item),
        node: (pair.value ?? pair.key) as Node,
      });
    }
    return out;
  }
  const free = scalarText(args);
  if (free === undefined || !isScalar(args)) return undefined;
  for (const part of free.split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), { text: substitute(part.slice(eq + 1), item), node: args });
  }
  return out;
}

function portRange(text: string, separator: string): PortRange | undefined {
  const match = new RegExp(`^(\\d+)(?:${separator}(\\d+))?$`).exec(text.trim());
  if (!match) return undefined;
  const low = Number(match[1]);
  const high = Number(match[2] ?? match[1]);
  return low <= high && high <= 65535 ? { low, high } : undefined;
}

class TaskReader {
  readonly tasks: ReadTask[] = [];
  constructor(private readonly rangeOf: (node: { range?: [number, number, number] | null }) => Range) {}

  list(items: unknown, inherited: RoleSet | string, depth: number): void {
    if (!isSeq(items) || depth > 20) return;
    for (const item of items.items) {
      if (!isMap(item)) continue;
      const when = rolesOfWhen(pairValue(item, 'when'));
      const roles = typeof inherited === 'string' ? inherited : when === undefined ? inherited : when;
      for (const key of ['block', 'rescue', 'always', 'tasks', 'pre_tasks', 'post_tasks']) {
        const inner = pairValue(item, key);
        if (!inner) continue;
        // A play: its hosts decide, narrowed by its tasks' conditions.
        let playRoles: RoleSet | string = roles;
        if (key.endsWith('tasks')) {
          const hosts = scalarText(pairValue(item, 'hosts'));
          playRoles =
            hosts === undefined ? 'hosts that are not known' : (GROUP_ROLES[hosts] ?? `hosts ${hosts} are not known by role`);
        }
        this.list(inner, playRoles, depth + 1);
      }
      this.task(item, roles);
    }
  }

  private task(task: YAMLMap, roles: RoleSet | string): void {
    const pair = task.items.find((p) => isScalar(p.key) && (FIREWALLD.has(String(p.key.value)) || UFW.has(String(p.key.value))));
    if (!pair || !isScalar(pair.key)) return;
    const module = FIREWALLD.has(String(pair.key.value)) ? 'firewalld' : 'ufw';
    const name = scalarText(pairValue(task, 'name'));
    const header = this.rangeOf((task.items[0].key ?? task) as Node);
    const read: ReadTask = {
      label: `Ansible task ${name ? JSON.stringify(name) : `"${String(pair.key.value)}"`}`,
      header,
      entries: [],
      roles,
      module,
    };
    const loop = pairValue(task, 'loop') ?? pairValue(task, 'with_items');
    const items: unknown[] = loop === undefined ? [undefined] : isSeq(loop) ? loop.items : [];
    const at = this.rangeOf(task as Node);
    if (loop !== undefined && !isSeq(loop)) {
      read.entries.push({ protocol: 'unknown', ports: 'unknown', sources: [], at, unknown: 'its loop is not a literal list' });
    }
    for (const item of items) {
      const args = argsOf(pair.value, item);
      if (!args) {
        read.entries.push({ protocol: 'unknown', ports: 'unknown', sources: [], at, unknown: 'its arguments are not read' });
        continue;
      }
      // A value the loop item filled in is written at the item: findings about it go there.
      const itemAt = (item !== undefined && isScalar(item)) || isMap(item) ? this.rangeOf(item as Node) : undefined;
      if (module === 'firewalld') this.firewalld(read, args, at, itemAt);
      else this.ufw(read, args, at, itemAt);
    }
    // An entry without a source admits everyone.
    for (const entry of read.entries)
      if (entry.sources.length === 0 && !entry.unknown) entry.sources.push({ source: { kind: 'any' }, at: entry.at });
    this.tasks.push(read);
  }

  /** Where a value is written: the loop item when the value is the item's template, else the value. */
  private where(node: Node, itemAt: Range | undefined): Range {
    return itemAt && scalarText(node)?.includes('{{') ? itemAt : this.rangeOf(node);
  }

  private firewalld(read: ReadTask, args: Map<string, { text?: string; node: Node }>, at: Range, itemAt?: Range): void {
    const state = args.get('state');
    if (state?.text === 'disabled' || state?.text === 'absent') return;
    const unknown = (why: string): void => {
      read.entries.push({ protocol: 'unknown', ports: 'unknown', sources: [], at, unknown: why });
    };
    if (state && state.text === undefined) return unknown('its state is not known');
    const sources: Array<{ source: FirewallSource; at: Range }> = [];
    const source = args.get('source');
    const port = args.get('port');
    const service = args.get('service');
    if (args.has('rich_rule')) return unknown('a rich rule is not read');
    if (source && !port && !service) return unknown('a source bound to a zone: what the zone admits is not read');
    if (source) {
      const cidr = source.text ? parseCidr(source.text) : undefined;
      sources.push({
        source: cidr ? { kind: 'cidr', cidr } : { kind: 'unknown', why: 'a source that is not a CIDR' },
        at: this.rangeOf(source.node),
      });
    }
    if (port) {
      const match = port.text ? /^\s*(\d+(?:-\d+)?)\/(tcp|udp|sctp)\s*$/i.exec(port.text) : null;
      const ports = match && portRange(match[1], '-');
      if (!match || !ports)
        return unknown(`its port ${port.text === undefined ? 'is a template' : JSON.stringify(port.text)} is not read`);
      read.entries.push({
        protocol: match[2].toUpperCase() as 'TCP' | 'UDP' | 'SCTP',
        ports,
        sources,
        at: this.where(port.node, itemAt),
      });
    } else if (service) {
      const known = service.text ? FIREWALLD_SERVICES[service.text] : undefined;
      if (!known)
        return unknown(
          `firewalld service ${service.text === undefined ? '(a template)' : JSON.stringify(service.text)} is not one whose ports are known`,
        );
      read.entries.push({ protocol: known.protocol, ports: known.ports, sources, at: this.where(service.node, itemAt) });
    }
  }

  private ufw(read: ReadTask, args: Map<string, { text?: string; node: Node }>, at: Range, itemAt?: Range): void {
    if (args.get('state')?.text === 'enabled') read.enablesUfw = true;
    const rule = args.get('rule');
    if (!rule) return;
    if (rule.text === 'deny' || rule.text === 'reject') {
      read.ufwDenies = true;
      return;
    }
    if (args.get('direction')?.text === 'out' || args.get('direction')?.text === 'outgoing') return;
    const unknown = (why: string): void => {
      read.entries.push({ protocol: 'unknown', ports: 'unknown', sources: [], at, unknown: why });
    };
    if (rule.text !== 'allow' && rule.text !== 'limit') return unknown('its rule is not known');
    const sources: Array<{ source: FirewallSource; at: Range }> = [];
    const from = args.get('from_ip') ?? args.get('src') ?? args.get('from');
    if (from && from.text !== 'any') {
      const cidr = from.text
        ? parseCidr(from.text.includes('/') ? from.text : `${from.text}/${from.text.includes(':') ? 128 : 32}`)
        : undefined;
      sources.push({
        source: cidr ? { kind: 'cidr', cidr } : { kind: 'unknown', why: 'a source that is not an address' },
        at: this.rangeOf(from.node),
      });
    }
    const proto = args.get('proto');
    const protocols =
      !proto || proto.text === 'any'
        ? (['TCP', 'UDP'] as const)
        : proto.text === 'tcp'
          ? (['TCP'] as const)
          : proto.text === 'udp'
            ? (['UDP'] as const)
            : undefined;
    if (!protocols)
      return unknown(`its protocol ${proto?.text === undefined ? 'is a template' : JSON.stringify(proto.text)} is not read`);
    const port = args.get('port') ?? args.get('to_port');
    if (!port) {
      for (const protocol of protocols) read.entries.push({ protocol, ports: 'all', sources, at: this.rangeOf(rule.node) });
      return;
    }
    const ports = port.text ? portRange(port.text, ':') : undefined;
    if (!ports) return unknown(`its port ${port.text === undefined ? 'is a template' : JSON.stringify(port.text)} is not read`);
    for (const protocol of protocols) read.entries.push({ protocol, ports, sources, at: this.where(port.node, itemAt) });
  }
}

export const ansibleFirewallKind: DocumentKind<AnsibleFirewallDocument> = {
  id: ANSIBLE_FIREWALL_KIND_ID,
  label: 'Ansible firewall tasks',
  definesCluster: false,
  expectsPlaceholders: true,
  claimsTemplates: true,
  recognize: ({ text }) => recognizeTasks(text),
  // eslint-disable-next-line require-yield
  *analyze({ text, start, end, lineOf }) {
    const { doc, lines } = parseYaml(detach(text.slice(start, end)));
    const reader = new TaskReader((node) => (node.range ? lines.rangeOf(node.range[0], node.range[1]) : lines.rangeOf(0, 0)));
    reader.list(doc.contents, ['any'], 0);
    return new AnsibleFirewallDocument(ansibleFirewallKind, start, lineOf(start), end, reader.tasks);
  },
  contribute(members: ReadonlyArray<Member<AnsibleFirewallDocument>>, into: ClusterModelBuilder) {
    const tasks = members.flatMap((m) => m.doc.tasks.map((task) => ({ member: m, task })));
    const ufwEnabled = tasks.some(({ task }) => task.enablesUfw);
    const ufwDenies = tasks.some(({ task }) => task.ufwDenies);
    const unknownHosts = tasks.find(({ task }) => typeof task.roles === 'string')?.task.roles as string | undefined;
    tasks.forEach(({ member, task }, index) => {
      if (task.entries.length === 0 || typeof task.roles === 'string') return;
      // ufw filters nothing until it is enabled.
      if (task.module === 'ufw' && !ufwEnabled) return;
      const place = (range: Range): Place => ({ origin: { uri: member.uri, chunk: member.doc.chunk }, range, owner: member.doc });
      const id = `${member.uri}#task${index}`;
      const firewall: FirewallContribution = {
        id,
        label: task.label,
        header: place(task.header),
        entries: task.entries.map((e) => ({
          ...e,
          at: place(e.at),
          sources: e.sources.map((s) => ({ source: s.source, at: place(s.at) })),
        })),
        layer: 'host',
        style: 'ansible',
      };
      if (task.module === 'ufw' && ufwDenies) firewall.incomplete = 'a ufw deny rule may match first';
      into.firewalls.push(firewall);
      const selector: GuardSelector = { roles: task.roles, at: place(task.header), firewalls: [id] };
      // A task that runs on hosts not known may open more ports on any node.
      if (unknownHosts) selector.alsoUnknown = `another task runs on ${unknownHosts}`;
      into.guardSelectors.push(selector);
    });
  },
};
