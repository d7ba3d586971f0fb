import { ServiceConnectProtocol } from '../ports';
import type { CfnTemplate } from './intrinsics';
import { hasPlaceholder, IntrinsicResolver, parseTemplate, refTarget } from './intrinsics';
import { MigrationPlan } from './plan';
import { parseValueFrom } from './secrets';
import { sizingFor } from './sizing-plan';
import type { MigratedConnection, MigratedPort, MigratedSecret, MigratedService, MigrationFinding, RemovedSidecar } from './types';
import {
  FindingSeverity, MigratedLaunchType,
  MigrationSource,
} from './types';
import {
  asArray, cpuUnits, durationSeconds, isObject, memoryMiB, MigrationError, num, pascal, plural, slug, str, uniqueName,
} from './util';
import { urlVariableFor } from '../private/endpoints';

/**
 * Options of `AppMeshMigration.fromTemplate()`.
 */
export interface AppMeshMigrationOptions {
  /**
   * A label of the input for the report and the generated app, e.g. the file name.
   *
   * @default 'template'
   */
  readonly sourceLabel?: string;

  /**
   * The Cloud Map namespace the migrated services join.
   *
   * @default - the namespace of the nodes' Cloud Map service discovery; else the DNS suffix the
   * virtual service names share (`shop.local` for `orders.shop.local`); else the mesh name
   */
  readonly namespaceName?: string;

  /**
   * The name of the generated stack (and of its class).
   *
   * @default - `<MeshName>ServiceConnect`
   */
  readonly stackName?: string;
}

/**
 * Converts an AWS App Mesh application, as described by a CloudFormation template, into a
 * Service Connect migration plan.
 */
export class AppMeshMigration {
  /**
   * Read a CloudFormation template (JSON or YAML, as synthesized from aws-cdk-lib's `aws-appmesh`
   * constructs or written by hand) and plan its migration to Service Connect.
   *
   * Throws an error with a readable message when the text is not a CloudFormation template or
   * holds no App Mesh resources.
   *
   * @param text the template
   * @param options options
   */
  public static fromTemplate(text: string, options: AppMeshMigrationOptions = {}): MigrationPlan {
    const label = options.sourceLabel ?? 'template';
    return new AppMeshConverter(parseTemplate(text, label), label, options).convert();
  }

  private constructor() {}
}

interface Listener {
  readonly port: number;
  readonly protocol: string;
  readonly raw: Record<string, unknown>;
}

interface Node {
  readonly logicalId: string;
  readonly name: string;
  readonly mesh: string;
  readonly listeners: Listener[];
  readonly spec: Record<string, unknown>;
  readonly hostname?: string;
  readonly cloudMapNamespace?: string;
  readonly cloudMapService?: string;
}

interface Target {
  readonly node: string;
  readonly weight: number;
  readonly port?: number;
}

interface Route {
  readonly logicalId: string;
  readonly name: string;
  readonly router: string;
  readonly kind: string;
  readonly spec: Record<string, unknown>;
  readonly targets: Target[];
}

interface Router {
  readonly logicalId: string;
  readonly name: string;
  readonly listeners: Listener[];
}

interface VirtualService {
  readonly logicalId: string;
  readonly name: string;
  readonly node?: string;
  readonly router?: string;
}

interface Container {
  readonly name: string;
  readonly raw: Record<string, unknown>;
}

interface TaskDef {
  readonly logicalId: string;
  readonly props: Record<string, unknown>;
  readonly containers: Container[];
  readonly envoy?: Container;
  readonly proxyConfiguration: boolean;
  readonly meshResource?: { kind: string; name: string };
  readonly services: Array<{ logicalId: string; desiredCount?: number }>;
}

interface PortPlan {
  name: string;
  listener: Listener;
  discoveryName: string;
  aliases: Array<{ dnsName: string; clientPort: number; from: string }>;
  idle?: number;
  perRequest?: number;
}

const ROUTE_KINDS: Record<string, string> = { HttpRoute: 'http', Http2Route: 'http2', GrpcRoute: 'grpc', TcpRoute: 'tcp' };

const PROTOCOLS: Record<string, ServiceConnectProtocol> = {
  http: ServiceConnectProtocol.HTTP,
  http2: ServiceConnectProtocol.HTTP2,
  grpc: ServiceConnectProtocol.GRPC,
  tcp: ServiceConnectProtocol.TCP,
};

const TIMEOUT_KEYS: Record<string, string> = { http: 'HTTP', http2: 'HTTP2', grpc: 'GRPC', tcp: 'TCP' };

const BLUE_GREEN = 'Run one ECS service per virtual service and shift traffic between versions with ECS-native blue/green, ' +
  'linear or canary deployments through Service Connect: set `deployment: ServiceConnectDeployment.canary({ canaryPercent })` ' +
  '(or blueGreen() / linear()) on the ConnectedFargateService; each new task definition revision is the "new target", the ' +
  'canary percentage replaces the weight, a port\'s `testTrafficHeader` replaces a header match for test requests, and the ' +
  'service\'s 5xx/latency alarms roll a bad revision back. ' +
  'For a lasting split by weight, put an Application Load Balancer with weighted target groups in front instead.';

class AppMeshConverter {
  private readonly r: IntrinsicResolver;
  private readonly findings: MigrationFinding[] = [];
  private readonly removals: string[] = [];
  private readonly meshes: Array<{ logicalId: string; name: string; spec: Record<string, unknown> }> = [];
  private readonly nodes: Node[] = [];
  private readonly routers: Router[] = [];
  private readonly routes: Route[] = [];
  private readonly virtualServices: VirtualService[] = [];
  private readonly taskDefs: TaskDef[] = [];

  constructor(private readonly t: CfnTemplate, private readonly label: string, private readonly options: AppMeshMigrationOptions) {
    this.r = new IntrinsicResolver(t);
  }

