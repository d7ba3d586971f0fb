import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledge } from './nag';

/**
 * The sidecar containers the library adds to a task, and what each needs inside it. The
 * default sizing reserves their CPU and memory (`sidecarCpu` / `sidecarMemoryMiB`).
 */

/** What the X-Ray daemon sidecar needs inside the task: 32 CPU units and 256 MiB. */
export const XRAY_DAEMON = { containerName: 'xray-daemon', cpu: 32, memoryMiB: 256, address: 'localhost:2000' } as const;

/**
 * Add the AWS X-Ray daemon (UDP 2000) to a task: its container, the address variable of the
 * app container, and the task role's X-Ray permissions.
 *
 * @returns the environment variables it set on the app container
 */
export function addXRayDaemon(taskDefinition: ecs.TaskDefinition, app: ecs.ContainerDefinition, budget: { cpu: number; memoryMiB: number },
  logGroup: logs.ILogGroup): string[] {
  taskDefinition.addContainer('XRayDaemon', {
    containerName: XRAY_DAEMON.containerName,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/xray/aws-xray-daemon:3.x'),
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
