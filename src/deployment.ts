import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * How a new revision of a service replaces the old one.
 */
export enum DeploymentKind {
  /** Replace tasks in batches; the deployment circuit breaker rolls back a deployment that never stabilizes. */
  ROLLING = 'ROLLING',
  /** Start the full new revision, shift all traffic at once after the test stage, keep the old revision for the bake time. */
  BLUE_GREEN = 'BLUE_GREEN',
  /** Shift production traffic to the new revision in equal steps. */
  LINEAR = 'LINEAR',
  /** Shift a small share of production traffic first, then the rest. */
  CANARY = 'CANARY',
}

/**
 * A Lambda function ECS invokes at deployment lifecycle stages (it answers SUCCEEDED, FAILED or IN_PROGRESS).
 */
export interface DeploymentLifecycleHook {
  /** The function to invoke. */
  readonly handler: lambda.IFunction;
  /** The stages at which ECS invokes it, e.g. `ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT`. */
  readonly stages: ecs.DeploymentLifecycleStage[];
}

/**
 * Options every deployment strategy takes.
 */
export interface DeploymentOptions {
  /**
   * Alarms that roll the deployment back when they go into ALARM.
   *
   * @default - for blue/green, linear and canary: the 5xx error-rate and average latency alarms of
   * the service's ports (`ServiceConnectAlarms` defaults) unless `autoRollbackAlarms` is false;
   * for rolling: none
   */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];

  /**
   * Whether the library creates the service's Service Connect alarms (5xx error rate and average
   * response time per port) and rolls back on them. Ignored when `rollbackAlarms` is given.
   *
   * @default - true for blue/green, linear and canary; false for rolling
   */
  readonly autoRollbackAlarms?: boolean;

  /**
   * Lambda functions ECS invokes at lifecycle stages (blue/green, linear and canary only).
   *
   * @default - none
   */
  readonly lifecycleHooks?: DeploymentLifecycleHook[];
}

/**
 * Options of blue/green, linear and canary deployments.
 */
export interface TrafficShiftDeploymentOptions extends DeploymentOptions {
  /**
   * How long both revisions keep running after all production traffic has moved, so that a
   * rollback is instant (whole minutes, 0 to 1440). CloudFormation rejects a linear or canary
   * deployment whose bake time plus step or canary time exceeds 33 hours.
   *
   * @default Duration.minutes(15) - always rendered: ECS requires a bake time for blue/green,
   * and CloudFormation documents an unspecified one as 36 hours
   */
  readonly bakeTime?: Duration;
}

/**
 * Options of a linear deployment.
 */
export interface LinearDeploymentOptions extends TrafficShiftDeploymentOptions {
  /**
   * The percentage of production traffic each step moves: 3.0 to 100.0, in multiples of 0.1.
   *
   * @default 10
   */
  readonly stepPercent?: number;

  /**
   * How long to wait between steps (whole minutes, 0 to 1440).
   *
   * @default Duration.minutes(6)
   */
  readonly stepInterval?: Duration;
}

/**
 * Options of a canary deployment.
 */
export interface CanaryDeploymentOptions extends TrafficShiftDeploymentOptions {
  /**
   * The percentage of production traffic the canary gets first: 0.1 to 100.0, in multiples of 0.1.
   *
   * @default 5
   */
  readonly canaryPercent?: number;

  /**
   * How long the canary takes its share before the rest moves (whole minutes, 0 to 1440).
   *
   * @default Duration.minutes(10)
   */
  readonly canaryInterval?: Duration;
}

/**
 * How a `ConnectedFargateService` deploys new revisions. Blue/green, linear and canary shift
 * traffic through Service Connect: during a deployment, clients' proxies send production
 * traffic by the configured weights and *test* traffic (requests with the port's test header)
 * to the new revision only. This is what App Mesh's weighted routes did.
 */
export class ServiceConnectDeployment {
  /**
   * The bake time of blue/green, linear and canary deployments when none is given: 15 minutes.
   * ECS requires a bake time for blue/green, and CloudFormation documents an unspecified one as
   * 36 hours for the traffic-shifting strategies (past ECS's 1,440-minute maximum and
   * CloudFormation's 33-hour deployment limit, with double capacity all along). 15 minutes is
   * three times the window of the default rollback alarms (3 of 5 one-minute periods), so they
   * can still fire while the old revision runs.
   */
  public static readonly DEFAULT_BAKE_TIME: Duration = Duration.minutes(15);

  /** Rolling update with the deployment circuit breaker and rollback (the default). */
  public static rolling(options: DeploymentOptions = {}): ServiceConnectDeployment {
    return new ServiceConnectDeployment(DeploymentKind.ROLLING, options);
  }

  /** ECS-native blue/green through Service Connect. */
  public static blueGreen(options: TrafficShiftDeploymentOptions = {}): ServiceConnectDeployment {
    return new ServiceConnectDeployment(DeploymentKind.BLUE_GREEN, options);
  }

  /** ECS-native linear traffic shifting through Service Connect. */
  public static linear(options: LinearDeploymentOptions = {}): ServiceConnectDeployment {
    return new ServiceConnectDeployment(DeploymentKind.LINEAR, options, options.stepPercent, options.stepInterval);
  }

  /** ECS-native canary traffic shifting through Service Connect. */
  public static canary(options: CanaryDeploymentOptions = {}): ServiceConnectDeployment {
    return new ServiceConnectDeployment(DeploymentKind.CANARY, options, options.canaryPercent, options.canaryInterval);
  }

  /** The strategy. */
  public readonly kind: DeploymentKind;
  /** The bake time: the given one; for blue/green, linear and canary without one, 15 minutes; for rolling without one, unset. */
  public readonly bakeTime?: Duration;
  /** The step (linear) or canary percentage, if set. */
  public readonly stepPercent?: number;
  /** The time between steps (linear) or the canary's time (canary), if set. */
  public readonly stepInterval?: Duration;
  /** The given rollback alarms, if any. */
  public readonly rollbackAlarms?: cloudwatch.IAlarm[];
  /** Whether the library creates rollback alarms. */
  public readonly autoRollbackAlarms: boolean;
  /** The lifecycle hooks. */
  public readonly lifecycleHooks: DeploymentLifecycleHook[];

  private constructor(kind: DeploymentKind, options: TrafficShiftDeploymentOptions, stepPercent?: number, stepInterval?: Duration) {
    this.kind = kind;
    this.bakeTime = options.bakeTime ?? (kind === DeploymentKind.ROLLING ? undefined : ServiceConnectDeployment.DEFAULT_BAKE_TIME);
    this.stepPercent = stepPercent;
    this.stepInterval = stepInterval;
    this.rollbackAlarms = options.rollbackAlarms;
    this.autoRollbackAlarms = options.rollbackAlarms === undefined && (options.autoRollbackAlarms ?? kind !== DeploymentKind.ROLLING);
    this.lifecycleHooks = options.lifecycleHooks ?? [];
  }

  /** Whether production traffic shifts between two revisions (blue/green, linear, canary). */
  public get shiftsTraffic(): boolean {
    return this.kind !== DeploymentKind.ROLLING;
  }
}

/**
 * A header rule that sends test traffic to the new revision during a blue/green, linear or
 * canary deployment: requests whose header `name` equals `value` go to the new revision before
 * it gets production traffic. HTTP, HTTP/2 and gRPC ports only.
 */
export interface TestTrafficHeader {
  /** The header name, e.g. `x-canary` (lowercase letters, digits and `-`). */
  readonly name: string;
  /** The exact value that marks a test request, e.g. `true`. */
  readonly value: string;
}
