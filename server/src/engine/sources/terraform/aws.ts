/**
 * AWS security groups as Terraform writes them, read into the model's external firewalls:
 * `aws_security_group` (inline `ingress` and `dynamic "ingress"` blocks), `aws_security_group_rule`
 * (type ingress) and `aws_vpc_security_group_ingress_rule`; and the `aws_instance`s they guard
 * (`vpc_security_group_ids`, `security_groups`), named by their literal `private_ip` or their
 * `Name` tag. AWS admits the union of every group's allows; a rule naming another group admits
 * that group's members (by their private addresses).
 */
import type { Place } from '../../core/located';
import type { Range } from '../../core/text/positions';
import { parseCidr } from '../../knowledge/net/addresses';
import type { Transport } from '../../knowledge/ports';
import type { ExternalFirewallEntry, FirewallContribution, FirewallSource, GuardSelector } from '../../model/firewalls';
import { ResourceRef, Unknown, isObject, type HclValue, type Scope, type TerraformModule } from './evaluate';
import { attribute, type HclBlock, type HclBody, type HclExpr } from './hcl';

export interface ReadContext {
  module: TerraformModule;
  /** The module's directory: firewall ids are unique per module. */
  dir: string;
  /** Where a file's ranges are relative to, and the document owning them. */
  place(uri: string, range: Range): Place;
}

export interface AwsRead {
  firewalls: FirewallContribution[];
  selectors: GuardSelector[];
}

/** What AWS's `protocol`/`ip_protocol` values mean: names, numbers, -1 for everything. */
export function protocolOf(value: HclValue): Transport | 'all' | 'other' | Unknown {
  if (value instanceof Unknown) return value;
  if (typeof value !== 'string' && typeof value !== 'number') return new Unknown('a protocol that is not a name or number');
  const text = String(value).toLowerCase().trim();
  switch (text) {
    case '-1':
    case 'all':
      return 'all';
    case 'tcp':
    case '6':
      return 'TCP';
    case 'udp':
    case '17':
      return 'UDP';
    case 'icmp':
    case '1':
      return 'ICMP';
    case 'sctp':
    case '132':
      return 'SCTP';
    case '4':
    case 'ipip':
    case 'ipencap':
      return 'IPIP';
    case '47':
    case 'gre':
      return 'GRE';
    case '50':
    case 'esp':
      return 'ESP';
    default:
      return 'other';
  }
}

function portOf(value: HclValue): number | Unknown {
  if (value instanceof Unknown) return value;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) ? n : new Unknown('a port that is not a number');
}

/** The values of a list attribute, each with the range it was written at (the whole attribute's when it is computed). */
function listItems(ctx: ReadContext, expr: HclExpr | undefined, scope: Scope): Array<{ value: HclValue; range: Range }> {
  if (!expr) return [];
  if (expr.t === 'tuple') return expr.items.map((item) => ({ value: ctx.module.evaluate(item, scope), range: item.range }));
  const value = ctx.module.evaluate(expr, scope);
  if (Array.isArray(value)) return value.map((v) => ({ value: v, range: expr.range }));
  if (value === null) return [];
  // A single value where the resource takes one (cidr_ipv4).
  if (typeof value === 'string' || value instanceof ResourceRef) return [{ value, range: expr.range }];
  return [{ value: value instanceof Unknown ? value : new Unknown('a list that is not known'), range: expr.range }];
}

/** The firewall id a security group reference names: `aws_security_group.x.id` in this module. */
function groupId(ctx: ReadContext, value: HclValue, byName: ReadonlyMap<string, string>): string | undefined {
  if (
    value instanceof ResourceRef &&
    value.address.startsWith('aws_security_group.') &&
    (value.attr === 'id' || value.attr === undefined)
  )
    return `${ctx.dir}#${value.address}`;
  if (typeof value === 'string') return byName.get(value);
  return undefined;
}

interface EntryAttributes {
  protocol?: HclExpr;
  from?: HclExpr;
  to?: HclExpr;
}

