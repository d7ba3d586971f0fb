import type { Stack } from 'aws-cdk-lib';
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { strictStack, TEST_IMAGE } from './helpers';
import { ConnectedFargateService, EnvoySizing, ServiceConnectCluster, ServiceConnectProtocol, ServiceConnectTracing } from '../src';
import type { ConnectedFargateServiceProps } from '../src';

/** Everyday ECS settings of ConnectedFargateServiceProps: each with its default and its effect. */

function build(props: Partial<ConnectedFargateServiceProps> = {}): { stack: Stack; svc: ConnectedFargateService; t: Template } {
  const stack = strictStack();
  const cluster = new ServiceConnectCluster(stack, 'Cluster');
  const svc = new ConnectedFargateService(stack, 'Api', { cluster, image: TEST_IMAGE, ports: [{ name: 'api', containerPort: 8080 }], ...props });
  return { stack, svc, t: Template.fromStack(stack) };
}

function appContainer(t: Template): any {
  const [task] = Object.values(t.findResources('AWS::ECS::TaskDefinition')) as any[];
  return task.Properties.ContainerDefinitions.find((c: any) => c.Name === 'app');
}

describe('defaults', () => {
  const { t } = build();

  test('rolling limits 100/200, no public IP, private subnets, FARGATE launch type, no grace period, no scaling', () => {
    t.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 100, MaximumPercent: 200 }),
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      HealthCheckGracePeriodSeconds: Match.absent(),
      CapacityProviderStrategy: Match.absent(),
      PropagateTags: Match.absent(),
    });
    t.resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 0);
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  test('the app container: no entry point, writable root, no labels, ECS stop timeout', () => {
    const app = appContainer(t);
    expect(app.EntryPoint).toBeUndefined();
    expect(app.ReadonlyRootFilesystem).toBeUndefined();
    expect(app.DockerLabels).toBeUndefined();
    expect(app.StopTimeout).toBeUndefined();
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { EphemeralStorage: Match.absent() });
  });
});

