/** Kubernetes `v1` Services: their NodePorts are claims on the cluster's NodePort range. */
import type { DocumentKind } from '../kind';
import { serviceHover } from './hover';
import { ServiceDocument } from './serviceDocument';
import { serviceSymbols } from './symbols';

export const SERVICE_KIND_ID = 'service';

export const serviceKind: DocumentKind<ServiceDocument> = {
  id: SERVICE_KIND_ID,
  label: 'Kubernetes Service',
  definesCluster: false,
  recognize: ({ apiVersion, kind }) => apiVersion === 'v1' && kind === 'Service',
  // eslint-disable-next-line require-yield
  *analyze({ text, start, end, lineOf }) {
    return ServiceDocument.parse(serviceKind, text, start, end, lineOf(start));
  },
  contribute(members, into) {
    for (const { uri, doc } of members) {
      const origin = { uri, chunk: doc.chunk };
      for (const entry of doc.nodePorts) {
        into.nodePortClaims.push({
          port: entry.value,
          protocol: entry.protocol,
          label: entry.label,
          service: doc.displayName,
          serviceId: doc.name === undefined ? doc : doc.displayName,
          document: doc,
          at: { origin, range: entry.range, owner: doc },
        });
      }
    }
  },
  hover: serviceHover,
  symbols: serviceSymbols,
};