  public convert(): MigrationPlan {
    const ids = Object.keys(this.t.Resources);
    const appMeshIds = ids.filter((id) => this.t.Resources[id].Type.startsWith('AWS::AppMesh::'));
    const proxyTasks = ids.filter((id) => this.t.Resources[id].Type === 'AWS::ECS::TaskDefinition' &&
      isObject(this.t.Resources[id].Properties?.ProxyConfiguration));
    if (appMeshIds.length === 0 && proxyTasks.length === 0) {
      const types = [...new Set(ids.map((id) => this.t.Resources[id].Type))].slice(0, 6).join(', ');
      throw new MigrationError(`${this.label} is not an App Mesh template: it has no AWS::AppMesh::* resource and no ECS task ` +
        `definition with an App Mesh proxy configuration (it holds ${plural(ids.length, 'resource')}${types ? `: ${types}` : ''}).`);
    }

    this.readMeshResources(ids);
    this.readTaskDefinitions(ids);
    if (this.nodes.length === 0) {
      throw new MigrationError(`${this.label} has App Mesh resources but no AWS::AppMesh::VirtualNode: there is no service to migrate. ` +
        'Migrate a template (or several merged into one) that holds the virtual nodes of the mesh.');
    }

    this.meshFindings();
    this.routeFindings();
    this.gatewayFindings(ids);
    this.iamRemovals(ids);

    const namespaceName = this.options.namespaceName ?? this.namespaceName();
    const { services, nodeOf } = this.buildServices();
    const connections = this.buildConnections(services, nodeOf);

    for (const note of this.r.unresolved) {
      this.finding('unresolved-value', FindingSeverity.WARNING, this.label, 'value known only at deploy time',
        `${note}.`, 'Check the generated app: such values are left as placeholders (search for REPLACE_ME) or omitted.');
    }
    const counts = new Map<string, number>();
    for (const id of appMeshIds) {
      const type = this.t.Resources[id].Type.replace('AWS::AppMesh::', '');
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    if (appMeshIds.length > 0) {
      this.removals.push(`App Mesh resources once every client uses Service Connect: ${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}.`);
    }

    const meshName = this.meshes[0]?.name ?? this.nodes[0].mesh;
    return new MigrationPlan({
      source: MigrationSource.APP_MESH,
      sourceLabel: this.label,
      namespaceName,
      stackName: this.options.stackName ?? `${pascal(meshName)}ServiceConnect`,
      services,
      connections,
      findings: this.findings,
      removals: this.removals,
    });
  }

  // ---------------------------------------------------------------- reading

  private readMeshResources(ids: string[]): void {
    for (const id of ids) {
      const type = this.t.Resources[id].Type;
      if (!type.startsWith('AWS::AppMesh::')) continue;
      const p = this.r.properties(id);
      const spec = isObject(p.Spec) ? p.Spec : {};
      const mesh = str(p.MeshName) ?? 'mesh';
      switch (type) {
        case 'AWS::AppMesh::Mesh':
          this.meshes.push({ logicalId: id, name: this.r.nameOf(id, 'MeshName'), spec });
          break;
        case 'AWS::AppMesh::VirtualNode': {
          const sd = isObject(spec.ServiceDiscovery) ? spec.ServiceDiscovery : {};
          const dns = isObject(sd.DNS) ? sd.DNS : undefined;
          const cm = isObject(sd.AWSCloudMap) ? sd.AWSCloudMap : undefined;
          this.nodes.push({
            logicalId: id,
            name: this.r.nameOf(id, 'VirtualNodeName'),
            mesh,
            spec,
            listeners: this.listeners(spec.Listeners, id),
            hostname: str(dns?.Hostname),
            cloudMapNamespace: str(cm?.NamespaceName),
            cloudMapService: str(cm?.ServiceName),
          });
          if (cm && isObject(cm.Attributes) || Array.isArray(cm?.Attributes) && (cm?.Attributes as unknown[]).length > 0) {
            this.finding('cloud-map-attributes', FindingSeverity.WARNING, this.subject('virtual node', id),
              'Cloud Map instance attributes', 'the node selects Cloud Map instances by attribute.',
              'Service Connect sends to every task of the ECS service. Split the tasks that the attributes selected into their own ECS service with its own discovery name.');
          }
          break;
        }
        case 'AWS::AppMesh::VirtualRouter':
          this.routers.push({ logicalId: id, name: this.r.nameOf(id, 'VirtualRouterName'), listeners: this.listeners(spec.Listeners, id) });
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
          this.routes.push({
            logicalId: id,
            name: this.r.nameOf(id, 'RouteName'),
            router: str(p.VirtualRouterName) ?? '?',
            kind: kindKey ? ROUTE_KINDS[kindKey] : 'unknown',
            spec: route,
            targets,
          });
          break;
        }
        case 'AWS::AppMesh::VirtualService': {
          const provider = isObject(spec.Provider) ? spec.Provider : {};
          this.virtualServices.push({
            logicalId: id,
            name: this.r.nameOf(id, 'VirtualServiceName'),
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

  private listeners(raw: unknown, logicalId: string): Listener[] {
    const out: Listener[] = [];
    for (const l of asArray(raw)) {
      if (!isObject(l) || !isObject(l.PortMapping)) continue;
      const port = num(l.PortMapping.Port);
      const protocol = (str(l.PortMapping.Protocol) ?? 'http').toLowerCase();
      if (port === undefined || !Number.isInteger(port)) {
        throw new MigrationError(`${this.label}: a listener of ${logicalId} has no numeric port (${JSON.stringify(l.PortMapping.Port)}). ` +
          'Give the port as a number, or a parameter with a default.');
      }
      if (!PROTOCOLS[protocol]) {
        throw new MigrationError(`${this.label}: a listener of ${logicalId} uses protocol "${protocol}", which App Mesh does not define ` +
          '(expected http, http2, grpc or tcp).');
      }
      out.push({ port, protocol, raw: l });
    }
    return out;
  }

  private readTaskDefinitions(ids: string[]): void {
    const servicesByTask = new Map<string, Array<{ logicalId: string; desiredCount?: number }>>();
    for (const id of ids) {
      const res = this.t.Resources[id];
      if (res.Type !== 'AWS::ECS::Service') continue;
      const p = this.r.properties(id);
      const task = refTarget(p.TaskDefinition) ?? refTarget(p.TaskDefinition);
      if (!task) continue;
      const list = servicesByTask.get(task) ?? [];
      list.push({ logicalId: id, desiredCount: num(p.DesiredCount) });
      servicesByTask.set(task, list);
      if (asArray(p.ServiceRegistries).length > 0) {
        this.removals.push(`Cloud Map registration (ServiceRegistries) of ECS service ${id}: Service Connect registers the tasks itself.`);
      }
    }
    for (const id of ids) {
      const res = this.t.Resources[id];
      if (res.Type !== 'AWS::ECS::TaskDefinition') continue;
      const p = this.r.properties(id);
      const containers: Container[] = asArray(p.ContainerDefinitions).filter(isObject)
        .map((c, i) => ({ name: str(c.Name) ?? `container${i}`, raw: c }));
      const proxy = isObject(p.ProxyConfiguration) ? p.ProxyConfiguration : undefined;
      const proxyIsAppMesh = proxy !== undefined && (str(proxy.Type) ?? 'APPMESH').toUpperCase() === 'APPMESH';
      const proxyContainer = proxy ? str(proxy.ContainerName) : undefined;
      const envoy = containers.find((c) => c.name === proxyContainer) ?? containers.find((c) => isEnvoy(c));
      if (!envoy && !proxyIsAppMesh) continue;
      let meshResource: { kind: string; name: string } | undefined;
      for (const c of containers) {
        for (const e of asArray(c.raw.Environment).filter(isObject)) {
          const name = str(e.Name);
          const value = str(e.Value) ?? '';
          if (name === 'APPMESH_RESOURCE_ARN' || name === 'APPMESH_VIRTUAL_NODE_NAME' || name === 'APPMESH_RESOURCE_NAME') {
            const m = /(virtualNode|virtualGateway)\/([^/]+)$/.exec(value);
            if (m) meshResource = { kind: m[1], name: m[2] };
          }
        }
      }
      this.taskDefs.push({
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

  // ---------------------------------------------------------------- findings

  private meshFindings(): void {
    if (this.meshes.length > 1) {
      this.finding('several-meshes', FindingSeverity.WARNING, this.meshes.map((m) => `mesh ${m.name}`).join(', '), 'several meshes',
        `the template holds ${this.meshes.length} meshes; the plan puts every node in one namespace.`,
        'Migrate one mesh at a time (pass the namespace with --namespace), or keep one namespace if the names do not clash.');
    }
    for (const m of this.meshes) {
      const egress = isObject(m.spec.EgressFilter) ? str(m.spec.EgressFilter.Type) : undefined;
      if (egress === 'ALLOW_ALL') {
        this.finding('egress-filter', FindingSeverity.INFO, this.subject('mesh', m.logicalId), 'egress filter ALLOW_ALL',
          'tasks may call endpoints outside the mesh.',
          'Nothing to do: Service Connect never filters egress; security groups and NAT decide what tasks reach.');
      } else {
        this.finding('egress-filter', FindingSeverity.WARNING, this.subject('mesh', m.logicalId), 'egress filter DROP_ALL',
          'the mesh blocks calls to anything that is not a virtual service.',
          'Service Connect does not filter egress: restrict outbound traffic with security groups (the generated services allow all outbound), VPC endpoints, or AWS Network Firewall.');
      }
    }
    this.finding('backends-not-enforced', FindingSeverity.INFO, 'all virtual nodes', 'backends as an allow list',
      'App Mesh let a node reach only its declared backends (with DROP_ALL).',
      'With Service Connect every task can resolve every endpoint of the namespace. The generated app calls connectTo for each declared backend, which opens the server\'s security group to that client only, so the allow list moves into security groups.');
  }

  private routeFindings(): void {
    for (const route of this.routes) {
      const subject = this.subject(`route ${route.router}/${route.name}`, route.logicalId);
      const weighted = route.targets.filter((t) => t.weight > 0);
      if (route.targets.length > 1) {
        this.finding('weighted-route', FindingSeverity.WARNING, subject, 'weighted route targets',
          `the route splits traffic by weight: ${route.targets.map((t) => `${t.node} ${t.weight}`).join(', ')}. ` +
          `Service Connect has one alias per service: the plan gives the virtual service's name to ${this.primaryOf(route.targets)} ` +
          'and lets the other targets keep their own discovery names.',
          BLUE_GREEN);
      } else if (weighted.length === 0 && route.targets.length > 0) {
        this.finding('weighted-route', FindingSeverity.INFO, subject, 'zero-weight target',
          'the route sends no traffic (every weight is 0).', 'Remove the idle node, or deploy it as a new revision later.');
      }
      const match = isObject(route.spec.Match) ? route.spec.Match : {};
      const matchFinding = (code: string, feature: string, detail: string, rec: string): void =>
        this.finding(code, FindingSeverity.WARNING, subject, feature, detail, rec);
      const contentRouting = 'Service Connect does not route by request content: one alias reaches one ECS service. Route inside the ' +
        'application, give each variant its own service and alias (clients call the one they need), or put an Application Load ' +
        'Balancer with listener rules in front.';
      const prefix = str(match.Prefix);
      if (prefix !== undefined && prefix !== '/') {
        matchFinding('path-match', 'path prefix match', `the route matches the path prefix ${JSON.stringify(prefix)}.`, contentRouting);
      }
      if (isObject(match.Path)) {
        matchFinding('path-match', 'path match', `the route matches the path ${JSON.stringify(match.Path)}.`, contentRouting);
      }
      if (asArray(match.Headers).length > 0) {
        const names = asArray(match.Headers).filter(isObject).map((h) => str(h.Name)).join(', ');
        matchFinding('header-match', 'header match', `the route matches the headers ${names}.`, contentRouting);
      }
      if (asArray(match.Metadata).length > 0) {
        const names = asArray(match.Metadata).filter(isObject).map((h) => str(h.Name)).join(', ');
        matchFinding('header-match', 'gRPC metadata match', `the route matches the gRPC metadata ${names}.`, contentRouting);
      }
      if (match.Method !== undefined) {
        matchFinding('method-match', 'method match', `the route matches the HTTP method ${String(match.Method)}.`, contentRouting);
      }
      if (match.ServiceName !== undefined || match.MethodName !== undefined) {
        matchFinding('method-match', 'gRPC service/method match',
          `the route matches the gRPC ${[match.ServiceName && `service ${String(match.ServiceName)}`, match.MethodName && `method ${String(match.MethodName)}`].filter(Boolean).join(' and ')}.`,
          contentRouting);
      }
      if (asArray(match.QueryParameters).length > 0) {
        matchFinding('query-match', 'query parameter match', 'the route matches query parameters.', contentRouting);
      }
      if (match.Scheme !== undefined) {
        matchFinding('scheme-match', 'scheme match', `the route matches the scheme ${String(match.Scheme)}.`, contentRouting);
      }
      if (isObject(route.spec.RetryPolicy)) {
        const rp = route.spec.RetryPolicy;
        const events = [...asArray(rp.HttpRetryEvents), ...asArray(rp.GrpcRetryEvents), ...asArray(rp.TcpRetryEvents)].join(', ');
        this.finding('retry-policy', FindingSeverity.WARNING, subject, 'retry policy',
          `the route retries up to ${String(rp.MaxRetries)} times${durationSeconds(rp.PerRetryTimeout) !== undefined ? ` (${durationSeconds(rp.PerRetryTimeout)} s per try)` : ''}` +
          `${events ? ` on ${events}` : ''}.`,
          'Service Connect\'s proxy retries a failed request on another task by itself (AWS documents no count and no conditions) and ' +
          'cannot be configured. Retry in the ' +
          'client (AWS SDK-style exponential backoff with jitter) for idempotent calls only.');
      }
      const timeout = isObject(route.spec.Timeout) ? route.spec.Timeout : undefined;
      if (timeout) {
        const per = durationSeconds(timeout.PerRequest);
        const idle = durationSeconds(timeout.Idle);
        this.finding('route-timeout', FindingSeverity.INFO, subject, 'route timeout',
          `the route sets ${[per !== undefined && `a per-request timeout of ${per} s`, idle !== undefined && `an idle timeout of ${idle} s`].filter(Boolean).join(' and ')}.`,
          'The plan sets it on the target service\'s port (Service Connect timeouts are per port, not per route; per-request timeouts are not allowed on TCP ports).');
      }
    }
  }

  private gatewayFindings(ids: string[]): void {
    for (const id of ids) {
      const type = this.t.Resources[id].Type;
      if (type === 'AWS::AppMesh::VirtualGateway') {
        const p = this.r.properties(id);
        const spec = isObject(p.Spec) ? p.Spec : {};
        const listeners = this.listeners(spec.Listeners, id).map((l) => `${l.port}/${l.protocol}`).join(', ');
        this.finding('virtual-gateway', FindingSeverity.WARNING, this.subject(`virtual gateway ${this.r.nameOf(id, 'VirtualGatewayName')}`, id),
          'virtual gateway', `an ingress gateway listening on ${listeners || 'no port'}.`,
          'Service Connect has no ingress gateway: traffic from outside the namespace enters through an Application Load Balancer ' +
          '(HTTP, path and header rules), a Network Load Balancer (TCP) or Amazon API Gateway with a VPC link, targeting the ECS ' +
          'services directly. Delete the gateway\'s Envoy-only ECS service after the switch.');
      } else if (type === 'AWS::AppMesh::GatewayRoute') {
        const p = this.r.properties(id);
        const spec = isObject(p.Spec) ? p.Spec : {};
        const kind = Object.keys(ROUTE_KINDS).find((k) => isObject(spec[k]));
        const route = kind ? spec[kind] as Record<string, unknown> : {};
        const action = isObject(route.Action) ? route.Action : {};
        const targetVs = isObject(action.Target) && isObject(action.Target.VirtualService) ? action.Target.VirtualService : {};
        const target = str(targetVs.VirtualServiceName);
        const match = isObject(route.Match) ? route.Match : {};
        const what = str(match.Prefix) !== undefined ? `prefix ${str(match.Prefix)}` : match.ServiceName ? `gRPC service ${String(match.ServiceName)}` : 'any request';
        this.finding('gateway-route', FindingSeverity.WARNING, this.subject(`gateway route ${str(p.VirtualGatewayName)}/${this.r.nameOf(id, 'GatewayRouteName')}`, id),
          'gateway route', `sends ${what} to ${target ?? 'a virtual service'}.`,
          `Make it a listener rule of the load balancer that replaces the gateway (${what} → the target group of the ECS service behind ${target ?? 'the virtual service'}).`);
      }
    }
    for (const td of this.taskDefs) {
      if (td.meshResource?.kind === 'virtualGateway') {
        this.removals.push(`Task definition ${td.logicalId} (the Envoy of virtual gateway ${td.meshResource.name})` +
          `${td.services.length ? ` and its ECS service ${td.services.map((s) => s.logicalId).join(', ')}` : ''}: replace with a load balancer.`);
      }
    }
  }

  private iamRemovals(ids: string[]): void {
    for (const id of ids) {
      const type = this.t.Resources[id].Type;
      if (!type.startsWith('AWS::IAM::')) continue;
      const text = JSON.stringify(this.t.Resources[id].Properties ?? {});
      if (/appmesh:StreamAggregatedResources|appmesh:\*/i.test(text)) {
        this.removals.push(`IAM permission appmesh:StreamAggregatedResources in ${type.replace('AWS::IAM::', '')} ${id} (the Envoy's access to the mesh).`);
      }
      if (/AWSAppMeshEnvoyAccess|AWSAppMeshPreviewEnvoyAccess/.test(text)) {
        this.removals.push(`Managed policy AWSAppMeshEnvoyAccess attached by ${type.replace('AWS::IAM::', '')} ${id}.`);
      }
      if (/AWSXRayDaemonWriteAccess/.test(text)) {
        this.removals.push(`Managed policy AWSXRayDaemonWriteAccess in ${id}, unless you keep the X-Ray daemon.`);
      }
    }
  }

  private listenerFindings(node: Node, l: Listener): void {
    const subject = this.subject(`virtual node ${node.name} listener ${l.port}/${l.protocol}`, node.logicalId);
    const tls = isObject(l.raw.TLS) ? l.raw.TLS : undefined;
    if (tls && str(tls.Mode) !== 'DISABLED') {
      const source = isObject(tls.Certificate) ? Object.keys(tls.Certificate).join('/') : 'a certificate';
      this.finding('tls', FindingSeverity.WARNING, subject, 'listener TLS',
        `the listener terminates TLS (${str(tls.Mode) ?? 'STRICT'}, ${source} certificate).`,
        'Service Connect encrypts with certificates it issues from AWS Private CA only (one-way TLS 1.3, no ACM/file/SDS certificates): ' +
        'create a short-lived-certificate Private CA and set the service\'s Service Connect TLS (IssuerCertificateAuthority, RoleArn with ' +
        'AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity). The app keeps speaking plain text to the proxy.');
      if (isObject(tls.Validation)) {
        this.finding('mtls', FindingSeverity.BLOCKER, subject, 'mutual TLS',
          'the listener validates client certificates (mTLS).',
          'Service Connect has no mTLS and no bring-your-own CA. Authenticate callers in the application (signed tokens such as JWT, ' +
          'or SigV4 through a VPC Lattice service network), and rely on security groups (connectTo) for who can connect.');
      }
    }
    if (isObject(l.raw.OutlierDetection)) {
      const o = l.raw.OutlierDetection;
      this.finding('outlier-detection', FindingSeverity.INFO, subject, 'outlier detection',
        `ejects hosts after ${String(o.MaxServerErrors)} server errors (up to ${String(o.MaxEjectionPercent)}%).`,
        'Service Connect\'s proxy does outlier detection by itself with fixed settings; nothing to configure. Keep container health checks so that ECS replaces unhealthy tasks.');
    }
    if (isObject(l.raw.ConnectionPool)) {
      const pool = Object.values(l.raw.ConnectionPool).filter(isObject)[0] ?? {};
      this.finding('connection-pool', FindingSeverity.WARNING, subject, 'connection pool',
        `limits ${Object.entries(pool).map(([k, v]) => `${k} ${String(v)}`).join(', ')}.`,
        'Service Connect has no connection or request limits. Limit concurrency in the application (a bounded worker pool or a ' +
        'rate limiter), and scale the server with ECS service auto scaling on the RequestCountPerTarget metric.');
    }
    if (isObject(l.raw.HealthCheck)) {
      const hc = l.raw.HealthCheck;
      this.finding('health-check', FindingSeverity.INFO, subject, 'listener health check',
        `the Envoy checked ${str(hc.Protocol) ?? 'the port'}${str(hc.Path) ? ` ${str(hc.Path)}` : ''} every ${durationSeconds(hc.IntervalMillis) ?? '?'} s.`,
        'Service Connect does not health-check: give the app container an ECS health check (healthCheck prop) so unhealthy tasks are replaced and leave the namespace.');
    }
    const timeout = isObject(l.raw.Timeout) ? l.raw.Timeout[TIMEOUT_KEYS[l.protocol]] : undefined;
    if (l.protocol === 'tcp' && isObject(timeout) && timeout.PerRequest !== undefined) {
      this.finding('tcp-per-request-timeout', FindingSeverity.INFO, subject, 'TCP per-request timeout',
        'the listener sets a per-request timeout on a TCP port.', 'Dropped: Service Connect rejects per-request timeouts on TCP ports. The idle timeout is kept.');
    }
  }

  private nodeFindings(node: Node): void {
    const subject = this.subject(`virtual node ${node.name}`, node.logicalId);
    const backendDefaults = isObject(node.spec.BackendDefaults) ? node.spec.BackendDefaults : {};
    const defaults = isObject(backendDefaults.ClientPolicy) ? backendDefaults.ClientPolicy : undefined;
    const backendPolicies = asArray(node.spec.Backends).filter(isObject)
      .map((b) => isObject(b.VirtualService) ? b.VirtualService : {})
      .filter((vs) => isObject(vs.ClientPolicy) && isObject((vs.ClientPolicy as Record<string, unknown>).TLS));
    if ((defaults && isObject(defaults.TLS)) || backendPolicies.length > 0) {
      const policy = defaults && isObject(defaults.TLS) ? defaults : backendPolicies[0].ClientPolicy as Record<string, unknown>;
      const tls = policy.TLS as Record<string, unknown>;
      const names = backendPolicies.map((b) => str(b.VirtualServiceName)).filter(Boolean).join(', ');
      this.finding('tls-client-policy', FindingSeverity.WARNING, subject, 'TLS client policy',
        `the node validates the TLS certificates of ${defaults ? 'every backend' : names}${isObject(tls.Certificate) ? ' and presents a client certificate (mTLS)' : ''}.`,
        'Service Connect clients trust the AWS Private CA of the server\'s Service Connect TLS automatically; custom trust stores, ' +
        'subject alternative name checks and client certificates have no equivalent. Turn on Service Connect TLS on the servers instead.');
      if (isObject(tls.Certificate)) {
        this.finding('mtls', FindingSeverity.BLOCKER, subject, 'mutual TLS (client certificate)',
          'the node presents a client certificate to its backends.',
          'Service Connect has no mTLS. Authenticate callers in the application (signed tokens), and rely on security groups for who can connect.');
      }
    }
    const logging = isObject(node.spec.Logging) ? node.spec.Logging : undefined;
    if (logging && isObject(logging.AccessLog)) {
      this.finding('access-log', FindingSeverity.INFO, subject, 'Envoy access log',
        'the Envoy writes an access log.',
        'The generated service sends the Service Connect proxy\'s logs to CloudWatch Logs; for per-request access logs add an AccessLogConfiguration (TEXT or JSON) to the service\'s Service Connect configuration.');
    }
  }

  // ---------------------------------------------------------------- planning

  private namespaceName(): string {
    const cloudMap = this.nodes.map((n) => n.cloudMapNamespace).find((n) => n !== undefined && !hasPlaceholder(n));
    if (cloudMap) return cloudMap;
    const names = this.virtualServices.map((v) => v.name).filter((n) => n.includes('.') && !hasPlaceholder(n));
    if (names.length > 0) {
      const suffixes = names.map((n) => n.slice(n.indexOf('.') + 1));
      if (suffixes.every((s) => s === suffixes[0]) && /^[\x21-\x7e]+$/.test(suffixes[0])) return suffixes[0];
    }
    const mesh = this.meshes[0]?.name ?? this.nodes[0].mesh;
    return hasPlaceholder(mesh) || mesh.includes('${') ? 'internal' : slug(mesh);
  }

  private primaryOf(targets: Target[]): string {
    const byNode = new Map<string, number>();
    for (const t of targets) byNode.set(t.node, (byNode.get(t.node) ?? 0) + t.weight);
    let best: string | undefined;
    for (const [node, weight] of byNode) {
      if (best === undefined || weight > byNode.get(best)!) best = node;
    }
    return best ?? targets[0]?.node ?? '?';
  }

  /** The node and port a virtual service's clients reach, per client port. */
  private targetsOf(vs: VirtualService): Array<{ node: Node; listener: Listener; clientPort: number }> {
    if (vs.node !== undefined) {
      const node = this.nodes.find((n) => n.name === vs.node);
      return node ? node.listeners.map((l) => ({ node, listener: l, clientPort: l.port })) : [];
    }
    const router = this.routers.find((r) => r.name === vs.router);
    if (!router) return [];
    const out: Array<{ node: Node; listener: Listener; clientPort: number }> = [];
    for (const rl of router.listeners) {
      const targets = this.routes.filter((rt) => rt.router === router.name)
        .flatMap((rt) => rt.targets).filter((t) => t.port === undefined || t.port === rl.port || router.listeners.length === 1);
      const primary = this.nodes.find((n) => n.name === this.primaryOf(targets));
      if (!primary || primary.listeners.length === 0) continue;
      const wanted = targets.find((t) => t.node === primary.name && t.port !== undefined)?.port;
      const listener = primary.listeners.find((l) => l.port === wanted) ??
        primary.listeners.find((l) => l.protocol === rl.protocol) ?? primary.listeners[0];
      out.push({ node: primary, listener, clientPort: rl.port });
    }
    return out;
  }

  private buildServices(): { services: MigratedService[]; nodeOf: Map<string, string>; portsOf: Map<string, PortPlan[]> } {
    const discoveryNames = new Set<string>();
    const ids = new Set<string>();
    const portsOf = new Map<string, PortPlan[]>();
    const nodeOf = new Map<string, string>();
    const idOf = new Map<string, string>();

    // Ports and discovery names, node by node.
    for (const node of this.nodes) {
      const base = uniqueName(this.baseName(node), discoveryNames);
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
      for (const l of node.listeners) this.listenerFindings(node, l);
      this.nodeFindings(node);
    }

    // Virtual service names become client aliases of the ports that serve them.
    const aliasesTaken = new Set<string>();
    for (const vs of this.virtualServices) {
      const targets = this.targetsOf(vs);
      if (targets.length === 0) {
        this.finding('virtual-service-without-node', FindingSeverity.WARNING, this.subject(`virtual service ${vs.name}`, vs.logicalId),
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
    for (const node of this.nodes) {
      const ports: MigratedPort[] = [];
      for (const p of portsOf.get(node.name)!) {
        const [alias, ...others] = p.aliases;
        if (others.length > 0) {
          this.finding('several-aliases', FindingSeverity.WARNING, this.subject(`virtual node ${node.name} port ${p.listener.port}`, node.logicalId),
            'several virtual services on one port',
            `${[alias, ...others].map((a) => a.from).join(', ')} all reach this port; a Service Connect port has one client alias.`,
            `The plan keeps ${alias.from}. Point the clients of ${others.map((a) => a.from).join(', ')} at it (they are usually configuration values), ` +
            'or add a second container port for each extra name.');
        }
        const validDns = alias && /^[a-z0-9_][a-z0-9_.-]{0,126}$/.test(alias.dnsName) && !hasPlaceholder(alias.dnsName);
        if (alias && !validDns) {
          this.finding('alias-invalid', FindingSeverity.WARNING, this.subject(`virtual service ${alias.from}`, node.logicalId), 'virtual service name',
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
          perRequestTimeoutSeconds: p.perRequest ?? this.routePerRequest(node, p.listener),
        });
      }
      services.push(this.service(node, idOf.get(node.name)!, ports));
    }
    return { services, nodeOf, portsOf };
  }

  /** A per-request timeout of a route targeting the node, for HTTP-like ports without their own. */
  private routePerRequest(node: Node, l: Listener): number | undefined {
    if (l.protocol === 'tcp') return undefined;
    for (const rt of this.routes) {
      if (!rt.targets.some((t) => t.node === node.name)) continue;
      const timeout = isObject(rt.spec.Timeout) ? durationSeconds(rt.spec.Timeout.PerRequest) : undefined;
      if (timeout !== undefined) return timeout;
    }
    return undefined;
  }

  private baseName(node: Node): string {
    const candidates = [node.cloudMapService, node.hostname?.split('.')[0], node.name];
    for (const c of candidates) {
      if (c !== undefined && !hasPlaceholder(c) && c.length > 0 && c !== '*') return slug(c, 56);
    }
    return slug(node.logicalId, 56);
  }

  private service(node: Node, id: string, ports: MigratedPort[]): MigratedService {
    const tasks = this.taskDefs.filter((td) => td.meshResource?.kind === 'virtualNode' && td.meshResource.name === node.name);
    const td = tasks[0];
    const subject = this.subject(`virtual node ${node.name}`, node.logicalId);
    if (tasks.length > 1) {
      this.finding('several-task-definitions', FindingSeverity.WARNING, subject, 'several task definitions',
        `${tasks.map((t) => t.logicalId).join(', ')} all run as this node.`,
        `The plan migrates ${td.logicalId}; migrate the others as further services (each needs its own discovery name) or merge them.`);
    }
    if (!td) {
      this.finding('no-task-definition', FindingSeverity.WARNING, subject, 'no task definition',
        'no ECS task definition of the template runs this node (no Envoy with APPMESH_RESOURCE_ARN naming it).',
        'The generated service uses a placeholder image (REPLACE_ME) and a default size (256 CPU units, 512 MiB for the app): fill in the real ones.');
      return {
        id,
        sourceName: node.name,
        sourceKind: 'AWS::AppMesh::VirtualNode',
        sourceLocation: node.logicalId,
        ports,
        environment: {},
        secrets: [],
        arm64: false,
        removedSidecars: [],
        sizing: sizingFor(256, 512, { estimated: true }),
      };
    }
    if (td.services.length === 0) {
      this.finding('standalone-task', FindingSeverity.BLOCKER, this.subject(`task definition of ${node.name}`, td.logicalId),
        'standalone task', 'no ECS service of the template runs this task definition: its tasks are started by RunTask (or by another template).',
        'Service Connect works only for tasks that ECS services start. Run the workload as an ECS service (desiredCount 0 and ' +
        'scaling when idle is fine); for batch jobs that only call other services, run them as a client-only service, or call the servers through an internal load balancer.');
    }
    const app = this.appContainer(td, node);
    const others = td.containers.filter((c) => c !== app && c !== td.envoy);
    for (const c of others) {
      const xray = /xray/i.test(`${c.name} ${str(c.raw.Image) ?? ''}`);
      this.finding(xray ? 'xray-daemon' : 'extra-container', FindingSeverity.INFO, this.subject(`container ${c.name}`, td.logicalId),
        xray ? 'X-Ray daemon sidecar' : 'extra container',
        `the task runs ${c.name} (${str(c.raw.Image) ?? 'no image'}) besides the app.`,
        xray ? 'Not migrated: Service Connect does not trace. Add the daemon (or an ADOT collector) with service.taskDefinition.addContainer() if you keep tracing.'
          : 'Not migrated: add it with service.taskDefinition.addContainer() and raise the sizing to leave the proxy its budget.');
    }
    if (!app) {
      this.finding('no-app-container', FindingSeverity.WARNING, this.subject(`task definition of ${node.name}`, td.logicalId),
        'no app container', 'the task definition has only the Envoy container.', 'Fill in the image of the generated service (REPLACE_ME).');
    }
    const compat = asArray(td.props.RequiresCompatibilities).map(String);
    const onEc2 = compat.length > 0 ? !compat.includes('FARGATE') : (str(td.props.NetworkMode) ?? 'bridge') !== 'awsvpc';
    if (onEc2 || (str(td.props.NetworkMode) ?? 'awsvpc') !== 'awsvpc') {
      this.finding('launch-type', FindingSeverity.INFO, this.subject(`task definition of ${node.name}`, td.logicalId), 'EC2 launch type',
        `the task ran on ${compat.join('/') || 'EC2'} with network mode ${str(td.props.NetworkMode) ?? 'bridge'}.`,
        onEc2 ? 'The generated service stays on EC2: a ConnectedEc2Service (awsvpc) on the generated Auto Scaling group capacity provider; ' +
          'set its instance type and image (or use your own provider), or networkMode: ecs.NetworkMode.BRIDGE to keep bridge networking.'
          : 'The generated service runs on Fargate (awsvpc).');
    }
    const runtime = isObject(td.props.RuntimePlatform) ? td.props.RuntimePlatform : {};
    const arm64 = /arm64/i.test(str(runtime.CpuArchitecture) ?? '');

    // Sizing: the app keeps what it had; the Envoy's share is freed; the proxy gets AWS's budget.
    const taskCpu = cpuUnits(td.props.Cpu);
    const taskMem = memoryMiB(td.props.Memory);
    const envoyCpu = td.envoy ? num(td.envoy.raw.Cpu) ?? 0 : 0;
    const envoyMem = td.envoy ? num(td.envoy.raw.Memory) ?? num(td.envoy.raw.MemoryReservation) ?? 0 : 0;
    const othersCpu = others.reduce((s, c) => s + (num(c.raw.Cpu) ?? 0), 0);
    const othersMem = others.reduce((s, c) => s + (num(c.raw.Memory) ?? num(c.raw.MemoryReservation) ?? 0), 0);
    let appCpu = app ? num(app.raw.Cpu) : undefined;
    let appMem = app ? num(app.raw.Memory) ?? num(app.raw.MemoryReservation) : undefined;
    let estimated = false;
    if (!appCpu) {
      appCpu = taskCpu !== undefined ? taskCpu - envoyCpu - othersCpu : undefined;
      estimated = true;
    }
    if (!appMem) {
      appMem = taskMem !== undefined ? taskMem - envoyMem - othersMem : undefined;
      estimated = true;
    }
    if (appCpu === undefined || appCpu < 1) appCpu = Math.max(128, Math.floor((taskCpu ?? 512) / 2));
    if (appMem === undefined || appMem < 1) appMem = Math.max(256, Math.floor((taskMem ?? 1024) / 2));
    const sizing = sizingFor(appCpu, appMem, {
      estimated,
      previousTaskCpu: taskCpu,
      previousTaskMemoryMiB: taskMem,
      freedCpu: td.envoy ? envoyCpu : undefined,
      freedMemoryMiB: td.envoy ? envoyMem : undefined,
    });

    const removed: RemovedSidecar[] = [];
    if (td.envoy) {
      removed.push({
        taskDefinition: td.logicalId,
        containerName: td.envoy.name,
        image: str(td.envoy.raw.Image) ?? '?',
        cpu: envoyCpu,
        memoryMiB: envoyMem,
        proxyConfiguration: td.proxyConfiguration,
      });
      this.removals.push(`Envoy container "${td.envoy.name}" (${str(td.envoy.raw.Image) ?? 'image unknown'}, ${envoyCpu} CPU units, ${envoyMem} MiB)` +
        `${td.proxyConfiguration ? ' and the ProxyConfiguration of type APPMESH' : ''} from task definition ${td.logicalId} (virtual node ${node.name}).`);
    } else if (td.proxyConfiguration) {
      this.removals.push(`ProxyConfiguration of type APPMESH from task definition ${td.logicalId} (virtual node ${node.name}).`);
    }

    const image = app ? str(app.raw.Image) : undefined;
    if (image !== undefined && hasPlaceholder(image)) {
      this.finding('image-unresolved', FindingSeverity.WARNING, this.subject(`container ${app!.name}`, td.logicalId), 'image known only at deploy time',
        `the image is ${image}.`, 'Replace the placeholder image of the generated service (REPLACE_ME) with the real repository and tag.');
    }
    const environment: { [name: string]: string } = {};
    for (const e of asArray(app?.raw.Environment).filter(isObject)) {
      const name = str(e.Name);
      const value = str(e.Value);
      if (!name || value === undefined || name.startsWith('APPMESH_') || name.startsWith('ENVOY_')) continue;
      environment[name] = value;
    }
    const secrets: MigratedSecret[] = [];
    for (const s of asArray(app?.raw.Secrets).filter(isObject)) {
      const secret = parseValueFrom(str(s.Name) ?? '', str(s.ValueFrom) ?? '');
      if (secret) {
        secrets.push(secret);
      } else {
        this.finding('secret-unresolved', FindingSeverity.WARNING, this.subject(`secret ${str(s.Name)}`, td.logicalId), 'secret known only at deploy time',
          `its ValueFrom is ${str(s.ValueFrom) ?? JSON.stringify(s.ValueFrom)}.`, 'Add it to the generated service\'s secrets by hand.');
      }
    }
    const hcRaw = app && isObject(app.raw.HealthCheck) ? app.raw.HealthCheck : {};
    const hc = asArray(hcRaw.Command).map(String);
    const command = app ? asArray(app.raw.Command).map(String) : [];
    const desired = td.services.map((s) => s.desiredCount).find((d) => d !== undefined);
    return {
      id,
      sourceName: node.name,
      sourceKind: 'AWS::AppMesh::VirtualNode',
      sourceLocation: `${node.logicalId} (task definition ${td.logicalId}${td.services.length ? `, ECS service ${td.services.map((s) => s.logicalId).join(', ')}` : ''})`,
      image: image !== undefined && !hasPlaceholder(image) ? image : undefined,
      ports,
      desiredCount: desired,
      environment,
      secrets,
      command: command.length > 0 ? command : undefined,
      healthCheck: hc.length > 0 ? {
        command: hc,
        intervalSeconds: num(hcRaw.Interval),
        timeoutSeconds: num(hcRaw.Timeout),
        retries: num(hcRaw.Retries),
        startPeriodSeconds: num(hcRaw.StartPeriod),
      } : undefined,
      arm64,
      sizing,
      removedSidecars: removed,
      launchType: onEc2 ? MigratedLaunchType.EC2 : MigratedLaunchType.FARGATE,
    };
  }

  private appContainer(td: TaskDef, node: Node): Container | undefined {
    const candidates = td.containers.filter((c) => c !== td.envoy && !/xray/i.test(`${c.name} ${str(c.raw.Image) ?? ''}`));
    const listenerPorts = new Set(node.listeners.map((l) => l.port));
    return candidates.find((c) => asArray(c.raw.PortMappings).filter(isObject).some((pm) => listenerPorts.has(num(pm.ContainerPort) ?? -1))) ??
      candidates.find((c) => c.raw.Essential !== false) ?? candidates[0];
  }

  private buildConnections(services: MigratedService[], nodeOf: Map<string, string>): MigratedConnection[] {
    const connections: MigratedConnection[] = [];
    const byNode = new Map(services.map((s) => [nodeOf.get(s.id)!, s]));
    for (const node of this.nodes) {
      const client = byNode.get(node.name)!;
      const taken = new Set([...Object.keys(client.environment), ...client.secrets.map((s) => s.name)]);
      for (const b of asArray(node.spec.Backends).filter(isObject)) {
        const vsName = isObject(b.VirtualService) ? str(b.VirtualService.VirtualServiceName) : undefined;
        if (!vsName) continue;
        const vs = this.virtualServices.find((v) => v.name === vsName);
        const targets = vs ? this.targetsOf(vs) : [];
        if (!vs) {
          this.finding('backend-outside-template', FindingSeverity.WARNING, this.subject(`virtual node ${node.name}`, node.logicalId),
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
          const scheme = port.protocol === ServiceConnectProtocol.TCP ? 'tcp' : 'http';
          connections.push({
            client: client.id,
            server: server.id,
            portName: port.name,
            url: `${scheme}://${port.dnsName}:${port.clientPort}`,
            environmentVariable: variable,
            reason: `backend ${vsName}`,
          });
        }
      }
    }
    return connections;
  }

  private subject(what: string, logicalId: string): string {
    return `${what} (${logicalId})`;
  }

  private finding(code: string, severity: FindingSeverity, subject: string, feature: string, detail: string, recommendation: string): void {
    this.findings.push({ code, severity, subject, feature, detail, recommendation });
  }
}

function isEnvoy(c: Container): boolean {
  const image = str(c.raw.Image) ?? '';
  return /aws-appmesh-envoy|appmesh\/envoy/.test(image) ||
    asArray(c.raw.Environment).filter(isObject).some((e) => /^APPMESH_(RESOURCE_ARN|VIRTUAL_NODE_NAME|RESOURCE_NAME)$/.test(str(e.Name) ?? ''));
}