describe('everyday settings', () => {
  test('healthCheckGracePeriod, minHealthyPercent and maxHealthyPercent', () => {
    const { t } = build({ healthCheckGracePeriod: Duration.seconds(90), minHealthyPercent: 50, maxHealthyPercent: 150 });
    t.hasResourceProperties('AWS::ECS::Service', {
      HealthCheckGracePeriodSeconds: 90,
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 50, MaximumPercent: 150 }),
    });
  });

  test('capacityProviderStrategies: FARGATE_SPOT with a FARGATE base, and the cluster gets both providers', () => {
    const { t } = build({
      capacityProviderStrategies: [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }],
    });
    t.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: Match.absent(),
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 3 }],
    });
    t.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
  });

  test('assignPublicIp puts the tasks in public subnets with a public IP, and warns', () => {
    const { stack, t } = build({ assignPublicIp: true });
    const publicSubnets = Object.keys(t.findResources('AWS::EC2::Subnet', { Properties: { MapPublicIpOnLaunch: true } }));
    t.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED', Subnets: publicSubnets.map((id) => ({ Ref: id })) }) },
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('cdk-service-connect:public-ip'));
  });

  test('container and task options reach the app container and the task definition', () => {
    const { t } = build({
      entryPoint: ['/bin/server'],
      stopTimeout: Duration.seconds(60),
      readonlyRootFilesystem: true,
      dockerLabels: { team: 'payments' },
      workingDirectory: '/srv',
      user: '1000:1000',
      ephemeralStorageGiB: 50,
    });
    expect(appContainer(t)).toMatchObject({
      EntryPoint: ['/bin/server'], StopTimeout: 60, ReadonlyRootFilesystem: true, DockerLabels: { team: 'payments' }, WorkingDirectory: '/srv', User: '1000:1000',
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { EphemeralStorage: { SizeInGiB: 50 } });
  });

  test('taskRole and executionRole are used instead of new roles', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'Cluster');
    const taskRole = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const executionRole = new iam.Role(stack, 'PullRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new ConnectedFargateService(stack, 'Api', { cluster, image: TEST_IMAGE, taskRole, executionRole, ports: [{ name: 'api', containerPort: 80 }] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      TaskRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AppRole'), 'Arn'] },
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PullRole'), 'Arn'] },
    });
    const taskRoles = t.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })],
        }),
      },
    });
    expect(Object.keys(taskRoles).sort()).toEqual([expect.stringMatching(/^AppRole/), expect.stringMatching(/^PullRole/)]);
  });

  test('tags go on every resource of the service and are propagated from the service to its tasks', () => {
    const { t } = build({ tags: { team: 'payments' } });
    t.hasResourceProperties('AWS::ECS::Service', { PropagateTags: 'SERVICE', Tags: Match.arrayWith([{ Key: 'team', Value: 'payments' }]) });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { Tags: Match.arrayWith([{ Key: 'team', Value: 'payments' }]) });
    t.hasResourceProperties('AWS::ECS::Cluster', { Tags: Match.absent() });
  });

  test('sidecars: containers with their own CPU and memory, reserved by the default sizing, logging to the app log group', () => {
    const { svc, t } = build({
      sidecars: [{
        name: 'log-router',
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:stable'),
        cpu: 64,
        memoryMiB: 128,
        startBeforeApp: true,
        containerPorts: [24224],
      }],
      xrayTracing: true,
    });
    expect(svc.sizing.sidecarCpu).toBe(96);
    expect(svc.sizing.sidecarMemoryMiB).toBe(384);
    const [task] = Object.values(t.findResources('AWS::ECS::TaskDefinition')) as any[];
    const byName = Object.fromEntries(task.Properties.ContainerDefinitions.map((c: any) => [c.Name, c]));
    expect(byName['log-router']).toMatchObject({ Cpu: 64, Memory: 128, Essential: false });
    expect(byName['log-router'].PortMappings).toEqual([expect.objectContaining({ ContainerPort: 24224, Protocol: 'tcp' })]);
    expect(byName['log-router'].LogConfiguration.Options['awslogs-stream-prefix']).toBe('log-router');
    expect(byName['xray-daemon']).toMatchObject({ Cpu: 32, Memory: 256 });
    expect(byName.app.DependsOn).toEqual([{ ContainerName: 'log-router', Condition: 'START' }]);
  });

  test('with the OpenTelemetry collector, the default sizing reserves it next to the sidecars, and its name is taken', () => {
    const { svc } = build({ tracing: ServiceConnectTracing.openTelemetry(), sidecars: [{ name: 'agent', image: TEST_IMAGE, cpu: 64, memoryMiB: 128 }] });
    expect(svc.sizing.sidecarCpu).toBe(ServiceConnectTracing.openTelemetry().cpu + 64);
    expect(() => build({ tracing: ServiceConnectTracing.openTelemetry(), sidecars: [{ name: 'aws-otel-collector', image: TEST_IMAGE, cpu: 64, memoryMiB: 128 }] }))
      .toThrow(/\[sidecar-invalid\] sidecars\[0\]\.name = "aws-otel-collector"/);
  });

  test('a sizing of your own must reserve the sidecars', () => {
    expect(() => build({
      sizing: EnvoySizing.forApp({ appCpu: 256, appMemoryMiB: 512 }),
      sidecars: [{ name: 'agent', image: TEST_IMAGE, cpu: 64, memoryMiB: 128 }],
    })).toThrow(/\[sidecar-invalid\] sizing = .*the sidecars need 64 CPU units and 128 MiB.*Fix: add `sidecarCpu: 64, sidecarMemoryMiB: 128`/);
  });

  test('EFS volumes: encrypted in transit, IAM authorization, mount point, task role may mount, NFS open from the service', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'Cluster');
    const fileSystem = new efs.FileSystem(stack, 'Files', { vpc: cluster.vpc });
    new ConnectedFargateService(stack, 'Api', {
      cluster,
      image: TEST_IMAGE,
      ports: [{ name: 'api', containerPort: 80 }],
      efsVolumes: [{ name: 'data', fileSystem, containerPath: '/data' }],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Volumes: [{ Name: 'data', EFSVolumeConfiguration: { FilesystemId: { Ref: Match.stringLikeRegexp('^Files') }, TransitEncryption: 'ENABLED', AuthorizationConfig: { IAM: 'ENABLED' } } }],
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'app', MountPoints: [{ SourceVolume: 'data', ContainerPath: '/data', ReadOnly: false }] })]),
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'] })]) },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 2049, ToPort: 2049, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiSecurityGroup'), 'GroupId'] } });
  });

  test.each([
    ['minHealthyPercent', { minHealthyPercent: 101 }, /\[healthy-percent-range\] minHealthyPercent = 101/],
    ['maxHealthyPercent', { maxHealthyPercent: 90 }, /\[healthy-percent-range\] maxHealthyPercent = 90/],
    ['both 100', { minHealthyPercent: 100, maxHealthyPercent: 100 }, /\[healthy-percent-range\] maxHealthyPercent = 100: with minHealthyPercent 100/],
    ['capacity provider', { capacityProviderStrategies: [{ capacityProvider: 'MY_ASG', weight: 1 }] },
      /\[capacity-provider\] capacityProviderStrategies\[0\]\.capacityProvider = "MY_ASG".*Fix: use "FARGATE" or "FARGATE_SPOT"/],
    ['two bases', { capacityProviderStrategies: [{ capacityProvider: 'FARGATE', base: 1 }, { capacityProvider: 'FARGATE_SPOT', base: 1, weight: 1 }] },
      /\[capacity-provider\] capacityProviderStrategies = "FARGATE, FARGATE_SPOT": only one capacity provider/],
    ['ephemeral storage', { ephemeralStorageGiB: 500 }, /\[task-option-range\] ephemeralStorageGiB = 500/],
    ['stop timeout', { stopTimeout: Duration.seconds(300) }, /\[task-option-range\] stopTimeout = "5 minutes"/],
    ['sidecar memory', { sidecars: [{ name: 'agent', image: TEST_IMAGE, cpu: 0, memoryMiB: 2 }] }, /\[sidecar-invalid\] sidecars\[0\]\.memoryMiB = 2/],
  ])('%s out of range is rejected', (_name, props, pattern) => {
    expect(() => build(props as Partial<ConnectedFargateServiceProps>)).toThrow(pattern);
  });
});

