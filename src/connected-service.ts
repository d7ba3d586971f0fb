import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import type { ServiceConnectEndpoint } from './ports';

/**
 * Options of the Service Connect metric methods.
 */
export interface ServiceConnectMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The port whose metrics to return.
   *
   * @default - the service's first port
   */
  readonly portName?: string;
}

/**
 * A service of a Service Connect namespace, as alarms, dashboards and the namespace-wide checks
 * see it: its ports with every default worked out, its network connections and its metrics.
 * `ConnectedFargateService` and `ConnectedEc2Service` implement it (through `ConnectedServiceBase`).
 */
export interface IConnectedService extends IConstruct, ec2.IConnectable {
  /** The Service Connect ports with every default worked out; empty for a client-only service. */
  readonly endpoints: ServiceConnectEndpoint[];

  /** Whether the service offers no port (its proxy handles outbound calls only). */
  readonly clientOnly: boolean;

  /**
   * A port of this service with every default worked out.
   *
   * @param portName the port (default: the first)
   */
  endpoint(portName?: string): ServiceConnectEndpoint;

  /** Requests the server-side proxy received (`RequestCount`, by `DiscoveryName`). */
  metricRequestCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** Connections open to the server-side proxy (`ActiveConnectionCount`, by `DiscoveryName`). */
  metricActiveConnectionCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** Connections opened to the server-side proxy (`NewConnectionCount`, by `DiscoveryName`). */
  metricNewConnectionCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** Bytes the server-side proxy processed (`ProcessedBytes`, by `DiscoveryName`). */
  metricProcessedBytes(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** gRPC requests (`GrpcRequestCount`, by `DiscoveryName`; gRPC ports only). */
  metricGrpcRequestCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** Response time seen by callers in milliseconds (`TargetResponseTime`, by `TargetDiscoveryName`). */
  metricTargetResponseTime(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** 2xx responses to callers (`HTTPCode_Target_2XX_Count`, by `TargetDiscoveryName`). */
  metricTarget2xxCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** 3xx responses to callers (`HTTPCode_Target_3XX_Count`, by `TargetDiscoveryName`). */
  metricTarget3xxCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** 4xx responses to callers (`HTTPCode_Target_4XX_Count`, by `TargetDiscoveryName`). */
  metricTarget4xxCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** 5xx responses to callers (`HTTPCode_Target_5XX_Count`, by `TargetDiscoveryName`). */
  metricTarget5xxCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** Requests per task from callers (`RequestCountPerTarget`, by `TargetDiscoveryName`). */
  metricRequestCountPerTarget(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
  /** Bytes exchanged with callers (`TargetProcessedBytes`, by `TargetDiscoveryName`). */
  metricTargetProcessedBytes(props?: ServiceConnectMetricOptions): cloudwatch.Metric;
}
