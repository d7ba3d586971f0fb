import { isObject } from '../util';

/**
 * Fields of a Copilot manifest that are unions of exclusive shapes: when an environment override
 * sets one member, Copilot's transformers (internal/pkg/manifest/transform.go) clear the others
 * instead of merging them. Keyed by the path of the map that holds them.
 */
const EXCLUSIVE: { [path: string]: string[][] } = {
  'image': [['build'], ['location']],
  'count': [['spot'], ['range', 'cpu_percentage', 'memory_percentage', 'requests', 'response_time']],
  'sidecars.*': [['build'], ['image']],
};

/**
 * Apply a Copilot environment override the way Copilot does: maps merge key by key, lists and
 * scalars replace, and a value of another shape (a number where a map was, as in `count: 3` over
 * `count: { range: 1-10 }`) replaces the whole field. Union members exclude each other
 * (`count.spot` clears `count.range` and the scaling targets; `image.location` clears `image.build`).
 */
export function applyOverride(base: Record<string, unknown>, override: Record<string, unknown>, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  const groups = EXCLUSIVE[path] ?? EXCLUSIVE[path.replace(/\.[^.]+$/, '.*')] ?? [];
  for (const group of groups) {
    if (!group.some((k) => override[k] !== undefined && override[k] !== null)) continue;
    for (const other of groups) {
      if (other === group) continue;
      for (const k of other) delete out[k];
    }
  }
  for (const [k, v] of Object.entries(override)) {
    if (v === null || v === undefined) continue;
    const child = path ? `${path}.${k}` : k;
    out[k] = isObject(v) && isObject(out[k]) ? applyOverride(out[k] as Record<string, unknown>, v, child) : v;
  }
  return out;
}