function entryOf(
  ctx: ReadContext,
  uri: string,
  scope: Scope,
  names: EntryAttributes,
  sources: Array<{ source: FirewallSource; at: Place }>,
  at: Range,
): ExternalFirewallEntry {
  const protocolValue = names.protocol ? ctx.module.evaluate(names.protocol, scope) : new Unknown('no protocol');
  const protocol = protocolOf(protocolValue);
  const entry: ExternalFirewallEntry = {
    protocol: protocol instanceof Unknown ? 'unknown' : protocol,
    ports: 'unknown',
    sources,
    at: ctx.place(uri, at),
    protocolAt: names.protocol ? ctx.place(uri, names.protocol.range) : undefined,
  };
  if (protocol instanceof Unknown) entry.unknown = `its protocol is not known (${protocol.why})`;
  else if (protocol === 'all' || protocol === 'ICMP' || protocol === 'IPIP' || protocol === 'GRE' || protocol === 'ESP')
    entry.ports = 'all';
  else {
    const from = names.from ? portOf(ctx.module.evaluate(names.from, scope)) : new Unknown('no from_port');
    const to = names.to ? portOf(ctx.module.evaluate(names.to, scope)) : from;
    if (from instanceof Unknown) entry.unknown = `its port is not known (${from.why})`;
    else if (to instanceof Unknown) entry.unknown = `its port is not known (${to.why})`;
    else entry.ports = from <= 0 && to >= 65535 ? 'all' : { low: Math.min(from, to), high: Math.max(from, to) };
  }
  if (!entry.unknown && sources.length > 0 && sources.every((s) => s.source.kind === 'unknown'))
    entry.unknown = `its source is not known (${(sources[0].source as { why: string }).why})`;
  return entry;
}

function cidrSources(
  ctx: ReadContext,
  uri: string,
  expr: HclExpr | undefined,
  scope: Scope,
): Array<{ source: FirewallSource; at: Place }> {
  return listItems(ctx, expr, scope).map(({ value, range }) => {
    const at = ctx.place(uri, range);
    if (value instanceof Unknown) return { source: { kind: 'unknown', why: value.why }, at };
    const cidr = typeof value === 'string' ? parseCidr(value) : undefined;
    if (!cidr) return { source: { kind: 'unknown', why: `${JSON.stringify(value)} is not a CIDR` }, at };
    return { source: { kind: 'cidr', cidr }, at };
  });
}

function memberSource(
  ctx: ReadContext,
  uri: string,
  value: HclValue,
  range: Range,
  byName: ReadonlyMap<string, string>,
  labels: ReadonlyMap<string, string>,
) {
  const at = ctx.place(uri, range);
  const id = groupId(ctx, value, byName);
  if (!id)
    return {
      source: {
        kind: 'unknown',
        why: value instanceof Unknown ? value.why : 'a security group outside this module',
      } as FirewallSource,
      at,
    };
  return { source: { kind: 'members', firewall: id, label: labels.get(id) ?? id } as FirewallSource, at };
}

