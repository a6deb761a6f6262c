import type { Place, Value } from '../core/located';
import type { Range } from '../core/text/positions';
import { findTemplateUse } from '../core/yaml/templates';
import { JOIN_PORTS, URL_DEFAULT_PORTS, type JoinDistribution } from '../knowledge/joinPorts';
import { parseInterfaceAddress } from '../knowledge/net/addresses';
import { DEFAULT_API_SERVER_PORT } from '../knowledge/ports';
import { parseServerUrl, withHostPort } from '../knowledge/net/urls';
import type { Member } from '../model/cluster';
import type { NodeConfigDocument } from '../sources/rke2/document';
import { nodeConfigs, type NodeConfig } from '../sources/rke2/kind';
import { membersOf, type DiagnosticRef, type FixRequest, type QuickFix, type Rule } from './types';
import { replacementData, type Replacement } from './util/replace-fix';

export const joinAddress: Rule = {
  meta: {
    id: 'join-address',
    severity: 'error',
    docs: JOIN_PORTS.rke2.docs,
    title: "An RKE2/K3s agent or joining server's `server` URL names a port or host where no server's supervisor answers",
    description:
      "Agents and joining servers register with the servers' supervisor at the `server` URL. RKE2's supervisor listens on 9345 (6443 is the Kubernetes API server; RKE2 has no setting that moves it), and an RKE2 agent also dials the URL's port on every server it learns of, so the port must be 9345 even through a load balancer; a URL without a port dials 443 (https's default) and is wrong too. A K3s server takes joins on its `https-listen-port` (6443 by default; the experimental `supervisor-port` moves only the supervisor): when the URL's host is a server of the cluster (its node-ip, node-external-ip, advertise-address, node-name or directory name) the port must be that server's, and when the host is a load balancer or DNS name the port is left alone, since a K3s agent uses it only for its first connection. The host is reported only when it is an IP address, every server in view states its addresses, the cluster's first server (the one without `server`) is in view, and the address is no server's and in no server's `tls-san`: no server answers there and the servers' certificates do not name it. Host names are never reported: they may name a load balancer or DNS record the files cannot resolve. Values with template placeholders are skipped. The quick-fix puts the expected port in the URL, or the server's address when the cluster has exactly one.",
    appliesTo: ['rke2'],
    example: {
      bad: 'agent-1/config.yaml: server: https://10.0.0.11:6443   # RKE2',
      good: 'agent-1/config.yaml: server: https://10.0.0.11:9345',
    },
  },
  checkCluster(cluster, report) {
    const nodes = nodeConfigs(membersOf(cluster, 'rke2'));
    if (!nodes.some((n) => n.flag('server'))) return;
    const distribution = (nodes.find((n) => n.server && n.distribution) ?? nodes.find((n) => n.distribution))?.distribution;
    const servers = new ServersInView(nodes.filter((n) => n.server));
    for (const node of nodes) {
      const written = node.flag('server');
      const joining = node.distribution ?? distribution;
      if (!written || !joining) continue;
      const finding = checkJoin(node, written.value, joining, servers);
      if (!finding) continue;
      const at = (member: Member<NodeConfigDocument>, range: Range): Place => ({
        origin: { uri: member.uri, chunk: member.doc.chunk },
        range,
        owner: member.doc,
      });
      report(at(written.member, written.value.range), finding.message, {
        data: finding.fixed ? replacementData(written.value.value, finding.fixed) : undefined,
        related: finding.related?.map((r) => ({ at: at(r.written.member, r.written.value.range), message: r.message })),
      });
    }
  },
  fixes: (request) => portFixes(request),
};

type Written = NonNullable<ReturnType<NodeConfig['flag']>>;

interface JoinFinding {
  message: string;
  /** The URL that fixes it, when one is certain. */
  fixed?: string;
  related?: Array<{ written: Written; message: string }>;
}

const hasPlaceholder = (text: string) => findTemplateUse(text) !== undefined;

/** A host as servers are compared with it: an IP in canonical form, a name in lower case without a final dot. */
function hostKey(host: string): string {
  return parseInterfaceAddress(host)?.canonical ?? host.toLowerCase().replace(/\.$/, '');
}

interface ServerFacts {
  node: NodeConfig;
  /** The addresses it states, canonical (node-ip, node-external-ip, advertise-address). */
  addresses: string[];
  /** Whether all it says about its addresses and tls-san can be read (no placeholders, every address parses). */
  described: boolean;
}

