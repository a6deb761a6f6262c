/**
 * Google Cloud firewall rules as Terraform writes them: `google_compute_firewall` (direction
 * INGRESS, `allow`/`deny` blocks with `protocol` and `ports`, `source_ranges`, `target_tags`,
 * `priority`), and the `google_compute_instance`s they apply to (by `tags`; a rule without targets
 * applies to every instance), named by their `name` or a literal `network_interface { network_ip }`.
 *
 * GCP decides by priority, and a deny wins a tie. Where every deny that applies to an instance
 * has a lower priority (a larger number) than every allow that applies to it, the allows are
 * the union they seem (Kubespray's deny-all at 1000 under allows at 500); otherwise the outcome
 * depends on comparing priorities per port and source, which is not done yet, so the instance's
 * firewall counts as not known and nothing is reported missing for it.
 */
import type { Range } from '../../core/text/positions';
import { parseCidr } from '../../knowledge/net/addresses';
import type { ExternalFirewallEntry, FirewallContribution, FirewallSource, GuardSelector } from '../../model/firewallFacts';
import { protocolOf, type ReadContext } from './aws';
import { Unknown, type HclValue, type Scope } from './evaluate';
import { attribute, type HclBlock, type HclBody, type HclExpr } from './hcl';

function listItems(ctx: ReadContext, expr: HclExpr | undefined, scope: Scope): Array<{ value: HclValue; range: Range }> {
  if (!expr) return [];
  if (expr.t === 'tuple') return expr.items.map((item) => ({ value: ctx.module.evaluate(item, scope), range: item.range }));
  const value = ctx.module.evaluate(expr, scope);
  if (Array.isArray(value)) return value.map((v) => ({ value: v, range: expr.range }));
  return value === null ? [] : [{ value, range: expr.range }];
}

interface GcpRule {
  firewall: FirewallContribution;
  priority: number | Unknown;
  /** Target tags; undefined: every instance; Unknown: instances the files do not say. */
  targets: string[] | undefined | Unknown;
  allows: boolean;
  denies: boolean;
}

