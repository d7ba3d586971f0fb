import type { Stack } from 'aws-cdk-lib';
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { ConnectedFargateServiceProps } from '../../src';
import { ConnectedFargateService, EnvoySizing, ServiceConnectCluster, ServiceConnectProtocol } from '../../src';
import { ServiceConnectAlarms } from '../../src/observability';
import { strictStack } from '../helpers';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');

function topology(stack: Stack) {
  const cluster = new ServiceConnectCluster(stack, 'Cluster', { namespaceName: 'test.internal' });
  const svc = (id: string, props: Partial<ConnectedFargateServiceProps> = {}) =>
    new ConnectedFargateService(stack, id, { cluster, image, ...props });
  return {
    cluster,
    payments: svc('Payments', { ports: [{ name: 'payments-http', containerPort: 8080, discoveryName: 'payments' }] }),
    multi: svc('Multi', {
      sizing: EnvoySizing.forApp({ appCpu: 512, appMemoryMiB: 1024 }),
      ports: [
        { name: 'multi-h2', containerPort: 8443, protocol: ServiceConnectProtocol.HTTP2, discoveryName: 'multi' },
        { name: 'multi-grpc', containerPort: 9090, protocol: ServiceConnectProtocol.GRPC },
        { name: 'multi-tcp', containerPort: 5432, protocol: ServiceConnectProtocol.TCP },
      ],
    }),
    database: svc('Database', { ports: [{ name: 'db', containerPort: 5432, protocol: ServiceConnectProtocol.TCP }] }),
    worker: svc('Worker'),
  };
}

const REQUESTS = 'FILL(c2, 0) + FILL(c3, 0) + FILL(c4, 0) + FILL(c5, 0)';
const errorRate = (minimum: number) => `IF(${REQUESTS} >= ${minimum}, 100 * FILL(c5, 0) / (${REQUESTS}), 0)`;
const ERROR_RATE = errorRate(1);
const targetCount = (id: string, metricName: string, discoveryName: string, period = 60) => ({
  Id: id,
  ReturnData: false,
  MetricStat: {
    Metric: { Namespace: 'AWS/ECS', MetricName: metricName, Dimensions: [{ Name: 'TargetDiscoveryName', Value: discoveryName }] },
    Period: period,
    Stat: 'Sum',
  },
});

