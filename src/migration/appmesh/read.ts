/**
 * Reading: the App Mesh resources and the mesh task definitions (the ones with an Envoy or an
 * APPMESH proxy configuration) of the input, into the context's model.
 */
import { refTarget } from '../intrinsics';
import { FindingSeverity } from '../types';
import { asArray, isObject, MigrationError, num, str } from '../util';
import type { Container, Ctx, Listener } from './model';
import { PROTOCOLS, ROUTE_KINDS } from './model';

export function readMeshResources(c: Ctx, ids: string[]): void {
  for (const id of ids) {
    const type = c.t.Resources[id].Type;
    if (!type.startsWith('AWS::AppMesh::')) continue;
    const p = c.r.properties(id);
    const spec = isObject(p.Spec) ? p.Spec : {};
    const mesh = str(p.MeshName) ?? 'mesh';
    switch (type) {
      case 'AWS::AppMesh::Mesh':
        c.meshes.push({ logicalId: id, name: c.r.nameOf(id, 'MeshName'), spec });
        break;
      case 'AWS::AppMesh::VirtualNode': {
        const sd = isObject(spec.ServiceDiscovery) ? spec.ServiceDiscovery : {};
        const dns = isObject(sd.DNS) ? sd.DNS : undefined;
        const cm = isObject(sd.AWSCloudMap) ? sd.AWSCloudMap : undefined;
        c.nodes.push({
          logicalId: id,
          name: c.r.nameOf(id, 'VirtualNodeName'),
          mesh,
          spec,
          listeners: readListeners(c, spec.Listeners, id),
          hostname: str(dns?.Hostname),
          cloudMapNamespace: str(cm?.NamespaceName),
          cloudMapService: str(cm?.ServiceName),
        });
        if (cm && isObject(cm.Attributes) || Array.isArray(cm?.Attributes) && (cm?.Attributes as unknown[]).length > 0) {
          c.finding('cloud-map-attributes', FindingSeverity.WARNING, c.subject(`virtual node ${c.r.nameOf(id, 'VirtualNodeName')}`, id),
            'Cloud Map instance attributes', 'the node selects Cloud Map instances by attribute.',
            'Service Connect sends to every task of the ECS service. Split the tasks that the attributes selected into their own ECS service with its own discovery name.');
        }
        break;
      }
      case 'AWS::AppMesh::VirtualRouter':
        c.routers.push({ logicalId: id, name: c.r.nameOf(id, 'VirtualRouterName'), listeners: readListeners(c, spec.Listeners, id) });
        break;
      case 'AWS::AppMesh::Route': {
        const kindKey = Object.keys(ROUTE_KINDS).find((k) => isObject(spec[k]));
        const route = kindKey ? spec[kindKey] as Record<string, unknown> : {};
        const action = isObject(route.Action) ? route.Action : {};
        const targets = asArray(action.WeightedTargets).filter(isObject).map((wt) => ({
          node: str(wt.VirtualNode) ?? '?',
          weight: num(wt.Weight) ?? 0,
          port: num(wt.Port),
        }));
        c.routes.push({
          logicalId: id,
          name: c.r.nameOf(id, 'RouteName'),
          router: str(p.VirtualRouterName) ?? '?',
          kind: kindKey ? ROUTE_KINDS[kindKey] : 'unknown',
          spec: route,
          targets,
          priority: num(spec.Priority),
        });
        break;
      }
      case 'AWS::AppMesh::VirtualService': {
        const provider = isObject(spec.Provider) ? spec.Provider : {};
        c.virtualServices.push({
          logicalId: id,
          name: c.r.nameOf(id, 'VirtualServiceName'),
          node: isObject(provider.VirtualNode) ? str(provider.VirtualNode.VirtualNodeName) : undefined,
          router: isObject(provider.VirtualRouter) ? str(provider.VirtualRouter.VirtualRouterName) : undefined,
        });
        break;
      }
      default:
        break;
    }
  }
}