/** The servers of the cluster in view, indexed by the hosts that reach them and the names their certificates carry. */
class ServersInView {
  readonly facts: ServerFacts[];
  private readonly byHost = new Map<string, ServerFacts>();
  private readonly sans = new Set<string>();
  private readonly wildcardSans = new Set<string>();
  /** Whether every server states its addresses and the first server is among them: then an IP reaching none of them is wrong. */
  readonly complete: boolean;
  /** Every server address, for the one fix a host mismatch can have. */
  readonly addresses: string[];
  /** The servers and their addresses, as messages list them (the first five). */
  readonly listed: string;
  /** The port flags K3s has and servers in view write (RKE2 ignores them). */
  readonly portFlagsWritten: string[];

  constructor(servers: NodeConfig[]) {
    this.facts = servers.map((node) => {
      const stated = [...node.list('node-ip'), ...node.list('node-external-ip')].map((w) => w.value.value);
      const advertised = node.flag('advertise-address')?.value.value;
      if (advertised !== undefined) stated.push(advertised);
      const addresses = stated.map((text) => parseInterfaceAddress(text)).filter((a) => a && a.prefix === undefined);
      const sans = node.list('tls-san').map((w) => w.value.value);
      const described = addresses.length > 0 && addresses.length === stated.length && ![...stated, ...sans].some(hasPlaceholder);
      const facts: ServerFacts = { node, addresses: [...new Set(addresses.map((a) => a!.canonical))], described };
      for (const address of facts.addresses) this.byHost.set(address, facts);
      const name = node.flag('node-name')?.value.value;
      for (const host of [name, node.label]) if (host && !this.byHost.has(hostKey(host))) this.byHost.set(hostKey(host), facts);
      for (const san of sans) {
        if (san.startsWith('*.')) this.wildcardSans.add(san.slice(1).toLowerCase());
        else this.sans.add(hostKey(san));
      }
      return facts;
    });
    this.complete =
      this.facts.length > 0 && this.facts.every((s) => s.described) && this.facts.some((s) => !s.node.flag('server'));
    this.addresses = [...new Set(this.facts.flatMap((s) => s.addresses))];
    this.listed =
      this.facts
        .slice(0, 5)
        .map((s) => `${s.node.label}: ${s.addresses.join(', ')}`)
        .join('; ') + (this.facts.length > 5 ? `; and ${this.facts.length - 5} more` : '');
    this.portFlagsWritten = JOIN_PORTS.k3s.movedBy.filter((name) => this.facts.some((s) => s.node.flag(name)));
  }

  /** The server a URL host names by its address or name. */
  serverAt(host: string): ServerFacts | undefined {
    return this.byHost.get(hostKey(host));
  }

  inTlsSan(host: string): boolean {
    const key = hostKey(host);
    if (this.sans.has(key)) return true;
    const dot = key.indexOf('.');
    return dot > 0 && this.wildcardSans.has(key.slice(dot));
  }
}

/**
 * The port a server takes joins on (K3s: a non-zero supervisor-port, else https-listen-port,
 * else the default), with the flag that set it; undefined when the written value is not a port.
 */
