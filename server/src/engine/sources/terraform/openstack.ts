/**
 * OpenStack security groups as Terraform writes them: `openstack_networking_secgroup_v2` with its
 * `openstack_networking_secgroup_rule_v2`s (direction ingress; `protocol` absent for every
 * protocol; `port_range_min`/`max` absent for every port; `remote_ip_prefix`, `remote_group_id`
 * for the members of a group, neither for anywhere), and the `openstack_compute_instance_v2`s
 * naming them in `security_groups` (by name), named by their `name` or a literal
 * `network { fixed_ip_v4 }`. Neutron admits the union of every group's rules.
 */
import type { Range } from '../../core/text/positions';
import { parseCidr } from '../../knowledge/net/addresses';
import type { ExternalFirewallEntry, FirewallContribution, FirewallSource, GuardSelector } from '../../model/firewallFacts';
import { protocolOf, type ReadContext } from './aws';
import { ResourceRef, Unknown, type HclValue, type Scope } from './evaluate';
import { attribute, type HclBody, type HclExpr } from './hcl';

const GROUP = 'openstack_networking_secgroup_v2';

function portOf(ctx: ReadContext, expr: HclExpr | undefined, scope: Scope): number | Unknown | undefined {
  if (!expr) return undefined;
  const value = ctx.module.evaluate(expr, scope);
  if (value instanceof Unknown) return value;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) ? n : new Unknown('a port that is not a number');
}

function listItems(ctx: ReadContext, expr: HclExpr | undefined, scope: Scope): Array<{ value: HclValue; range: Range }> {
  if (!expr) return [];
  if (expr.t === 'tuple') return expr.items.map((item) => ({ value: ctx.module.evaluate(item, scope), range: item.range }));
  const value = ctx.module.evaluate(expr, scope);
  if (Array.isArray(value)) return value.map((v) => ({ value: v, range: expr.range }));
  return value === null ? [] : [{ value, range: expr.range }];
}

