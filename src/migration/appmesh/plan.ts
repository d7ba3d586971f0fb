/**
 * Planning: the namespace, the Service Connect ports and aliases of each virtual node, and the
 * client → server edges from the nodes' backends.
 */
import { urlVariableFor } from '../../private/endpoints';
import { isValidDnsName, isValidServiceConnectName } from '../../private/validation/formats';
import type { MigratedConnection, MigratedPort, MigratedService } from '../types';
import { FindingSeverity } from '../types';
import { durationSeconds, endpointUrl, isObject, pascal, slug, uniqueName } from '../util';
import { labelsOf, meshDomain } from './domain';
import { backendNames, isEgress } from './egress';
import { listenerFindings, nodeFindings } from './findings';
import type { Ctx, Listener, Node, PortPlan, Route, VirtualService } from './model';
import { PROTOCOLS, TIMEOUT_KEYS } from './model';
import { defaultRoute, isCatchAll, primaryOf } from './routing';
import { migrateCaller, migrateNode } from './service';
import { lowerOutsideReferences, nameWithoutParameters, planString, sampleOf, stripPlaceholders, REPLACE_ME } from './values';

export function defaultNamespaceName(c: Ctx): string {
  const domain = meshDomain(c);
  if (domain) return domain;
  const mesh = nameWithoutParameters(c.meshes[0]?.name ?? c.nodes[0].mesh);
  return mesh ? slug(mesh) : 'internal';
}

export function targetsOf(c: Ctx, vs: VirtualService): Array<{ node: Node; listener: Listener; clientPort: number; route?: Route }> {
  if (vs.node !== undefined) {
    const node = c.nodes.find((n) => n.name === vs.node);
    return node ? node.listeners.map((l) => ({ node, listener: l, clientPort: l.port })) : [];
  }
  const router = c.routers.find((r) => r.name === vs.router);
  if (!router) return [];
  const out: Array<{ node: Node; listener: Listener; clientPort: number; route?: Route }> = [];
  for (const rl of router.listeners) {
    const route = defaultRoute(c, router.name, rl.port, router.listeners.length === 1);
    if (!route) continue;
    const targets = route.targets.filter((t) => t.port === undefined || t.port === rl.port || router.listeners.length === 1);
    const primary = c.nodes.find((n) => n.name === primaryOf(targets));
    if (!primary || primary.listeners.length === 0) continue;
    const wanted = targets.find((t) => t.node === primary.name && t.port !== undefined)?.port;
    const listener = primary.listeners.find((l) => l.port === wanted) ??
      primary.listeners.find((l) => l.protocol === rl.protocol) ?? primary.listeners[0];
    out.push({ node: primary, listener, clientPort: rl.port, route });
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
    // Nodes that share a Cloud Map service (told apart by instance attributes) are named after themselves.
    const shared = node.cloudMapService !== undefined && c.nodes.filter((n) => n.cloudMapService === node.cloudMapService).length > 1;
    const base = uniqueName(baseName(node, shared), discoveryNames);
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
    if (isEgress(c, vs)) continue;
    const targets = targetsOf(c, vs);
    if (targets.length === 0) {
      c.finding('virtual-service-without-node', FindingSeverity.WARNING, c.subject(`virtual service ${vs.name}`, vs.logicalId),
        'virtual service without a node', `no virtual node of the template serves ${c.display(vs.name)}.`,
        'Its clients get no connectTo edge. Migrate the template that holds its provider, or remove the backend.');
    }
    for (const t of targets) {
      const port = portsOf.get(t.node.name)!.find((p) => p.listener === t.listener)!;
      const dnsName = lowerOutsideReferences(planString(c, vs.name, c.subject(`virtual service ${vs.name}`, vs.logicalId)));
      const key = `${dnsName}:${t.clientPort}`;
      if (aliasesTaken.has(key)) continue;
      aliasesTaken.add(key);
      port.aliases.push({ dnsName, clientPort: t.clientPort, from: c.display(vs.name) });
      if (t.route) routerAliasFinding(c, vs, t.route, t.node, t.listener, t.clientPort, dnsName);
    }
  }

  const services: MigratedService[] = [];
  const renames: Array<{ from: string; port: number; to: MigratedPort }> = [];
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
      const validDns = alias && !alias.dnsName.includes(REPLACE_ME) && isValidDnsName(sampleOf(alias.dnsName));
      if (alias && !validDns) {
        c.finding('alias-invalid', FindingSeverity.WARNING, c.subject(`virtual service ${alias.from}`, node.logicalId), 'virtual service name',
          `${JSON.stringify(alias.from)} is not a valid Service Connect DNS alias.`, `The plan uses ${p.discoveryName}; update the clients.`);
      }
      const port: MigratedPort = {
        name: p.name,
        containerPort: p.listener.port,
        protocol: PROTOCOLS[p.listener.protocol],
        discoveryName: p.discoveryName,
        dnsName: validDns ? alias.dnsName : p.discoveryName,
        clientPort: validDns ? alias.clientPort : p.listener.port,
        idleTimeoutSeconds: p.idle,
        perRequestTimeoutSeconds: p.perRequest ?? routePerRequest(c, node, p.listener),
      };
      ports.push(port);
      for (const a of validDns ? others : p.aliases) renames.push({ from: a.dnsName, port: a.clientPort, to: port });
    }
    services.push(migrateNode(c, node, idOf.get(node.name)!, ports));
  }
  rewriteEnvironment(c, services, renames);
  return { services, nodeOf, portsOf };
}

