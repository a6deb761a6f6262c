import { DOCS } from '../knowledge/docs';
import { formatPortRange, rangesOverlap } from '../knowledge/net/portRange';
import { componentPort } from '../knowledge/ports';
import { nodeLabel, placeOf, type ListenerFacts } from '../model/cluster';
import type { ConfiguredPort, EffectiveSettings } from '../model/settings';
import { componentsOn } from '../model/placement';
import type { Place } from '../core/located';
import type { Range } from '../core/text/positions';
import type { K0sConfigFacts } from '../sources/k0s/document';
import type { Report, Rule } from './types';
import { describePort, describeSource } from './util/describe';

export const portConflict: Rule = {
  meta: {
    id: 'port-conflict',
    severity: 'error',
    docs: DOCS.portsAndProtocols,
    title: 'A process claims a port a Kubernetes component needs, or two processes claim one port',
    description:
      "In an inventory: a listener binds the same port and protocol as a Kubernetes component that runs on its node (by the node's roles), or as another listener on the same node; reported on each conflicting listener's `port` value. A listener inside the NodePort range is a warning: kube-proxy serves NodePort Services on every node, so a Service given that port would not reach it. In kubeadm configs: two control-plane components configured onto the same port (API server, scheduler, controller manager, etcd client/peer/metrics, kubelet, kube-proxy). In k0s configs (k0sctl's embedded one or a standalone ClusterConfig): the API server port, the k0s join API (9443), konnectivity (8132, admin 8133) and, with etcd, the etcd peers (2380) set onto one port. In Kubespray: kube_apiserver_port set to a port another component binds on control-plane hosts.",
    appliesTo: ['inventory', 'kubeadm', 'kubespray', 'k0sctl', 'k0s'],
    example: {
      bad: 'roles: [control-plane]\nlisteners:\n  - name: haproxy\n    port: 6443',
      good: 'roles: [control-plane]\nlisteners:\n  - name: haproxy\n    port: 8443',
    },
  },
  checkNode(node, ctx, report) {
    const components = componentsOn(node.roles, ctx);
    const nodePorts = components.find((c) => c.port.id === 'nodeport-services');
    const listeners = node.listeners.filter(
      (l): l is ListenerFacts & { port: NonNullable<ListenerFacts['port']> } => l.port !== undefined,
    );
    for (const listener of listeners) {
      const port = listener.port.value;
      const what = `Listener ${listener.name ? `"${listener.name}"` : 'without a name'} binds ${port}/${listener.protocol}`;
      for (const component of components) {
        if (component === nodePorts || component.port.protocol !== listener.protocol) continue;
        if (port < component.range.low || port > component.range.high) continue;
        report(
          placeOf(node, listener.port),
          `${what}, which ${component.port.component} needs on node ${nodeLabel(node)}: ${describePort(component)}${describeSource(component)}.`,
        );
      }
      if (
        nodePorts &&
        listener.protocol === nodePorts.port.protocol &&
        port >= nodePorts.range.low &&
        port <= nodePorts.range.high
      ) {
        report(
          placeOf(node, listener.port),
          `${what}, inside the NodePort range ${formatPortRange(nodePorts.range)}${describeSource(nodePorts)}; a NodePort Service given this port will not work on node ${nodeLabel(node)}.`,
          { severity: 'warning' },
        );
      }
      const others = listeners.filter(
        (other) => other !== listener && other.port.value === port && other.protocol === listener.protocol,
      );
      if (others.length) {
        const names = others.map((o) => (o.name ? `"${o.name}"` : 'an unnamed listener')).join(', ');
        report(
          placeOf(node, listener.port),
          `${what}, and so does ${names} on node ${nodeLabel(node)}; only one process can bind it.`,
          {
            related: others.map((o) => ({
              at: placeOf(node, o.port),
              message: `${o.name ?? 'Listener'} also binds ${port}/${o.protocol}`,
            })),
          },
        );
      }
    }
  },
  checkDocument: {
    k0sctl: (doc, report, at) => k0sPortConflicts(doc.config, report, at, 'spec.k0s.config.spec.'),
    k0s: (doc, report, at) => k0sPortConflicts(doc.config, report, at, 'spec.'),
  },
  checkCluster(model, report) {
    const { settings } = model;
    if (model.members('kubespray').length) kubesprayPortConflicts(settings, report);
    // Every configured component runs on a control-plane node, so any two on one port collide.
    const byPort = new Map<number, ConfiguredPort[]>();
    for (const p of settings.configured?.ports.values() ?? []) {
      if (p.disabled || p.id === 'nodeport-services') continue;
      const list = byPort.get(p.range.low) ?? [];
      byPort.set(p.range.low, [...list, p]);
    }
    for (const [port, group] of byPort) {
      if (group.length < 2) continue;
      for (const self of group) {
        if (!self.setting?.place) continue;
        const others = group.filter((o) => o !== self);
        const named = others.map((o) =>
          o.setting
            ? `${componentPort(o.id).component} (${o.setting.description})`
            : `${componentPort(o.id).component} at its default (${o.key})`,
        );
        report(
          self.setting.place,
          `${componentPort(self.id).component} is set to port ${port} (${self.setting.description}), which ${named.join(' and ')} also ${others.length === 1 ? 'uses' : 'use'}; they cannot both bind it on a control-plane node.`,
          {
            related: others
              .filter((o) => o.setting?.place)
              .map((o) => ({
                at: o.setting!.place!,
                message: `${componentPort(o.id).component} on ${port}`,
              })),
          },
        );
      }
    }
  },
};

