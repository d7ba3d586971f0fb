import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DeploymentKind } from '../deployment';
import type { ServiceConnectDeployment } from '../deployment';
import type { ServiceConnectPortOptions } from '../ports';
import { acknowledgeLifecycleHook } from './nag';

/**
 * How a `ServiceConnectDeployment` becomes settings of an ECS service: the strategy and its
 * configuration, the test-traffic rules of the client aliases, and the lifecycle hooks.
 */

const STRATEGIES: Record<DeploymentKind, ecs.DeploymentStrategy> = {
  [DeploymentKind.ROLLING]: ecs.DeploymentStrategy.ROLLING,
  [DeploymentKind.BLUE_GREEN]: ecs.DeploymentStrategy.BLUE_GREEN,
  [DeploymentKind.LINEAR]: ecs.DeploymentStrategy.LINEAR,
  [DeploymentKind.CANARY]: ecs.DeploymentStrategy.CANARY,
};

/** The deployment props of an `ecs.BaseService` for a deployment. */
export function deploymentServiceProps(deployment: ServiceConnectDeployment): Pick<ecs.BaseServiceOptions,
'circuitBreaker' | 'deploymentStrategy' | 'bakeTime' | 'linearConfiguration' | 'canaryConfiguration'> {
  return {
    // The circuit breaker exists for rolling deployments only; the others roll back on alarms.
    circuitBreaker: deployment.shiftsTraffic ? undefined : { enable: true, rollback: true },
    deploymentStrategy: deployment.shiftsTraffic ? STRATEGIES[deployment.kind] : undefined,
    bakeTime: deployment.bakeTime,
    linearConfiguration: deployment.kind === DeploymentKind.LINEAR ?
      { stepPercent: deployment.stepPercent, stepBakeTime: deployment.stepInterval } : undefined,
    canaryConfiguration: deployment.kind === DeploymentKind.CANARY ?
      { stepPercent: deployment.stepPercent, stepBakeTime: deployment.stepInterval } : undefined,
  };
}

/** `TestTrafficRules` on the client alias of every port with a test-traffic header. */
export function addTestTrafficRules(service: ecs.BaseService, ports: readonly ServiceConnectPortOptions[]): void {
  const cfnService = service.node.defaultChild as ecs.CfnService;
  ports.forEach((port, i) => {
    if (!port.testTrafficHeader) return;
    // aws-cdk-lib's L2 has no field for TestTrafficRules yet.
    cfnService.addPropertyOverride(`ServiceConnectConfiguration.Services.${i}.ClientAliases.0.TestTrafficRules`, {
      Header: { Name: port.testTrafficHeader.name, Value: { Exact: port.testTrafficHeader.value } },
    });
  });
}

/** The deployment's Lambda lifecycle hooks, each with its cdk-nag acknowledgement. */
export function addLifecycleHooks(service: ecs.BaseService, deployment: ServiceConnectDeployment): void {
  deployment.lifecycleHooks.forEach((hook, i) => {
    const target = new ecs.DeploymentLifecycleLambdaTarget(hook.handler, `LifecycleHook${i}`, { lifecycleStages: hook.stages });
    service.addLifecycleHook(target);
    acknowledgeLifecycleHook(service, hook.handler);
  });
}
