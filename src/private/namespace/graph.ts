import { namespaceOf, portsOf } from './app';
import type { AppModel, ServiceModel2 } from './app';

/**
 * The namespace as a graph: services grouped by cluster and stack, their Service Connect ports
 * with protocol and alias, and who calls whom — from URL-valued environment variables naming an
 * alias (what `connectTo` writes) and from security-group rules between services.
 */

/** A port of a graph node. */
export interface GraphPort {
  readonly name: string;
  readonly protocol: string;
  readonly alias?: string;
  readonly listenerPort?: number;
}

/** A service of the graph. */
export interface GraphService {
  readonly id: string;
  readonly label: string;
  readonly stack: string;
  readonly cluster: string;
  readonly namespace?: string;
  readonly ports: readonly GraphPort[];
}

/** A call between two services. */
export interface GraphCall {
  readonly from: string;
  readonly to: string;
  readonly port?: string;
  /** How the call was found: environment variables, security-group rules. */
  readonly via: string[];
}

/** The whole graph. */
export interface NamespaceGraph {
  readonly services: readonly GraphService[];
  readonly calls: readonly GraphCall[];
}

const URL = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)(?::(\d+))?/i;

function nodeId(s: ServiceModel2): string {
  return `${s.at.template}:${s.at.logicalId}`;
}

/** Build the graph of a model. */
export function buildGraph(model: AppModel): NamespaceGraph {
  const services: GraphService[] = [];
  const aliases = new Map<string, { service: ServiceModel2; port: string }>();
  const listeners: Array<{ service: ServiceModel2; port: string; listenerPort: number }> = [];
  for (const s of model.services) {
    const ns = namespaceOf(model, s);
    const nsName = ns?.name ?? (ns?.key ? model.namespaces.get(ns.key) : undefined);
    const ports = portsOf(s, nsName);
    for (const p of ports) {
      // an alias names a service within its namespace (a pipeline's beta and prod each have their own)
      const key = `${ns?.key ?? ''}|${p.dnsName}:${p.clientPort}`;
      if (p.dnsName !== undefined && p.clientPort !== undefined && !aliases.has(key)) aliases.set(key, { service: s, port: p.portName });
      if (p.listenerPort !== undefined) listeners.push({ service: s, port: p.portName, listenerPort: p.listenerPort });
    }
    services.push({
      id: nodeId(s),
      label: s.serviceName ?? s.label,
      stack: s.stack,
      cluster: s.clusterLabel,
      // a namespace known by ARN only is shown by its id (the ARN's last part)
      namespace: nsName ?? (ns?.key?.startsWith('arn:') ? ns.key.split('/').pop() : undefined),
      ports: ports.map((p) => ({
        name: p.portName,
        protocol: p.protocol ?? 'unknown',
        alias: p.dnsName !== undefined && p.clientPort !== undefined ? `${p.dnsName}:${p.clientPort}` : undefined,
        listenerPort: p.listenerPort,
      })),
    });
  }
  const calls = new Map<string, GraphCall>();
  const add = (from: ServiceModel2, to: ServiceModel2, port: string, via: string) => {
    if (from === to) return;
    const key = `${nodeId(from)}>${nodeId(to)}>${port}`;
    const call = calls.get(key) ?? { from: nodeId(from), to: nodeId(to), port, via: [] };
    if (!call.via.includes(via)) call.via.push(via);
    calls.set(key, call);
  };
  for (const s of model.services) {
    const nsKey = namespaceOf(model, s)?.key ?? '';
    for (const c of s.taskDefinition?.containers ?? []) {
      for (const v of c.environment) {
        const m = v.value !== undefined ? URL.exec(v.value) : null;
        if (!m) continue;
        const target = aliases.get(`${nsKey}|${m[1]}:${m[2] ?? (v.value!.startsWith('https') ? 443 : 80)}`);
        if (target) add(s, target.service, target.port, `env ${v.name}`);
      }
    }
  }
  const byGroup = new Map<string, ServiceModel2[]>();
  for (const s of model.services) for (const g of s.securityGroups) byGroup.set(g, [...(byGroup.get(g) ?? []), s]);
  for (const rule of model.ingress) {
    if (rule.groupKey === undefined || rule.sourceKey === undefined || rule.fromPort === undefined || rule.toPort === undefined) continue;
    for (const l of listeners) {
      if (!l.service.securityGroups.includes(rule.groupKey) || l.listenerPort < rule.fromPort || l.listenerPort > rule.toPort) continue;
      for (const client of byGroup.get(rule.sourceKey) ?? []) add(client, l.service, l.port, 'security group');
    }
  }
  return { services, calls: [...calls.values()] };
}