function supervisorPortOf(
  server: NodeConfig,
  distribution: JoinDistribution,
): { port: number; written?: Written; flag?: string } | undefined {
  const table = JOIN_PORTS[distribution];
  for (const name of table.movedBy) {
    const written = server.flag(name);
    if (!written || hasPlaceholder(written.value.value)) continue;
    const port = Number(written.value.value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
    if (port !== 0) return { port, written, flag: name };
  }
  return { port: table.defaultPort };
}

function checkJoin(
  node: NodeConfig,
  value: Value<string>,
  distribution: JoinDistribution,
  servers: ServersInView,
): JoinFinding | undefined {
  const text = value.value;
  if (hasPlaceholder(text)) return undefined;
  const url = parseServerUrl(text);
  // Other schemes are the schema's finding (`server` must start with https://).
  if (!url || url.scheme !== 'https') return undefined;
  const table = JOIN_PORTS[distribution];
  const who = node.server ? `${table.name} servers joining a cluster` : `${table.name} agents`;
  const target = servers.serverAt(url.host);
  const hostUnknown = !target && url.ip && servers.complete && !servers.inTlsSan(url.host);

  // The port the URL must name: RKE2's is fixed; a K3s URL's port matters when it names a server.
  let expected: { port: number; written?: Written; flag?: string; at?: NodeConfig } | undefined;
  if (table.portReusedForServers) expected = { port: table.defaultPort };
  else if (target) {
    const port = supervisorPortOf(target.node, distribution);
    if (port) expected = { ...port, at: target.node };
  }
  const dialed = url.port ?? URL_DEFAULT_PORTS[url.scheme];
  const portWrong = expected !== undefined && dialed !== expected.port;
  if (!portWrong && !hostUnknown) return undefined;

  const sentences: string[] = [];
  const related: JoinFinding['related'] = [];
  let fixed: string | undefined;
  if (hostUnknown) {
    const addresses = servers.addresses;
    sentences.push(
      `${url.host} is neither the address of a server (${servers.listed}) nor in any server's tls-san: no server answers there, and the servers' certificates do not name it. Use a server's address, or, for a load balancer or virtual IP, add ${url.host} to every server's tls-san.`,
    );
    // Only one address a server can be reached at: that is where the node must go.
    if (addresses.length === 1) {
      const only = servers.facts.find((s) => s.addresses.includes(addresses[0]))!;
      const port = table.portReusedForServers ? table.defaultPort : supervisorPortOf(only.node, distribution)?.port;
      if (port !== undefined) fixed = withHostPort(text, url, port, addresses[0]);
    }
  }
  if (portWrong) {
    const port = expected!.port;
    const where = expected!.at ? ` at ${expected!.at.label}${expected!.flag ? ` (its ${expected!.flag})` : ''}` : '';
    const found =
      url.port === undefined
        ? `this URL has no port, so the node dials ${dialed} (${url.scheme}'s default)`
        : `not ${url.port}${distribution === 'rke2' && url.port === DEFAULT_API_SERVER_PORT ? ' (the Kubernetes API server)' : ''}`;
    if (!hostUnknown) fixed = withHostPort(text, url, port);
    // With a wrong host and no single right one, there is no whole URL to suggest.
    const use = fixed ? `: use ${fixed}` : '';
    sentences.push(
      `${who} register with ${table.listener} on ${port}${where}, ${found}${use}.${ignoredFlags(distribution, servers)}`,
    );
    if (expected!.written)
      related.push({ written: expected!.written, message: `${table.listener} of ${expected!.at!.label}: ${port}` });
  }
  return { message: sentences.join(' '), fixed, related };
}

/** RKE2 drops k3s's port flags: a server that writes one still listens on 9345, which the message says. */
function ignoredFlags(distribution: JoinDistribution, servers: ServersInView): string {
  const written = servers.portFlagsWritten;
  return distribution === 'rke2' && written.length
    ? ` RKE2 ignores ${written.join(' and ')}: its servers listen on ${JOIN_PORTS.rke2.defaultPort} whatever they set.`
    : '';
}

function replacementOf(diagnostic: DiagnosticRef): Replacement | undefined {
  const r = (diagnostic.data as { replacement?: Replacement } | undefined)?.replacement;
  return r && typeof r.from === 'string' && typeof r.to === 'string' ? r : undefined;
}

/**
 * The URL's new port (and host), as the smallest edit inside the scalar: only the characters
 * between the part the old and new URL share at their start and at their end change, so
 * quotes, comments and line endings stay. Offered only while the value still reads as it did.
 */
function portFixes(request: FixRequest): QuickFix[] {
  const fixes: QuickFix[] = [];
  for (const diagnostic of request.diagnostics) {
    const replacement = replacementOf(diagnostic);
    if (!replacement) continue;
    const start = request.offsetAt(diagnostic.range.start);
    const text = request.text.slice(start, request.offsetAt(diagnostic.range.end));
    const quoted = text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0];
    if ((quoted ? text.slice(1, -1) : text) !== replacement.from) continue;
    const { from, to } = replacement;
    let head = 0;
    while (head < from.length && head < to.length && from[head] === to[head]) head++;
    let tail = 0;
    while (tail < from.length - head && tail < to.length - head && from[from.length - 1 - tail] === to[to.length - 1 - tail])
      tail++;
    const offset = start + (quoted ? 1 : 0);
    fixes.push({
      title: `Use ${to}`,
      edits: [
        {
          range: { start: request.positionAt(offset + head), end: request.positionAt(offset + from.length - tail) },
          newText: to.slice(head, to.length - tail),
        },
      ],
      isPreferred: true,
      diagnostics: [diagnostic],
    });
  }
  return fixes;
}
