import { Duration, Tags } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import type { ServiceConnectEndpoint } from '../ports';
import { ServiceConnectProtocol } from '../ports';
import type { ConnectedFargateServiceProps, ServiceConnectAutoScaling } from '../service-props';
import { tracingOf } from './sidecars';

/**
 * The everyday ECS settings of a `ConnectedFargateService` beyond Service Connect: sidecars, EFS
 * volumes, capacity providers, public IPs, tags and auto scaling.
 */

/**
 * The CPU and memory of the sidecars the library itself adds (the tracing sidecar). The one place
 * that knows them, for the default sizing and the sidecar checks.
 */
export function librarySidecarDemand(props: ConnectedFargateServiceProps): { cpu: number; memoryMiB: number } {
  const tracing = tracingOf(props);
  return tracing ? { cpu: tracing.cpu, memoryMiB: tracing.memoryMiB } : { cpu: 0, memoryMiB: 0 };
}

/** The CPU and memory every sidecar of the task needs (the library's and the user's). */
export function sidecarDemand(props: ConnectedFargateServiceProps): { cpu: number; memoryMiB: number } {
  const sidecars = props.sidecars ?? [];
  const library = librarySidecarDemand(props);
  return {
    cpu: library.cpu + sidecars.reduce((sum, s) => sum + s.cpu, 0),
    memoryMiB: library.memoryMiB + sidecars.reduce((sum, s) => sum + s.memoryMiB, 0),
  };
}

/** Add the user's sidecars to the task, logging to `logGroup` with the sidecar's name as stream prefix. */
export function addSidecars(taskDefinition: ecs.TaskDefinition, app: ecs.ContainerDefinition, props: ConnectedFargateServiceProps,
  logGroup: logs.ILogGroup): void {
  for (const sidecar of props.sidecars ?? []) {
    const container = taskDefinition.addContainer(`Sidecar-${sidecar.name}`, {
      containerName: sidecar.name,
      image: sidecar.image,
      cpu: sidecar.cpu,
      memoryLimitMiB: sidecar.memoryMiB,
      essential: sidecar.essential ?? false,
      environment: sidecar.environment,
      secrets: sidecar.secrets,
      command: sidecar.command,
      entryPoint: sidecar.entryPoint,
      healthCheck: sidecar.healthCheck,
      readonlyRootFilesystem: sidecar.readonlyRootFilesystem ?? props.readonlyRootFilesystem,
      portMappings: (sidecar.containerPorts ?? []).map((containerPort) => ({ containerPort, protocol: ecs.Protocol.TCP })),
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: sidecar.name }),
    });
    if (sidecar.startBeforeApp) {
      app.addContainerDependencies({
        container,
        condition: sidecar.healthCheck ? ecs.ContainerDependencyCondition.HEALTHY : ecs.ContainerDependencyCondition.START,
      });
    }
  }
}

/** Mount the EFS volumes into the app container: TLS in transit, IAM authorization, NFS from the service's group. */
export function addEfsVolumes(service: ecs.BaseService, taskDefinition: ecs.TaskDefinition, app: ecs.ContainerDefinition,
  props: ConnectedFargateServiceProps): void {
  for (const volume of props.efsVolumes ?? []) {
    taskDefinition.addVolume({
      name: volume.name,
      efsVolumeConfiguration: {
        fileSystemId: volume.fileSystem.fileSystemId,
        transitEncryption: 'ENABLED',
        authorizationConfig: { iam: 'ENABLED', accessPointId: volume.accessPoint?.accessPointId },
      },
    });
    app.addMountPoints({ sourceVolume: volume.name, containerPath: volume.containerPath, readOnly: volume.readOnly ?? false });
    const actions = ['elasticfilesystem:ClientMount', ...(volume.readOnly ? [] : ['elasticfilesystem:ClientWrite'])];
    taskDefinition.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions,
      resources: [volume.fileSystem.fileSystemArn],
      conditions: volume.accessPoint ? { StringEquals: { 'elasticfilesystem:AccessPointArn': volume.accessPoint.accessPointArn } } : undefined,
    }));
    volume.fileSystem.connections.allowDefaultPortFrom(service, `NFS from ${service.node.scope?.node.path ?? service.node.path}`);
  }
}

/** The subnets of the tasks: the given ones, else public ones with a public IP, else the VPC's private ones. */
export function subnetsOf(props: ConnectedFargateServiceProps): ec2.SubnetSelection | undefined {
  if (props.vpcSubnets) return props.vpcSubnets;
  return props.assignPublicIp ? { subnetType: ec2.SubnetType.PUBLIC } : undefined;
}

/** Enable the Fargate capacity providers on the cluster when the service uses any (a cluster of this app only). */
export function enableCapacityProviders(cluster: ecs.ICluster, props: ConnectedFargateServiceProps): void {
  if ((props.capacityProviderStrategies ?? []).length === 0) return;
  if (cluster instanceof ecs.Cluster) cluster.enableFargateCapacityProviders();
}

/** Tag every resource of the service. */
export function addTags(scope: IConstruct, tags: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(tags ?? {})) Tags.of(scope).add(key, value);
}

/** The desired count of the service: given, else the least capacity of auto scaling, else 2. */
export function desiredCountOf(props: ConnectedFargateServiceProps): number {
  return props.desiredCount ?? props.autoScaling?.minCapacity ?? 2;
}

/** The metric request tracking follows: Service Connect's requests per task of a port, per minute. */
export interface RequestMetricSource {
  metricRequestCountPerTarget(props?: { portName?: string; period?: Duration; statistic?: string }): cloudwatch.IMetric;
}

/** Target tracking on CPU and/or Service Connect requests per task. */
export function addAutoScaling(service: ecs.BaseService, source: RequestMetricSource, endpoints: ServiceConnectEndpoint[],
  scaling: ServiceConnectAutoScaling): ecs.ScalableTaskCount {
  const count = service.autoScaleTaskCount({ minCapacity: scaling.minCapacity, maxCapacity: scaling.maxCapacity });
  const cooldowns = {
    scaleInCooldown: scaling.scaleInCooldown ?? Duration.minutes(5),
    scaleOutCooldown: scaling.scaleOutCooldown ?? Duration.minutes(1),
  };
  const cpu = scaling.targetCpuUtilizationPercent ?? (scaling.targetRequestsPerTaskPerMinute === undefined ? 70 : undefined);
  if (cpu !== undefined) count.scaleOnCpuUtilization('CpuTracking', { targetUtilizationPercent: cpu, ...cooldowns });
  if (scaling.targetRequestsPerTaskPerMinute !== undefined && endpoints.length > 0) {
    count.scaleToTrackCustomMetric('RequestTracking', {
      metric: source.metricRequestCountPerTarget({ portName: endpoints[0].portName, period: Duration.minutes(1), statistic: 'Sum' }),
      targetValue: scaling.targetRequestsPerTaskPerMinute,
      ...cooldowns,
    });
  }
  return count;
}

/** Whether a port publishes request metrics (any application protocol). */
export function publishesRequests(endpoint: ServiceConnectEndpoint | undefined): boolean {
  return endpoint !== undefined && endpoint.protocol !== ServiceConnectProtocol.TCP;
}
