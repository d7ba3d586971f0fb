import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { buildSeedApp } from '../../examples/seed/app';
import { ConnectedFargateService, EnvoySizing, ServiceConnectProtocol } from '../../src';
import { strictApp } from '../helpers';

// GIVEN the seed topology (payments and orders serve HTTP, worker is client-only) plus a
// service with several ports. Metrics need no synthesis: they are checked as resolved objects.
const stack = buildSeedApp(strictApp());
const payments = stack.node.findChild('Payments') as ConnectedFargateService;
const worker = stack.node.findChild('Worker') as ConnectedFargateService;
const multi = new ConnectedFargateService(stack, 'Multi', {
  cluster: payments.cluster,
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/multi:1'),
  sizing: EnvoySizing.forApp({ appCpu: 512, appMemoryMiB: 1024 }),
  ports: [
    { name: 'multi-http', containerPort: 8080, discoveryName: 'multi' },
    { name: 'multi-grpc', containerPort: 9090, protocol: ServiceConnectProtocol.GRPC },
    { name: 'multi-tcp', containerPort: 5432, protocol: ServiceConnectProtocol.TCP, discoveryName: 'multi-db' },
  ],
});


type MetricMethod = (svc: ConnectedFargateService, props?: any) => cloudwatch.Metric;

// Server-side metrics: published by the server's proxy, by DiscoveryName alone (the scope of the Target* metrics).
const SERVER: Array<[string, MetricMethod, string, string]> = [
  ['metricRequestCount', (s, p) => s.metricRequestCount(p), 'RequestCount', 'Sum'],
  ['metricActiveConnectionCount', (s, p) => s.metricActiveConnectionCount(p), 'ActiveConnectionCount', 'Average'],
  ['metricNewConnectionCount', (s, p) => s.metricNewConnectionCount(p), 'NewConnectionCount', 'Sum'],
  ['metricProcessedBytes', (s, p) => s.metricProcessedBytes(p), 'ProcessedBytes', 'Sum'],
  ['metricGrpcRequestCount', (s, p) => s.metricGrpcRequestCount(p), 'GrpcRequestCount', 'Sum'],
];

// Traffic arriving from other Service Connect tasks: by TargetDiscoveryName alone (adding
// ServiceName would split it by the *calling* service).
const TARGET: Array<[string, MetricMethod, string, string]> = [
  ['metricTargetResponseTime', (s, p) => s.metricTargetResponseTime(p), 'TargetResponseTime', 'p99'],
  ['metricTarget2xxCount', (s, p) => s.metricTarget2xxCount(p), 'HTTPCode_Target_2XX_Count', 'Sum'],
  ['metricTarget3xxCount', (s, p) => s.metricTarget3xxCount(p), 'HTTPCode_Target_3XX_Count', 'Sum'],
  ['metricTarget4xxCount', (s, p) => s.metricTarget4xxCount(p), 'HTTPCode_Target_4XX_Count', 'Sum'],
  ['metricTarget5xxCount', (s, p) => s.metricTarget5xxCount(p), 'HTTPCode_Target_5XX_Count', 'Sum'],
  ['metricRequestCountPerTarget', (s, p) => s.metricRequestCountPerTarget(p), 'RequestCountPerTarget', 'Sum'],
  ['metricTargetProcessedBytes', (s, p) => s.metricTargetProcessedBytes(p), 'TargetProcessedBytes', 'Sum'],
];

const ALL = [...SERVER, ...TARGET];

describe.each(SERVER)('%s (server side)', (_name, method, metricName, statistic) => {
  test(`payments: AWS/ECS ${metricName} by DiscoveryName; ${statistic} over 5 minutes`, () => {
    const m = method(payments);
    expect(m.namespace).toBe('AWS/ECS');
    expect(m.metricName).toBe(metricName);
    expect(m.statistic).toBe(statistic);
    expect(m.period.toSeconds()).toBe(300);
    expect(stack.resolve(m.dimensions)).toEqual({ DiscoveryName: 'payments' });
  });

  test('portName picks the port\'s discovery name; the first port is the default', () => {
    expect(method(multi).dimensions!.DiscoveryName).toBe('multi');
    expect(method(multi, { portName: 'multi-grpc' }).dimensions!.DiscoveryName).toBe('multi-grpc');
    expect(method(multi, { portName: 'multi-tcp' }).dimensions!.DiscoveryName).toBe('multi-db');
  });
});

describe.each(TARGET)('%s (traffic from peers)', (_name, method, metricName, statistic) => {
  test(`payments: AWS/ECS ${metricName} by TargetDiscoveryName alone; ${statistic} over 5 minutes`, () => {
    const m = method(payments);
    expect(m.namespace).toBe('AWS/ECS');
    expect(m.metricName).toBe(metricName);
    expect(m.statistic).toBe(statistic);
    expect(m.period.toSeconds()).toBe(300);
    expect(stack.resolve(m.dimensions)).toEqual({ TargetDiscoveryName: 'payments' });
  });

  test('portName picks the port\'s discovery name; the first port is the default', () => {
    expect(method(multi).dimensions).toEqual({ TargetDiscoveryName: 'multi' });
    expect(method(multi, { portName: 'multi-grpc' }).dimensions).toEqual({ TargetDiscoveryName: 'multi-grpc' });
  });
});

describe.each(ALL)('%s errors', (name, method) => {
  test('an unknown portName names the rule, the value and the ports there are', () => {
    expect(() => method(multi, { portName: 'multi-udp' })).toThrow(
      /ConnectedFargateService '.*\/Multi' has 1 invalid setting:\n {2}- \[metric-unknown-port\] .*= "multi-udp": .*Fix: use one of "multi-http", "multi-grpc", "multi-tcp"\./);
  });

  test(`a client-only service has no ${name}`, () => {
    expect(() => method(worker)).toThrow(/\[metric-unknown-port\] .*client-only/);
  });
});

describe('metric options', () => {
  test('period, statistic and label can be overridden, and portName does not leak into the metric', () => {
    // WHEN
    const m = payments.metricTargetResponseTime({ period: Duration.minutes(1), statistic: 'p50', label: 'p50 latency' });
    // THEN
    expect(m.period.toSeconds()).toBe(60);
    expect(m.statistic).toBe('p50');
    expect(m.label).toBe('p50 latency');
    expect(Object.keys(m.toMetricConfig().metricStat!)).not.toContain('portName');
  });

  test('the seed article\'s metric names are used nowhere', () => {
    const names = ALL.map(([, method]) => method(payments).metricName);
    for (const wrong of ['ServerError', 'ClientError', 'TargetProcessingTime', 'ActiveConnections']) {
      expect(names).not.toContain(wrong);
    }
  });

  test('aws-cdk-lib\'s own service.metric() dimensions (ClusterName, ServiceName only) are not what these use', () => {
    for (const [, method] of ALL) {
      const keys = Object.keys(method(payments).dimensions!).sort();
      expect(keys).not.toEqual(['ClusterName', 'ServiceName']);
    }
  });
});

test('the stack is unchanged by asking for metrics (no resources are added)', () => {
  const before = stack.node.findAll().length;
  payments.metricRequestCount();
  multi.metricTargetResponseTime({ portName: 'multi-grpc' });
  expect(stack.node.findAll().length).toBe(before);
  expect(Stack.of(payments)).toBe(stack);
});
