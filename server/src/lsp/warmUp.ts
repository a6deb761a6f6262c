import type { ItemToParse } from '../engine/sources/inventory/inventoryDocument';

/**
 * Node items like those of a real inventory. The parser threads parse some as soon as
 * they start (in the background, about half a second of one core each), so that the first
 * large inventory a user opens runs compiled parser code: cold, its analysis takes about
 * a third longer.
 */
export function warmUpItems(count: number): ItemToParse[] {
  const items: ItemToParse[] = [];
  for (let i = 0; i < count; i++) {
    const octet = (i % 250) + 1;
    const text = [
      `    - hostname: sample-${i}`,
      `      roles: [${i % 10 ? 'worker' : 'control-plane'}]`,
      `      interfaces:`,
      `        - name: eth0`,
      `          mac: "52:54:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}"`,
      `          address: 10.0.${i >> 8}.${octet}/24`,
      `      firewall:`,
      `        - port: 10250`,
      `          protocol: TCP`,
      `          comment: kubelet`,
      `        - port: 30000-32767`,
      `      listeners:`,
      `        - name: exporter`,
      `          port: 9100`,
      '',
    ].join('\n');
    items.push({ text, startOffset: 0, startLine: 0 });
  }
  return items;
}

export const WORKER_WARM_UP_ITEMS = 1200;
