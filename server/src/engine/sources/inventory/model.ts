import type { Finding } from '../../core/findings';
import type { Chunk, Value } from '../../core/located';
import type { Range } from '../../core/text/positions';

/** The inventory outside its node items: settings and the nodes key. */
export interface InventoryHead {
  chunk: Chunk;
  apiVersion?: Value<string>;
  name?: string;
  /** spec.distribution: whose table of ports applies (kubeadm when absent). */
  distribution?: Value<string>;
  apiServerPort?: Value<number>;
  nodePortRange?: Value<string>;
  nodesKey?: Range;
  /** spec.cni: the network plugin, its mode and WireGuard. */
  cni?: { key: Range; plugin?: Value<string>; mode?: Value<string>; wireguard?: Value<boolean>; mtu?: Value<number> };
  /** spec.networks: other networks the nodes use (a VPN range), which pod and Service subnets must not overlap. */
  networks: Array<{ name?: string; cidr: Value<string> }>;
  /** yaml-syntax and schema findings outside the node items, relative to the chunk. */
  parseFindings: Finding[];
}
