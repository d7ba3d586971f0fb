/**
 * Egress: virtual nodes that stand for endpoints outside the mesh (github.com) are not services.
 * They leave the migrated nodes, and the report says how callers reach them without the mesh.
 */
import { FindingSeverity } from '../types';
import { asArray, isObject, str } from '../util';
import { meshDomain } from './domain';
import type { Ctx, Node, VirtualService } from './model';

/**
 * Egress: a virtual node whose DNS hostname lies outside the mesh's domain, is a literal name
 * (no parameter, import or stack name in it) and that no task runs stands for an external endpoint
 * (github.com), not a service. It leaves `c.nodes`; the
 * virtual services it provides are reported as egress.
 */
export function classifyEgress(c: Ctx): void {
  const domain = c.options.namespaceName ?? meshDomain(c);
  for (const node of [...c.nodes]) {
    const host = node.hostname;
    // A name built from deploy-time values (parameters, imports, the stack name) is the project's own, never a public endpoint.
    if (!host || host === '*' || node.cloudMapNamespace !== undefined || host.includes('${')) continue;
    if (c.taskDefs.some((td) => td.meshResource?.kind === 'virtualNode' && td.meshResource.name === node.name)) continue;
    if (domain !== undefined && (host === domain || host.endsWith(`.${domain}`))) continue;
    if (domain === undefined && !/\.[a-z]{2,}$/i.test(host)) continue;
    c.egressNodes.add(node.name);
    c.nodes.splice(c.nodes.indexOf(node), 1);
  }
  if (c.egressNodes.size === 0) return;
  const dropAll = c.meshes.some((m) => !(isObject(m.spec.EgressFilter) && str(m.spec.EgressFilter.Type) === 'ALLOW_ALL'));
  for (const vs of c.virtualServices) {
    const endpoints = egressEndpointsOf(c, vs);
    if (endpoints === undefined) continue;
    const callers = c.nodes.filter((n) => backendNames(n).includes(vs.name)).map((n) => c.display(n.name));
    for (const e of endpoints) c.egress.push(`${c.display(e.host)}:${e.port}`);
    const moved = endpoints.filter((e) => e.clientPort !== e.port);
    c.finding('egress-endpoint', dropAll ? FindingSeverity.WARNING : FindingSeverity.INFO, c.subject(`virtual service ${vs.name}`, vs.logicalId),
      'external endpoint (egress)',
      `${c.display(vs.name)} stands for ${endpoints.map((e) => `${c.display(e.host)}:${e.port}`).join(', ')} outside the mesh` +
      `${callers.length ? `, called by ${callers.join(', ')}` : ''}; no task runs it, so it is not migrated as a service and its name is not a Service Connect alias.` +
      (moved.length ? ` Clients dialed ${moved.map((e) => `${c.display(vs.name)}:${e.clientPort}`).join(', ')} (the router's port); without the mesh they dial ${moved.map((e) => `${c.display(e.host)}:${e.port}`).join(', ')}.` : ''),
      'Callers reach it directly through the VPC\'s NAT gateway or internet gateway: the generated services allow all outbound traffic. ' +
      (dropAll ? 'The mesh\'s DROP_ALL egress filter allowed only such declared endpoints; to keep that allow list, restrict outbound traffic with ' +
        'security-group rules on port(s) ' + [...new Set(endpoints.map((e) => e.port))].join(', ') + ' and a domain allow list in AWS Network Firewall or Route 53 Resolver DNS Firewall.'
        : 'Nothing else to do.'));
  }
  // Egress nodes no virtual service names (no caller reaches them through the mesh) are listed too.
  for (const name of c.egressNodes) {
    const node = findNode(c, name);
    if (!node) continue;
    for (const l of node.listeners) {
      const endpoint = `${c.display(node.hostname!)}:${l.port}`;
      if (!c.egress.includes(endpoint)) c.egress.push(endpoint);
    }
  }
}

export function backendNames(node: Node): string[] {
  return asArray(node.spec.Backends).filter(isObject)
    .map((b) => (isObject(b.VirtualService) ? str(b.VirtualService.VirtualServiceName) : undefined))
    .filter((n): n is string => n !== undefined);
}

/** The external endpoints a virtual service stands for, when all its targets are egress nodes. */
function egressEndpointsOf(c: Ctx, vs: VirtualService): Array<{ host: string; port: number; clientPort: number }> | undefined {
  const egressNode = (name: string) => c.egressNodes.has(name);
  if (vs.node !== undefined) {
    if (!egressNode(vs.node)) return undefined;
    const node = c.t.Resources ? findNode(c, vs.node) : undefined;
    return node ? node.listeners.map((l) => ({ host: node.hostname!, port: l.port, clientPort: l.port })) : [];
  }
  const router = c.routers.find((r) => r.name === vs.router);
  if (!router) return undefined;
  const targets = c.routes.filter((rt) => rt.router === router.name).flatMap((rt) => rt.targets);
  if (targets.length === 0 || !targets.every((t) => egressNode(t.node))) return undefined;
  const out: Array<{ host: string; port: number; clientPort: number }> = [];
  for (const t of targets) {
    const node = findNode(c, t.node);
    if (!node) continue;
    const port = t.port ?? node.listeners[0]?.port ?? router.listeners[0]?.port;
    out.push({ host: node.hostname!, port, clientPort: router.listeners[0]?.port ?? port });
  }
  return out;
}

/** An egress node by name (they are no longer in `c.nodes`). */
function findNode(c: Ctx, name: string): Node | undefined {
  return c.allNodes.find((n) => n.name === name);
}

/** Whether a virtual service stands for an external endpoint (all its targets are egress nodes). */
export function isEgress(c: Ctx, vs: VirtualService): boolean {
  return egressEndpointsOf(c, vs) !== undefined;
}

