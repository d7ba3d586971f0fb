// The props of the connected services and their options. Above 400 lines only because every
// field carries its TSDoc and `@default` (API.md is generated from them); there is no logic here.
import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as efs from 'aws-cdk-lib/aws-efs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IServiceConnectCluster } from './cluster';
import type { ServiceConnectDeployment } from './deployment';
import type { ServiceConnectPortOptions, ServiceConnectProtocol } from './ports';
import type { EnvoySizing } from './sizing';
import type { ServiceConnectTls } from './tls';
import type { ServiceConnectTracing } from './tracing';

/**
 * The format of Service Connect access logs.
 */
export enum AccessLogFormat {
  /** One line of text per request. */
  TEXT = 'TEXT',
  /** One JSON object per request. */
  JSON = 'JSON',
}

/**
 * Access logs of the Service Connect proxy: one entry per request it handles, written to the
 * service's proxy log group.
 */
export interface ServiceConnectAccessLogs {
  /**
   * The format of each entry.
   *
   * @default AccessLogFormat.TEXT
   */
  readonly format?: AccessLogFormat;

  /**
   * Whether request query strings are logged (they may carry personal data or tokens).
   *
   * @default false
   */
  readonly includeQueryParameters?: boolean;
}

/**
 * An extra container of the task (a log router, an agent, a cache…), next to the app and the
 * Service Connect proxy. The default sizing reserves its CPU and memory.
 */
export interface ServiceConnectSidecar {
  /** The container name (unique in the task). */
  readonly name: string;

  /** The image. */
  readonly image: ecs.ContainerImage;

  /** The CPU units the container gets (reserved out of the task by the default sizing). */
  readonly cpu: number;

  /** The memory limit of the container in MiB (reserved out of the task by the default sizing). */
  readonly memoryMiB: number;

  /**
   * Whether the task stops when this container stops.
   *
   * @default false
   */
  readonly essential?: boolean;

  /**
   * Environment variables.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets passed as environment variables.
   *
   * @default - none
   */
  readonly secrets?: { [name: string]: ecs.Secret };

  /**
   * The command.
   *
   * @default - the image's CMD
   */
  readonly command?: string[];

  /**
   * The entry point.
   *
   * @default - the image's ENTRYPOINT
   */
  readonly entryPoint?: string[];

  /**
   * Container ports the sidecar listens on inside the task (TCP; never registered in Service Connect).
   *
   * @default - none
   */
  readonly containerPorts?: number[];

  /**
   * The container health check.
   *
   * @default - none
   */
  readonly healthCheck?: ecs.HealthCheck;

  /**
   * Whether the app container starts only once this sidecar is healthy (needs `healthCheck`)
   * or, without a health check, once it has started.
   *
   * @default false
   */
  readonly startBeforeApp?: boolean;

  /**
   * Whether the root filesystem of the container is read-only.
   *
   * @default - the service's `readonlyRootFilesystem`
   */
  readonly readonlyRootFilesystem?: boolean;
}

/**
 * An Amazon EFS file system mounted into the app container (encrypted in transit, with IAM
 * authorization through the task role).
 */
export interface ServiceConnectEfsVolume {
  /** The volume name (unique in the task). */
  readonly name: string;

  /** The file system. The service's security group is allowed to its NFS port (2049). */
  readonly fileSystem: efs.IFileSystem;

  /** Where the app container sees the volume, e.g. `/data`. */
  readonly containerPath: string;

  /**
   * An access point to mount through (its root directory and POSIX user apply).
   *
   * @default - the file system root
   */
  readonly accessPoint?: efs.IAccessPoint;

  /**
   * Whether the app container may only read.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * Properties of a `ConnectedFargateService`.
 */
export interface ConnectedFargateServiceProps {
  /**
   * The cluster (and so the namespace) the service joins: a `ServiceConnectCluster` of this app,
   * or `ServiceConnectCluster.fromClusterAttributes()` for a cluster another app owns.
   */
  readonly cluster: IServiceConnectCluster;

  /** The image of the application container. */
  readonly image: ecs.ContainerImage;

  /**
   * The ports the service offers to other services through Service Connect.
   *
   * @default - none: the service is client-only (its proxy handles outbound calls only)
   */
  readonly ports?: ServiceConnectPortOptions[];

  /**
   * The name of the ECS service. Changing it later replaces the service, which fails while Service
   * Connect holds its discovery names: leave it to CloudFormation unless you must fix it.
   *
   * @default - generated by CloudFormation
   */
  readonly serviceName?: string;

  /**
   * How many tasks to run.
   *
   * @default 2
   */
  readonly desiredCount?: number;

