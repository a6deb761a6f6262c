/**
 * Writing a missing port into an Ansible firewalld task, in the file's own style: one more item
 * of the task's `loop` (or `with_items`) when the task opens `port: "{{ item }}"` over a block
 * list of `<port>/<protocol>` items. The new line copies the last item's indentation and quoting;
 * nothing else of the file changes. Other shapes get no fix.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { TextEdit } from '../../core/edits';
import { parseYaml } from '../../core/yaml/parse';
import type { PortRange, Transport } from '../../knowledge/ports';

function pairValue(map: YAMLMap, key: string): unknown {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

/** The task whose first key is on `line` (0-based, in `text`), searched through plays and blocks. */
function taskAt(node: unknown, line: number, lineOf: (offset: number) => number, depth = 0): YAMLMap | undefined {
  if (!isSeq(node) || depth > 20) return undefined;
  for (const item of node.items) {
    if (!isMap(item)) continue;
    const first = item.items[0]?.key as Node | undefined;
    if (first?.range && lineOf(first.range[0]) === line) return item;
    for (const key of ['block', 'rescue', 'always', 'tasks', 'pre_tasks', 'post_tasks']) {
      const found = taskAt(pairValue(item, key), line, lineOf, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

export function addLoopItems(
  text: string,
  positionAt: (offset: number) => { line: number; character: number },
  line: number,
  ports: readonly PortRange[],
  protocol: Transport,
): TextEdit[] | undefined {
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') return undefined;
  const { doc } = parseYaml(text);
  if (doc.errors.length) return undefined;
  const lineOf = (offset: number) => positionAt(offset).line;
  const task = taskAt(doc.contents, line, lineOf);
  if (!task) return undefined;
  const module = task.items.find(
    (p) => isScalar(p.key) && ['ansible.posix.firewalld', 'firewalld'].includes(String(p.key.value)),
  );
  if (!module || !isMap(module.value)) return undefined;
  const port = pairValue(module.value, 'port');
  if (!isScalar(port) || !/^\{\{\s*item\s*\}\}$/.test(String(port.value))) return undefined;
  const loop = pairValue(task, 'loop') ?? pairValue(task, 'with_items');
  if (!isSeq(loop) || loop.flow || loop.items.length === 0) return undefined;
  const last = loop.items[loop.items.length - 1];
  if (!isScalar(last) || !last.range || !/^\d+(-\d+)?\/(tcp|udp|sctp)$/i.test(String(last.value))) return undefined;
  // The last item's line: its indentation, its quoting, and where the next line starts.
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const prefix = text.slice(lineStart, last.range[0]);
  if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
  const newline = text.indexOf('\n', last.range[1]);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const quote = text[last.range[0]] === '"' || text[last.range[0]] === "'" ? text[last.range[0]] : '';
  const lowercase = String(last.value).endsWith(String(last.value).toLowerCase().slice(-3));
  const name = lowercase ? protocol.toLowerCase() : protocol;
  const lines = ports.map((p) => `${prefix}${quote}${p.low === p.high ? p.low : `${p.low}-${p.high}`}/${name}${quote}`);
  if (newline < 0) {
    const at = positionAt(text.length);
    return [{ range: { start: at, end: at }, newText: `${eol}${lines.join(eol)}` }];
  }
  const at = positionAt(newline + 1);
  return [{ range: { start: at, end: at }, newText: lines.map((l) => `${l}${eol}`).join('') }];
}
