import type { CfnElement } from 'aws-cdk-lib';
import { CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
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

describe('bake time default (ECS requires one for blue/green; CloudFormation reads none as 36 hours)', () => {
  test.each([
    ['blue/green', ServiceConnectDeployment.blueGreen()],
    ['linear', ServiceConnectDeployment.linear()],
    ['canary', ServiceConnectDeployment.canary()],
  ])('%s without a bake time renders the library default, 15 minutes', (_kind, deployment) => {
    // GIVEN a traffic-shifting deployment without bakeTime
    // WHEN the service synthesizes
    const { svc, t } = deploy({ deployment });
    // THEN BakeTimeInMinutes is explicit
    expect(deploymentConfigurationOf(t, svc).BakeTimeInMinutes).toBe(15);
    expect(deployment.bakeTime?.toMinutes()).toBe(ServiceConnectDeployment.DEFAULT_BAKE_TIME.toMinutes());
  });

  test('rolling keeps ECS\'s own handling (no bake time rendered)', () => {
    const { svc, t } = deploy({});
    expect(deploymentConfigurationOf(t, svc).BakeTimeInMinutes).toBeUndefined();
  });

  test('a given bake time wins, 0 included', () => {
    const { svc, t } = deploy({ deployment: ServiceConnectDeployment.canary({ bakeTime: Duration.minutes(0) }) });
    expect(deploymentConfigurationOf(t, svc).BakeTimeInMinutes).toBe(0);
  });
});

describe('CloudFormation\'s 33-hour deployment limit', () => {
  function build(deployment: ServiceConnectDeployment): () => void {
    return () => {
      const stack = strictStack();
      new ConnectedFargateService(stack, 'Api', { cluster: new ServiceConnectCluster(stack, 'C'), image, ports: [httpPort], deployment });
    };
  }

  test.each([
    ['canary: 1440 + 1440 minutes', ServiceConnectDeployment.canary({ bakeTime: Duration.minutes(1440), canaryInterval: Duration.minutes(1440) }),
      /\[deployment-range\] deployment = "canary: 2880 minutes": CloudFormation rejects a canary deployment whose computed time \(bakeTime \+ canaryInterval\) exceeds 33 hours/],
    ['linear: 3 % steps of 120 minutes (33 steps)', ServiceConnectDeployment.linear({ stepPercent: 3, stepInterval: Duration.minutes(120) }),
      /\[deployment-range\] deployment = "linear: 3975 minutes".*Fix: shorten the bake time or the step interval/],
    ['linear with ECS\'s default step (10 %, 9 steps) and a long interval', ServiceConnectDeployment.linear({ stepInterval: Duration.minutes(240) }),
      /"linear: 2175 minutes"/],
    ['canary with ECS\'s default interval (10 minutes) and the bake time at 1440 + 1 too much', ServiceConnectDeployment.canary({ bakeTime: Duration.minutes(1440), canaryInterval: Duration.minutes(541) }),
      /"canary: 1981 minutes"/],
  ])('%s fails synth', (_case, deployment, pattern) => {
    expect(build(deployment)).toThrow(pattern);
  });

  test.each([
    ['canary at exactly 33 hours', ServiceConnectDeployment.canary({ bakeTime: Duration.minutes(1440), canaryInterval: Duration.minutes(540) })],
    // 11 % does not divide 100: floor(100 / 11) = 9 steps (not 9.1); 9 × 218 + 18 = 1980
    ['linear 11 % steps: 9 steps of 218 minutes + 18', ServiceConnectDeployment.linear({ stepPercent: 11, stepInterval: Duration.minutes(218), bakeTime: Duration.minutes(18) })],
    // 50 % divides 100: 100 / 50 - 1 = 1 step (no wait after the last shift)
    ['linear 50 % steps: one step of 1440 + 540', ServiceConnectDeployment.linear({ stepPercent: 50, stepInterval: Duration.minutes(1440), bakeTime: Duration.minutes(540) })],
    ['blue/green at the maximum bake time (no 33-hour formula)', ServiceConnectDeployment.blueGreen({ bakeTime: Duration.minutes(1440) })],
  ])('%s synthesizes', (_case, deployment) => {
    expect(build(deployment)).not.toThrow();
  });

  test('unresolved values are skipped, never a crash', () => {
    const stack = strictStack();
    const minutes = Duration.minutes(Token.asNumber({ Ref: 'StepMinutes' }));
    new CfnParameter(stack, 'StepMinutes', { type: 'Number' });
    expect(() => new ConnectedFargateService(stack, 'Api', {
      cluster: new ServiceConnectCluster(stack, 'C'),
      image,
      ports: [httpPort],
      deployment: ServiceConnectDeployment.linear({ stepPercent: Token.asNumber({ Ref: 'StepMinutes' }), stepInterval: minutes, bakeTime: Duration.minutes(1440) }),
    })).not.toThrow();
  });

  test('one minute over with 11 % steps fails', () => {
    expect(build(ServiceConnectDeployment.linear({ stepPercent: 11, stepInterval: Duration.minutes(218), bakeTime: Duration.minutes(19) })))
      .toThrow(/"linear: 1981 minutes"/);
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
    // the linear service sets no bake time: the library's default is rendered
    t.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ Strategy: 'LINEAR', BakeTimeInMinutes: 15 }) });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  test('snapshot (update on purpose only)', () => {
    expect(t.toJSON()).toMatchSnapshot();
  });
});
