import type { CfnElement } from 'aws-cdk-lib';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { buildProgressiveDeliveryApp } from '../examples/progressive-delivery/app';
import type {
  ConnectedFargateServiceProps,
  ServiceConnectPortOptions,
} from '../src';
import {
  ConnectedFargateService, ServiceConnectCluster, ServiceConnectDeployment, ServiceConnectProtocol,
} from '../src';
import { strictApp, strictStack } from './helpers';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');
const httpPort: ServiceConnectPortOptions = { name: 'api', containerPort: 8080 };

function logicalId(c: IConstruct): string {
  return Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
}

function deploy(props: Partial<ConnectedFargateServiceProps>): { stack: Stack; svc: ConnectedFargateService; t: Template } {
  const stack = strictStack();
  const cluster = new ServiceConnectCluster(stack, 'C');
  const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [httpPort], ...props });
  return { stack, svc, t: Template.fromStack(stack) };
}

function deploymentConfigurationOf(t: Template, svc: ConnectedFargateService): any {
  return t.toJSON().Resources[logicalId(svc.service)].Properties.DeploymentConfiguration;
}

describe('strategies', () => {
  test('rolling (default): circuit breaker with rollback, no strategy, no deployment alarms', () => {
    const { svc, t } = deploy({});
    const dc = deploymentConfigurationOf(t, svc);
    expect(dc.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    expect(dc.Strategy).toBeUndefined();
    expect(dc.Alarms?.Enable ?? false).toBe(false);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('blue/green: the strategy and bake time, no circuit breaker (rolling only), rollback on the service\'s own alarms', () => {
    const { svc, t } = deploy({ deployment: ServiceConnectDeployment.blueGreen({ bakeTime: Duration.minutes(15) }) });
    const dc = deploymentConfigurationOf(t, svc);
    expect(dc).toMatchObject({ Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 15 });
    expect(dc.DeploymentCircuitBreaker).toBeUndefined();
    const alarms = Object.keys(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(2);
    expect(dc.Alarms).toEqual({ AlarmNames: expect.arrayContaining(alarms.map((a) => ({ Ref: a }))), Enable: true, Rollback: true });
    expect(svc.rollbackAlarms).toHaveLength(2);
  });

  test('linear: step percentage and interval', () => {
    const { svc, t } = deploy({ deployment: ServiceConnectDeployment.linear({ stepPercent: 20, stepInterval: Duration.minutes(4) }) });
    expect(deploymentConfigurationOf(t, svc)).toMatchObject({
      Strategy: 'LINEAR', LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 4 },
    });
  });

  test('canary: percentage and bake interval', () => {
    const { svc, t } = deploy({ deployment: ServiceConnectDeployment.canary({ canaryPercent: 2.5, canaryInterval: Duration.minutes(20) }) });
    expect(deploymentConfigurationOf(t, svc)).toMatchObject({
      Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 2.5, CanaryBakeTimeInMinutes: 20 },
    });
  });

  test('rollback alarms of your own replace the automatic ones; automatic ones can be turned off', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    const alarm = cloudwatch.Alarm.fromAlarmName(stack, 'Mine', 'payments-business-kpi');
    const mine = new ConnectedFargateService(stack, 'Mine1', {
      cluster, image, ports: [{ name: 'a', containerPort: 80 }], deployment: ServiceConnectDeployment.canary({ rollbackAlarms: [alarm] }),
    });
    const none = new ConnectedFargateService(stack, 'None', {
      cluster, image, ports: [{ name: 'b', containerPort: 80 }], deployment: ServiceConnectDeployment.linear({ autoRollbackAlarms: false }),
    });
    const rolling = new ConnectedFargateService(stack, 'Rolling', {
      cluster, image, ports: [{ name: 'c', containerPort: 80 }], deployment: ServiceConnectDeployment.rolling({ autoRollbackAlarms: true }),
    });
    const t = Template.fromStack(stack);
    expect(deploymentConfigurationOf(t, mine).Alarms).toEqual({ AlarmNames: ['payments-business-kpi'], Enable: true, Rollback: true });
    expect(deploymentConfigurationOf(t, none).Alarms?.Enable ?? false).toBe(false);
    expect(deploymentConfigurationOf(t, rolling).Alarms.Enable).toBe(true);
    expect(deploymentConfigurationOf(t, rolling).DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
  });

  test('the automatic alarms do not reference the service, so the service can wait for them (no cycle)', () => {
    const { svc, t } = deploy({ deployment: ServiceConnectDeployment.blueGreen() });
    for (const alarm of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) {
      expect(JSON.stringify(alarm)).not.toContain(logicalId(svc.service));
    }
  });
});

describe('test traffic and lifecycle hooks', () => {
  test('a header rule on the client alias sends matching requests to the new revision', () => {
    const { svc, t } = deploy({
      ports: [{ ...httpPort, testTrafficHeader: { name: 'x-canary', value: 'true' } }, { name: 'admin', containerPort: 9000 }],
      deployment: ServiceConnectDeployment.blueGreen(),
    });
    const services = t.toJSON().Resources[logicalId(svc.service)].Properties.ServiceConnectConfiguration.Services;
    expect(services[0].ClientAliases).toEqual([{ DnsName: 'api', Port: 8080, TestTrafficRules: { Header: { Name: 'x-canary', Value: { Exact: 'true' } } } }]);
    expect(services[1].ClientAliases).toEqual([{ DnsName: 'admin', Port: 9000 }]);
  });

  test('a lambda lifecycle hook at the stages given, with a role ECS assumes to invoke it', () => {
    const stack = strictStack();
    const fn = new lambda.Function(stack, 'Hook', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler=async()=>({hookStatus:"SUCCEEDED"})'),
    });
    const svc = new ConnectedFargateService(stack, 'Api', {
      cluster: new ServiceConnectCluster(stack, 'C'),
      image,
      ports: [httpPort],
      deployment: ServiceConnectDeployment.canary({
        lifecycleHooks: [{ handler: fn, stages: [ecs.DeploymentLifecycleStage.PRE_SCALE_UP, ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT] }],
      }),
    });
    const t = Template.fromStack(stack);
    expect(deploymentConfigurationOf(t, svc).LifecycleHooks).toEqual([{
      HookTargetArn: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] },
      LifecycleStages: ['PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'],
      RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/LifecycleHook0Role/), 'Arn'] },
    }]);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })] },
    });
  });
});

