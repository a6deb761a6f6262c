/**
 * Hetzner Cloud firewalls as Terraform writes them: `hcloud_firewall` with its `rule` blocks
 * (direction `in`; `protocol` tcp, udp, icmp, esp, gre; `port` "6443", "30000-32767" or "any";
 * `source_ips`), attached to `hcloud_server`s by the server's `firewall_ids`, the firewall's
 * `apply_to { server = ... }` or an `hcloud_firewall_attachment`'s `server_ids`. A server is named
 * by its `name` (the node's hostname) or a literal `network { ip }`.
 *
 * Hetzner Cloud firewalls filter the public interface only: traffic over a private network is
 * never filtered. So they guard a node only where the cluster reaches it at a public address
 * (`publicOnly`), never through its private one.
 */
import type { Range } from '../../core/text/positions';
import { parseCidr } from '../../knowledge/net/addresses';
import type { ExternalFirewallEntry, FirewallContribution, FirewallSource, GuardSelector } from '../../model/firewallFacts';
import type { ReadContext } from './aws';
import { ResourceRef, Unknown, type HclValue, type Scope } from './evaluate';
import { attribute, type HclBlock, type HclBody, type HclExpr } from './hcl';

const PROTOCOLS: Record<string, ExternalFirewallEntry['protocol']> = {
  tcp: 'TCP',
  udp: 'UDP',
  icmp: 'ICMP',
  esp: 'ESP',
  gre: 'GRE',
};

function items(ctx: ReadContext, expr: HclExpr | undefined, scope: Scope): Array<{ value: HclValue; range: Range }> {
  if (!expr) return [];
  if (expr.t === 'tuple') return expr.items.map((item) => ({ value: ctx.module.evaluate(item, scope), range: item.range }));
  const value = ctx.module.evaluate(expr, scope);
  if (Array.isArray(value)) return value.map((v) => ({ value: v, range: expr.range }));
  if (value === null) return [];
  return [{ value, range: expr.range }];
}

function firewallId(ctx: ReadContext, value: HclValue): string | undefined {
  return value instanceof ResourceRef && value.address.startsWith('hcloud_firewall.') ? `${ctx.dir}#${value.address}` : undefined;
}

function ruleEntry(ctx: ReadContext, uri: string, body: HclBody, scope: Scope, at: Range): ExternalFirewallEntry | undefined {
  const direction = attribute(body, 'direction');
  const directionValue = direction ? ctx.module.evaluate(direction.value, scope) : 'in';
  if (directionValue === 'out') return undefined;
  const protocolAttr = attribute(body, 'protocol');
  const protocolValue = protocolAttr ? ctx.module.evaluate(protocolAttr.value, scope) : new Unknown('no protocol');
  const entry: ExternalFirewallEntry = {
    protocol: 'unknown',
    ports: 'unknown',
    sources: items(ctx, attribute(body, 'source_ips')?.value, scope).map(({ value, range }) => {
      const place = ctx.place(uri, range);
      if (value instanceof Unknown) return { source: { kind: 'unknown', why: value.why } as FirewallSource, at: place };
      const cidr = typeof value === 'string' ? parseCidr(value) : undefined;
      return cidr
        ? { source: { kind: 'cidr', cidr } as FirewallSource, at: place }
        : { source: { kind: 'unknown', why: `${JSON.stringify(value)} is not a CIDR` } as FirewallSource, at: place };
    }),
    at: ctx.place(uri, at),
    protocolAt: protocolAttr ? ctx.place(uri, protocolAttr.value.range) : undefined,
  };
  if (directionValue instanceof Unknown) entry.unknown = `its direction is not known (${directionValue.why})`;
  else if (protocolValue instanceof Unknown) entry.unknown = `its protocol is not known (${protocolValue.why})`;
  else if (typeof protocolValue !== 'string' || !PROTOCOLS[protocolValue]) entry.protocol = 'other';
  else {
    entry.protocol = PROTOCOLS[protocolValue];
    if (entry.protocol !== 'TCP' && entry.protocol !== 'UDP') entry.ports = 'all';
    else {
      const portAttr = attribute(body, 'port');
      const port = portAttr ? ctx.module.evaluate(portAttr.value, scope) : new Unknown('no port');
      const text = typeof port === 'number' ? String(port) : port;
      const range = typeof text === 'string' ? /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(text) : null;
      if (text === 'any') entry.ports = 'all';
      else if (range) entry.ports = { low: Number(range[1]), high: Number(range[2] ?? range[1]) };
      else
        entry.unknown = `its port is not known (${port instanceof Unknown ? port.why : `${JSON.stringify(port)} is not a port or range`})`;
    }
  }
  if (!entry.unknown && entry.sources.length > 0 && entry.sources.every((s) => s.source.kind === 'unknown'))
    entry.unknown = `its source is not known (${(entry.sources[0].source as { why: string }).why})`;
  return entry;
}