/** What clients of a router's name reach now: one node, on the router's port. */
function routerAliasFinding(c: Ctx, vs: VirtualService, route: Route, node: Node, l: Listener, clientPort: number, dnsName: string): void {
  const others = c.routes.filter((rt) => rt.router === route.router && rt !== route);
  const otherNodes = [...new Set([...route.targets, ...others.flatMap((rt) => rt.targets)].map((t) => t.node).filter((n) => n !== node.name))];
  const why = [
    route.priority !== undefined ? `priority ${route.priority}` : undefined,
    isCatchAll(route) ? 'it matches every request' : 'no route matches every request; it is the first by priority',
    route.targets.length > 1 ? `weight ${route.targets.filter((t) => t.node === node.name).reduce((s, t) => s + t.weight, 0)} of ${route.targets.reduce((s, t) => s + t.weight, 0)}` : undefined,
  ].filter(Boolean).join(', ');
  c.finding('router-alias', FindingSeverity.INFO, c.subject(`virtual service ${vs.name}`, vs.logicalId), 'virtual router',
    `clients dialed ${c.display(vs.name)}:${clientPort} (router ${c.display(route.router)}); they keep dialing http://${c.display(dnsName)}:${clientPort}, which now ` +
    `reaches ${c.display(node.name)} on its container port ${l.port} only (the default route ${c.display(route.name)}: ${why}).` +
    (otherNodes.length ? ` ${otherNodes.map((n) => c.display(n)).join(', ')} no longer ${otherNodes.length === 1 ? 'receives' : 'receive'} traffic sent to ${c.display(vs.name)}` +
      `; ${otherNodes.length === 1 ? 'it keeps its' : 'they keep their'} own discovery name${otherNodes.length === 1 ? '' : 's'}.` : ''),
    otherNodes.length ? 'Call the other versions by their own names, or shift traffic between revisions with ECS blue/green, linear or canary deployments.'
      : 'Nothing to do: clients keep the name and port they dialed.');
}

/** Environment values that name a virtual service whose name or port changed get the new name and port. */
function rewriteEnvironment(c: Ctx, services: MigratedService[], renames: Array<{ from: string; port: number; to: MigratedPort }>): void {
  const moved = renames.filter((r) => r.from !== r.to.dnsName || r.port !== r.to.clientPort);
  if (moved.length === 0) return;
  for (const s of services) {
    const env = s.environment as { [name: string]: string };
    for (const [k, v] of Object.entries(env)) {
      let value = v;
      for (const r of moved) {
        const host = r.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        value = value.replace(new RegExp(`(^|[^A-Za-z0-9_.-])${host}(:${r.port})?(?![A-Za-z0-9_.-])`, 'g'),
          (_w, lead: string, port?: string) => `${lead}${r.to.dnsName}${port !== undefined || r.port !== r.to.clientPort ? `:${r.to.clientPort}` : ''}`);
      }
      if (value !== v) {
        env[k] = value;
        c.finding('several-aliases', FindingSeverity.WARNING, c.subject(`environment variable ${k}`, s.id), 'renamed endpoint',
          `${k} named ${v}; the plan's endpoint for it is ${value}.`, `The generated app sets ${k}=${value}; check that the application reads it as before.`);
      }
    }
  }
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

/** The discovery name of a node: its Cloud Map service, DNS name or node name, without parameter parts. */
export function baseName(node: Node, sharedCloudMapService = false): string {
  const candidates = sharedCloudMapService ? [node.name] : [node.cloudMapService, node.hostname ? labelsOf(node.hostname)[0] : undefined, node.name];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const plain = nameWithoutParameters(candidate);
    if (plain.length === 0 || plain === '*') continue;
    const name = slug(plain, 56);
    if (isValidServiceConnectName(name)) return name;
  }
  return slug(node.logicalId, 56);
}