  /**
   * How the task's CPU and memory are split between the app and the Service Connect proxy.
   *
   * @default EnvoySizing.forApp({ appCpu: 256, appMemoryMiB: 512 }) — 512 CPU units and 1024 MiB per task
   */
  readonly sizing?: EnvoySizing;

  /**
   * Environment variables of the application container.
   *
   * @default - none (besides the URL variables that `connectTo` adds)
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets passed to the application container as environment variables.
   *
   * @default - none
   */
  readonly secrets?: { [name: string]: ecs.Secret };

  /**
   * The name of the application container.
   *
   * @default 'app'
   */
  readonly containerName?: string;

  /**
   * The command of the application container.
   *
   * @default - the image's CMD
   */
  readonly command?: string[];

  /**
   * The container health check.
   *
   * @default - none: ECS treats a running container as healthy
   */
  readonly healthCheck?: ecs.HealthCheck;

  /**
   * The CPU architecture of the task.
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * The subnets of the tasks. Tasks never get a public IP.
   *
   * @default - the private subnets of the cluster's VPC
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * How long application and proxy logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * TLS for the service's ports (one-way TLS 1.3 from an AWS Private CA; Service Connect has no
   * mutual TLS). `ServiceConnectTls.disabled()` turns off a TLS default of the cluster.
   *
   * @default - the cluster's `tls`, else none
   */
  readonly tls?: ServiceConnectTls;

  /**
   * Access logs of the Service Connect proxy, written to the proxy log group.
   *
   * @default - none
   */
  readonly accessLogs?: ServiceConnectAccessLogs;

  /**
   * Whether ECS Exec is allowed into the tasks. When on, every session is audited in the
   * cluster's ECS Exec log group (created on first use, kept a year).
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * How new revisions are deployed: rolling (with the circuit breaker), or blue/green, linear or
   * canary with traffic shifted through Service Connect, test traffic by header, alarm rollback
   * and lifecycle hooks.
   *
   * @default ServiceConnectDeployment.rolling()
   */
  readonly deployment?: ServiceConnectDeployment;

  /**
   * A tracing sidecar: `ServiceConnectTracing.openTelemetry()` (the AWS Distro for OpenTelemetry
   * collector, exporting to AWS X-Ray) or `ServiceConnectTracing.xrayDaemon()` (deprecated by AWS
   * on 2027-02-25). The default sizing reserves its CPU and memory; a `sizing` of your own must
   * reserve them with `sidecarCpu` / `sidecarMemoryMiB`. Wins over `xrayTracing`, which may not
   * be `true` beside the OpenTelemetry collector.
   *
   * @default - no tracing sidecar
   */
  readonly tracing?: ServiceConnectTracing;

  /**
   * Whether to run the AWS X-Ray daemon as a sidecar (UDP `localhost:2000`, announced to the app
   * as `AWS_XRAY_DAEMON_ADDRESS`): the same as `tracing: ServiceConnectTracing.xrayDaemon()`.
   *
   * @default false
   * @deprecated AWS ends support for the X-Ray SDKs and daemon on 2027-02-25 and recommends
   * OpenTelemetry: use `tracing: ServiceConnectTracing.openTelemetry()` (or, until the app moves
   * off the X-Ray SDK, `tracing: ServiceConnectTracing.xrayDaemon()`).
   */
  readonly xrayTracing?: boolean;

  /**
   * How long ECS ignores failing load balancer health checks of a new task (for a service behind
   * a `ServiceConnectIngress`).
   *
   * @default - ECS's default (none) without a load balancer; 60 seconds once `ServiceConnectIngress.addRoute()` adds one
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * The lower limit of running tasks during a rolling deployment, in percent of the desired count.
   *
   * @default 100
   */
  readonly minHealthyPercent?: number;

  /**
   * The upper limit of running tasks during a rolling deployment, in percent of the desired count.
   *
   * @default 200
   */
  readonly maxHealthyPercent?: number;

  /**
   * The capacity providers of the tasks: `FARGATE` and/or `FARGATE_SPOT`, with weights and a base.
   * On a `ServiceConnectCluster` the library enables both Fargate capacity providers on the
   * cluster; a cluster imported with `fromClusterAttributes` must have them enabled by its owner.
   *
   * @default - the FARGATE launch type
   */
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];

  /**
   * Whether the tasks get public IP addresses. Needs public subnets: unless `vpcSubnets` is given,
   * the tasks are placed in the VPC's public subnets. Raises the `public-ip` warning.
   *
   * @default false
   */
  readonly assignPublicIp?: boolean;

  /**
   * The entry point of the application container.
   *
   * @default - the image's ENTRYPOINT
   */
  readonly entryPoint?: string[];

  /**
   * Extra containers of the task. The default sizing reserves their CPU and memory; a `sizing` of
   * your own must reserve them with `sidecarCpu` / `sidecarMemoryMiB`.
   *
   * @default - none
   */
  readonly sidecars?: ServiceConnectSidecar[];

