import type { App } from 'aws-cdk-lib';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ConnectedFargateServiceProps } from '../../src';
import { ConnectedFargateService, EnvoySizing, ServiceConnectCluster, ServiceConnectProtocol } from '../../src';
import { ServiceConnectDashboard } from '../../src/observability';
import { strictApp, TEST_IMAGE } from '../helpers';

const image = TEST_IMAGE;

interface Widget {
  readonly type: string;
  readonly width: number;
  readonly properties: { title?: string; markdown?: string; metrics?: any[][] };
}

/** The widgets of the only dashboard of a stack, with every token written as `<Ref:Id>` / `<Id.Attr>` / `<Fn::ImportValue:...>`. */
function widgetsOf(stack: Stack): Widget[] {
  const dashboards = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0].Properties.DashboardBody;
  const parts: any[] = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const text = parts.map((p) => {
    if (typeof p === 'string') return p;
    if (p.Ref) return `<Ref:${p.Ref}>`;
    if (p['Fn::GetAtt']) return `<${p['Fn::GetAtt'].join('.')}>`;
    if (p['Fn::ImportValue']) return `<Fn::ImportValue:${JSON.stringify(p['Fn::ImportValue']).replace(/"/g, '\'')}>`;
    throw new Error(`unexpected token ${JSON.stringify(p)}`);
  }).join('');
  return JSON.parse(text).widgets;
}

/** Every metric line of the graphs: `[metricName, { dimension: value }, stat]`. */
function metricsOf(widgets: Widget[]): Array<[string, Record<string, string>, string]> {
  return widgets.filter((w) => w.type === 'metric').flatMap((w) => w.properties.metrics!.map((line) => {
    const options = typeof line[line.length - 1] === 'object' ? line[line.length - 1] : {};
    const fields = line.slice(2, typeof line[line.length - 1] === 'object' ? -1 : undefined);
    const dims: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) dims[fields[i]] = fields[i + 1];
    expect(line[0]).toBe('AWS/ECS');
    return [line[1], dims, options.stat ?? 'Average'] as [string, Record<string, string>, string];
  }));
}