describe('alarms rendered in one strict stack', () => {
  // GIVEN a topology with an HTTP server, a server with HTTP/2, gRPC and TCP ports, a TCP-only server
  const stack = strictStack();
  const { payments, multi, database } = topology(stack);
  const topic = new sns.Topic(stack, 'Alarms', { enforceSSL: true });
  // WHEN
  const defaults = new ServiceConnectAlarms(stack, 'PaymentsAlarms', { service: payments, alarmTopic: topic });
  const custom = new ServiceConnectAlarms(stack, 'MultiAlarms', {
    service: multi,
    errorRateThresholdPercent: 1,
    latencyThreshold: Duration.millis(250),
    latencyStatistic: 'p99.9',
    period: Duration.minutes(5),
    evaluationPeriods: 6,
    datapointsToAlarm: 2,
    minimumRequestsPerPeriod: 20,
    alarmTopic: topic,
    notifyOnRecovery: false,
  });
  const tcpOnly = new ServiceConnectAlarms(stack, 'DatabaseAlarms', { service: database });
  const t = Template.fromStack(stack);
  const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };

  test('the default 5xx error-rate alarm divides target 5xx by the target 2xx-5xx counts: one scope (Service Connect callers)', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        { Id: 'expr_1', Expression: ERROR_RATE, Label: '5xx error rate (%) of payments', ReturnData: true },
        targetCount('c2', 'HTTPCode_Target_2XX_Count', 'payments'),
        targetCount('c3', 'HTTPCode_Target_3XX_Count', 'payments'),
        targetCount('c4', 'HTTPCode_Target_4XX_Count', 'payments'),
        targetCount('c5', 'HTTPCode_Target_5XX_Count', 'payments'),
      ],
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test('the default latency alarm: Average TargetResponseTime (a statistic AWS documents) by TargetDiscoveryName above 1000 ms', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ECS',
      MetricName: 'TargetResponseTime',
      Dimensions: [{ Name: 'TargetDiscoveryName', Value: 'payments' }],
      Statistic: 'Average',
      ExtendedStatistic: Match.absent(),
      Period: 60,
      Threshold: 1000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test('thresholds, statistic, period, evaluation periods and minimum requests are configurable; no OK action without notifyOnRecovery', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: errorRate(20), Label: '5xx error rate (%) of multi' }),
        Match.objectLike({ Id: 'c5', MetricStat: Match.objectLike({ Period: 300 }) }),
      ]),
      Threshold: 1,
      EvaluationPeriods: 6,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: Match.absent(),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TargetResponseTime',
      Dimensions: [{ Name: 'TargetDiscoveryName', Value: 'multi-grpc' }],
      ExtendedStatistic: 'p99.9',
      Period: 300,
      Threshold: 250,
      EvaluationPeriods: 6,
      DatapointsToAlarm: 2,
      OKActions: Match.absent(),
    });
  });

  test('HTTP/2 ports get both alarms, gRPC ports a latency alarm only, TCP ports none', () => {
    expect(custom.portAlarms.map((p) => [p.portName, p.discoveryName, p.errorRateAlarm !== undefined, p.latencyAlarm !== undefined])).toEqual([
      ['multi-h2', 'multi', true, true],
      ['multi-grpc', 'multi-grpc', false, true],
      ['multi-tcp', 'multi-tcp', false, false],
    ]);
    expect(custom.errorRateAlarms).toHaveLength(1);
    expect(custom.latencyAlarms).toHaveLength(2);
    expect(custom.alarms).toEqual([custom.portAlarms[0].errorRateAlarm, custom.portAlarms[0].latencyAlarm, custom.portAlarms[1].latencyAlarm]);
    const grpc5xx = Object.values(t.findResources('AWS::CloudWatch::Alarm')).filter((r) =>
      JSON.stringify(r).includes('HTTPCode_Target_5XX_Count') && JSON.stringify(r).includes('multi-grpc'));
    expect(grpc5xx).toHaveLength(0);
  });

  test('every alarm is a resource; the exposed lists hold them all', () => {
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2 + 3);
    expect(defaults.alarms.map((a) => a.node.path)).toEqual([
      'TestStack/PaymentsAlarms/payments-http/ErrorRate',
      'TestStack/PaymentsAlarms/payments-http/Latency',
    ]);
    expect(defaults.errorRateAlarms).toEqual([defaults.alarms[0]]);
    expect(defaults.latencyAlarms).toEqual([defaults.alarms[1]]);
  });

  test('a service with TCP ports only gets no alarm and a warning that says what to do', () => {
    expect(tcpOnly.alarms).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/TestStack/DatabaseAlarms',
      Match.stringLikeRegexp('no alarm was created for TestStack/Database.*TCP ports publish connection and byte counts only.*cdk-service-connect:alarms-none-created'));
  });
});