export function readListeners(c: Ctx, raw: unknown, logicalId: string): Listener[] {
  const out: Listener[] = [];
  for (const l of asArray(raw)) {
    if (!isObject(l) || !isObject(l.PortMapping)) continue;
    const port = num(l.PortMapping.Port);
    const protocol = (str(l.PortMapping.Protocol) ?? 'http').toLowerCase();
    if (port === undefined || !Number.isInteger(port)) {
      throw new MigrationError(`${c.label}: a listener of ${logicalId} has no numeric port (${JSON.stringify(l.PortMapping.Port)}). ` +
        'Give the port as a number, or a parameter with a default.');
    }
    if (!PROTOCOLS[protocol]) {
      throw new MigrationError(`${c.label}: a listener of ${logicalId} uses protocol "${protocol}", which App Mesh does not define ` +
        '(expected http, http2, grpc or tcp).');
    }
    out.push({ port, protocol, raw: l });
  }
  return out;
}

export function readTaskDefinitions(c: Ctx, ids: string[]): void {
  const servicesByTask = new Map<string, Array<{ logicalId: string; desiredCount?: number }>>();
  for (const id of ids) {
    const res = c.t.Resources[id];
    if (res.Type !== 'AWS::ECS::Service') continue;
    const p = c.r.properties(id);
    const task = refTarget(p.TaskDefinition) ?? refTarget(p.TaskDefinition);
    if (!task) continue;
    const list = servicesByTask.get(task) ?? [];
    list.push({ logicalId: id, desiredCount: num(p.DesiredCount) });
    servicesByTask.set(task, list);
    if (asArray(p.ServiceRegistries).length > 0) c.registrations.push({ ecsService: id, task });
  }
  for (const id of ids) {
    const res = c.t.Resources[id];
    if (res.Type !== 'AWS::ECS::TaskDefinition') continue;
    const p = c.r.properties(id);
    const containers: Container[] = asArray(p.ContainerDefinitions).filter(isObject)
      .map((def, i) => ({ name: str(def.Name) ?? `container${i}`, raw: def }));
    const proxy = isObject(p.ProxyConfiguration) ? p.ProxyConfiguration : undefined;
    const proxyIsAppMesh = proxy !== undefined && (str(proxy.Type) ?? 'APPMESH').toUpperCase() === 'APPMESH';
    const proxyContainer = proxy ? str(proxy.ContainerName) : undefined;
    const envoy = containers.find((x) => x.name === proxyContainer) ?? containers.find((x) => isEnvoy(x));
    if (!envoy && !proxyIsAppMesh) {
      const services = servicesByTask.get(id);
      if (services) c.otherTaskDefs.push({ logicalId: id, props: p, containers, proxyConfiguration: false, services });
      continue;
    }
    let meshResource: { kind: string; name: string } | undefined;
    for (const x of containers) {
      for (const e of asArray(x.raw.Environment).filter(isObject)) {
        const name = str(e.Name);
        const value = str(e.Value) ?? '';
        if (name === 'APPMESH_RESOURCE_ARN' || name === 'APPMESH_VIRTUAL_NODE_NAME' || name === 'APPMESH_RESOURCE_NAME') {
          const m = /(virtualNode|virtualGateway)\/([^/]+)$/.exec(value);
          if (m) meshResource = { kind: m[1], name: m[2] };
        }
      }
    }
    c.taskDefs.push({
      logicalId: id,
      props: p,
      containers,
      envoy,
      proxyConfiguration: proxyIsAppMesh,
      meshResource,
      services: servicesByTask.get(id) ?? [],
    });
  }
}

/** Whether a container is the App Mesh Envoy (by image or by its APPMESH_* variables). */
function isEnvoy(c: Container): boolean {
  const image = str(c.raw.Image) ?? '';
  return /aws-appmesh-envoy|appmesh\/envoy/.test(image) ||
    asArray(c.raw.Environment).filter(isObject).some((e) => /^APPMESH_(RESOURCE_ARN|VIRTUAL_NODE_NAME|RESOURCE_NAME)$/.test(str(e.Name) ?? ''));
}
