import { Token } from 'aws-cdk-lib';
import type { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Problems } from './problems';
import { warn } from './problems';
import { DeploymentKind } from '../../deployment';
import type { ServiceConnectDeployment } from '../../deployment';
import { ServiceConnectProtocol } from '../../ports';
import type { ConnectedFargateServiceProps } from '../../service-props';

const HEADER_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** CloudFormation rejects a linear or canary deployment whose computed time exceeds 33 hours. */
export const MAX_DEPLOYMENT_MINUTES = 33 * 60;

/** ECS's defaults for omitted fields (ECS API reference: LinearConfiguration, CanaryConfiguration). */
const ECS_DEFAULTS = {
  [DeploymentKind.LINEAR]: { percent: 10, intervalMinutes: 6 },
  [DeploymentKind.CANARY]: { percent: 5, intervalMinutes: 10 },
} as const;

/** Whole minutes of a resolved duration, or undefined (a token, or not whole minutes from 0 to 1440: reported elsewhere). */
function minutesOf(d: Duration): number | undefined {
  if (d.isUnresolved()) return undefined;
  const minutes = d.toMilliseconds({ integral: false }) / 60000;
  return Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440 ? minutes : undefined;
}

/**
 * The deployment time CloudFormation computes for a linear or canary deployment, in minutes
 * (`undefined` for other strategies or unresolved values). Canary: bake time + canary interval.
 * Linear: bake time + step interval × steps, where steps = 100 / stepPercent − 1 when it divides
 * 100 evenly, else floor(100 / stepPercent) (no wait after the last shift to 100 %).
 */
export function deploymentMinutes(deployment: ServiceConnectDeployment): number | undefined {
  if (deployment.kind !== DeploymentKind.LINEAR && deployment.kind !== DeploymentKind.CANARY) return undefined;
  const defaults = ECS_DEFAULTS[deployment.kind];
  const bake = deployment.bakeTime ? minutesOf(deployment.bakeTime) : 0;
  const interval = deployment.stepInterval ? minutesOf(deployment.stepInterval) : defaults.intervalMinutes;
  const percent = deployment.stepPercent ?? defaults.percent;
  if (bake === undefined || interval === undefined || Token.isUnresolved(percent)) return undefined;
  if (deployment.kind === DeploymentKind.CANARY) return bake + interval;
  // In tenths of a percent, so that 3.3 % is exact.
  const tenths = Math.round(percent * 10);
  if (!(tenths >= 30 && tenths <= 1000)) return undefined;
  const steps = 1000 % tenths === 0 ? 1000 / tenths - 1 : Math.floor(1000 / tenths);
  return bake + interval * steps;
}

function checkDeploymentTime(problems: Problems, deployment: ServiceConnectDeployment): void {
  const minutes = deploymentMinutes(deployment);
  if (minutes === undefined || minutes <= MAX_DEPLOYMENT_MINUTES) return;
  const formula = deployment.kind === DeploymentKind.CANARY ? 'bakeTime + canaryInterval' : 'bakeTime + stepInterval × steps';
  problems.add('deployment-range', 'deployment', `${deployment.kind.toLowerCase()}: ${minutes} minutes`,
    `CloudFormation rejects a ${deployment.kind.toLowerCase()} deployment whose computed time (${formula}) exceeds 33 hours (1980 minutes).`,
    deployment.kind === DeploymentKind.CANARY ? 'shorten the bake time or the canary interval.' :
      'shorten the bake time or the step interval, or take larger steps (stepPercent).');
}

/** Deployment settings, lifecycle hooks and test-traffic headers of a service. */
export function checkDeployment(scope: Construct, problems: Problems, props: ConnectedFargateServiceProps): void {
  const deployment = props.deployment;
  const ports = props.ports ?? [];
  if (deployment?.shiftsTraffic && ports.length === 0) {
    problems.add('deployment-client-only', 'deployment', deployment.kind,
      'this service is client-only: there is no server traffic to shift between revisions.',
      'use ServiceConnectDeployment.rolling() (the default), or give the service `ports`.');
  }
  if (deployment) {
    const percent = deployment.stepPercent;
    const [min, field] = deployment.kind === DeploymentKind.LINEAR ? [3, 'stepPercent'] : [0.1, 'canaryPercent'];
    if (percent !== undefined && !Token.isUnresolved(percent) &&
      (!(percent >= min && percent <= 100) || Math.abs(Math.round(percent * 10) - percent * 10) > 1e-9)) {
      problems.add('deployment-range', `deployment.${field}`, percent,
        `a ${deployment.kind.toLowerCase()} deployment shifts ${min.toFixed(1)} to 100.0 percent, in multiples of 0.1.`,
        `use e.g. ${deployment.kind === DeploymentKind.LINEAR ? 10 : 5}.`);
    }
    const intervalField = deployment.kind === DeploymentKind.LINEAR ? 'stepInterval' : 'canaryInterval';
    for (const [f, d] of [[intervalField, deployment.stepInterval], ['bakeTime', deployment.bakeTime]] as Array<[string, Duration | undefined]>) {
      if (d === undefined || d.isUnresolved()) continue;
      const minutes = d.toMilliseconds({ integral: false }) / 60000;
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
        problems.add('deployment-range', `deployment.${f}`, d, 'ECS takes whole minutes from 0 to 1440 (24 hours).',
          `use e.g. Duration.minutes(${Math.min(1440, Math.max(0, Math.ceil(minutes)))}).`);
      }
    }
    checkDeploymentTime(problems, deployment);
    deployment.lifecycleHooks.forEach((hook, i) => {
      if (!deployment.shiftsTraffic) {
        problems.add('lifecycle-hook', `deployment.lifecycleHooks[${i}]`, hook.handler.node.path,
          'lifecycle hooks run in blue/green, linear and canary deployments, not in rolling ones.',
          'choose ServiceConnectDeployment.blueGreen(), linear() or canary(), or drop the hook.');
      }
      if (hook.stages.length === 0) {
        problems.add('lifecycle-hook', `deployment.lifecycleHooks[${i}].stages`, '[]', 'a hook with no stage is never invoked.',
          'name the stages, e.g. [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT].');
      }
    });
  }
  ports.forEach((port, i) => {
    const header = port.testTrafficHeader;
    if (!header) return;
    if ((port.protocol ?? ServiceConnectProtocol.HTTP) === ServiceConnectProtocol.TCP) {
      problems.add('test-traffic-header', `ports[${i}].testTrafficHeader`, header.name,
        'test traffic is routed by an HTTP header, which a TCP port does not have.', 'remove testTrafficHeader, or use an HTTP, HTTP2 or GRPC port.');
    }
    if (!Token.isUnresolved(header.name) && !HEADER_NAME.test(header.name)) {
      problems.add('test-traffic-header', `ports[${i}].testTrafficHeader.name`, header.name,
        'a header name is lowercase letters, digits and `-` (HTTP/2 header names are lowercase).',
        `use e.g. ${JSON.stringify(header.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '') || 'x-canary')}.`);
    }
    if (header.value === '') {
      problems.add('test-traffic-header', `ports[${i}].testTrafficHeader.value`, header.value,
        'an empty value matches no request.', 'use e.g. "true".');
    }
    if (!deployment?.shiftsTraffic) {
      warn(scope, 'test-traffic-unused', `ports[${i}].testTrafficHeader (${header.name}: ${header.value}) is set, but the service deploys ` +
        'rolling, where there is no test traffic. Use ServiceConnectDeployment.blueGreen(), linear() or canary().');
    }
  });
}