describe('autoScaling', () => {
  test('CPU target tracking at 70 % by default, starting at minCapacity', () => {
    const { t } = build({ autoScaling: { minCapacity: 3, maxCapacity: 10 } });
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 10, ScalableDimension: 'ecs:service:DesiredCount' });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, ScaleInCooldown: 300, ScaleOutCooldown: 60,
      }),
    });
  });

  test('request target tracking on Service Connect\'s RequestCountPerTarget of the first port, by TargetDiscoveryName', () => {
    const { t } = build({ autoScaling: { minCapacity: 2, maxCapacity: 8, targetRequestsPerTaskPerMinute: 600 } });
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 600,
        CustomizedMetricSpecification: {
          Namespace: 'AWS/ECS',
          MetricName: 'RequestCountPerTarget',
          Statistic: 'Sum',
          Dimensions: [{ Name: 'TargetDiscoveryName', Value: 'api' }],
        },
      }),
    });
  });

  test('both trackers when both targets are given', () => {
    const { t } = build({ autoScaling: { minCapacity: 2, maxCapacity: 8, targetCpuUtilizationPercent: 60, targetRequestsPerTaskPerMinute: 600 } });
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
  });

  test.each([
    ['min above max', { minCapacity: 5, maxCapacity: 2 }, /\[autoscaling-range\] autoScaling\.maxCapacity = 2/],
    ['CPU above 100', { minCapacity: 1, maxCapacity: 2, targetCpuUtilizationPercent: 120 }, /\[autoscaling-range\] autoScaling\.targetCpuUtilizationPercent = 120/],
    ['zero requests', { minCapacity: 1, maxCapacity: 2, targetRequestsPerTaskPerMinute: 0 }, /\[autoscaling-range\] autoScaling\.targetRequestsPerTaskPerMinute = 0/],
  ])('%s is rejected', (_name, autoScaling, pattern) => {
    expect(() => build({ autoScaling })).toThrow(pattern);
  });

  test('a desiredCount outside the range is rejected', () => {
    expect(() => build({ desiredCount: 9, autoScaling: { minCapacity: 1, maxCapacity: 4 } })).toThrow(/\[autoscaling-range\] desiredCount = 9/);
  });

  test('request tracking on a TCP first port is rejected', () => {
    expect(() => build({
      ports: [{ name: 'db', containerPort: 5432, protocol: ServiceConnectProtocol.TCP }],
      autoScaling: { minCapacity: 1, maxCapacity: 4, targetRequestsPerTaskPerMinute: 100 },
    })).toThrow(/\[autoscaling-requests-protocol\] autoScaling\.targetRequestsPerTaskPerMinute = 100: the first port "db" is TCP/);
  });
});

