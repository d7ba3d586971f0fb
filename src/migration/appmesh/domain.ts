/**
 * The mesh's own DNS domain (the namespace the migrated services join, and what counts as
 * outside the mesh for egress).
 */
import type { Ctx } from './model';

/** The DNS domain of the mesh: the nodes' Cloud Map namespace, else the suffix most virtual service names share. */
export function meshDomain(c: Ctx): string | undefined {
  const cloudMap = c.nodes.map((n) => n.cloudMapNamespace).find((n) => n !== undefined && !n.includes('${GetAtt:') && !n.includes('${Ref:'));
  if (cloudMap) return cloudMap;
  const counts = new Map<string, number>();
  const withTask = new Set(c.taskDefs.map((td) => td.meshResource?.name));
  for (const name of [...c.virtualServices.map((v) => v.name), ...c.nodes.map((n) => n.hostname ?? '')]) {
    const labels = labelsOf(name);
    if (labels.length < 2) continue;
    const suffix = labels.slice(1).join('.');
    if (!/^[\x21-\x7e]+$/.test(suffix) || suffix.includes('${GetAtt:') || suffix.includes('${Ref:')) continue;
    counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
  }
  // A bare top-level domain (`com` of github.com) is a public suffix, never the mesh's own domain;
  // a suffix of a node that a task runs, or one built from deploy-time values, wins a tie.
  const score = (suffix: string) => (counts.get(suffix) ?? 0) * 4 +
    (c.nodes.some((n) => withTask.has(n.name) && n.hostname !== undefined && labelsOf(n.hostname).slice(1).join('.') === suffix) ? 2 : 0) +
    (suffix.includes('${') ? 1 : 0);
  const candidates = [...counts.keys()].filter((s) => s.includes('.') || s.includes('${'));
  let best: string | undefined;
  for (const suffix of candidates.length > 0 ? candidates : [...counts.keys()]) if (best === undefined || score(suffix) > score(best)) best = suffix;
  return best;
}

/** The DNS labels of a name, a `${…}` reference counting as part of its label (`a.${X.Y}.local` → a, ${X.Y}, local). */
export function labelsOf(name: string): string[] {
  return name.match(/(\$\{[^}]*\}|[^.])+/g) ?? [];
}

