import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { ConnectedFargateServiceProps } from '../service-props';
import { ServiceConnectTracing, TracingSidecarKind } from '../tracing';
import { acknowledge } from './nag';

/**
 * The sidecar containers the library adds to a task, and what each needs inside it. The
 * default sizing reserves their CPU and memory (`sidecarCpu` / `sidecarMemoryMiB`).
 */

/** The X-Ray daemon sidecar's container name and the address the app is given. */
export const XRAY_DAEMON = { containerName: 'xray-daemon', address: 'localhost:2000' } as const;

/** The OpenTelemetry collector sidecar's container name. */
export const OTEL_COLLECTOR = { containerName: 'aws-otel-collector' } as const;

/** The tracing sidecar of a service: `tracing`, or the X-Ray daemon of the deprecated `xrayTracing`. */
export function tracingOf(props: Pick<ConnectedFargateServiceProps, 'tracing' | 'xrayTracing'>): ServiceConnectTracing | undefined {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return props.tracing ?? (props.xrayTracing ? ServiceConnectTracing.xrayDaemon() : undefined);
}

/**
 * Add the tracing sidecar of `tracing` to a task.
 *
 * @returns the environment variables it set on the app container
 */
export function addTracingSidecar(tracing: ServiceConnectTracing, taskDefinition: ecs.TaskDefinition, app: ecs.ContainerDefinition,
  budget: { cpu: number; memoryMiB: number }, logGroup: logs.ILogGroup): string[] {
  return tracing.kind === TracingSidecarKind.XRAY_DAEMON
    ? addXRayDaemon(taskDefinition, app, budget, logGroup, tracing.image)
    : addOpenTelemetryCollector(tracing, taskDefinition, budget, logGroup);
}

/**
 * Add the AWS Distro for OpenTelemetry collector: OTLP in on localhost:4317 (gRPC) and 4318
 * (HTTP), the SDKs' defaults, so the app needs no variable; AWS X-Ray out, with the task role's
 * X-Ray write and sampling permissions.
 */
function addOpenTelemetryCollector(tracing: ServiceConnectTracing, taskDefinition: ecs.TaskDefinition,
  budget: { cpu: number; memoryMiB: number }, logGroup: logs.ILogGroup): string[] {
  taskDefinition.addContainer('OpenTelemetryCollector', {
    containerName: OTEL_COLLECTOR.containerName,
    image: tracing.image,
    command: [`--config=${tracing.configPath}`],
    essential: false,
    cpu: budget.cpu,
    memoryLimitMiB: budget.memoryMiB,
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'otel' }),
  });
  taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
    resources: ['*'],
  }));
  acknowledge(taskDefinition.taskRole, 'openTelemetryCollector');
  return [];
}

/**
 * Add the AWS X-Ray daemon (UDP 2000) to a task: its container, the address variable of the
 * app container, and the task role's X-Ray permissions.
 *
 * @returns the environment variables it set on the app container
 */
function addXRayDaemon(taskDefinition: ecs.TaskDefinition, app: ecs.ContainerDefinition, budget: { cpu: number; memoryMiB: number },
  logGroup: logs.ILogGroup, image: ecs.ContainerImage): string[] {
  taskDefinition.addContainer('XRayDaemon', {
    containerName: XRAY_DAEMON.containerName,
    image,
    essential: false,
    cpu: budget.cpu,
    memoryLimitMiB: budget.memoryMiB,
    portMappings: [{ containerPort: 2000, protocol: ecs.Protocol.UDP }],
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'xray' }),
  });
  app.addEnvironment('AWS_XRAY_DAEMON_ADDRESS', XRAY_DAEMON.address);
  taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules',
      'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
    resources: ['*'],
  }));
  acknowledge(taskDefinition.taskRole, 'xrayDaemon');
  return ['AWS_XRAY_DAEMON_ADDRESS'];
}
