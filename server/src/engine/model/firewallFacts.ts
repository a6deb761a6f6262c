/**
 * The facts of firewalls written apart from the nodes (a Terraform security group), as document
 * kinds contribute them; which nodes they guard is decided in firewalls.ts.
 */
import type { Place } from '../core/located';
import type { ParsedCidr } from '../knowledge/net/addresses';
import type { PortRange, Transport } from '../knowledge/ports';

/** Where an entry admits traffic from. */
export type FirewallSource =
  | { kind: 'any' }
  | { kind: 'cidr'; cidr: ParsedCidr }
  /** The machines a firewall guards (AWS `self = true`, `source_security_group_id`; OpenStack `remote_group_id`). */
  | { kind: 'members'; firewall: string; label: string }
  | { kind: 'unknown'; why: string };

/** One inbound allow entry of an external firewall. */
export interface ExternalFirewallEntry {
  /** `all`: every protocol (AWS `-1`); `unknown`: not evaluable (the reason is in `unknown`). */
  protocol: Transport | 'all' | 'other' | 'unknown';
  /** `all`: every port of the protocol. */
  ports: PortRange | 'all' | 'unknown';
  sources: Array<{ source: FirewallSource; at: Place }>;
  /** The entry (an `ingress` block, a rule resource). */
  at: Place;
  /** The protocol as written, for findings about it. */
  protocolAt?: Place;
  /** Why the entry's port, protocol or sources cannot be known: it then neither covers nor fails a requirement. */
  unknown?: string;
}

/** Which machine a firewall guards, as the file that attaches it writes the machine. */
export interface GuardSelector {
  /** The nodes of these roles ('any': every node), for firewalls that follow inventory groups (Ansible tasks). */
  roles?: ReadonlyArray<'control-plane' | 'worker' | 'etcd' | 'any'>;
  /** An IP address the machine has (its private address). */
  address?: string;
  /** A name that may be the node's hostname (an instance's `Name` tag). */
  name?: string;
  /** The machine's resource (related information points there). */
  at: Place;
  /** The machine may have more firewalls than those known (an id only the cloud knows): what it admits is not known. */
  alsoUnknown?: string;
  /** The firewalls (ids) attached to this machine. */
  firewalls: string[];
  /**
   * The firewalls filter only the machine's public interface (Hetzner Cloud): they guard a node
   * only where the cluster reaches it at a public address, never over a private network.
   */
  publicOnly?: boolean;
}

/** A firewall as a kind contributes it (a security group with its entries). */
export interface FirewallContribution {
  /** Unique in the cluster: the module's directory and the resource address. */
  id: string;
  /** How messages name it: `aws_security_group "k8s"`. */
  label: string;
  /** The resource's header: where findings about a missing entry go. */
  header: Place;
  entries: ExternalFirewallEntry[];
  /** Entries may exist that are not known (rules whose group is not known): nothing is missing for sure. */
  incomplete?: string;
  /**
   * Where it filters: in front of the machine (a cloud firewall: the default) or on it (a host
   * firewall Ansible configures). Traffic passes both layers, so each is checked on its own; within a
   * layer a node gets the union of its firewalls' allows.
   */
  layer?: 'host';
  /** What the quick-fix needs to write a missing entry in the file's own style. */
  style: 'aws-inline' | 'aws-rules' | 'hcloud' | 'openstack' | 'gcp' | 'ansible';
}

/** What the model links: every contributed firewall and every machine that says which firewalls guard it. */
export interface FirewallFacts {
  firewalls: readonly FirewallContribution[];
  selectors: readonly GuardSelector[];
}
