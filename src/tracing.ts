import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * The tracing sidecar of a service.
 */
export enum TracingSidecarKind {
  /** The AWS Distro for OpenTelemetry collector: the app sends OTLP, the collector exports to AWS X-Ray. */
  OPEN_TELEMETRY = 'OPEN_TELEMETRY',
  /** The AWS X-Ray daemon (UDP 2000). AWS ends its support on 2027-02-25. */
  XRAY_DAEMON = 'XRAY_DAEMON',
}

/**
 * Options of `ServiceConnectTracing.openTelemetry()`.
 */
export interface OpenTelemetryTracingOptions {
  /**
   * The collector image.
   *
   * @default - `ServiceConnectTracing.DEFAULT_COLLECTOR_IMAGE` (the AWS Distro for OpenTelemetry collector, pinned)
   */
  readonly image?: ecs.ContainerImage;

  /**
   * The collector configuration, as a path inside the image (the collector's `--config`).
   *
   * @default '/etc/ecs/ecs-xray.yaml' - the image's traces-only configuration: OTLP in on
   * `localhost:4317` (gRPC) and `localhost:4318` (HTTP), AWS X-Ray out
   */
  readonly configPath?: string;
}

/**
 * How a `ConnectedFargateService` exports traces: a sidecar in each task that the default sizing
 * reserves CPU and memory for, with the task role's permission to write to AWS X-Ray. The Service
 * Connect proxy passes the `X-Amzn-Trace-Id` header through, so a call keeps one trace across
 * services (OpenTelemetry SDKs read and write it with their X-Ray propagator).
 *
 * AWS ends support for the X-Ray SDKs and daemon on 2027-02-25 and recommends OpenTelemetry:
 * use `openTelemetry()`; `xrayDaemon()` stays for apps still instrumented with an X-Ray SDK, with
 * a warning.
 */
export class ServiceConnectTracing {
  /** The collector image `openTelemetry()` runs by default. */
  public static readonly DEFAULT_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.45.0';

  /**
   * The AWS Distro for OpenTelemetry collector as a sidecar (128 CPU units and 256 MiB reserved
   * in the task). Instrument the app with an OpenTelemetry SDK: its default OTLP endpoints
   * (`localhost:4317` gRPC, `localhost:4318` HTTP) reach the collector.
   */
  public static openTelemetry(options: OpenTelemetryTracingOptions = {}): ServiceConnectTracing {
    return new ServiceConnectTracing(TracingSidecarKind.OPEN_TELEMETRY, 128, 256,
      options.image ?? ecs.ContainerImage.fromRegistry(ServiceConnectTracing.DEFAULT_COLLECTOR_IMAGE),
      options.configPath ?? '/etc/ecs/ecs-xray.yaml');
  }

  /**
   * The AWS X-Ray daemon as a sidecar (32 CPU units and 256 MiB reserved in the task), announced
   * to the app as `AWS_XRAY_DAEMON_ADDRESS=localhost:2000`. AWS ends support for the X-Ray SDKs
   * and daemon on 2027-02-25: the service warns (`xray-daemon-deprecated`); move to `openTelemetry()`.
   */
  public static xrayDaemon(): ServiceConnectTracing {
    return new ServiceConnectTracing(TracingSidecarKind.XRAY_DAEMON, 32, 256,
      ecs.ContainerImage.fromRegistry('public.ecr.aws/xray/aws-xray-daemon:3.x'), undefined);
  }

  /** Which sidecar. */
  public readonly kind: TracingSidecarKind;
  /** The CPU units the sidecar gets (and the default sizing reserves). */
  public readonly cpu: number;
  /** The memory (MiB) the sidecar gets (and the default sizing reserves). */
  public readonly memoryMiB: number;
  /** The sidecar's image. */
  public readonly image: ecs.ContainerImage;
  /** The collector's configuration path, for the OpenTelemetry collector. */
  public readonly configPath?: string;

  private constructor(kind: TracingSidecarKind, cpu: number, memoryMiB: number, image: ecs.ContainerImage, configPath: string | undefined) {
    this.kind = kind;
    this.cpu = cpu;
    this.memoryMiB = memoryMiB;
    this.image = image;
    this.configPath = configPath;
  }
}
