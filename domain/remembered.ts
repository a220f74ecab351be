/**
 * Answers of pure functions asked the same question again and again (a campaign page asks it for
 * each of its 1,000 recipients): kept per key, and all forgotten once `limit` are kept, so that
 * the memory stays bounded however many different questions a long-running process asks.
 */
export function remembered<K, V>(answers: Map<K, V>, key: K, limit: number, compute: () => V): V {
  const known = answers.get(key);
  if (known !== undefined) return known;
  const answer = compute();
  if (answers.size >= limit) answers.clear();
  answers.set(key, answer);
  return answer;
}

/** The map kept for `owner` (a zone, a configuration), made on first use. */
export function answersOf<O extends object, M>(maps: WeakMap<O, M>, owner: O, make: () => M): M {
  let map = maps.get(owner);
  if (map === undefined) maps.set(owner, (map = make()));
  return map;
}