  /**
   * The IAM role the application assumes.
   *
   * @default - a new role
   */
  readonly taskRole?: iam.IRole;

  /**
   * The IAM role ECS uses to pull the image and write logs.
   *
   * @default - a new role
   */
  readonly executionRole?: iam.IRole;

  /**
   * The ephemeral storage of the task in GiB (21 to 200).
   *
   * @default - 20 GiB (Fargate's default)
   */
  readonly ephemeralStorageGiB?: number;

  /**
   * How long ECS waits after SIGTERM before it kills the app container (at most 120 seconds).
   * Service Connect drains the task's connections first.
   *
   * @default - 30 seconds (ECS's default)
   */
  readonly stopTimeout?: Duration;

  /**
   * Whether the root filesystem of the app container (and, unless they say otherwise, the
   * sidecars') is read-only.
   *
   * @default false
   */
  readonly readonlyRootFilesystem?: boolean;

  /**
   * Amazon EFS file systems mounted into the app container.
   *
   * @default - none
   */
  readonly efsVolumes?: ServiceConnectEfsVolume[];

  /**
   * Docker labels of the app container.
   *
   * @default - none
   */
  readonly dockerLabels?: { [key: string]: string };

  /**
   * The working directory of the app container.
   *
   * @default - the image's WORKDIR
   */
  readonly workingDirectory?: string;

  /**
   * The user the app container runs as (`user`, `user:group`, `uid`, `uid:gid`…).
   *
   * @default - the image's USER
   */
  readonly user?: string;

  /**
   * Tags of every resource the service creates, propagated to its tasks (from the service).
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * Auto scaling of the desired count: CPU target tracking and/or request target tracking on
   * Service Connect's `RequestCountPerTarget` of the first port.
   *
   * @default - no auto scaling: `desiredCount` tasks
   */
  readonly autoScaling?: ServiceConnectAutoScaling;
}

/**
 * Auto scaling of a `ConnectedFargateService` between `minCapacity` and `maxCapacity` tasks.
 */
export interface ServiceConnectAutoScaling {
  /** The least number of tasks. */
  readonly minCapacity: number;

  /** The most tasks. */
  readonly maxCapacity: number;

  /**
   * Keep the average CPU utilization of the service at this percentage (1-100).
   *
   * @default - 70 when `targetRequestsPerTaskPerMinute` is not given either; else no CPU tracking
   */
  readonly targetCpuUtilizationPercent?: number;

  /**
   * Keep the requests per task per minute that callers send through Service Connect (metric
   * `RequestCountPerTarget` of the first port, dimension `TargetDiscoveryName`) at this value.
   * Needs a port with an application protocol (HTTP, HTTP2 or GRPC).
   *
   * @default - no request tracking
   */
  readonly targetRequestsPerTaskPerMinute?: number;

  /**
   * How long after a scale-in another scale-in may start.
   *
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * How long after a scale-out another scale-out may start.
   *
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;
}

/**
 * Options of `ConnectedFargateService.connectTo()`.
 */
export interface ConnectToOptions {
  /**
   * The server port to connect to.
   *
   * @default - the server's first port
   */
  readonly portName?: string;

  /**
   * The environment variable of this service's app container that receives the URL.
   *
   * @default - `<DNSNAME>_URL`, upper-cased with non-alphanumerics as `_` (`payments` → `PAYMENTS_URL`)
   */
  readonly environmentVariable?: string;
}

/**
 * Options of `ConnectedFargateService.connectToExternal()`.
 */
export interface ConnectToExternalOptions {
  /**
   * The protocol of the server port (decides the URL scheme: `tcp://` for TCP, else `http://`).
   *
   * @default ServiceConnectProtocol.HTTP
   */
  readonly protocol?: ServiceConnectProtocol;

  /**
   * The environment variable of this service's app container that receives the URL.
   *
   * @default - `<DNSNAME>_URL`, upper-cased with non-alphanumerics as `_`
   */
  readonly environmentVariable?: string;

  /**
   * The security group of the server's tasks, when it is in the same VPC (or a peered one) and
   * this app may add rules to it — e.g. another app's service, imported with
   * `ec2.SecurityGroup.fromSecurityGroupId()` from an exported ID. A rule admitting this service's
   * security group on `serverPort` is added (in this service's stack).
   *
   * @default - no rule: the server's owner admits this service
   */
  readonly serverSecurityGroup?: ec2.ISecurityGroup;

  /**
   * The port the server-side proxy listens on: the server's container port, or its ingress port
   * override. Used with `serverSecurityGroup` only.
   *
   * @default - `clientPort`
   */
  readonly serverPort?: number;
}
