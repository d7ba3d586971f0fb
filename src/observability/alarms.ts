// ServiceConnectAlarms: its props (with TSDoc and defaults), the error-rate and latency alarms,
// and their validation. Above 400 lines because of the documented props; one concept, one file.
import { Duration, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { IConnectedService } from '../connected-service';
import type { ServiceConnectEndpoint } from '../ports';
import { findEndpoint } from '../private/endpoints';
import { publishes } from '../private/metrics';
import { convertible } from '../private/validation/formats';
import { Problems, warn } from '../private/validation/problems';

/**
 * Options of `ServiceConnectAlarms.metricErrorRatePercent()`.
 */
export interface ServiceConnectErrorRateOptions {
  /**
   * The port whose error rate to compute.
   *
   * @default - the service's first port
   */
  readonly portName?: string;

  /**
   * The period over which requests and errors are summed.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;

  /**
   * Periods with fewer requests than this count as a 0 % error rate, so that a single failed
   * request of an almost idle service is not a 100 % error rate. A whole number >= 1.
   *
   * @default 1
   */
  readonly minimumRequestsPerPeriod?: number;

  /**
   * The label of the expression on graphs and in alarms.
   *
   * @default - `5xx error rate (%) of <discoveryName>`
   */
  readonly label?: string;
}

/**
 * Properties of `ServiceConnectAlarms`.
 */
export interface ServiceConnectAlarmsProps {
  /** The service to watch. It needs at least one port: a client-only service publishes no server metrics. */
  readonly service: IConnectedService;

  /**
   * The ports to watch, by port mapping name.
   *
   * @default - every port of the service
   */
  readonly portNames?: string[];

  /**
   * Alarm when the 5xx error rate of a port is above this percentage (0 to 99.99...; 0 alarms on any 5xx).
   *
   * @default 5
   */
  readonly errorRateThresholdPercent?: number;

  /**
   * Alarm when the response time (`latencyStatistic` of `TargetResponseTime`) of a port is above this.
   *
   * @default Duration.seconds(1)
   */
  readonly latencyThreshold?: Duration;

  /**
   * The statistic of `TargetResponseTime` that the latency alarms compare with `latencyThreshold`,
   * e.g. `Average`, `Maximum`, or a percentile such as `p99`.
   *
   * AWS documents Average, Minimum, Maximum, Sum and SampleCount for the Service Connect metrics,
   * and no percentile. CloudWatch computes percentiles only for metrics published with their
   * values, and nothing AWS publishes says Service Connect's are: an alarm on a percentile the
   * metric does not have sees no data, which these alarms treat as not breaching, so it would
   * never fire. Choose a percentile once you have seen it graphed for your service.
   *
   * @default 'Average'
   */
  readonly latencyStatistic?: string;

  /**
   * The period of each evaluated datapoint. Service Connect metrics are published every minute,
   * so this is a whole number of minutes.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;

  /**
   * How many of the most recent periods the alarms look at.
   *
   * @default 5
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of the `evaluationPeriods` must breach for an alarm to fire (1 to `evaluationPeriods`).
   *
   * @default 3
   */
  readonly datapointsToAlarm?: number;

  /**
   * Periods with fewer requests than this count as a 0 % error rate, so that one failed request of
   * an almost idle service does not read as 100 %. A whole number >= 1.
   *
   * @default 1
   */
  readonly minimumRequestsPerPeriod?: number;

  /**
   * Whether to create the 5xx error-rate alarms (HTTP and HTTP/2 ports only).
   *
   * @default true
   */
  readonly createErrorRateAlarms?: boolean;

  /**
   * Whether to create the response-time alarms (HTTP, HTTP/2 and gRPC ports).
   *
   * @default true
   */
  readonly createLatencyAlarms?: boolean;

  /**
   * An SNS topic to notify when an alarm fires (and, with `notifyOnRecovery`, when it recovers).
   * Alarms publishing to a topic encrypted with a customer managed KMS key need that key to allow
   * `cloudwatch.amazonaws.com` to use it.
   *
   * @default - no notification; add actions with `addAlarmAction()`
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Whether `alarmTopic` is also notified when an alarm returns to OK.
   *
   * @default true
   */
  readonly notifyOnRecovery?: boolean;
}

/**
 * The alarms of one port of a service.
 */
export interface ServiceConnectPortAlarms {
  /** The port mapping name. */
  readonly portName: string;

  /** The port's Cloud Map discovery name (the `DiscoveryName` / `TargetDiscoveryName` dimension). */
  readonly discoveryName: string;

  /**
   * The 5xx error-rate alarm.
   *
   * @default - none: the port does not publish HTTP status codes (gRPC, TCP) or error-rate alarms are off
   */
  readonly errorRateAlarm?: cloudwatch.Alarm;

  /**
   * The response-time alarm.
   *
   * @default - none: the port publishes no response times (TCP) or latency alarms are off
   */
  readonly latencyAlarm?: cloudwatch.Alarm;
}

/**
 * Default alarms for the ports of a `ConnectedFargateService`, built on the metrics Service
 * Connect really publishes.
 *
 * For each HTTP and HTTP/2 port, a **5xx error-rate alarm**: the percentage of requests the
 * application answered with a 5xx status, `HTTPCode_Target_5XX_Count` over the sum of the
 * `HTTPCode_Target_2XX..5XX_Count` (all by `TargetDiscoveryName`: the calls of Service Connect
 * clients); see `metricErrorRatePercent()` for why that denominator. For each HTTP, HTTP/2 and gRPC port, a **response-time alarm** on the average of
 * `TargetResponseTime` (a statistic AWS documents for it; percentiles are an option, see `latencyStatistic`).
 *
 * gRPC ports get no error-rate alarm: gRPC reports failures in `grpc-status`, normally behind an
 * HTTP 200, and Service Connect publishes HTTP status counts for `http`/`http2` ports only.
 * TCP ports get no alarm at all: they publish connection and byte counts only, which have no
 * threshold that is right for every service; alarm on `metricActiveConnectionCount()` yourself if
 * a bound makes sense for yours.
 *
 * An idle service never alarms: missing data is not breaching, and periods with fewer than
 * `minimumRequestsPerPeriod` requests count as a 0 % error rate.
 *
 * The alarms are exposed (`alarms`, `errorRateAlarms`, `latencyAlarms`, `portAlarms`) so that
 * they can be used elsewhere, for example as ECS deployment alarms.
 */
export class ServiceConnectAlarms extends Construct {
  /**
   * The percentage of a port's requests that the application answered with a 5xx status, as a
   * metric-math expression over metrics of **one scope**:
   * `IF(FILL(c2, 0) + FILL(c3, 0) + FILL(c4, 0) + FILL(c5, 0) >= minimumRequestsPerPeriod,
   * 100 * FILL(c5, 0) / (FILL(c2, 0) + FILL(c3, 0) + FILL(c4, 0) + FILL(c5, 0)), 0)`, where `cN` is
   * `HTTPCode_Target_NXX_Count` by `TargetDiscoveryName`.
   *
   * All four counts are published by the calling Service Connect proxies of the namespace, so
   * errors and requests are counted over the same calls. `RequestCount` by `DiscoveryName` is not
   * the denominator: the server-side proxy counts every request it handles there, load-balancer
   * traffic to the container port included, so a service taking most of its traffic from a load
   * balancer and failing every Service Connect call would read a low rate. `RequestCountPerTarget`
   * is not used either: it is an average per task.
   *
   * `FILL` and `IF` make periods without requests (Service Connect publishes no zero values) a
   * 0 % rate, never a division by zero or a breach.
   */
  public static metricErrorRatePercent(service: IConnectedService, options: ServiceConnectErrorRateOptions = {}): cloudwatch.MathExpression {
    const endpoint = findEndpoint(service, options.portName, 'metric-unknown-port', 'metricErrorRatePercent');
    const period = options.period ?? Duration.minutes(1);
    const minimum = options.minimumRequestsPerPeriod ?? 1;
    const requests = 'FILL(c2, 0) + FILL(c3, 0) + FILL(c4, 0) + FILL(c5, 0)';
    const count = (method: 'metricTarget2xxCount' | 'metricTarget3xxCount' | 'metricTarget4xxCount' | 'metricTarget5xxCount') =>
      service[method]({ portName: endpoint.portName, period, statistic: cloudwatch.Stats.SUM });
    return new cloudwatch.MathExpression({
      expression: `IF(${requests} >= ${minimum}, 100 * FILL(c5, 0) / (${requests}), 0)`,
      usingMetrics: {
        c2: count('metricTarget2xxCount'),
        c3: count('metricTarget3xxCount'),
        c4: count('metricTarget4xxCount'),
        c5: count('metricTarget5xxCount'),
      },
      period,
      label: options.label ?? `5xx error rate (%) of ${endpoint.discoveryName}`,
    });
  }

  /** The service the alarms watch. */
  public readonly service: IConnectedService;
  /** Every alarm created, port by port (error rate before response time). */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The 5xx error-rate alarms, one per HTTP/HTTP2 port. */
  public readonly errorRateAlarms: cloudwatch.Alarm[] = [];
  /** The response-time alarms, one per HTTP/HTTP2/gRPC port. */
  public readonly latencyAlarms: cloudwatch.Alarm[] = [];
  /** The alarms of each watched port, in port order (TCP ports have none). */
  public readonly portAlarms: ServiceConnectPortAlarms[] = [];

  constructor(scope: Construct, id: string, props: ServiceConnectAlarmsProps) {
    super(scope, id);
    this.service = props.service;

    const settings: AlarmSettings = {
      errorRateThresholdPercent: props.errorRateThresholdPercent ?? 5,
      latencyThreshold: props.latencyThreshold ?? Duration.seconds(1),
      latencyStatistic: props.latencyStatistic ?? 'Average',
      period: props.period ?? Duration.minutes(1),
      evaluationPeriods: props.evaluationPeriods ?? 5,
      datapointsToAlarm: props.datapointsToAlarm ?? Math.min(3, props.evaluationPeriods ?? 5),
      minimumRequestsPerPeriod: props.minimumRequestsPerPeriod ?? 1,
    };
    const endpoints = this.validate(props, settings);

    endpoints.forEach((endpoint, i) => {
      // a port name known only at deployment cannot name a construct: the port's position does
      const portScope = new Construct(this, Token.isUnresolved(endpoint.portName) ? `Port${i}` : endpoint.portName);
      const common = {
        evaluationPeriods: settings.evaluationPeriods,
        datapointsToAlarm: settings.datapointsToAlarm,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        // Service Connect publishes nothing for a period without traffic: idle is healthy.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      };
      const window = `${n(settings.datapointsToAlarm)} of ${n(settings.evaluationPeriods)} periods of ${settings.period.toHumanString()}`;

      let errorRateAlarm: cloudwatch.Alarm | undefined;
      if ((props.createErrorRateAlarms ?? true) && publishes('metricTarget5xxCount', endpoint.protocol)) {
        errorRateAlarm = new cloudwatch.Alarm(portScope, 'ErrorRate', {
          ...common,
          metric: ServiceConnectAlarms.metricErrorRatePercent(this.service, {
            portName: endpoint.portName,
            period: settings.period,
            minimumRequestsPerPeriod: settings.minimumRequestsPerPeriod,
          }),
          threshold: settings.errorRateThresholdPercent,
          alarmDescription: `More than ${n(settings.errorRateThresholdPercent)}% of the requests to Service Connect port ` +
            `${endpoint.portName} (discovery name ${endpoint.discoveryName}) of ${this.service.node.path} got a 5xx response ` +
            `in ${window}.`,
        });
        this.errorRateAlarms.push(errorRateAlarm);
        this.alarms.push(errorRateAlarm);
      }

      let latencyAlarm: cloudwatch.Alarm | undefined;
      if ((props.createLatencyAlarms ?? true) && publishes('metricTargetResponseTime', endpoint.protocol)) {
        latencyAlarm = new cloudwatch.Alarm(portScope, 'Latency', {
          ...common,
          metric: this.service.metricTargetResponseTime({
            portName: endpoint.portName,
            period: settings.period,
            statistic: settings.latencyStatistic,
          }),
          threshold: settings.latencyThreshold.toMilliseconds(),
          alarmDescription: `The ${settings.latencyStatistic} response time of Service Connect port ${endpoint.portName} ` +
            `(discovery name ${endpoint.discoveryName}) of ${this.service.node.path} was above ` +
            `${n(settings.latencyThreshold.toMilliseconds())} ms in ${window}.`,
        });
        this.latencyAlarms.push(latencyAlarm);
        this.alarms.push(latencyAlarm);
      }

      this.portAlarms.push({ portName: endpoint.portName, discoveryName: endpoint.discoveryName, errorRateAlarm, latencyAlarm });
    });

    if (props.alarmTopic) {
      const action = new cloudwatchActions.SnsAction(props.alarmTopic);
      this.addAlarmAction(action);
      if (props.notifyOnRecovery ?? true) {
        this.addOkAction(action);
      }
    }

    if (this.alarms.length === 0) {
      warn(this, 'alarms-none-created',
        `no alarm was created for ${this.service.node.path}: none of its watched ports (${endpoints.map((e) => `${e.portName} (${e.protocol})`).join(', ')}) ` +
        'publishes the metrics an enabled alarm needs. TCP ports publish connection and byte counts only: alarm on metricActiveConnectionCount() ' +
        'with a bound that fits the service, or remove this construct.');
    }
  }

  /**
   * Add actions that run when any of the alarms fires.
   */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(...actions);
    }
  }

  /**
   * Add actions that run when any of the alarms returns to OK.
   */
  public addOkAction(...actions: cloudwatch.IAlarmAction[]): void {
    for (const alarm of this.alarms) {
      alarm.addOkAction(...actions);
    }
  }

  private validate(props: ServiceConnectAlarmsProps, s: AlarmSettings): ServiceConnectEndpoint[] {
    const problems = new Problems(this, 'ServiceConnectAlarms');
    const service = props.service;
    if (service.clientOnly) {
      problems.add('alarms-client-only', 'service', service.node.path,
        'the service is client-only: it offers no port, so Service Connect publishes no server metrics for it.',
        'give the service `ports`, or watch the services it calls instead.');
    }
    const endpoints: ServiceConnectEndpoint[] = [];
    (props.portNames ?? service.endpoints.map((e) => e.portName)).forEach((name, i) => {
      const endpoint = service.endpoints.find((e) => e.portName === name);
      if (!endpoint) {
        if (!service.clientOnly) {
          problems.add('metric-unknown-port', `portNames[${i}]`, name, `${service.node.path} has no port of that name.`,
            `use one of ${service.endpoints.map((e) => JSON.stringify(e.portName)).join(', ')}.`);
        }
      } else if (!endpoints.includes(endpoint)) {
        endpoints.push(endpoint);
      }
    });
    if (props.portNames !== undefined && props.portNames.length === 0 && !service.clientOnly) {
      problems.add('alarms-setting-range', 'portNames.length', 0, 'no port is watched.', 'leave portNames unset to watch every port.');
    }

    const pct = s.errorRateThresholdPercent;
    if (!Token.isUnresolved(pct) && !(Number.isFinite(pct) && pct >= 0 && pct < 100)) {
      problems.add('alarms-setting-range', 'errorRateThresholdPercent', pct,
        'the error rate is a percentage and an alarm above 100 % never fires.', 'use a value from 0 (any 5xx) to below 100, e.g. 5.');
    }
    if (!s.latencyThreshold.isUnresolved() && !(s.latencyThreshold.toMilliseconds({ integral: false }) > 0)) {
      problems.add('alarms-setting-range', 'latencyThreshold', s.latencyThreshold, 'a response time is never below 0 ms, so the alarm would always fire.',
        'use a positive duration, e.g. Duration.seconds(1).');
    }
    if (s.latencyThreshold.isUnresolved() && convertible(() => s.latencyThreshold.toMilliseconds()) === undefined) {
      problems.add('duration-token-unit', 'latencyThreshold', s.latencyThreshold,
        'the threshold is known only at deployment and not in milliseconds; the alarm takes milliseconds, and CloudFormation cannot convert.',
        'pass it in milliseconds: Duration.millis(<token>).');
    }
    if (s.period.isUnresolved() && convertible(() => s.period.toSeconds()) === undefined) {
      problems.add('duration-token-unit', 'period', s.period,
        'the period is known only at deployment and not in seconds; the alarm takes seconds, and CloudFormation cannot convert.',
        'pass it in seconds: Duration.seconds(<token>) (a multiple of 60).');
    }
    if (!s.period.isUnresolved()) {
      const seconds = s.period.toSeconds({ integral: false });
      if (!(seconds >= 60 && seconds % 60 === 0)) {
        problems.add('alarms-setting-range', 'period', s.period, 'Service Connect publishes its metrics once a minute.',
          'use a whole number of minutes, e.g. Duration.minutes(1).');
      }
    }
    if (!isWhole(s.evaluationPeriods)) {
      problems.add('alarms-setting-range', 'evaluationPeriods', s.evaluationPeriods, 'it is not a whole number >= 1.', 'use e.g. 5.');
    }
    if (!isWhole(s.datapointsToAlarm) || (!Token.isUnresolved(s.evaluationPeriods) && s.datapointsToAlarm > s.evaluationPeriods)) {
      problems.add('alarms-setting-range', 'datapointsToAlarm', s.datapointsToAlarm,
        `it must be a whole number from 1 to evaluationPeriods (${n(s.evaluationPeriods)}).`, 'lower it, or raise evaluationPeriods.');
    }
    if (!isWhole(s.minimumRequestsPerPeriod)) {
      problems.add('alarms-setting-range', 'minimumRequestsPerPeriod', s.minimumRequestsPerPeriod, 'it is not a whole number >= 1.', 'use 1 or more.');
    }
    problems.throwIfAny();
    return endpoints;
  }
}

/** The settings of `ServiceConnectAlarms` with every default worked out. */
interface AlarmSettings {
  readonly errorRateThresholdPercent: number;
  readonly latencyThreshold: Duration;
  readonly latencyStatistic: string;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly minimumRequestsPerPeriod: number;
}

/** A number in a text: a token stays a token (its number form would be a meaningless -1.888e+289). */
function n(value: number): string {
  return Tokenization.stringifyNumber(value);
}

function isWhole(value: number): boolean {
  return Token.isUnresolved(value) || (Number.isInteger(value) && value >= 1);
}
