import { isScalar, isSeq, type Node } from 'yaml';
import type { Finding } from '../../core/findings';
import type { Chunk, Origin, Value } from '../../core/located';
import type { LineIndex } from '../../core/text/lineIndex';
import type { Range } from '../../core/text/positions';
import { findPair, keySpan, nodeSpan, resolveAlias, type YamlDoc } from '../../core/yaml/ast';
import { parseInterfaceAddress } from '../../knowledge/net/addresses';
import { parseMac } from '../../knowledge/net/mac';
import { IP_PROTOCOL_NUMBERS, IP_PROTOCOLS, PROTOCOLS, ROLES, type Protocol, type Transport } from '../../knowledge/ports';
import type { FirewallEntry, InterfaceFacts, ListenerFacts, NodeFacts } from '../../model/cluster';
import type { InventoryHead } from './model';

/** The document kind id nodes read here carry. */
export const INVENTORY_KIND_ID = 'inventory';

/** Reads values with ranges out of a parsed YAML tree, relative to the text it was parsed from. */
class Reader {
  constructor(
    readonly lines: LineIndex,
    readonly doc: YamlDoc,
  ) {}

  rangeOf(node: Node | null | undefined): Range | undefined {
    const span = nodeSpan(node);
    return span ? this.lines.rangeOf(span[0], span[1]) : undefined;
  }

  resolve(node: unknown): unknown {
    return resolveAlias(node, this.doc);
  }

  string(map: unknown, key: string): Value<string> | undefined {
    const node = this.resolve(findPair(map, key)?.value);
    if (!isScalar(node) || typeof node.value !== 'string') return undefined;
    return { value: node.value, range: this.rangeOf(node)! };
  }

  integer(map: unknown, key: string): Value<number> | undefined {
    const node = this.resolve(findPair(map, key)?.value);
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) return undefined;
    return { value: node.value, range: this.rangeOf(node)! };
  }

  keyRange(map: unknown, key: string): Range | undefined {
    const pair = findPair(map, key);
    const span = pair && keySpan(pair);
    return span ? this.lines.rangeOf(span[0], span[1]) : undefined;
  }

  items(map: unknown, key: string): unknown[] | undefined {
    const node = this.resolve(findPair(map, key)?.value);
    return isSeq(node) ? node.items.map((i) => this.resolve(i)) : undefined;
  }

  protocol(map: unknown): Protocol {
    const value = this.string(map, 'protocol')?.value;
    return PROTOCOLS.includes(value as Protocol) ? (value as Protocol) : 'TCP';
  }

  /** A firewall entry's protocol: TCP, UDP, SCTP, or an IP protocol by name (IPIP, ESP, GRE) or number (4, 50, 47). */
  transport(map: unknown): Transport {
    const node = this.resolve(findPair(map, 'protocol')?.value);
    const value = isScalar(node) ? node.value : undefined;
    const byNumber = IP_PROTOCOLS.find((p) => IP_PROTOCOL_NUMBERS[p] === value || String(IP_PROTOCOL_NUMBERS[p]) === value);
    if (byNumber) return byNumber;
    if (IP_PROTOCOLS.includes(value as never)) return value as Transport;
    return this.protocol(map);
  }

  boolean(map: unknown, key: string): Value<boolean> | undefined {
    const node = this.resolve(findPair(map, key)?.value);
    if (!isScalar(node) || typeof node.value !== 'boolean') return undefined;
    return { value: node.value, range: this.rangeOf(node)! };
  }
}

/**
 * What the model knows about one node item. `origin` is where its ranges are relative to;
 * items parsed on a parser thread get theirs when the document takes them.
 */
