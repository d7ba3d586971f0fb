/**
 * Planning: the namespace, the Service Connect ports and aliases of each virtual node, and the
 * client → server edges from the nodes' backends.
 */
import { urlVariableFor } from '../../ports';
import { isValidDnsName, isValidServiceConnectName } from '../../validation/core';
import { hasPlaceholder } from '../intrinsics';
import { FindingSeverity, MigratedConnection, MigratedPort, MigratedService } from '../types';
import { asArray, durationSeconds, endpointUrl, isObject, pascal, slug, str, uniqueName } from '../util';
import { listenerFindings, nodeFindings } from './findings';
import { Ctx, Listener, Node, PortPlan, PROTOCOLS, Target, TIMEOUT_KEYS, VirtualService } from './model';
import { migrateNode } from './service';

export function defaultNamespaceName(c: Ctx): string {
  const cloudMap = c.nodes.map((n) => n.cloudMapNamespace).find((n) => n !== undefined && !hasPlaceholder(n));
  if (cloudMap) return cloudMap;
  const names = c.virtualServices.map((v) => v.name).filter((n) => n.includes('.') && !hasPlaceholder(n));
  if (names.length > 0) {
    const suffixes = names.map((n) => n.slice(n.indexOf('.') + 1));
    if (suffixes.every((s) => s === suffixes[0]) && /^[\x21-\x7e]+$/.test(suffixes[0])) return suffixes[0];
  }
  const mesh = c.meshes[0]?.name ?? c.nodes[0].mesh;
  return hasPlaceholder(mesh) || mesh.includes('${') ? 'internal' : slug(mesh);
}

export function primaryOf(targets: Target[]): string {
  const byNode = new Map<string, number>();
  for (const t of targets) byNode.set(t.node, (byNode.get(t.node) ?? 0) + t.weight);
  let best: string | undefined;
  for (const [node, weight] of byNode) {
    if (best === undefined || weight > byNode.get(best)!) best = node;
  }
  return best ?? targets[0]?.node ?? '?';
}

export function targetsOf(c: Ctx, vs: VirtualService): Array<{ node: Node; listener: Listener; clientPort: number }> {
  if (vs.node !== undefined) {
    const node = c.nodes.find((n) => n.name === vs.node);
    return node ? node.listeners.map((l) => ({ node, listener: l, clientPort: l.port })) : [];
  }
  const router = c.routers.find((r) => r.name === vs.router);
  if (!router) return [];
  const out: Array<{ node: Node; listener: Listener; clientPort: number }> = [];
  for (const rl of router.listeners) {
    const targets = c.routes.filter((rt) => rt.router === router.name)
      .flatMap((rt) => rt.targets).filter((t) => t.port === undefined || t.port === rl.port || router.listeners.length === 1);
    const primary = c.nodes.find((n) => n.name === primaryOf(targets));
    if (!primary || primary.listeners.length === 0) continue;
    const wanted = targets.find((t) => t.node === primary.name && t.port !== undefined)?.port;
    const listener = primary.listeners.find((l) => l.port === wanted) ??
      primary.listeners.find((l) => l.protocol === rl.protocol) ?? primary.listeners[0];
    out.push({ node: primary, listener, clientPort: rl.port });
  }
  return out;
}