describe('validation', () => {
  const fnStack = new Stack();
  const hook = lambda.Function.fromFunctionArn(fnStack, 'Fn', 'arn:aws:lambda:eu-west-1:111111111111:function:hook');
  test.each([
    ['deployment-client-only', { ports: [], deployment: ServiceConnectDeployment.blueGreen() },
      /\[deployment-client-only\] deployment = "BLUE_GREEN": this service is client-only/],
    ['deployment-range (linear step)', { deployment: ServiceConnectDeployment.linear({ stepPercent: 2 }) },
      /\[deployment-range\] deployment\.stepPercent = 2: a linear deployment shifts 3\.0 to 100\.0 percent/],
    ['deployment-range (canary multiple of 0.1)', { deployment: ServiceConnectDeployment.canary({ canaryPercent: 2.55 }) },
      /\[deployment-range\] deployment\.canaryPercent = 2\.55/],
    ['deployment-range (interval)', { deployment: ServiceConnectDeployment.linear({ stepInterval: Duration.seconds(90) }) },
      /\[deployment-range\] deployment\.stepInterval = 1 minute 30 seconds: ECS takes whole minutes from 0 to 1440/],
    ['deployment-range (bake time)', { deployment: ServiceConnectDeployment.blueGreen({ bakeTime: Duration.days(2) }) },
      /\[deployment-range\] deployment\.bakeTime = 2 days.* Fix: use e\.g\. Duration\.minutes\(1440\)/],
    ['lifecycle-hook (rolling)', { deployment: ServiceConnectDeployment.rolling({ lifecycleHooks: [{ handler: hook, stages: [ecs.DeploymentLifecycleStage.PRE_SCALE_UP] }] }) },
      /\[lifecycle-hook\] deployment\.lifecycleHooks\[0\].*lifecycle hooks run in blue\/green, linear and canary deployments/],
    ['lifecycle-hook (no stage)', { deployment: ServiceConnectDeployment.canary({ lifecycleHooks: [{ handler: hook, stages: [] }] }) },
      /\[lifecycle-hook\] deployment\.lifecycleHooks\[0\]\.stages = "\[\]": a hook with no stage is never invoked/],
    ['test-traffic-header (TCP)', { ports: [{ name: 'db', containerPort: 5432, protocol: ServiceConnectProtocol.TCP, testTrafficHeader: { name: 'x-canary', value: 'true' } }], deployment: ServiceConnectDeployment.blueGreen() },
      /\[test-traffic-header\] ports\[0\]\.testTrafficHeader = "x-canary": test traffic is routed by an HTTP header/],
    ['test-traffic-header (name)', { ports: [{ ...httpPort, testTrafficHeader: { name: 'X Canary', value: 'true' } }], deployment: ServiceConnectDeployment.blueGreen() },
      /\[test-traffic-header\] ports\[0\]\.testTrafficHeader\.name = "X Canary".* Fix: use e\.g\. "x-canary"/],
    ['test-traffic-header (value)', { ports: [{ ...httpPort, testTrafficHeader: { name: 'x-canary', value: '' } }], deployment: ServiceConnectDeployment.blueGreen() },
      /\[test-traffic-header\] ports\[0\]\.testTrafficHeader\.value = "": an empty value matches no request/],
  ])('%s', (_rule, props, pattern) => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    expect(() => new ConnectedFargateService(stack, 'Bad', { cluster, image, ports: [httpPort], ...props } as ConnectedFargateServiceProps)).toThrow(pattern);
  });

  test('a test header on a rolling deployment warns that it is never used', () => {
    const stack = strictStack();
    new ConnectedFargateService(stack, 'Api', { cluster: new ServiceConnectCluster(stack, 'C'), image, ports: [{ ...httpPort, testTrafficHeader: { name: 'x-canary', value: 'true' } }] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('cdk-service-connect:test-traffic-unused'));
  });
});

describe('the progressive delivery example', () => {
  const stack = buildProgressiveDeliveryApp(strictApp());
  const t = Template.fromStack(stack);

  test('shows the strategy, the header rule on the client alias and the alarms', () => {
    t.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        Strategy: 'CANARY',
        CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 },
        BakeTimeInMinutes: 10,
        Alarms: Match.objectLike({ Enable: true, Rollback: true }),
      }),
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({ ClientAliases: [Match.objectLike({ TestTrafficRules: { Header: { Name: 'x-canary', Value: { Exact: 'true' } } } })] })],
      }),
    });
    t.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ Strategy: 'LINEAR' }) });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  test('snapshot (update on purpose only)', () => {
    expect(t.toJSON()).toMatchSnapshot();
  });
});
