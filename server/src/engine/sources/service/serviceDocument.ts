import { isScalar, type Node } from 'yaml';
import type { Finding } from '../../core/findings';
import type { Value } from '../../core/located';
import { detach } from '../../core/text/detach';
import type { Range } from '../../core/text/positions';
import { findPair, getMap, getSeq, resolveAlias, stringValue } from '../../core/yaml/ast';
import { parseYaml, syntaxFindings } from '../../core/yaml/parse';
import { PROTOCOLS, type Protocol } from '../../knowledge/ports';
import { ParsedDocument, type DocumentKind } from '../kind';

export interface NodePortEntry extends Value<number> {
  protocol: Protocol;
  /** The port's name, or its index in spec.ports when it has none. */
  label: string;
}

/** A `v1 Service` document: what the NodePort rules need. */
export class ServiceDocument extends ParsedDocument {
  private constructor(
    readonly kind: DocumentKind,
    start: number,
    startLine: number,
    end: number,
    readonly name: string | undefined,
    readonly namespace: string | undefined,
    readonly nodePorts: NodePortEntry[],
    readonly findings: Finding[],
    /** The Service's `kind` value, where findings about the whole Service go. */
    readonly kindRange: Range | undefined,
  ) {
    super(start, startLine, end);
  }

  static parse(documentKind: DocumentKind, text: string, start: number, end: number, startLine: number): ServiceDocument {
    const { doc, lines } = parseYaml(detach(text.slice(start, end)));
    const findings = syntaxFindings({ doc, lines });
    const root = doc.contents;
    const metadata = getMap(root, 'metadata', doc);
    const nodePorts: NodePortEntry[] = [];
    (getSeq(getMap(root, 'spec', doc), 'ports', doc)?.items ?? []).forEach((item, index) => {
      const port = resolveAlias(item, doc);
      const nodePort = resolveAlias(findPair(port, 'nodePort')?.value, doc);
      // 0 (or null) means "unset": the API server allocates a port, and checks the range only for others.
      if (!isScalar(nodePort) || typeof nodePort.value !== 'number' || nodePort.value === 0 || !nodePort.range) return;
      const protocol = stringValue(resolveAlias(findPair(port, 'protocol')?.value, doc));
      nodePorts.push({
        value: nodePort.value,
        range: lines.rangeOf(nodePort.range[0], nodePort.range[1]),
        protocol: PROTOCOLS.includes(protocol as Protocol) ? (protocol as Protocol) : 'TCP',
        label: stringValue(resolveAlias(findPair(port, 'name')?.value, doc)) ?? `#${index}`,
      });
    });
    const kindNode = findPair(root, 'kind')?.value as Node | undefined;
    return new ServiceDocument(
      documentKind,
      start,
      startLine,
      end,
      stringValue(resolveAlias(findPair(metadata, 'name')?.value, doc)),
      stringValue(resolveAlias(findPair(metadata, 'namespace')?.value, doc)),
      nodePorts,
      findings,
      kindNode?.range ? lines.rangeOf(kindNode.range[0], kindNode.range[1]) : undefined,
    );
  }

  /** "default/web" — how messages name the Service. */
  get displayName(): string {
    return `${this.namespace ?? 'default'}/${this.name ?? '(unnamed)'}`;
  }
}
