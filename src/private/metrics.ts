import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ServiceConnectMetricOptions } from '../connected-service';
import { ServiceConnectProtocol } from '../ports';
import type { ServiceConnectEndpoint } from '../ports';

/**
 * The Service Connect metrics a service offers, as one table: the metric method, the CloudWatch
 * name, its scope (what the server-side proxy publishes by `DiscoveryName`, or what callers'
 * proxies publish by `TargetDiscoveryName`), the default statistic, and the ports that publish
 * it. The metric methods, the `metric-protocol` warning and the README's metric table all come
 * from here.
 */

/** Who publishes a metric, and so its dimension. */
export type MetricScope = 'server' | 'target';

/** One Service Connect metric. */
export interface MetricSpec {
  readonly metricName: string;
  readonly scope: MetricScope;
  readonly statistic: string;
  /**
   * The protocols whose ports publish it: the library builds alarms and dashboard graphs for
   * these ports only.
   */
  readonly protocols: readonly ServiceConnectProtocol[];
  /**
   * Whether AWS states the protocol restriction ("only available if ... the `appProtocol` is ..."):
   * only then does asking another port raise `metric-protocol`. Otherwise `protocols` is the
   * library's assumption (a TCP port has no requests or responses to count or time).
   */
  readonly stated?: boolean;
  /** What the README says of it beyond its name (a unit, an average). */
  readonly note?: string;
}

const ALL = [ServiceConnectProtocol.HTTP, ServiceConnectProtocol.HTTP2, ServiceConnectProtocol.GRPC, ServiceConnectProtocol.TCP];
const APPLICATION = [ServiceConnectProtocol.HTTP, ServiceConnectProtocol.HTTP2, ServiceConnectProtocol.GRPC];
const HTTP_CODES = [ServiceConnectProtocol.HTTP, ServiceConnectProtocol.HTTP2];

/** Every metric method of a connected service, in the README's order. */
export const METRICS = {
  metricRequestCount: { metricName: 'RequestCount', scope: 'server', statistic: 'Sum', protocols: APPLICATION },
  metricGrpcRequestCount: { metricName: 'GrpcRequestCount', scope: 'server', statistic: 'Sum', protocols: [ServiceConnectProtocol.GRPC], stated: true },
  metricActiveConnectionCount: { metricName: 'ActiveConnectionCount', scope: 'server', statistic: 'Average', protocols: ALL },
  metricNewConnectionCount: { metricName: 'NewConnectionCount', scope: 'server', statistic: 'Sum', protocols: ALL },
  metricProcessedBytes: { metricName: 'ProcessedBytes', scope: 'server', statistic: 'Sum', protocols: ALL },
  metricTargetResponseTime: { metricName: 'TargetResponseTime', scope: 'target', statistic: 'p99', protocols: APPLICATION, note: 'milliseconds; AWS documents Average, Minimum, Maximum, Sum and SampleCount, no percentile' },
  metricTarget2xxCount: { metricName: 'HTTPCode_Target_2XX_Count', scope: 'target', statistic: 'Sum', protocols: HTTP_CODES, stated: true },
  metricTarget3xxCount: { metricName: 'HTTPCode_Target_3XX_Count', scope: 'target', statistic: 'Sum', protocols: HTTP_CODES, stated: true },
  metricTarget4xxCount: { metricName: 'HTTPCode_Target_4XX_Count', scope: 'target', statistic: 'Sum', protocols: HTTP_CODES, stated: true },
  metricTarget5xxCount: { metricName: 'HTTPCode_Target_5XX_Count', scope: 'target', statistic: 'Sum', protocols: HTTP_CODES, stated: true },
  metricRequestCountPerTarget: { metricName: 'RequestCountPerTarget', scope: 'target', statistic: 'Sum', protocols: ALL, note: 'average per task' },
  metricTargetProcessedBytes: { metricName: 'TargetProcessedBytes', scope: 'target', statistic: 'Sum', protocols: ALL },
} as const satisfies Record<string, MetricSpec>;

/** The name of a metric method. */
export type MetricMethod = keyof typeof METRICS;

/** The dimension a metric is published under for a port. */
export function dimensionOf(scope: MetricScope): string {
  // Server metrics by DiscoveryName alone: the same scope as the Target* metrics (which are only
  // keyed by TargetDiscoveryName), and no reference to the service, so alarms on these metrics
  // can be the service's own deployment alarms without a cycle. With ServiceName/ClusterName the
  // Target* metrics are split by the *calling* service: TargetDiscoveryName alone is everything
  // arriving at this server.
  return scope === 'server' ? 'DiscoveryName' : 'TargetDiscoveryName';
}

/** Whether a port of this protocol publishes the metric. */
export function publishes(method: MetricMethod, protocol: ServiceConnectProtocol): boolean {
  return (METRICS[method].protocols as readonly ServiceConnectProtocol[]).includes(protocol);
}

/** Whether AWS states that a port of this protocol never publishes the metric (the `metric-protocol` warning). */
export function neverPublished(method: MetricMethod, protocol: ServiceConnectProtocol): boolean {
  const spec: MetricSpec = METRICS[method];
  return spec.stated === true && !publishes(method, protocol);
}

/** The CloudWatch metric of a method for one port (default period: 5 minutes). */
export function serviceConnectMetric(method: MetricMethod, endpoint: ServiceConnectEndpoint,
  props: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
  const spec: MetricSpec = METRICS[method];
  const { portName: _portName, ...options } = props;
  return new cloudwatch.Metric({
    namespace: 'AWS/ECS',
    metricName: spec.metricName,
    ...options,
    // An option passed as `undefined` keeps the default.
    statistic: options.statistic ?? spec.statistic,
    period: options.period ?? Duration.minutes(5),
    dimensionsMap: { [dimensionOf(spec.scope)]: endpoint.discoveryName, ...options.dimensionsMap },
  });
}

const PROTOCOL_LABELS: Record<ServiceConnectProtocol, string> = {
  [ServiceConnectProtocol.HTTP]: 'HTTP',
  [ServiceConnectProtocol.HTTP2]: 'HTTP/2',
  [ServiceConnectProtocol.GRPC]: 'gRPC',
  [ServiceConnectProtocol.TCP]: 'TCP',
};

/** The README's metric table, generated from `METRICS`. */
export function metricsTable(): string {
  const rows = (Object.entries(METRICS) as Array<[MetricMethod, MetricSpec]>).map(([method, spec]) => {
    const listed = spec.protocols.length === ALL.length ? 'all' : spec.protocols.map((p) => PROTOCOL_LABELS[p]).join(', ');
    const protocols = spec.protocols.length === ALL.length || spec.stated ? listed : `${listed} (assumed: AWS states no protocol)`;
    const name = `\`${spec.metricName}\`${spec.note ? ` (${spec.note})` : ''}`;
    return `| \`${method}\` | ${name} | \`${dimensionOf(spec.scope)}\` | ${spec.statistic} | ${protocols} |`;
  });
  return ['| method | metric name | dimensions | default statistic | ports that publish it |', '|---|---|---|---|---|', ...rows].join('\n');
}
