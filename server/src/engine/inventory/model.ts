import type { Finding } from '../findings';
import type { Protocol, Role } from '../kubernetes/ports';
import type { Range } from '../text/positions';

/**
 * A stretch of the file that was parsed on its own: one node item of a large
 * inventory, or a whole YAML document. Ranges inside models are relative to their
 * chunk's first line, so an edit above a chunk only moves `startLine`.
 */
export interface Chunk {
  startOffset: number;
  startLine: number;
}

export interface Value<T> {
  value: T;
  /** Relative to the owning chunk. */
  range: Range;
}

export interface InterfaceModel {
  name?: Value<string>;
  mac?: Value<string>;
  address?: Value<string>;
  /** Normalised MAC (lowercase, colon-separated) when `mac` parses; what duplicate-mac compares. */
  macKey?: string;
  /** Canonical address without prefix when `address` parses; what duplicate-ip compares. */
  addressKey?: string;
  /** The address key is present with a value (of any type); missing-address reports the others. */
  hasAddress: boolean;
  /** The interface item itself, for messages when it has no name. */
  itemRange: Range;
}

export interface FirewallRuleModel {
  port?: Value<number | string>;
  protocol: Protocol;
  itemRange: Range;
}

export interface ListenerModel {
  name?: string;
  port?: Value<number>;
  protocol: Protocol;
}

/** What the rules know about one entry of spec.nodes. */
export interface NodeModel {
  chunk: Chunk;
  /** From the "-" of the sequence item to the end of its content. */
  itemRange: Range;
  hostname?: Value<string>;
  roles: Role[];
  interfacesKey?: Range;
  /** Absent when the node has no interfaces key. */
  interfaces?: InterfaceModel[];
  firewallKey?: Range;
  firewall: FirewallRuleModel[];
  listeners: ListenerModel[];
  /** yaml-syntax and schema findings of this item, relative to the chunk. */
  parseFindings: Finding[];
}

/** The inventory outside its node items: settings and the nodes key. */
export interface InventoryHead {
  chunk: Chunk;
  name?: string;
  apiServerPort?: Value<number>;
  nodePortRange?: Value<string>;
  nodesKey?: Range;
  parseFindings: Finding[];
}