/** Reads every Hetzner Cloud firewall, attachment and server of a module. */
export function readHcloud(ctx: ReadContext): { firewalls: FirewallContribution[]; selectors: GuardSelector[] } {
  const firewalls = new Map<string, FirewallContribution>();
  /** Servers each firewall is applied to from its own side (apply_to, attachments): resource addresses. */
  const appliedTo = new Map<string, Set<string>>();
  let appliedByLabels: string | undefined;
  const apply = (firewall: string, server: string) => {
    const set = appliedTo.get(firewall) ?? new Set<string>();
    set.add(server);
    appliedTo.set(firewall, set);
  };
  for (const r of ctx.module.resources) {
    if (r.type !== 'hcloud_firewall') continue;
    const id = `${ctx.dir}#hcloud_firewall.${r.name}`;
    const firewall: FirewallContribution = {
      id,
      label: `hcloud_firewall "${r.name}"`,
      header: ctx.place(r.uri, r.block.header),
      entries: [],
      style: 'hcloud',
    };
    firewalls.set(id, firewall);
    const { unknown } = ctx.module.instances(r.block.body);
    if (unknown) firewall.incomplete = `its count or for_each is not known (${unknown})`;
    const read = (body: HclBody, scope: Scope, at: Range) => {
      const entry = ruleEntry(ctx, r.uri, body, scope, at);
      if (entry) firewall.entries.push(entry);
    };
    for (const block of r.block.body.blocks) {
      if (block.type === 'rule') read(block.body, {}, block.range);
      else if (block.type === 'dynamic' && block.labels[0]?.value === 'rule') readDynamicRule(ctx, r.uri, block, firewall, read);
      else if (block.type === 'apply_to') {
        const server = attribute(block.body, 'server');
        const value = server && ctx.module.evaluate(server.value, {});
        if (value instanceof ResourceRef && value.address.startsWith('hcloud_server.')) apply(id, value.address);
        // A label selector picks servers by labels only the cloud matches: the firewall may guard any of them.
        else appliedByLabels ??= `${firewall.label} is applied by a label selector and may guard it too`;
      }
    }
  }
  for (const r of ctx.module.resources) {
    if (r.type !== 'hcloud_firewall_attachment') continue;
    const fw = attribute(r.block.body, 'firewall_id');
    const id = fw && firewallId(ctx, ctx.module.evaluate(fw.value, {}));
    if (!id || !firewalls.has(id)) continue;
    for (const { value } of items(ctx, attribute(r.block.body, 'server_ids')?.value, {})) {
      if (value instanceof ResourceRef && value.address.startsWith('hcloud_server.')) apply(id, value.address);
      else appliedByLabels ??= `${firewalls.get(id)!.label} is attached to servers that are not known`;
    }
  }

  const selectors: GuardSelector[] = [];
  for (const r of ctx.module.resources) {
    if (r.type !== 'hcloud_server') continue;
    const { scopes } = ctx.module.instances(r.block.body);
    const address = `hcloud_server.${r.name}`;
    for (const scope of scopes) {
      const body = r.block.body;
      const ids = [...appliedTo].filter(([, servers]) => servers.has(address)).map(([id]) => id);
      let alsoUnknown = appliedByLabels;
      for (const { value } of items(ctx, attribute(body, 'firewall_ids')?.value, scope)) {
        const id = firewallId(ctx, value);
        if (id && firewalls.has(id)) {
          if (!ids.includes(id)) ids.push(id);
        } else alsoUnknown ??= value instanceof Unknown ? value.why : 'a firewall outside this module';
      }
      if (ids.length === 0) continue;
      const name = attribute(body, 'name');
      const nameValue = name ? ctx.module.evaluate(name.value, scope) : undefined;
      const network = body.blocks.find((b) => b.type === 'network');
      const ip = network && attribute(network.body, 'ip');
      const ipValue = ip ? ctx.module.evaluate(ip.value, scope) : undefined;
      const selector: GuardSelector = {
        address: typeof ipValue === 'string' ? ipValue : undefined,
        name: typeof nameValue === 'string' ? nameValue : undefined,
        at: ctx.place(r.uri, r.block.header),
        firewalls: ids,
        publicOnly: true,
      };
      if (alsoUnknown) selector.alsoUnknown = alsoUnknown;
      if (selector.address || selector.name) selectors.push(selector);
    }
  }
  return { firewalls: [...firewalls.values()], selectors };
}

function readDynamicRule(
  ctx: ReadContext,
  uri: string,
  block: HclBlock,
  firewall: FirewallContribution,
  read: (body: HclBody, scope: Scope, at: Range) => void,
): void {
  const forEach = attribute(block.body, 'for_each');
  const content = block.body.blocks.find((b) => b.type === 'content');
  if (!forEach || !content) return;
  const iteratorAttr = attribute(block.body, 'iterator');
  const iterator = iteratorAttr?.value.t === 'reference' ? iteratorAttr.value.root : block.labels[0].value;
  const pairs = ctx.module.collectionPairs(forEach.value, {});
  if (pairs instanceof Unknown) {
    firewall.entries.push({
      protocol: 'unknown',
      ports: 'unknown',
      sources: [],
      at: ctx.place(uri, block.range),
      unknown: `the collection its for_each iterates is not known (${pairs.why})`,
    });
    return;
  }
  for (const pair of pairs) read(content.body, { iterators: new Map([[iterator, pair]]) }, block.range);
}