/** The URL variable of an alias: from its name without the parameter parts (`color.${ProjectName}.local` → `COLOR_LOCAL_URL`). */
function variableFor(dnsName: string): string {
  return urlVariableFor(stripPlaceholders(dnsName).replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '') || 'service');
}

export function buildConnections(c: Ctx, services: MigratedService[], nodeOf: Map<string, string>): MigratedConnection[] {
  const connections: MigratedConnection[] = [];
  const byNode = new Map(services.map((s) => [nodeOf.get(s.id)!, s]));
  for (const node of c.nodes) {
    const client = byNode.get(node.name)!;
    const taken = new Set([...Object.keys(client.environment), ...client.secrets.map((s) => s.name)]);
    for (const vsName of backendNames(node)) {
      const vs = c.virtualServices.find((v) => v.name === vsName);
      if (!vs) {
        c.finding('backend-outside-template', FindingSeverity.WARNING, c.subject(`virtual node ${node.name}`, node.logicalId),
          'backend outside the template', `the backend ${c.display(vsName)} is not a virtual service of this template.`,
          `Migrate it too, then add ${client.id}.connectTo(<its service>) to the generated app; until then the client keeps calling ${c.display(vsName)} without Service Connect.`);
        continue;
      }
      if (isEgress(c, vs)) continue;
      for (const target of targetsOf(c, vs)) {
        const server = byNode.get(target.node.name)!;
        if (server === client) continue;
        connections.push(edge(client, server, target.listener.port, taken, `backend ${c.display(vsName)}`));
      }
    }
  }
  return connections;
}

function edge(client: MigratedService, server: MigratedService, containerPort: number, taken: Set<string>, reason: string): MigratedConnection {
  const port = server.ports.find((p) => p.containerPort === containerPort)!;
  let variable = variableFor(port.dnsName);
  if (taken.has(variable)) variable = uniqueName(variable.replace(/_URL$/, `_${port.clientPort}_URL`), taken, '_');
  taken.add(variable);
  return { client: client.id, server: server.id, portName: port.name, url: endpointUrl(port), environmentVariable: variable, reason };
}

/**
 * ECS services of the input without a virtual node whose app container names a mesh endpoint
 * (in an environment value): client-only services with connectTo edges to the servers they call.
 */
export function buildCallers(c: Ctx, services: MigratedService[], connections: MigratedConnection[]): MigratedService[] {
  const callers: MigratedService[] = [];
  const ids = new Set(services.map((s) => s.id));
  const endpoints = services.flatMap((s) => s.ports.map((p) => ({ server: s, port: p })));
  for (const td of c.otherTaskDefs) {
    const text = JSON.stringify(td.containers.map((x) => x.raw.Environment ?? []));
    const calls = endpoints.filter((e) => mentions(text, e.port.dnsName.replace(/\$\{([^}:]+)\}/g, '${Param:$1}')) || mentions(text, e.port.dnsName));
    if (calls.length === 0) continue;
    const id = uniqueName(pascal(slug(td.services[0].logicalId.replace(/(Ecs)?Service$/, '') || td.logicalId)), ids, '');
    const caller = migrateCaller(c, td, id);
    callers.push(caller);
    const taken = new Set([...Object.keys(caller.environment), ...caller.secrets.map((s) => s.name)]);
    for (const e of calls) {
      if (connections.some((x) => x.client === id && x.server === e.server.id && x.portName === e.port.name)) continue;
      connections.push(edge(caller, e.server, e.port.containerPort, taken, `environment names ${e.port.dnsName}`));
    }
    c.finding('caller-outside-mesh', FindingSeverity.INFO, c.subject(`ECS service ${caller.sourceName}`, td.logicalId), 'caller outside the mesh',
      `the service has no virtual node but calls ${[...new Set(calls.map((e) => `${e.port.dnsName}:${e.port.clientPort}`))].join(', ')}.`,
      `Migrated as the client-only service ${id} with connectTo to ${[...new Set(calls.map((e) => e.server.id))].join(', ')}: its Service Connect proxy resolves those names.`);
  }
  return callers;
}

function mentions(text: string, host: string): boolean {
  const h = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_.-])${h}(?![A-Za-z0-9_-])`).test(text);
}
