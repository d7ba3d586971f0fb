import type { CfnElement } from 'aws-cdk-lib';
import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { ConnectedFargateServiceProps } from '../src';
import { ConnectedFargateService, EnvoySizing, ServiceConnectCluster, ServiceConnectTracing, TracingSidecarKind } from '../src';
import { strictApp, strictStack } from './helpers';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');

function logicalId(c: IConstruct): string {
  return Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
}

function build(props: Partial<ConnectedFargateServiceProps>, stack = strictStack()): { stack: Stack; svc: ConnectedFargateService } {
  const cluster = new ServiceConnectCluster(stack, 'Cluster', { namespaceName: 'test.internal' });
  return { stack, svc: new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }], ...props }) };
}

function containersOf(stack: Stack, svc: ConnectedFargateService): any[] {
  return Template.fromStack(stack).toJSON().Resources[logicalId(svc.taskDefinition)].Properties.ContainerDefinitions;
}

describe('OpenTelemetry: the AWS Distro for OpenTelemetry collector as the tracing sidecar', () => {
  // GIVEN a service traced with OpenTelemetry
  const { stack, svc } = build({ tracing: ServiceConnectTracing.openTelemetry() });
  const t = Template.fromStack(stack);

  test('a non-essential collector container, pinned, with the traces-only configuration and its own log stream', () => {
    const containers = containersOf(stack, svc);
    expect(containers).toHaveLength(2);
    expect(containers[1]).toMatchObject({
      Name: 'aws-otel-collector',
      Image: ServiceConnectTracing.DEFAULT_COLLECTOR_IMAGE,
      Command: ['--config=/etc/ecs/ecs-xray.yaml'],
      Essential: false,
      Cpu: 128,
      Memory: 256,
      LogConfiguration: { LogDriver: 'awslogs', Options: expect.objectContaining({ 'awslogs-stream-prefix': 'otel' }) },
    });
    expect(ServiceConnectTracing.DEFAULT_COLLECTOR_IMAGE).toMatch(/^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/);
    // the SDKs' default OTLP endpoints reach it: the app gets no variable
    expect(containers[0].Environment).toBeUndefined();
  });

  test('the default sizing reserves the collector\'s share', () => {
    // 256 app + 256 proxy + 128 collector CPU units: the cheapest size that holds them is 1024 / 2048
    expect(svc.sizing).toMatchObject({ taskCpu: 1024, taskMemoryMiB: 2048, appCpu: 256, appMemoryMiB: 512, sidecarCpu: 128, sidecarMemoryMiB: 256 });
    expect(svc.tracing?.kind).toBe(TracingSidecarKind.OPEN_TELEMETRY);
  });

  test('the task role may write traces to X-Ray and read sampling rules, nothing more', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
          Resource: '*',
        }],
      },
      Roles: [{ Ref: logicalId(svc.taskDefinition.taskRole) }],
    });
  });

  test('no deprecation warning', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('xray-daemon-deprecated'));
  });

  test('passes cdk-nag AwsSolutions (the X-Ray Resource "*" is acknowledged with its reason)', () => {
    const app = strictApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    build({ tracing: ServiceConnectTracing.openTelemetry() }, new Stack(app, 'Nag'));
    expect(() => app.synth()).not.toThrow();
  });

  test('the image and the configuration can be your own', () => {
    const own = build({
      tracing: ServiceConnectTracing.openTelemetry({
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/collector:1'), configPath: '/etc/ecs/ecs-cloudwatch-xray.yaml',
      }),
    });
    expect(containersOf(own.stack, own.svc)[1]).toMatchObject({
      Image: 'public.ecr.aws/example/collector:1', Command: ['--config=/etc/ecs/ecs-cloudwatch-xray.yaml'],
    });
  });
});

describe('the X-Ray daemon (AWS ends its support on 2027-02-25)', () => {
  test.each([
    ['tracing: ServiceConnectTracing.xrayDaemon()', { tracing: ServiceConnectTracing.xrayDaemon() }],
    ['the deprecated xrayTracing: true', { xrayTracing: true }],
  ])('%s: the daemon sidecar, and an acknowledgeable deprecation warning naming the switch', (_how, props) => {
    const { stack, svc } = build(props);
    const containers = containersOf(stack, svc);
    expect(containers[1]).toMatchObject({ Name: 'xray-daemon', Cpu: 32, Memory: 256, PortMappings: [{ ContainerPort: 2000, Protocol: 'udp' }] });
    expect(containers[0].Environment).toEqual([{ Name: 'AWS_XRAY_DAEMON_ADDRESS', Value: 'localhost:2000' }]);
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp(
      '2027-02-25.*ServiceConnectTracing\\.openTelemetry\\(\\).*cdk-service-connect:xray-daemon-deprecated'));
  });
});

describe('validation', () => {
  test('a sizing of your own must reserve the collector\'s share', () => {
    const sized = (sidecarCpu: number) => EnvoySizing.forTask({ taskCpu: 1024, taskMemoryMiB: 2048, sidecarCpu, sidecarMemoryMiB: 256 });
    expect(() => build({ tracing: ServiceConnectTracing.openTelemetry(), sizing: sized(32) }))
      .toThrow(/\[tracing-sizing\] sizing = .*the OpenTelemetry collector needs 128 CPU units and 256 MiB.* Fix: add `sidecarCpu: 128, sidecarMemoryMiB: 256`/);
    expect(() => build({ tracing: ServiceConnectTracing.openTelemetry(), sizing: sized(128) }))
      .not.toThrow();
  });

  test('xrayTracing: true beside the OpenTelemetry collector is a contradiction; false or a daemon is not', () => {
    expect(() => build({ tracing: ServiceConnectTracing.openTelemetry(), xrayTracing: true }))
      .toThrow(/\[tracing-exclusive\] xrayTracing = true: `tracing` chooses the OpenTelemetry collector/);
    expect(() => build({ tracing: ServiceConnectTracing.openTelemetry(), xrayTracing: false })).not.toThrow();
    expect(() => build({ tracing: ServiceConnectTracing.xrayDaemon(), xrayTracing: true })).not.toThrow();
  });
});