describe('actions and the error-rate metric', () => {
  test('addAlarmAction and addOkAction reach every alarm', () => {
    // GIVEN
    const stack = strictStack();
    const { payments } = topology(stack);
    const alarms = new ServiceConnectAlarms(stack, 'Alarms', { service: payments });
    const topic = new sns.Topic(stack, 'Topic');
    // WHEN
    alarms.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    alarms.addOkAction(new cloudwatchActions.SnsAction(topic));
    // THEN
    for (const alarm of alarms.alarms) {
      const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
      expect(stack.resolve(cfn.alarmActions)).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }]);
      expect(stack.resolve(cfn.okActions)).toHaveLength(1);
    }
  });

  test('metricErrorRatePercent can be used on its own, per port, and names unknown ports', () => {
    const stack = strictStack();
    const { multi, worker } = topology(stack);
    const expr = ServiceConnectAlarms.metricErrorRatePercent(multi, { portName: 'multi-h2', minimumRequestsPerPeriod: 10, period: Duration.minutes(2) });
    expect(expr.expression).toBe(errorRate(10));
    expect(expr.period.toMinutes()).toBe(2);
    // every count of the ratio is a target metric: no server-side RequestCount (which counts load-balancer traffic too)
    expect(Object.values(expr.usingMetrics).map((m) => [(m as cloudwatch.Metric).metricName, (m as cloudwatch.Metric).dimensions])).toEqual(
      ['2XX', '3XX', '4XX', '5XX'].map((c) => [`HTTPCode_Target_${c}_Count`, { TargetDiscoveryName: 'multi' }]));
    expect(() => ServiceConnectAlarms.metricErrorRatePercent(multi, { portName: 'nope' })).toThrow(/\[metric-unknown-port\] metricErrorRatePercent\(portName\) = "nope"/);
    expect(() => ServiceConnectAlarms.metricErrorRatePercent(worker)).toThrow(/client-only/);
  });
});

describe('validation', () => {
  test('a client-only service is rejected', () => {
    const stack = strictStack();
    const { worker } = topology(stack);
    expect(() => new ServiceConnectAlarms(stack, 'Alarms', { service: worker })).toThrow(
      /ServiceConnectAlarms 'TestStack\/Alarms' has 1 invalid setting:\n {2}- \[alarms-client-only\] service = "TestStack\/Worker": the service is client-only.*Fix: /);
  });

  test('every bad setting is reported in one error', () => {
    const stack = strictStack();
    const { payments } = topology(stack);
    let message = '';
    try {
      new ServiceConnectAlarms(stack, 'Alarms', {
        service: payments,
        portNames: ['payments-http', 'payments-grpc'],
        errorRateThresholdPercent: 100,
        latencyThreshold: Duration.millis(0),
        period: Duration.seconds(90),
        evaluationPeriods: 2,
        datapointsToAlarm: 3,
        minimumRequestsPerPeriod: 0.5,
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^ServiceConnectAlarms 'TestStack\/Alarms' has 6 invalid settings:/);
    expect(message).toContain('[metric-unknown-port] portNames[1] = "payments-grpc"');
    expect(message).toContain('[alarms-setting-range] errorRateThresholdPercent = 100');
    expect(message).toContain('[alarms-setting-range] latencyThreshold = 0 millis');
    expect(message).toContain('[alarms-setting-range] period = 1 minute 30 seconds');
    expect(message).toContain('[alarms-setting-range] datapointsToAlarm = 3');
    expect(message).toContain('[alarms-setting-range] minimumRequestsPerPeriod = 0.5');
  });

  test('an empty port list and a non-integer evaluationPeriods are rejected', () => {
    const stack = strictStack();
    const { payments } = topology(stack);
    expect(() => new ServiceConnectAlarms(stack, 'A', { service: payments, portNames: [] })).toThrow(/\[alarms-setting-range\] portNames.length = 0/);
    expect(() => new ServiceConnectAlarms(stack, 'B', { service: payments, evaluationPeriods: 0 })).toThrow(/\[alarms-setting-range\] evaluationPeriods = 0/);
  });

  test('an error-rate threshold of 0 (alarm on any 5xx) is allowed; a short evaluation window lowers the default datapoints', () => {
    const stack = strictStack();
    const { payments } = topology(stack);
    const alarms = new ServiceConnectAlarms(stack, 'Alarms', { service: payments, errorRateThresholdPercent: 0, evaluationPeriods: 2 });
    const cfn = alarms.errorRateAlarms[0].node.defaultChild as cloudwatch.CfnAlarm;
    expect(cfn.threshold).toBe(0);
    expect(cfn.datapointsToAlarm).toBe(2);
  });
});
