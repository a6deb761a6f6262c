import type { ConfiguredPort } from '../kubeadm/componentPorts';
import { DOCS } from '../kubernetes/docs';
import { componentPort } from '../kubernetes/ports';
import type { ListenerModel } from '../inventory/model';
import { componentsOn } from '../inventory/requirements';
import { formatPortRange } from '../net/portRange';
import { describePort, describeSource } from './describe';
import { nodeLabel, type Rule } from './types';

export const portConflict: Rule = {
  meta: {
    id: 'port-conflict',
    severity: 'error',
    docs: DOCS.portsAndProtocols,
    title: 'A process claims a port a Kubernetes component needs, or two processes claim one port',
    description:
      "In an inventory: a listener binds the same port and protocol as a Kubernetes component that runs on its node (by the node's roles), or as another listener on the same node; reported on each conflicting listener's `port` value. A listener inside the NodePort range is a warning: kube-proxy serves NodePort Services on every node, so a Service given that port would not reach it. In kubeadm configs: two control-plane components configured onto the same port (API server, scheduler, controller manager, etcd client/peer/metrics, kubelet, kube-proxy).",
    appliesTo: ['inventory', 'kubeadm'],
    example: {
      bad: 'roles: [control-plane]\nlisteners:\n  - name: haproxy\n    port: 6443',
      good: 'roles: [control-plane]\nlisteners:\n  - name: haproxy\n    port: 8443',
    },
  },
  checkNode(node, ctx, report) {
    const components = componentsOn(node.roles, ctx);
    const nodePorts = components.find((c) => c.port.id === 'nodeport-services');
    const listeners = node.listeners.filter(
      (l): l is ListenerModel & { port: NonNullable<ListenerModel['port']> } => l.port !== undefined,
    );
    for (const listener of listeners) {
      const port = listener.port.value;
      const what = `Listener ${listener.name ? `"${listener.name}"` : 'without a name'} binds ${port}/${listener.protocol}`;
      for (const component of components) {
        if (component === nodePorts || component.port.protocol !== listener.protocol) continue;
        if (port < component.range.low || port > component.range.high) continue;
        report(
          listener.port.range,
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
          listener.port.range,
          `${what}, inside the NodePort range ${formatPortRange(nodePorts.range)}${describeSource(nodePorts)}; a NodePort Service given this port will not work on node ${nodeLabel(node)}.`,
          { severity: 'warning' },
        );
      }
      const others = listeners.filter(
        (other) => other !== listener && other.port.value === port && other.protocol === listener.protocol,
      );
      if (others.length) {
        const names = others.map((o) => (o.name ? `"${o.name}"` : 'an unnamed listener')).join(', ');
        report(listener.port.range, `${what}, and so does ${names} on node ${nodeLabel(node)}; only one process can bind it.`, {
          related: others.map((o) => ({
            range: o.port.range,
            message: `${o.name ?? 'Listener'} also binds ${port}/${o.protocol}`,
          })),
        });
      }
    }
  },
  checkCluster({ settings }, report) {
    // Every configured component runs on a control-plane node, so any two on one port collide.
    const byPort = new Map<number, ConfiguredPort[]>();
    for (const p of settings.configured.ports.values()) {
      if (p.disabled || p.id === 'nodeport-services') continue;
      const list = byPort.get(p.range.low) ?? [];
      byPort.set(p.range.low, [...list, p]);
    }
    for (const [port, group] of byPort) {
      if (group.length < 2) continue;
      for (const self of group) {
        if (!self.setting) continue;
        const others = group.filter((o) => o !== self);
        const named = others.map((o) =>
          o.setting
            ? `${componentPort(o.id).component} (${o.setting.description})`
            : `${componentPort(o.id).component} at its default (${o.key})`,
        );
        report(
          self.setting.uri,
          self.setting.range,
          `${componentPort(self.id).component} is set to port ${port} (${self.setting.description}), which ${named.join(' and ')} also ${others.length === 1 ? 'uses' : 'use'}; they cannot both bind it on a control-plane node.`,
          {
            related: others
              .filter((o) => o.setting)
              .map((o) => ({
                uri: o.setting!.uri,
                range: o.setting!.range,
                message: `${componentPort(o.id).component} on ${port}`,
              })),
          },
        );
      }
    }
  },
};