/** Reads every AWS security group, rule and instance of a module. */
export function readAws(ctx: ReadContext): AwsRead {
  const groups = ctx.module.resources.filter((r) => r.type === 'aws_security_group');
  const byName = new Map<string, string>();
  const labels = new Map<string, string>();
  for (const g of groups) {
    const id = `${ctx.dir}#aws_security_group.${g.name}`;
    labels.set(id, `aws_security_group "${g.name}"`);
    const name = attribute(g.block.body, 'name');
    const value = name && ctx.module.evaluate(name.value, {});
    if (typeof value === 'string') byName.set(value, id);
  }
  const firewalls = new Map<string, FirewallContribution>();
  for (const g of groups) {
    const id = `${ctx.dir}#aws_security_group.${g.name}`;
    const firewall: FirewallContribution = {
      id,
      label: labels.get(id)!,
      header: ctx.place(g.uri, g.block.header),
      entries: [],
      style: 'aws-inline',
    };
    firewalls.set(id, firewall);
    const { scopes, unknown } = ctx.module.instances(g.block.body);
    if (unknown) firewall.incomplete = `its count or for_each is not known (${unknown})`;
    const scope = scopes[0] ?? {};
    const self = (range: Range) => ({
      source: { kind: 'members', firewall: id, label: firewall.label } as FirewallSource,
      at: ctx.place(g.uri, range),
    });
    const readIngress = (body: HclBody, s: Scope, range: Range) => {
      const sources = [
        ...cidrSources(ctx, g.uri, attribute(body, 'cidr_blocks')?.value, s),
        ...cidrSources(ctx, g.uri, attribute(body, 'ipv6_cidr_blocks')?.value, s),
      ];
      const selfAttr = attribute(body, 'self');
      if (selfAttr) {
        const v = ctx.module.evaluate(selfAttr.value, s);
        if (v === true) sources.push(self(selfAttr.value.range));
        else if (v instanceof Unknown)
          sources.push({ source: { kind: 'unknown', why: v.why }, at: ctx.place(g.uri, selfAttr.value.range) });
      }
      for (const item of listItems(ctx, attribute(body, 'security_groups')?.value, s))
        sources.push(memberSource(ctx, g.uri, item.value, item.range, byName, labels));
      const prefixLists = attribute(body, 'prefix_list_ids');
      if (prefixLists)
        sources.push({
          source: { kind: 'unknown', why: 'a prefix list is known only to AWS' },
          at: ctx.place(g.uri, prefixLists.value.range),
        });
      firewall.entries.push(
        entryOf(
          ctx,
          g.uri,
          s,
          {
            protocol: attribute(body, 'protocol')?.value,
            from: attribute(body, 'from_port')?.value,
            to: attribute(body, 'to_port')?.value,
          },
          sources,
          range,
        ),
      );
    };
    for (const block of g.block.body.blocks) {
      if (block.type === 'ingress') readIngress(block.body, scope, block.range);
      else if (block.type === 'dynamic' && block.labels[0]?.value === 'ingress')
        readDynamic(ctx, g.uri, block, scope, firewall, readIngress);
    }
  }

  const markAllIncomplete = (why: string) => {
    for (const f of firewalls.values()) f.incomplete ??= why;
  };
  const target = (uri: string, body: HclBody, scope: Scope): FirewallContribution | undefined => {
    const attr = attribute(body, 'security_group_id');
    const value = attr ? ctx.module.evaluate(attr.value, scope) : new Unknown('no security_group_id');
    const id = groupId(ctx, value, byName);
    const firewall = id && firewalls.get(id);
    if (!firewall) markAllIncomplete(`a rule in ${uri.slice(uri.lastIndexOf('/') + 1)} adds to a group that is not known`);
    return firewall || undefined;
  };

  for (const r of ctx.module.resources) {
    if (r.type === 'aws_security_group_rule') {
      const { scopes, unknown } = ctx.module.instances(r.block.body);
      for (const scope of scopes) {
        const type = attribute(r.block.body, 'type');
        const typeValue = type ? ctx.module.evaluate(type.value, scope) : undefined;
        if (typeValue === 'egress') continue;
        const firewall = target(r.uri, r.block.body, scope);
        if (!firewall) continue;
        firewall.style = 'aws-rules';
        if (unknown || typeValue !== 'ingress') {
          firewall.incomplete ??= unknown
            ? `the rule ${r.name}'s count or for_each is not known`
            : `the type of rule ${r.name} is not known`;
          continue;
        }
        const body = r.block.body;
        const sources = [
          ...cidrSources(ctx, r.uri, attribute(body, 'cidr_blocks')?.value, scope),
          ...cidrSources(ctx, r.uri, attribute(body, 'ipv6_cidr_blocks')?.value, scope),
        ];
        const selfAttr = attribute(body, 'self');
        if (selfAttr) {
          const v = ctx.module.evaluate(selfAttr.value, scope);
          if (v === true)
            sources.push({
              source: { kind: 'members', firewall: firewall.id, label: firewall.label },
              at: ctx.place(r.uri, selfAttr.value.range),
            });
          else if (v instanceof Unknown)
            sources.push({ source: { kind: 'unknown', why: v.why }, at: ctx.place(r.uri, selfAttr.value.range) });
        }
        const sg = attribute(body, 'source_security_group_id');
        if (sg) sources.push(memberSource(ctx, r.uri, ctx.module.evaluate(sg.value, scope), sg.value.range, byName, labels));
        const prefixLists = attribute(body, 'prefix_list_ids');
        if (prefixLists)
          sources.push({
            source: { kind: 'unknown', why: 'a prefix list is known only to AWS' },
            at: ctx.place(r.uri, prefixLists.value.range),
          });
        firewall.entries.push(
          entryOf(
            ctx,
            r.uri,
            scope,
            {
              protocol: attribute(body, 'protocol')?.value,
              from: attribute(body, 'from_port')?.value,
              to: attribute(body, 'to_port')?.value,
            },
            sources,
            r.block.header,
          ),
        );
      }
    } else if (r.type === 'aws_vpc_security_group_ingress_rule') {
      const { scopes, unknown } = ctx.module.instances(r.block.body);
      for (const scope of scopes) {
        const firewall = target(r.uri, r.block.body, scope);
        if (!firewall) continue;
        if (unknown) {
          firewall.incomplete ??= `the rule ${r.name}'s count or for_each is not known`;
          continue;
        }
        const body = r.block.body;
        const sources = [
          ...cidrSources(ctx, r.uri, attribute(body, 'cidr_ipv4')?.value, scope),
          ...cidrSources(ctx, r.uri, attribute(body, 'cidr_ipv6')?.value, scope),
        ];
        const sg = attribute(body, 'referenced_security_group_id');
        if (sg) sources.push(memberSource(ctx, r.uri, ctx.module.evaluate(sg.value, scope), sg.value.range, byName, labels));
        const prefixList = attribute(body, 'prefix_list_id');
        if (prefixList)
          sources.push({
            source: { kind: 'unknown', why: 'a prefix list is known only to AWS' },
            at: ctx.place(r.uri, prefixList.value.range),
          });
        firewall.entries.push(
          entryOf(
            ctx,
            r.uri,
            scope,
            {
              protocol: attribute(body, 'ip_protocol')?.value,
              from: attribute(body, 'from_port')?.value,
              to: attribute(body, 'to_port')?.value,
            },
            sources,
            r.block.header,
          ),
        );
      }
    }
  }

  const selectors: GuardSelector[] = [];
  for (const r of ctx.module.resources) {
    if (r.type !== 'aws_instance') continue;
    const { scopes } = ctx.module.instances(r.block.body);
    for (const scope of scopes) {
      const body = r.block.body;
      const ids: string[] = [];
      let alsoUnknown: string | undefined;
      for (const name of ['vpc_security_group_ids', 'security_groups']) {
        for (const { value } of listItems(ctx, attribute(body, name)?.value, scope)) {
          const id = groupId(ctx, value, byName);
          if (id && firewalls.has(id)) ids.push(id);
          else alsoUnknown ??= value instanceof Unknown ? value.why : 'a security group outside this module';
        }
      }
      if (ids.length === 0) continue;
      const ip = attribute(body, 'private_ip');
      const ipValue = ip ? ctx.module.evaluate(ip.value, scope) : undefined;
      const tags = attribute(body, 'tags');
      const tagValue = tags ? ctx.module.evaluate(tags.value, scope) : undefined;
      const name = isObject(tagValue ?? null) ? (tagValue as Record<string, HclValue>).Name : undefined;
      const selector: GuardSelector = {
        address: typeof ipValue === 'string' ? ipValue : undefined,
        name: typeof name === 'string' ? name : undefined,
        at: ctx.place(r.uri, r.block.header),
        firewalls: ids,
      };
      if (alsoUnknown) selector.alsoUnknown = alsoUnknown;
      if (selector.address || selector.name) selectors.push(selector);
    }
  }
  return { firewalls: [...firewalls.values()], selectors };
}

/** A `dynamic "ingress"` block: one entry per element of its collection, or one unknown entry. */
function readDynamic(
  ctx: ReadContext,
  uri: string,
  block: HclBlock,
  scope: Scope,
  firewall: FirewallContribution,
  read: (body: HclBody, scope: Scope, range: Range) => void,
): void {
  const forEach = attribute(block.body, 'for_each');
  const content = block.body.blocks.find((b) => b.type === 'content');
  if (!forEach || !content) return;
  const iteratorAttr = attribute(block.body, 'iterator');
  const iterator = iteratorAttr?.value.t === 'reference' ? iteratorAttr.value.root : block.labels[0].value;
  const pairs = ctx.module.collectionPairs(forEach.value, scope);
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
  for (const pair of pairs) {
    const iterators = new Map(scope.iterators ?? []);
    iterators.set(iterator, pair);
    read(content.body, { ...scope, iterators }, block.range);
  }
}
