import * as assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/analysis/workspace';
import type { NodeFacts } from '../../server/src/engine/model/cluster';
import { RULES } from '../../server/src/engine/rules/catalogue';
import type { NodeFact } from '../../server/src/engine/rules/types';
import { controlPlane, inventory, ROOT, worker } from '../helpers';

/** Which declared fact a property of a node (or of one of its interfaces) belongs to. */
const NODE_PROPERTY_FACT: Record<string, NodeFact | 'place'> = {
  hostname: 'hostname',
  roles: 'roles',
  broken: 'broken',
  // Where findings go, not what they say.
  origin: 'place',
  itemRange: 'place',
  kind: 'place',
};
const INTERFACE_PROPERTY_FACT: Record<string, NodeFact | 'place'> = {
  mac: 'macs',
  macKey: 'macs',
  address: 'addresses',
  addressKey: 'addresses',
  hasAddress: 'addresses',
  // The MTU rules name the interface, and tell a dual-stack interface's addresses apart from two interfaces by its item.
  mtu: 'mtus',
  name: 'mtus',
  itemRange: 'place',
};

/** A node whose property reads are recorded, as facts; a read no fact covers is recorded as itself. */
function watched(node: NodeFacts, read: Set<string>): NodeFacts {
  return new Proxy(node, {
    get(target, property, receiver) {
      const name = String(property);
      const value = Reflect.get(target, property, receiver);
      if (name === 'interfaces') {
        return value?.map(
          (iface: object) =>
            new Proxy(iface, {
              get(i, p, r) {
                read.add(INTERFACE_PROPERTY_FACT[String(p)] ?? `interfaces.${String(p)}`);
                return Reflect.get(i, p, r);
              },
            }),
        );
      }
      read.add(NODE_PROPERTY_FACT[name] ?? name);
      return value;
    },
  });
}

describe('rule runner', () => {
  it('cross-node checks read only the node facts they declare (the cache key is made of them)', () => {
    // Two clusters that give every cross-node check something to report: duplicate hostnames,
    // MACs and addresses and an even etcd count in one, no control-plane node in the other.
    const workspace = new Workspace();
    workspace.setRoots([ROOT]);
    const twin = worker('cp-2', 7).replace('52:54:00:00:01:07', '52:54:00:00:00:0b').replace('192.168.1.107', '192.168.1.12');
    // And one node whose interface MTU differs from the others'.
    const mtu = (node: string, value: number) => node.replace(/(address: [^\n]+\n)/, `$1          mtu: ${value}\n`);
    workspace.setText(
      `${ROOT}a/inventory.yaml`,
      inventory(mtu(controlPlane('cp-1', 11), 1500) + mtu(controlPlane('cp-2', 12), 1500) + mtu(twin, 1450)),
    );
    workspace.setText(`${ROOT}b/inventory.yaml`, inventory(worker('w-1', 1)));
    for (const rule of RULES.filter((r) => r.checkNodes)) {
      const read = new Set<string>();
      let reported = 0;
      for (const uri of [`${ROOT}a/inventory.yaml`, `${ROOT}b/inventory.yaml`]) {
        const model = workspace.model(uri);
        const nodes = model.nodes.map((n) => watched(n, read));
        const rosters = model.rosters.map((r) => ({ ...r, nodes: r.nodes.map((n) => watched(n, read)) }));
        const anyEtcdRole = model.nodes.some((n) => n.roles.includes('etcd'));
        rule.checkNodes!.check({ nodes, rosters, anyEtcdRole }, () => reported++);
      }
      read.delete('place');
      assert.deepEqual(
        [...read].filter((fact) => !rule.checkNodes!.reads.includes(fact as NodeFact)),
        [],
        `${rule.meta.id} reads undeclared facts`,
      );
      assert.ok(reported > 0, `${rule.meta.id} reported on these clusters`);
    }
  });
});
