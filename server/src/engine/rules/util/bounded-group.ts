/**
 * Group rules (duplicate-hostname, duplicate-ip, duplicate-mac, nodeport-duplicate) report every member of a
 * group, each pointing at the others. A template that forgot to vary one value makes groups of thousands:
 * listing every other member on every finding is quadratic in the group's size (2,000 copies gave 4,000,000
 * related locations). Each finding names and points at this many others, and says how many more there are.
 */
export const MAX_RELATED = 20;

/**
 * The first `limit` members of `group` other than those `isSelf` accepts, without visiting the rest:
 * with the self member among the first few, the cost is O(limit), not O(group).
 */
export function firstOthers<T>(group: Iterable<T>, isSelf: (member: T) => boolean, limit = MAX_RELATED): T[] {
  const others: T[] = [];
  if (limit <= 0) return others;
  for (const member of group) {
    if (isSelf(member)) continue;
    others.push(member);
    if (others.length >= limit) break;
  }
  return others;
}

/** `names` joined with ", " — the first `limit` of them, then "and 1,980 more" when `total` is larger. */
export function joinBounded(names: readonly string[], total = names.length, limit = MAX_RELATED): string {
  const shown = names.slice(0, limit);
  const more = total - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more.toLocaleString('en-US')} more` : shown.join(', ');
}