/**
 * Kubespray's kube_apiserver_port moved onto a port another component binds on control-plane
 * hosts (the kubelet, scheduler, controller manager, kube-proxy, or etcd stacked there).
 */
function kubesprayPortConflicts(settings: EffectiveSettings, report: Report): void {
  const api = settings.ports.get('kube-apiserver');
  if (!api?.source?.place || api.source.description !== 'kube_apiserver_port') return;
  const taken = [...settings.ports.values()].filter(
    (p) =>
      p !== api &&
      !p.disabled &&
      p.port.id !== 'nodeport-services' &&
      p.port.runsOn.some((where) => where === 'control-plane' || where === 'kubernetes-node' || where === 'etcd-member') &&
      rangesOverlap(p.range, api.range),
  );
  if (taken.length === 0) return;
  report(
    api.source.place,
    `kube_apiserver_port is ${api.range.low}, which ${taken.map((p) => `${p.port.component} (${p.port.purpose})`).join(' and ')} also ${taken.length === 1 ? 'binds' : 'bind'} on control-plane hosts; kube-apiserver cannot start there.`,
  );
}

/** The ports a k0s controller binds, as its config sets them (or their defaults), and any two that coincide. */
function k0sPortConflicts(config: K0sConfigFacts, report: Report, at: (range: Range) => Place, prefix: string): void {
  const etcd = !config.externalEtcd && (config.storageType?.value ?? 'etcd') === 'etcd';
  const ports: Array<{ name: string; port: number; set?: Range }> = [
    { name: `the API server (${prefix}api.port)`, port: config.apiPort?.value ?? 6443, set: config.apiPort?.range },
    { name: `the k0s join API (${prefix}api.k0sApiPort)`, port: config.k0sApiPort?.value ?? 9443, set: config.k0sApiPort?.range },
    {
      name: `konnectivity (${prefix}konnectivity.agentPort)`,
      port: config.konnectivityAgentPort?.value ?? 8132,
      set: config.konnectivityAgentPort?.range,
    },
    {
      name: `konnectivity's admin port (${prefix}konnectivity.adminPort)`,
      port: config.konnectivityAdminPort?.value ?? 8133,
      set: config.konnectivityAdminPort?.range,
    },
    ...(etcd ? [{ name: 'the etcd peers (2380)', port: 2380 }] : []),
  ];
  for (const self of ports) {
    if (!self.set) continue;
    const others = ports.filter((o) => o !== self && o.port === self.port);
    if (others.length === 0) continue;
    report(
      at(self.set),
      `${self.name.charAt(0).toUpperCase()}${self.name.slice(1)} is set to port ${self.port}, which ${others.map((o) => o.name).join(' and ')} also ${others.length === 1 ? 'uses' : 'use'}; they cannot both bind it on a controller.`,
      { related: others.filter((o) => o.set).map((o) => ({ at: at(o.set!), message: `${o.name} on ${self.port}` })) },
    );
  }
}