export function buildServices(c: Ctx): { services: MigratedService[]; nodeOf: Map<string, string>; portsOf: Map<string, PortPlan[]> } {
  const discoveryNames = new Set<string>();
  const ids = new Set<string>();
  const portsOf = new Map<string, PortPlan[]>();
  const nodeOf = new Map<string, string>();
  const idOf = new Map<string, string>();

  // Ports and discovery names, node by node.
  for (const node of c.nodes) {
    const base = uniqueName(baseName(node), discoveryNames);
    idOf.set(node.name, uniqueName(pascal(base), ids, ''));
    nodeOf.set(idOf.get(node.name)!, node.name);
    const portNames = new Set<string>();
    const ports: PortPlan[] = node.listeners.map((l, i) => {
      const timeout = isObject(l.raw.Timeout) ? l.raw.Timeout[TIMEOUT_KEYS[l.protocol]] : undefined;
      const idle = isObject(timeout) ? durationSeconds(timeout.Idle) : undefined;
      const perRequest = isObject(timeout) && l.protocol !== 'tcp' ? durationSeconds(timeout.PerRequest) : undefined;
      const name = uniqueName(slug(node.listeners.length > 1 ? `${base}-${l.protocol}-${l.port}` : `${base}-${l.protocol}`), portNames);
      const discoveryName = i === 0 ? base : uniqueName(slug(`${base}-${l.port}`), discoveryNames);
      return { name, listener: l, discoveryName, aliases: [], idle, perRequest };
    });
    portsOf.set(node.name, ports);
    for (const l of node.listeners) listenerFindings(c, node, l);
    nodeFindings(c, node);
  }

  // Virtual service names become client aliases of the ports that serve them.
  const aliasesTaken = new Set<string>();
  for (const vs of c.virtualServices) {
    const targets = targetsOf(c, vs);
    if (targets.length === 0) {
      c.finding('virtual-service-without-node', FindingSeverity.WARNING, c.subject(`virtual service ${vs.name}`, vs.logicalId),
        'virtual service without a node', `no virtual node of the template serves ${vs.name}.`,
        'Its clients get no connectTo edge. Migrate the template that holds its provider, or remove the backend.');
    }
    for (const t of targets) {
      const port = portsOf.get(t.node.name)!.find((p) => p.listener === t.listener)!;
      const dnsName = vs.name.toLowerCase();
      const key = `${dnsName}:${t.clientPort}`;
      if (aliasesTaken.has(key)) continue;
      aliasesTaken.add(key);
      port.aliases.push({ dnsName, clientPort: t.clientPort, from: vs.name });
    }
  }

  const services: MigratedService[] = [];
  for (const node of c.nodes) {
    const ports: MigratedPort[] = [];
    for (const p of portsOf.get(node.name)!) {
      const [alias, ...others] = p.aliases;
      if (others.length > 0) {
        c.finding('several-aliases', FindingSeverity.WARNING, c.subject(`virtual node ${node.name} port ${p.listener.port}`, node.logicalId),
          'several virtual services on one port',
          `${[alias, ...others].map((a) => a.from).join(', ')} all reach this port; a Service Connect port has one client alias.`,
          `The plan keeps ${alias.from}. Point the clients of ${others.map((a) => a.from).join(', ')} at it (they are usually configuration values), ` +
          'or add a second container port for each extra name.');
      }
      const validDns = alias && !hasPlaceholder(alias.dnsName) && isValidDnsName(alias.dnsName);
      if (alias && !validDns) {
        c.finding('alias-invalid', FindingSeverity.WARNING, c.subject(`virtual service ${alias.from}`, node.logicalId), 'virtual service name',
          `${JSON.stringify(alias.from)} is not a valid Service Connect DNS alias.`, `The plan uses ${p.discoveryName}; update the clients.`);
      }
      ports.push({
        name: p.name,
        containerPort: p.listener.port,
        protocol: PROTOCOLS[p.listener.protocol],
        discoveryName: p.discoveryName,
        dnsName: validDns ? alias.dnsName : p.discoveryName,
        clientPort: validDns ? alias.clientPort : p.listener.port,
        idleTimeoutSeconds: p.idle,
        perRequestTimeoutSeconds: p.perRequest ?? routePerRequest(c, node, p.listener),
      });
    }
    services.push(migrateNode(c, node, idOf.get(node.name)!, ports));
  }
  return { services, nodeOf, portsOf };
}

/** A per-request timeout of a route targeting the node, for HTTP-like ports without their own. */
export function routePerRequest(c: Ctx, node: Node, l: Listener): number | undefined {
  if (l.protocol === 'tcp') return undefined;
  for (const rt of c.routes) {
    if (!rt.targets.some((t) => t.node === node.name)) continue;
    const timeout = isObject(rt.spec.Timeout) ? durationSeconds(rt.spec.Timeout.PerRequest) : undefined;
    if (timeout !== undefined) return timeout;
  }
  return undefined;
}

export function baseName(node: Node): string {
  const candidates = [node.cloudMapService, node.hostname?.split('.')[0], node.name];
  for (const c of candidates) {
    if (c === undefined || hasPlaceholder(c) || c.length === 0 || c === '*') continue;
    const name = slug(c, 56);
    if (isValidServiceConnectName(name)) return name;
  }
  return slug(node.logicalId, 56);
}

export function buildConnections(c: Ctx, services: MigratedService[], nodeOf: Map<string, string>): MigratedConnection[] {
  const connections: MigratedConnection[] = [];
  const byNode = new Map(services.map((s) => [nodeOf.get(s.id)!, s]));
  for (const node of c.nodes) {
    const client = byNode.get(node.name)!;
    const taken = new Set([...Object.keys(client.environment), ...client.secrets.map((s) => s.name)]);
    for (const b of asArray(node.spec.Backends).filter(isObject)) {
      const vsName = isObject(b.VirtualService) ? str(b.VirtualService.VirtualServiceName) : undefined;
      if (!vsName) continue;
      const vs = c.virtualServices.find((v) => v.name === vsName);
      const targets = vs ? targetsOf(c, vs) : [];
      if (!vs) {
        c.finding('backend-outside-template', FindingSeverity.WARNING, c.subject(`virtual node ${node.name}`, node.logicalId),
          'backend outside the template', `the backend ${vsName} is not a virtual service of this template.`,
          `Migrate it too, then add ${client.id}.connectTo(<its service>) to the generated app; until then the client keeps calling ${vsName} without Service Connect.`);
        continue;
      }
      for (const target of targets) {
        const server = byNode.get(target.node.name)!;
        if (server === client) continue;
        const port = server.ports.find((p) => p.containerPort === target.listener.port)!;
        let variable = urlVariableFor(port.dnsName);
        if (taken.has(variable)) variable = uniqueName(variable.replace(/_URL$/, `_${port.clientPort}_URL`), taken, '_');
        taken.add(variable);
        connections.push({
          client: client.id,
          server: server.id,
          portName: port.name,
          url: endpointUrl(port),
          environmentVariable: variable,
          reason: `backend ${vsName}`,
        });
      }
    }
  }
  return connections;
}
