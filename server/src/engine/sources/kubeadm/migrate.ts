import { isMap, isScalar, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document, type Pair } from 'yaml';
import type { TextEdit } from '../../core/edits';
import type { Position } from '../../core/text/positions';
import type { ConfigDocument } from './configDocument';

export const MIGRATE_TITLE = 'Migrate this file to kubeadm.k8s.io/v1beta4';
const V1BETA4 = 'kubeadm.k8s.io/v1beta4';

/** Where v1beta3 writes flags as maps that v1beta4 writes as name/value lists. */
const ARG_PATHS: Record<string, string[][]> = {
  ClusterConfiguration: [
    ['apiServer', 'extraArgs'],
    ['controllerManager', 'extraArgs'],
    ['scheduler', 'extraArgs'],
    ['etcd', 'local', 'extraArgs'],
  ],
  InitConfiguration: [['nodeRegistration', 'kubeletExtraArgs']],
  JoinConfiguration: [['nodeRegistration', 'kubeletExtraArgs']],
};

/**
 * Rewrites every kubeadm.k8s.io/v1beta3 document of a file as v1beta4, the way `kubeadm
 * config migrate` would, but keeping comments: apiVersion, extraArgs/kubeletExtraArgs maps
 * become name/value lists, apiServer.timeoutForControlPlane moves to the Init/Join
 * configurations' timeouts.controlPlaneComponentHealthCheck and discovery.timeout to
 * timeouts.discovery. Other documents of the file are left as they are.
 */
export function migrationEdits(
  fileText: string,
  documents: readonly ConfigDocument[],
  positionAt: (offset: number) => Position,
): TextEdit[] | undefined {
  const targets = documents.filter((d) => d.api?.status === 'deprecated');
  if (targets.length === 0) return undefined;
  const parsed = targets.map((target) => {
    const text = fileText.slice(target.chunk.startOffset, target.end);
    return { target, text, doc: parseDocument(text) };
  });
  if (parsed.some(({ doc }) => doc.errors.length)) return undefined;

  const controlPlaneTimeouts: Scalar[] = [];
  for (const { doc } of parsed) {
    const kind = String(doc.get('kind'));
    (doc.get('apiVersion', true) as Scalar).value = V1BETA4;
    for (const path of ARG_PATHS[kind] ?? []) {
      const args = doc.getIn(path, true);
      if (isMap(args)) doc.setIn(path, argsList(args as YAMLMap));
    }
    if (kind === 'ClusterConfiguration') {
      const timeout = doc.getIn(['apiServer', 'timeoutForControlPlane'], true);
      if (isScalar(timeout)) {
        controlPlaneTimeouts.push(timeout);
        doc.deleteIn(['apiServer', 'timeoutForControlPlane']);
      }
    }
    if (kind === 'JoinConfiguration') {
      const timeout = doc.getIn(['discovery', 'timeout'], true);
      if (isScalar(timeout)) {
        doc.deleteIn(['discovery', 'timeout']);
        setTimeout(doc, 'discovery', timeout);
      }
    }
  }
  if (controlPlaneTimeouts.length) {
    const receivers = parsed.filter(({ doc }) => ['InitConfiguration', 'JoinConfiguration'].includes(String(doc.get('kind'))));
    for (const { doc } of receivers)
      if (!doc.hasIn(['timeouts', 'controlPlaneComponentHealthCheck']))
        setTimeout(doc, 'controlPlaneComponentHealthCheck', controlPlaneTimeouts[0]);
    if (receivers.length === 0) {
      // Nowhere to move it in this file: say where it belongs rather than lose it silently.
      const cluster = parsed.find(({ doc }) => doc.get('kind') === 'ClusterConfiguration')!.doc;
      const apiServer = cluster.get('apiServer', true) as YAMLMap;
      const note = ` timeoutForControlPlane ${controlPlaneTimeouts[0].value} moved: set timeouts.controlPlaneComponentHealthCheck in your InitConfiguration/JoinConfiguration`;
      apiServer.comment = apiServer.comment ? `${apiServer.comment}\n${note}` : note;
    }
  }
  return parsed.map(({ target, text, doc }) => ({
    range: { start: positionAt(target.chunk.startOffset), end: positionAt(target.end) },
    newText: doc.toString({ ...styleOf(text), lineWidth: 0 }),
  }));
}

/** `{flag: value}` as `[{name: flag, value: "value"}]`, keeping each entry's comments. */
function argsList(map: YAMLMap): YAMLSeq {
  const list = new YAMLSeq();
  list.commentBefore = map.commentBefore;
  list.comment = map.comment;
  for (const pair of map.items as Pair<Scalar, Scalar | null>[]) {
    const entry = new YAMLMap();
    entry.set('name', new Scalar(String(pair.key?.value)));
    const value = new Scalar(pair.value?.value === null || pair.value === null ? '' : String(pair.value.value));
    value.type = 'QUOTE_DOUBLE';
    value.comment = pair.value?.comment;
    entry.set('value', value);
    entry.commentBefore = pair.key?.commentBefore;
    list.items.push(entry);
  }
  return list;
}

function setTimeout(doc: Document, name: string, value: Scalar): void {
  const moved = new Scalar(value.value);
  moved.comment = value.comment;
  doc.setIn(['timeouts', name], moved);
}

/** Indentation of the original text, so the rewritten document looks like its neighbours. */
function styleOf(text: string): { indent: number; indentSeq: boolean } {
  const indents = [...text.matchAll(/^( +)\S/gm)].map((m) => m[1].length);
  const indent = indents.length ? Math.min(...indents) : 2;
  const compact = /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(text);
  return { indent, indentSeq: !compact };
}
