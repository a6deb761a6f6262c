/**
 * What hovers say about MTU values, in every format that writes one: the plugin's MTU on the
 * wire and against each node's cluster interface, and what an interface's MTU leaves the pods.
 * The numbers are the ones mtu-overlay-overhead reports (model/mtu.ts).
 */
import { CNI_PLUGINS, encapsulationOverhead } from '../knowledge/cni';
import { nodeLabel, type ClusterModel } from './cluster';
import { clusterInterfaces, cniMtuInForce, describeOverhead, mtuBudget, underlayFamily, type MtuBudget } from './mtu';
import type { EffectiveSettings } from './settings';

/** The arithmetic of an overlay on one underlay family, for hovers: "1450 + VXLAN 50 = 1500". */
function onWireText(setting: number, budget: MtuBudget, underlay: boolean): string {
  if (underlay)
    return `${setting} (the network's own MTU: the plugin subtracts ${describeOverhead(budget.overhead)} for the pods itself)`;
  return budget.overhead.parts.length
    ? `${setting} + ${budget.overhead.parts.join(' + ')} = ${budget.onWire} bytes on the wire`
    : `${setting} bytes on the wire (no encapsulation)`;
}

/** spec.cni.mtu: what it becomes on the wire, and whether each node's cluster interface takes it. */
export function cniMtuHover(value: number, name: string, settings: EffectiveSettings, model?: ClusterModel): string {
  const cni = settings.cni;
  if (!cni) return 'No network plugin is named, so the MTU is not checked.';
  const info = CNI_PLUGINS[cni.choice.plugin];
  const inForce = model && cniMtuInForce(model);
  const lines: string[] = [];
  if (inForce && inForce.name !== name)
    lines.push(`The installer's ${inForce.name} (${inForce.value}) is what ${info.label} runs with, not this value.`, '');
  const underlay = info.mtu.setting === 'underlay';
  const rows: string[] = [];
  for (const entry of model ? clusterInterfaces(model.nodes) : []) {
    if (!entry.mtu) continue;
    const budget = mtuBudget(cni, value, entry.mtu.value, underlayFamily(entry));
    if (!budget) continue;
    const fits = budget.onWire <= entry.mtu.value;
    rows.push(
      `- node ${nodeLabel(entry.node)}${entry.facts.name ? ` ${entry.facts.name.value}` : ''}: MTU ${entry.mtu.value}, ${fits ? 'fits' : '**does not fit**'} (largest ${budget.largest})`,
    );
    if (rows.length === 1) lines.push(`**MTU ${value}** for ${info.label}: ${onWireText(value, budget, underlay)}.`);
  }
  if (rows.length) {
    lines.push('', "The nodes' cluster interfaces:", ...rows.slice(0, 10));
    if (rows.length > 10) lines.push(`- … and ${rows.length - 10} more`);
  } else {
    const overhead = encapsulationOverhead(cni.choice, 'ipv4');
    lines.push(
      overhead
        ? `**MTU ${value}** for ${info.label}: ${underlay ? `the network's own; ${info.label} subtracts ${describeOverhead(overhead)} itself` : `${describeOverhead(overhead)} come on top over IPv4`}. No node's cluster interface has an \`mtu\` to compare it with.`
        : `Cluster Preflight does not know ${info.label}'s overhead in this mode, so the MTU is not checked.`,
    );
  }
  lines.push('', info.mtu.whenUnset, '', `[${info.label} MTU](${info.mtu.docs})`);
  return lines.join('\n');
}

/** interfaces[i].mtu: the largest plugin MTU it takes, and whether the configured one fits. */
export function interfaceMtuHover(value: number, settings: EffectiveSettings, model?: ClusterModel): string {
  const cni = settings.cni;
  if (!cni) return `**Interface MTU ${value}.** No network plugin is named, so no overlay overhead is counted.`;
  const info = CNI_PLUGINS[cni.choice.plugin];
  const overhead = encapsulationOverhead(cni.choice, 'ipv4');
  if (!overhead) return `**Interface MTU ${value}.** Cluster Preflight does not know ${info.label}'s overhead in this mode.`;
  const underlay = info.mtu.setting === 'underlay';
  const largest = underlay ? value : value - overhead.bytes;
  const lines = [
    `**Interface MTU ${value}.** ${info.label} (${describeOverhead(overhead)} over IPv4) leaves pods ${value - overhead.bytes} bytes; the largest MTU setting that fits is ${largest}${underlay ? ` (${info.label}'s MTU is the network's own)` : ''}.`,
  ];
  const inForce = model && cniMtuInForce(model);
  if (inForce) {
    const budget = mtuBudget(cni, inForce.value, value, 'ipv4')!;
    lines.push(
      '',
      `${inForce.name} ${inForce.value}: ${onWireText(inForce.value, budget, underlay)}, ${budget.onWire <= value ? 'fits' : '**does not fit**'}.`,
    );
  } else {
    lines.push('', info.mtu.whenUnset);
  }
  return lines.join('\n');
}
