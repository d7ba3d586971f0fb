import { Token } from 'aws-cdk-lib';
import type { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Problems } from './problems';
import { warn } from './problems';
import { DeploymentKind } from '../../deployment';
import { ServiceConnectProtocol } from '../../ports';
import type { ConnectedFargateServiceProps } from '../../service-props';

const HEADER_NAME = /^[a-z0-9][a-z0-9-]*$/;

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
      if (d === undefined || Token.isUnresolved(d.toMilliseconds({ integral: false }))) continue;
      const minutes = d.toMilliseconds({ integral: false }) / 60000;
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
        problems.add('deployment-range', `deployment.${f}`, d, 'ECS takes whole minutes from 0 to 1440 (24 hours).',
          `use e.g. Duration.minutes(${Math.min(1440, Math.max(0, Math.ceil(minutes)))}).`);
      }
    }
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