/** Reads every OpenStack security group, rule and instance of a module. */
export function readOpenstack(ctx: ReadContext): { firewalls: FirewallContribution[]; selectors: GuardSelector[] } {
  const firewalls = new Map<string, FirewallContribution>();
  const byName = new Map<string, string>();
  for (const r of ctx.module.resources) {
    if (r.type !== GROUP) continue;
    const id = `${ctx.dir}#${GROUP}.${r.name}`;
    firewalls.set(id, {
      id,
      label: `${GROUP} "${r.name}"`,
      header: ctx.place(r.uri, r.block.header),
      entries: [],
      style: 'openstack',
    });
    const name = attribute(r.block.body, 'name');
    const value = name && ctx.module.evaluate(name.value, {});
    if (typeof value === 'string') byName.set(value, id);
  }
  if (firewalls.size === 0) return { firewalls: [], selectors: [] };
  /** A group reference: `openstack_networking_secgroup_v2.x.id` (or `.name`), or a group's literal name. */
  const groupOf = (value: HclValue): string | undefined => {
    if (value instanceof ResourceRef && value.address.startsWith(`${GROUP}.`)) return `${ctx.dir}#${value.address}`;
    return typeof value === 'string' ? byName.get(value) : undefined;
  };

  for (const r of ctx.module.resources) {
    if (r.type !== 'openstack_networking_secgroup_rule_v2') continue;
    const { scopes, unknown } = ctx.module.instances(r.block.body);
    for (const scope of scopes) {
      const body: HclBody = r.block.body;
      const target = attribute(body, 'security_group_id');
      const id = target ? groupOf(ctx.module.evaluate(target.value, scope)) : undefined;
      const firewall = id && firewalls.get(id);
      if (!firewall) {
        for (const f of firewalls.values())
          f.incomplete ??= `a rule in ${r.uri.slice(r.uri.lastIndexOf('/') + 1)} adds to a group that is not known`;
        continue;
      }
      if (unknown) {
        firewall.incomplete ??= `the rule ${r.name}'s count or for_each is not known (${unknown})`;
        continue;
      }
      const direction = attribute(body, 'direction');
      const directionValue = direction ? ctx.module.evaluate(direction.value, scope) : new Unknown('no direction');
      if (directionValue === 'egress') continue;
      const sources: Array<{ source: FirewallSource; at: ReturnType<ReadContext['place']> }> = [];
      const prefix = attribute(body, 'remote_ip_prefix');
      const remoteGroup = attribute(body, 'remote_group_id');
      for (const { value, range } of listItems(ctx, prefix?.value, scope)) {
        const at = ctx.place(r.uri, range);
        const cidr = typeof value === 'string' ? parseCidr(value) : undefined;
        sources.push(
          cidr
            ? { source: { kind: 'cidr', cidr }, at }
            : {
                source: { kind: 'unknown', why: value instanceof Unknown ? value.why : `${JSON.stringify(value)} is not a CIDR` },
                at,
              },
        );
      }
      if (remoteGroup) {
        const value = ctx.module.evaluate(remoteGroup.value, scope);
        const group = groupOf(value);
        const at = ctx.place(r.uri, remoteGroup.value.range);
        sources.push(
          group
            ? { source: { kind: 'members', firewall: group, label: firewalls.get(group)!.label }, at }
            : {
                source: { kind: 'unknown', why: value instanceof Unknown ? value.why : 'a security group outside this module' },
                at,
              },
        );
      }
      if (!prefix && !remoteGroup) sources.push({ source: { kind: 'any' }, at: ctx.place(r.uri, r.block.header) });
      const protocolAttr = attribute(body, 'protocol');
      const protocol = protocolAttr ? protocolOf(ctx.module.evaluate(protocolAttr.value, scope)) : 'all';
      const entry: ExternalFirewallEntry = {
        protocol: protocol instanceof Unknown ? 'unknown' : protocol,
        ports: 'unknown',
        sources,
        at: ctx.place(r.uri, r.block.header),
        protocolAt: protocolAttr ? ctx.place(r.uri, protocolAttr.value.range) : undefined,
      };
      if (directionValue instanceof Unknown || directionValue !== 'ingress') entry.unknown = 'its direction is not known';
      else if (protocol instanceof Unknown) entry.unknown = `its protocol is not known (${protocol.why})`;
      else if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') entry.ports = 'all';
      else {
        const low = portOf(ctx, attribute(body, 'port_range_min')?.value, scope);
        const high = portOf(ctx, attribute(body, 'port_range_max')?.value, scope) ?? low;
        if (low instanceof Unknown || high instanceof Unknown)
          entry.unknown = `its port is not known (${(low instanceof Unknown ? low : (high as Unknown)).why})`;
        else if (low === undefined || high === undefined) entry.ports = 'all';
        else entry.ports = { low: Math.min(low, high), high: Math.max(low, high) };
      }
      if (!entry.unknown && sources.length > 0 && sources.every((s) => s.source.kind === 'unknown'))
        entry.unknown = `its source is not known (${(sources[0].source as { why: string }).why})`;
      firewall.entries.push(entry);
    }
  }

  const selectors: GuardSelector[] = [];
  for (const r of ctx.module.resources) {
    if (r.type !== 'openstack_compute_instance_v2') continue;
    const { scopes } = ctx.module.instances(r.block.body);
    for (const scope of scopes) {
      const body = r.block.body;
      const ids: string[] = [];
      let alsoUnknown: string | undefined;
      for (const { value } of listItems(ctx, attribute(body, 'security_groups')?.value, scope)) {
        const id = groupOf(value);
        if (id) ids.push(id);
        // "default" and other groups made elsewhere: their rules are not known.
        else
          alsoUnknown ??= value instanceof Unknown ? value.why : `security group ${JSON.stringify(value)} is not in this module`;
      }
      if (ids.length === 0) continue;
      const name = attribute(body, 'name');
      const nameValue = name ? ctx.module.evaluate(name.value, scope) : undefined;
      const network = body.blocks.find((b) => b.type === 'network');
      const ip = network && attribute(network.body, 'fixed_ip_v4');
      const ipValue = ip ? ctx.module.evaluate(ip.value, scope) : undefined;
      const selector: GuardSelector = {
        address: typeof ipValue === 'string' ? ipValue : undefined,
        name: typeof nameValue === 'string' ? nameValue : undefined,
        at: ctx.place(r.uri, r.block.header),
        firewalls: ids,
      };
      if (alsoUnknown) selector.alsoUnknown = alsoUnknown;
      if (selector.address || selector.name) selectors.push(selector);
    }
  }
  return { firewalls: [...firewalls.values()], selectors };
}