export function readNode(item: unknown, lines: LineIndex, doc: YamlDoc, origin: Origin, broken: boolean): NodeFacts {
  const r = new Reader(lines, doc);
  const node = r.resolve(item);
  const itemRange = r.rangeOf(item as Node) ?? lines.rangeOf(0, 0);
  const roleValues = r.items(node, 'roles') ?? [];
  const roles = ROLES.filter((role) => roleValues.some((v) => isScalar(v) && v.value === role));

  const interfaceItems = r.items(node, 'interfaces');
  const interfaces: InterfaceFacts[] | undefined = interfaceItems?.flatMap((i) => {
    const mac = r.string(i, 'mac');
    const parsedMac = mac && parseMac(mac.value);
    const name = r.string(i, 'name');
    const mtu = r.integer(i, 'mtu');
    // One range object for the item: the facts of a dual-stack interface's addresses share it, which tells they are one interface.
    const interfaceRange = r.rangeOf(i as Node) ?? itemRange;
    const facts = (address: Value<string> | undefined, hasAddress: boolean): InterfaceFacts => ({
      name,
      mac,
      address,
      mtu,
      macKey: parsedMac && parsedMac.ok ? parsedMac.normalized : undefined,
      addressKey: address && parseInterfaceAddress(address.value)?.canonical,
      hasAddress,
      itemRange: interfaceRange,
    });
    // A dual-stack interface lists `addresses`: rules see one interface per address, all with its name and MAC.
    const list = r.items(i, 'addresses');
    if (list?.length) {
      return list.map((item) =>
        facts(
          isScalar(item) && typeof item.value === 'string' ? { value: item.value, range: r.rangeOf(item)! } : undefined,
          true,
        ),
      );
    }
    return [facts(r.string(i, 'address'), !isNull(r.resolve(findPair(i, 'address')?.value)) || list !== undefined)];
  });
  // An explicit `interfaces:` with no value counts as empty, not absent.
  const interfacesPair = findPair(node, 'interfaces');
  const interfacesEmpty = interfacesPair !== undefined && isNull(r.resolve(interfacesPair.value));

  const firewall: FirewallEntry[] = (r.items(node, 'firewall') ?? []).map((entry) => {
    const portNode = r.resolve(findPair(entry, 'port')?.value);
    let port: Value<number | string> | undefined;
    if (
      isScalar(portNode) &&
      (typeof portNode.value === 'string' || (typeof portNode.value === 'number' && Number.isInteger(portNode.value)))
    ) {
      port = { value: portNode.value as number | string, range: r.rangeOf(portNode)! };
    }
    const protocolNode = r.resolve(findPair(entry, 'protocol')?.value);
    const protocolValue =
      isScalar(protocolNode) && (typeof protocolNode.value === 'string' || typeof protocolNode.value === 'number')
        ? { value: protocolNode.value, range: r.rangeOf(protocolNode)! }
        : undefined;
    return {
      port,
      protocol: r.transport(entry),
      protocolValue,
      source: r.string(entry, 'source'),
      itemRange: r.rangeOf(entry as Node) ?? itemRange,
    };
  });

  const listeners: ListenerFacts[] = (r.items(node, 'listeners') ?? []).map((listener) => ({
    name: r.string(listener, 'name')?.value,
    port: r.integer(listener, 'port'),
    protocol: r.protocol(listener),
    itemRange: r.rangeOf(listener as Node),
  }));

  return {
    kind: INVENTORY_KIND_ID,
    origin,
    itemRange,
    hostname: r.string(node, 'hostname'),
    roles,
    interfacesKey: r.keyRange(node, 'interfaces'),
    interfaces: interfacesEmpty ? [] : interfaces,
    firewallKey: r.keyRange(node, 'firewall'),
    firewall,
    listeners,
    broken,
  };
}

/** The inventory's settings; `root` is the document's top-level mapping. */
export function readHead(root: unknown, lines: LineIndex, doc: YamlDoc, chunk: Chunk, parseFindings: Finding[]): InventoryHead {
  const r = new Reader(lines, doc);
  const spec = r.resolve(findPair(root, 'spec')?.value);
  const metadata = r.resolve(findPair(root, 'metadata')?.value);
  return {
    chunk,
    name: r.string(metadata, 'name')?.value,
    apiVersion: r.string(root, 'apiVersion'),
    distribution: r.string(spec, 'distribution'),
    apiServerPort: r.integer(spec, 'apiServerPort'),
    nodePortRange: r.string(spec, 'nodePortRange'),
    nodesKey: r.keyRange(spec, 'nodes'),
    cni: readCni(r, spec),
    networks: readNetworks(r, spec),
    parseFindings,
  };
}

function readCni(r: Reader, spec: unknown): InventoryHead['cni'] {
  const key = r.keyRange(spec, 'cni');
  if (!key) return undefined;
  const cni = r.resolve(findPair(spec, 'cni')?.value);
  return {
    key,
    plugin: r.string(cni, 'plugin'),
    mode: r.string(cni, 'mode'),
    wireguard: r.boolean(cni, 'wireguard'),
    mtu: r.integer(cni, 'mtu'),
  };
}

function readNetworks(r: Reader, spec: unknown): InventoryHead['networks'] {
  return (r.items(spec, 'networks') ?? []).flatMap((item) => {
    const cidr = r.string(item, 'cidr');
    return cidr ? [{ name: r.string(item, 'name')?.value, cidr }] : [];
  });
}

/** Absent, `key:` with nothing after it, or an explicit null. */
function isNull(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null);
}
