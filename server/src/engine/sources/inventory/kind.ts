/** The Cluster Preflight inventory (`cluster-preflight/v1alpha1`, `Inventory`): nodes with roles, interfaces, firewall and listeners. */
import { inventorySymbols } from './symbols';
import { inventoryComplete } from './complete';
import type { Place } from '../../core/located';
import { DEFAULT_API_SERVER_PORT, DEFAULT_NODEPORT_RANGE } from '../../knowledge/ports';
import { MIN_PORT, parsePortRange, samePorts } from '../../knowledge/net/portRange';
import type { DocumentKind } from '../kind';
import { cniPluginOf } from '../../knowledge/cni';
import { parseCidr } from '../../knowledge/net/addresses';
import { distributionOf } from '../../knowledge/distributions';
import { inventoryHover } from './hover';
import { InventoryDocument } from './inventoryDocument';
import { locateInInventory } from './locate';
import { INVENTORY_KIND_ID } from './read';

export const inventoryKind: DocumentKind<InventoryDocument> = {
  id: INVENTORY_KIND_ID,
  label: 'Cluster Preflight inventory',
  definesCluster: true,
  claimsTemplates: true,
  // Any version: one Cluster Preflight does not read is reported (unknown-api-version), not ignored.
  recognize: ({ apiVersion, kind }) => !!apiVersion?.startsWith('cluster-preflight/') && kind === 'Inventory',
  analyze: (input) => InventoryDocument.analyze(inventoryKind, input),
  contribute(members, into) {
    for (const { uri, doc } of members) {
      const head = doc.head;
      const origin = { uri, chunk: head.chunk };
      const at = (range: Place['range']): Place => ({ origin, range, owner: head });
      into.rosters.push({
        kind: INVENTORY_KIND_ID,
        uri,
        nodes: doc.nodes,
        anchors: { nodes: head.nodesKey && at(head.nodesKey) },
      });
      // A name the tables do not know is the schema's finding; the cluster keeps kubeadm's table then.
      const distribution = head.distribution && distributionOf(head.distribution.value);
      if (head.distribution && distribution)
        into.distributions.push({
          distribution,
          tier: 'inventory',
          source: {
            place: at(head.distribution.range),
            description: 'spec.distribution',
            elsewhere: "the inventory's spec.distribution",
          },
        });
      // Settings equal to the Kubernetes default change nothing and are not named in messages.
      if (head.apiServerPort && head.apiServerPort.value !== DEFAULT_API_SERVER_PORT) {
        const port = head.apiServerPort.value;
        into.portSettings.push({
          id: 'kube-apiserver',
          range: { low: port, high: port },
          tier: 'inventory',
          source: {
            place: at(head.apiServerPort.range),
            description: 'spec.apiServerPort',
            elsewhere: "the inventory's spec.apiServerPort",
          },
        });
      }
      if (head.nodePortRange) {
        into.nodePortRanges.push({
          name: 'nodePortRange',
          value: head.nodePortRange.value,
          at: at(head.nodePortRange.range),
          against: 'cluster',
          lowestPort: MIN_PORT,
        });
      }
      if (head.cni?.plugin) {
        const plugin = cniPluginOf(head.cni.plugin.value);
        into.cniSettings.push({
          choice: { plugin, mode: head.cni.mode?.value, wireguard: head.cni.wireguard?.value },
          tier: 'inventory',
          source: { place: at(head.cni.plugin.range), description: 'spec.cni', elsewhere: "the inventory's spec.cni" },
          modeWritten: !!head.cni.mode,
        });
      }
      if (head.cni?.mtu)
        into.cniMtus.push({ name: 'spec.cni.mtu', value: head.cni.mtu.value, at: at(head.cni.mtu.range), tier: 'inventory' });
      for (const network of head.networks) {
        into.hostNetworks.push({
          name: network.name ?? network.cidr.value,
          value: network.cidr.value,
          cidr: parseCidr(network.cidr.value),
          at: at(network.cidr.range),
        });
      }
      const nodePortRange = head.nodePortRange && parsePortRange(head.nodePortRange.value);
      if (head.nodePortRange && nodePortRange?.ok && !samePorts(nodePortRange.range, DEFAULT_NODEPORT_RANGE)) {
        into.portSettings.push({
          id: 'nodeport-services',
          range: nodePortRange.range,
          tier: 'inventory',
          source: {
            place: at(head.nodePortRange.range),
            description: 'spec.nodePortRange',
            elsewhere: "the inventory's spec.nodePortRange",
          },
        });
      }
    }
  },
  locate: (span, offset) => locateInInventory(inventoryKind, span, offset),
  hover: inventoryHover,
  complete: inventoryComplete,
  symbols: inventorySymbols,
};
