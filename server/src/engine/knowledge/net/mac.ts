/**
 * MAC addresses as people write them in inventories: colon or hyphen separated octets,
 * or Cisco-style dotted groups of four hex digits, any case (the notations Go's
 * net.ParseMAC accepts, which is what Kubernetes tooling uses).
 */
export type MacParse = { ok: true; normalized: string; octets: number[] } | { ok: false; problem: string };

const SEPARATED = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}(?:(?:\1[0-9a-f]{2}){2}|(?:\1[0-9a-f]{2}){14})?$/i;
const DOTTED = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}(?:\.[0-9a-f]{4}(?:\.[0-9a-f]{4}){5})?$/i;

export function parseMac(text: string): MacParse {
  const trimmed = text.trim();
  let hex: string;
  if (SEPARATED.test(trimmed)) hex = trimmed.replace(/[:-]/g, '');
  else if (DOTTED.test(trimmed)) hex = trimmed.replace(/\./g, '');
  else {
    return {
      ok: false,
      problem: `"${text}" is not a MAC address; write six hex octets such as 52:54:00:12:34:56 (also accepted: 52-54-00-12-34-56 or 5254.0012.3456)`,
    };
  }
  const octets: number[] = [];
  for (let i = 0; i < hex.length; i += 2) octets.push(parseInt(hex.slice(i, i + 2), 16));
  const normalized = octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
  if (octets.every((o) => o === 0))
    return { ok: false, problem: `${normalized} is the all-zero MAC address, which no network interface uses` };
  // The I/G bit (least significant bit of the first octet) marks group addresses:
  // multicast and broadcast, never a NIC's own address.
  if (octets[0] & 1)
    return { ok: false, problem: `${normalized} is a multicast/broadcast (group) address, not an interface's unicast address` };
  return { ok: true, normalized, octets };
}
