/**
 * The port an RKE2 or K3s node joining a cluster names in its `server:` URL: the servers'
 * supervisor, where agents register and servers join. Only this table knows these numbers.
 *
 * Sources:
 * - RKE2: https://docs.rke2.io/install/requirements#inbound-network-rules (9345/TCP, "RKE2
 *   supervisor API", from agents and joining servers); RKE2 sets the supervisor port to 9345 in
 *   its own defaults and drops k3s's `supervisor-port` and `https-listen-port` flags, so no
 *   setting moves it.
 * - K3s: https://docs.k3s.io/installation/requirements#inbound-rules-for-k3s-nodes (6443/TCP,
 *   "K3s supervisor and Kubernetes API Server", from agents); `https-listen-port` moves it, and
 *   the hidden, experimental `supervisor-port` splits the supervisor off onto a port of its own
 *   (0 or unset: the same as https-listen-port).
 */
import { FORMAT_DOCS } from './docs';

export type JoinDistribution = 'rke2' | 'k3s';

export interface JoinPort {
  /** How messages name the distribution. */
  name: string;
  /** The supervisor's port when no setting moves it. */
  defaultPort: number;
  /** What listens there, for messages. */
  listener: string;
  /**
   * The server flags that move it, the one that wins first: a non-zero value of the first one
   * written is the port. Empty when nothing moves it.
   */
  movedBy: readonly string[];
  /**
   * Whether the port the URL names is also the port an agent later dials on every server it
   * learns of (the supervisor runs apart from the API server: RKE2, or K3s with
   * `supervisor-port`). Then the URL's port must be the supervisor's even behind a load
   * balancer; otherwise only the first connection uses it.
   */
  portReusedForServers: boolean;
  docs: string;
}

export const JOIN_PORTS: Readonly<Record<JoinDistribution, JoinPort>> = {
  rke2: {
    name: 'RKE2',
    defaultPort: 9345,
    listener: 'the supervisor',
    movedBy: [],
    portReusedForServers: true,
    docs: FORMAT_DOCS.rke2InboundRules,
  },
  k3s: {
    name: 'K3s',
    defaultPort: 6443,
    listener: 'the supervisor and API server',
    movedBy: ['supervisor-port', 'https-listen-port'],
    portReusedForServers: false,
    docs: FORMAT_DOCS.k3sInboundRules,
  },
};

/** The port an agent dials for a URL without one: Go's URL default for the scheme. */
export const URL_DEFAULT_PORTS: Readonly<Record<string, number>> = { https: 443, http: 80 };