function byTitle(widgets: Widget[], title: string): Widget {
  const found = widgets.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no widget "${title}" in ${widgets.map((w) => w.properties.title).join(', ')}`);
  return found;
}

describe('a dashboard created before its services', () => {
  // GIVEN a cluster and its dashboard, created first
  const app = strictApp();
  const stack = new Stack(app, 'TestStack');
  const cluster = new ServiceConnectCluster(stack, 'Cluster', { namespaceName: 'test.internal' });
  const dashboard = new ServiceConnectDashboard(stack, 'Dashboard', { cluster, dashboardName: 'sc-test' });
  expect(dashboard.services).toEqual([]);

  // WHEN services of every protocol are created afterwards
  const svc = (id: string, props: Partial<ConnectedFargateServiceProps> = {}) =>
    new ConnectedFargateService(stack, id, { cluster, image, ...props });
  const payments = svc('Payments', { ports: [{ name: 'payments-http', containerPort: 8080, discoveryName: 'payments' }] });
  const multi = svc('Multi', {
    sizing: EnvoySizing.forApp({ appCpu: 512, appMemoryMiB: 1024 }),
    ports: [
      { name: 'multi-grpc', containerPort: 9090, protocol: ServiceConnectProtocol.GRPC, discoveryName: 'multi-grpc' },
      { name: 'multi-tcp', containerPort: 5432, protocol: ServiceConnectProtocol.TCP, discoveryName: 'multi-db' },
    ],
  });
  const worker = svc('Worker');
  worker.connectTo(payments);
  // ...and one more after everything else
  const late = svc('Late', { ports: [{ name: 'late-http', containerPort: 8080, protocol: ServiceConnectProtocol.HTTP2, discoveryName: 'late' }] });

  const widgets = widgetsOf(stack);
  const metrics = metricsOf(widgets);

  test('it lists every service, including those created after it, and names the client-only ones', () => {
    expect(dashboard.services).toEqual([payments, multi, worker, late]);
    const headings = widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown!);
    expect(headings[0]).toContain('Client-only (no server metrics): TestStack/Worker');
    expect(headings.slice(1)).toEqual([
      '## TestStack/Payments · port `payments-http` (http), discovery name `payments`',
      '## TestStack/Multi · port `multi-grpc` (grpc), discovery name `multi-grpc`',
      '## TestStack/Multi · port `multi-tcp` (tcp), discovery name `multi-db`',
      '## TestStack/Late · port `late-http` (http2), discovery name `late`',
    ]);
  });

  test('the dashboard keeps its name', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'sc-test' });
  });

  test('an HTTP port: request rate, 4xx/5xx, p50/p90/p99 latency, active and new connections, with the real names and dimensions', () => {
    const server = { DiscoveryName: 'payments' };
    const target = { TargetDiscoveryName: 'payments' };
    expect(metricsOf([byTitle(widgets, 'payments: requests')])).toEqual([['RequestCount', server, 'Sum']]);
    expect(metricsOf([byTitle(widgets, 'payments: 4xx / 5xx responses')])).toEqual([
      ['HTTPCode_Target_4XX_Count', target, 'Sum'],
      ['HTTPCode_Target_5XX_Count', target, 'Sum'],
    ]);
    expect(metricsOf([byTitle(widgets, 'payments: response time')])).toEqual([
      ['TargetResponseTime', target, 'p50'],
      ['TargetResponseTime', target, 'p90'],
      ['TargetResponseTime', target, 'p99'],
    ]);
    expect(metricsOf([byTitle(widgets, 'payments: connections')])).toEqual([
      ['ActiveConnectionCount', server, 'Average'],
      ['NewConnectionCount', server, 'Sum'],
    ]);
  });

  test('the service created last is on the dashboard with its own metrics', () => {
    expect(metrics).toContainEqual(['RequestCount', { DiscoveryName: 'late' }, 'Sum']);
    expect(metrics).toContainEqual(['HTTPCode_Target_5XX_Count', { TargetDiscoveryName: 'late' }, 'Sum']);
    expect(metrics).toContainEqual(['TargetResponseTime', { TargetDiscoveryName: 'late' }, 'p99']);
  });

  test('a gRPC port adds GrpcRequestCount and shows bytes instead of HTTP status counts', () => {
    expect(metricsOf([byTitle(widgets, 'multi-grpc: requests')]).map((m) => m[0])).toEqual(['RequestCount', 'GrpcRequestCount']);
    expect(metricsOf([byTitle(widgets, 'multi-grpc: bytes')]).map((m) => m[0])).toEqual(['ProcessedBytes']);
    expect(metrics.filter(([name, dims]) => name.startsWith('HTTPCode') && dims.TargetDiscoveryName === 'multi-grpc')).toEqual([]);
  });

  test('a TCP port shows connections and bytes only', () => {
    const tcp = metrics.filter(([, dims]) => dims.DiscoveryName === 'multi-db' || dims.TargetDiscoveryName === 'multi-db');
    expect(tcp.map((m) => m[0])).toEqual(['ActiveConnectionCount', 'NewConnectionCount', 'ProcessedBytes', 'TargetProcessedBytes']);
    expect(byTitle(widgets, 'multi-db: connections').width).toBe(12);
  });

  test('no graph of a client-only service, and no metric the seed article made up', () => {
    const workerGraphs = widgets.filter((w: any) => String(w.properties?.title ?? '').toLowerCase().includes('worker'));
    expect(workerGraphs).toEqual([]);
    for (const wrong of ['ServerError', 'ClientError', 'TargetProcessingTime', 'ActiveConnections']) {
      expect(metrics.map((m) => m[0])).not.toContain(wrong);
    }
  });

  test('every graph uses the 1-minute period Service Connect publishes at', () => {
    const periods = widgets.filter((w) => w.type === 'metric').flatMap((w) => w.properties.metrics!.map((l) => l[l.length - 1].period));
    expect(new Set(periods)).toEqual(new Set([60]));
  });
});

describe('a namespace-wide dashboard in its own stack', () => {
  // GIVEN two clusters in two stacks sharing one namespace, and a monitoring stack
  const app: App = strictApp();
  const core = new Stack(app, 'Core');
  const edge = new Stack(app, 'Edge');
  const monitoring = new Stack(app, 'Monitoring');
  const coreCluster = new ServiceConnectCluster(core, 'Cluster', { namespaceName: 'shared.internal' });
  const edgeCluster = new ServiceConnectCluster(edge, 'Cluster', { namespace: coreCluster.namespace, vpc: coreCluster.vpc });
  const whole = new ServiceConnectDashboard(monitoring, 'Namespace', { cluster: coreCluster, wholeNamespace: true, period: Duration.minutes(2) });
  const own = new ServiceConnectDashboard(monitoring, 'CoreOnly', { cluster: coreCluster });
  // WHEN services join both clusters after the dashboards exist
  new ConnectedFargateService(core, 'Accounts', { cluster: coreCluster, image, ports: [{ name: 'accounts', containerPort: 8080 }] });
  new ConnectedFargateService(edge, 'Gateway', { cluster: edgeCluster, image, ports: [{ name: 'gateway', containerPort: 8080 }] });

  test('wholeNamespace shows the services of every cluster in the namespace; the default only the cluster\'s own', () => {
    expect(whole.services.map((s) => s.node.path)).toEqual(['Core/Accounts', 'Edge/Gateway']);
    expect(own.services.map((s) => s.node.path)).toEqual(['Core/Accounts']);
  });

  test('it synthesizes under strict validation, referencing the other stacks\' services, with the chosen period', () => {
    const template = Template.fromStack(monitoring).toJSON();
    const bodies = Object.values(template.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::CloudWatch::Dashboard')
      .map((r) => JSON.stringify(r.Properties.DashboardBody));
    expect(bodies).toHaveLength(2);
    const [wholeBody, ownBody] = bodies;
    expect(wholeBody).toContain('\\"DiscoveryName\\",\\"accounts\\"');
    expect(wholeBody).toContain('\\"DiscoveryName\\",\\"gateway\\"');
    // metrics are keyed by discovery names only: the dashboard stack needs no export of the service stacks
    expect(wholeBody).not.toContain('Fn::ImportValue');
    expect(wholeBody).toContain('\\"period\\":120');
    expect(ownBody).toContain('\\"DiscoveryName\\",\\"accounts\\"');
    expect(ownBody).not.toContain('gateway');
  });
});

test('a cluster without servers gets a dashboard that says so', () => {
  const stack = new Stack(strictApp(), 'TestStack');
  const cluster = new ServiceConnectCluster(stack, 'Cluster');
  new ServiceConnectDashboard(stack, 'Dashboard', { cluster });
  new ConnectedFargateService(stack, 'Server', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
  const empty = new ServiceConnectCluster(stack, 'Empty', { vpc: cluster.vpc, namespaceName: 'empty.internal' });
  const emptyDashboard = new ServiceConnectDashboard(stack, 'EmptyDashboard', { cluster: empty });
  // Rendered by synthesis
  Template.fromStack(stack);
  const body = JSON.stringify(stack.resolve((emptyDashboard.dashboard.node.defaultChild as any).dashboardBody));
  expect(body).toContain('No service offers a Service Connect port yet.');
  expect(body).not.toContain('\\"type\\":\\"metric\\"');
});
