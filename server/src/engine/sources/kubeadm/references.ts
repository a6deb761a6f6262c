/** kubeadm's references to nodes: nodeRegistration.name (a hostname) and advertiseAddress (an address). */
import { parseInterfaceAddress } from '../../knowledge/net/addresses';
import type { Member } from '../../model/cluster';
import type { NodeReference } from '../kind';
import type { ConfigDocument } from './configDocument';

export function configReferences(members: ReadonlyArray<Member<ConfigDocument>>): NodeReference[] {
  const out: NodeReference[] = [];
  for (const { uri, doc } of members) {
    const origin = { uri, chunk: doc.chunk };
    const { nodeName, advertiseAddress } = doc.facts;
    if (nodeName?.value)
      out.push({
        what: 'hostname',
        key: nodeName.value.toLowerCase(),
        place: { origin, range: nodeName.range, owner: doc },
        renamable: true,
      });
    const address = advertiseAddress?.value && parseInterfaceAddress(advertiseAddress.value);
    if (address)
      out.push({
        what: 'address',
        key: address.canonical,
        place: { origin, range: advertiseAddress!.range, owner: doc },
        renamable: false,
      });
  }
  return out;
}