/** Reads every Google Cloud firewall rule and instance of a module. */
export function readGcp(ctx: ReadContext): { firewalls: FirewallContribution[]; selectors: GuardSelector[] } {
  const rules: GcpRule[] = [];
  for (const r of ctx.module.resources) {
    if (r.type !== 'google_compute_firewall') continue;
    const body = r.block.body;
    const { scopes, unknown } = ctx.module.instances(body);
    const scope = scopes[0] ?? {};
    const direction = attribute(body, 'direction');
    const directionValue = direction ? ctx.module.evaluate(direction.value, scope) : 'INGRESS';
    if (directionValue === 'EGRESS') continue;
    const disabled = attribute(body, 'disabled');
    if (disabled && ctx.module.evaluate(disabled.value, scope) === true) continue;
    const id = `${ctx.dir}#google_compute_firewall.${r.name}`;
    const firewall: FirewallContribution = {
      id,
      label: `google_compute_firewall "${r.name}"`,
      header: ctx.place(r.uri, r.block.header),
      entries: [],
      style: 'gcp',
    };
    if (unknown) firewall.incomplete = `its count or for_each is not known (${unknown})`;
    if (directionValue instanceof Unknown) firewall.incomplete ??= `its direction is not known (${directionValue.why})`;
    const priorityAttr = attribute(body, 'priority');
    const priorityValue = priorityAttr ? ctx.module.evaluate(priorityAttr.value, scope) : 1000;
    const priority = typeof priorityValue === 'number' ? priorityValue : new Unknown('its priority is not known');
    const targetAttr = attribute(body, 'target_tags');
    let targets: GcpRule['targets'];
    if (attribute(body, 'target_service_accounts')) targets = new Unknown('it targets service accounts');
    else if (targetAttr) {
      const items = listItems(ctx, targetAttr.value, scope);
      targets = items.every((i) => typeof i.value === 'string')
        ? items.map((i) => i.value as string)
        : new Unknown('its target tags are not known');
    }
    const sources: Array<{ source: FirewallSource; at: ReturnType<ReadContext['place']> }> = [];
    for (const { value, range } of listItems(ctx, attribute(body, 'source_ranges')?.value, scope)) {
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
    for (const name of ['source_tags', 'source_service_accounts']) {
      const attr = attribute(body, name);
      if (attr)
        sources.push({
          source: { kind: 'unknown', why: `${name} are matched by the cloud, not compared here` },
          at: ctx.place(r.uri, attr.value.range),
        });
    }
    // Ingress rules without any source: GCP applies 0.0.0.0/0.
    if (sources.length === 0) sources.push({ source: { kind: 'any' }, at: ctx.place(r.uri, r.block.header) });
    const allowBlocks = blocksOf(body, 'allow');
    for (const block of allowBlocks) firewall.entries.push(...entriesOf(ctx, r.uri, block, scope, sources));
    rules.push({ firewall, priority, targets, allows: allowBlocks.length > 0, denies: blocksOf(body, 'deny').length > 0 });
  }
  if (rules.length === 0) return { firewalls: [], selectors: [] };

  const selectors: GuardSelector[] = [];
  for (const r of ctx.module.resources) {
    if (r.type !== 'google_compute_instance') continue;
    const { scopes } = ctx.module.instances(r.block.body);
    for (const scope of scopes) {
      const body = r.block.body;
      const tagItems = listItems(ctx, attribute(body, 'tags')?.value, scope);
      const tags = tagItems.every((t) => typeof t.value === 'string')
        ? new Set(tagItems.map((t) => t.value as string))
        : undefined;
      let alsoUnknown: string | undefined = tags ? undefined : 'its tags are not known';
      const applying: GcpRule[] = [];
      for (const rule of rules) {
        if (rule.targets instanceof Unknown) {
          alsoUnknown ??= `${rule.firewall.label} may apply to it (${rule.targets.why})`;
          continue;
        }
        if (rule.targets === undefined || (tags && rule.targets.some((t) => tags.has(t)))) applying.push(rule);
      }
      const allows = applying.filter((a) => a.allows);
      const denies = applying.filter((a) => a.denies);
      const numbers = (list: GcpRule[]) => list.map((a) => a.priority).filter((p): p is number => typeof p === 'number');
      if (applying.some((a) => a.priority instanceof Unknown))
        alsoUnknown ??= 'a rule that applies to it has a priority that is not known';
      else if (denies.length && allows.length && Math.min(...numbers(denies)) <= Math.max(...numbers(allows)))
        alsoUnknown ??= `a deny rule (${denies[0].firewall.label}) outranks or ties an allow rule: priorities are not compared per port yet`;
      const ids = allows.map((a) => a.firewall.id);
      if (ids.length === 0) continue;
      const name = attribute(body, 'name');
      const nameValue = name ? ctx.module.evaluate(name.value, scope) : undefined;
      const nic = body.blocks.find((b) => b.type === 'network_interface');
      const ip = nic && attribute(nic.body, 'network_ip');
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
  return { firewalls: rules.map((r) => r.firewall), selectors };
}

function blocksOf(body: HclBody, type: string): HclBlock[] {
  return body.blocks.filter((b) => b.type === type || (b.type === 'dynamic' && b.labels[0]?.value === type));
}

/** An `allow` block's entries: one per port or range in `ports` (every port when none). */
function entriesOf(
  ctx: ReadContext,
  uri: string,
  block: HclBlock,
  scope: Scope,
  sources: ExternalFirewallEntry['sources'],
): ExternalFirewallEntry[] {
  const at = ctx.place(uri, block.range);
  if (block.type === 'dynamic')
    return [{ protocol: 'unknown', ports: 'unknown', sources, at, unknown: 'a dynamic allow block is not expanded yet' }];
  const protocolAttr = attribute(block.body, 'protocol');
  const protocol = protocolAttr ? protocolOf(ctx.module.evaluate(protocolAttr.value, scope)) : new Unknown('no protocol');
  const base = {
    sources,
    at,
    protocolAt: protocolAttr ? ctx.place(uri, protocolAttr.value.range) : undefined,
  };
  const unknownSource =
    sources.length > 0 && sources.every((s) => s.source.kind === 'unknown')
      ? `its source is not known (${(sources[0].source as { why: string }).why})`
      : undefined;
  if (protocol instanceof Unknown)
    return [{ ...base, protocol: 'unknown', ports: 'unknown', unknown: `its protocol is not known (${protocol.why})` }];
  const portsAttr = attribute(block.body, 'ports');
  if (!portsAttr || (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP'))
    return [{ ...base, protocol, ports: 'all', ...(unknownSource ? { unknown: unknownSource } : {}) }];
  return listItems(ctx, portsAttr.value, scope).map(({ value }) => {
    const text = typeof value === 'number' ? String(value) : value;
    const match = typeof text === 'string' ? /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(text) : null;
    if (!match)
      return {
        ...base,
        protocol,
        ports: 'unknown' as const,
        unknown: `its port is not known (${value instanceof Unknown ? value.why : `${JSON.stringify(value)} is not a port or range`})`,
      };
    return {
      ...base,
      protocol,
      ports: { low: Number(match[1]), high: Number(match[2] ?? match[1]) },
      ...(unknownSource ? { unknown: unknownSource } : {}),
    };
  });
}
