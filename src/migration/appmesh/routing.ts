/**
 * Routing intent: which route of a virtual router carries its default traffic, and which target
 * of a route receives most of it.
 */
import { asArray, isObject, str } from '../util';
import type { Ctx, Route, Target } from './model';

/** Whether a route takes every request it sees (no content match): the router's default. */
export function isCatchAll(route: Route): boolean {
  if (route.kind === 'tcp') return true;
  const match = isObject(route.spec.Match) ? route.spec.Match : {};
  const prefix = str(match.Prefix);
  return (prefix === undefined || prefix === '/') && match.Path === undefined && asArray(match.Headers).length === 0 &&
    match.Method === undefined && asArray(match.QueryParameters).length === 0 && match.Scheme === undefined &&
    match.ServiceName === undefined && match.MethodName === undefined && asArray(match.Metadata).length === 0;
}

/**
 * The route that carries a router's default traffic: the first catch-all route by priority (a
 * route without priority comes after the numbered ones), else the first route by priority.
 */
export function defaultRoute(c: Ctx, router: string, port?: number, single = true): Route | undefined {
  const routes = c.routes.filter((rt) => rt.router === router &&
    (single || port === undefined || rt.targets.some((t) => t.port === undefined || t.port === port)))
    .map((rt, i) => ({ rt, i }))
    .sort((a, b) => (a.rt.priority ?? Infinity) - (b.rt.priority ?? Infinity) || a.i - b.i)
    .map((x) => x.rt);
  return routes.find(isCatchAll) ?? routes[0];
}

/** The target of a route that receives most of its traffic (the largest weight; the first on a tie). */
export function primaryOf(targets: Target[]): string {
  const byNode = new Map<string, number>();
  for (const t of targets) byNode.set(t.node, (byNode.get(t.node) ?? 0) + t.weight);
  let best: string | undefined;
  for (const [node, weight] of byNode) {
    if (best === undefined || weight > byNode.get(best)!) best = node;
  }
  return best ?? targets[0]?.node ?? '?';
}

