import { Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Problems } from './problems';
import { warn } from './problems';
import type { ServiceConnectEndpoint } from '../../ports';
import type { ConnectedFargateServiceProps } from '../../service-props';
import { TracingSidecarKind } from '../../tracing';
import { publishesRequests, sidecarDemand } from '../service-options';
import { OTEL_COLLECTOR, tracingOf, XRAY_DAEMON } from '../sidecars';

/** Checks the everyday ECS settings: deployment percentages, capacity providers, task options, sidecars, auto scaling. */
export function checkServiceOptions(scope: Construct, problems: Problems, props: ConnectedFargateServiceProps,
  endpoints: ServiceConnectEndpoint[]): void {
  checkPercentages(problems, props);
  checkCapacityProviders(problems, props);
  checkTaskOptions(problems, props);
  checkSidecars(problems, props);
  checkAutoScaling(problems, props, endpoints);
  if (props.assignPublicIp) {
    warn(scope, 'public-ip',
      'assignPublicIp is true: every task gets a public IP address in a public subnet and is reachable from the internet wherever ' +
      'its security group allows. Service Connect needs none of it; prefer private subnets with a NAT gateway or VPC endpoints.');
  }
}

const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);
const whole = (n: number) => Number.isInteger(n);

function checkPercentages(problems: Problems, props: ConnectedFargateServiceProps): void {
  const min = props.minHealthyPercent;
  if (known(min) && !(whole(min) && min >= 0 && min <= 100)) {
    problems.add('healthy-percent-range', 'minHealthyPercent', min, 'the minimum healthy percent is a whole number from 0 to 100.', 'use e.g. 100 (the default) or 50.');
  }
  const max = props.maxHealthyPercent;
  if (known(max) && !(whole(max) && max >= 100)) {
    problems.add('healthy-percent-range', 'maxHealthyPercent', max,
      'the maximum percent is a whole number of at least 100 (a rolling deployment starts new tasks before stopping old ones above 100).',
      'use e.g. 200 (the default).');
  }
  if (known(min) && known(max) && min === 100 && max === 100) {
    problems.add('healthy-percent-range', 'maxHealthyPercent', max,
      'with minHealthyPercent 100 and maxHealthyPercent 100 a rolling deployment can neither stop an old task nor start a new one.',
      'raise maxHealthyPercent (e.g. 200) or lower minHealthyPercent.');
  }
}

const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

function checkCapacityProviders(problems: Problems, props: ConnectedFargateServiceProps): void {
  const strategies = props.capacityProviderStrategies ?? [];
  strategies.forEach((s, i) => {
    if (!Token.isUnresolved(s.capacityProvider) && !FARGATE_PROVIDERS.includes(s.capacityProvider)) {
      problems.add('capacity-provider', `capacityProviderStrategies[${i}].capacityProvider`, s.capacityProvider,
        'a Fargate service runs on the FARGATE and FARGATE_SPOT capacity providers only.', 'use "FARGATE" or "FARGATE_SPOT".');
    }
    if (known(s.weight) && !(whole(s.weight) && s.weight >= 0 && s.weight <= 1000)) {
      problems.add('capacity-provider', `capacityProviderStrategies[${i}].weight`, s.weight, 'a weight is a whole number from 0 to 1000.', 'use e.g. 1.');
    }
    if (known(s.base) && !(whole(s.base) && s.base >= 0 && s.base <= 100000)) {
      problems.add('capacity-provider', `capacityProviderStrategies[${i}].base`, s.base, 'a base is a whole number from 0 to 100000.', 'use e.g. 1.');
    }
  });
  const bases = strategies.filter((s) => known(s.base) && s.base > 0);
  if (bases.length > 1) {
    problems.add('capacity-provider', 'capacityProviderStrategies', bases.map((s) => s.capacityProvider).join(', '),
      'only one capacity provider of a strategy may have a base.', 'keep `base` on one provider (usually FARGATE).');
  }
  const names = strategies.map((s) => s.capacityProvider);
  if (new Set(names).size !== names.length) {
    problems.add('capacity-provider', 'capacityProviderStrategies', names.join(', '), 'a capacity provider appears twice.', 'list each provider once.');
  }
  if (strategies.length > 0 && strategies.every((s) => known(s.weight) && s.weight === 0)) {
    problems.add('capacity-provider', 'capacityProviderStrategies', names.join(', '),
      'every weight is 0, so ECS places no task beyond the base.', 'give at least one provider a weight, e.g. 1.');
  }
}

function checkTaskOptions(problems: Problems, props: ConnectedFargateServiceProps): void {
  const storage = props.ephemeralStorageGiB;
  if (known(storage) && !(whole(storage) && storage >= 21 && storage <= 200)) {
    problems.add('task-option-range', 'ephemeralStorageGiB', storage,
      'Fargate ephemeral storage is a whole number of GiB from 21 to 200 (20 is the default, given by leaving it unset).', 'use e.g. 50.');
  }
  const stop = props.stopTimeout;
  if (stop && !stop.isUnresolved()) {
    const seconds = stop.toMilliseconds() / 1000;
    if (!(whole(seconds) && seconds >= 0 && seconds <= 120)) {
      problems.add('task-option-range', 'stopTimeout', stop.toHumanString(),
        'a Fargate stop timeout is whole seconds from 0 to 120.', 'use e.g. Duration.seconds(60).');
    }
  }
  const grace = props.healthCheckGracePeriod;
  if (grace && !grace.isUnresolved()) {
    const seconds = grace.toMilliseconds() / 1000;
    if (!(whole(seconds) && seconds >= 0 && seconds <= 2147483647)) {
      problems.add('task-option-range', 'healthCheckGracePeriod', grace.toHumanString(), 'a health check grace period is whole seconds.', 'use e.g. Duration.seconds(60).');
    }
  }
}

function checkSidecars(problems: Problems, props: ConnectedFargateServiceProps): void {
  const sidecars = props.sidecars ?? [];
  const tracing = tracingOf(props);
  const tracingContainer = tracing?.kind === TracingSidecarKind.XRAY_DAEMON ? XRAY_DAEMON.containerName : OTEL_COLLECTOR.containerName;
  const tracingName = tracing === undefined ? [] : [tracingContainer];
  const taken = new Set([props.containerName ?? 'app', ...tracingName]);
  sidecars.forEach((sidecar, i) => {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(String(sidecar.name)) || taken.has(sidecar.name)) {
      problems.add('sidecar-invalid', `sidecars[${i}].name`, sidecar.name,
        `a container name is 1-255 letters, digits, \`_\` and \`-\`, unique in the task (taken: ${[...taken].join(', ')}).`,
        'use another name, e.g. "log-router".');
    }
    taken.add(sidecar.name);
    for (const [field, value] of [['cpu', sidecar.cpu], ['memoryMiB', sidecar.memoryMiB]] as const) {
      if (!known(value)) continue;
      if (!(whole(value) && value > (field === 'cpu' ? -1 : 5))) {
        problems.add('sidecar-invalid', `sidecars[${i}].${field}`, value,
          field === 'cpu' ? 'CPU units are a whole number, 0 or more.' : 'a memory limit is a whole number of MiB, at least 6.',
          field === 'cpu' ? 'use e.g. 64.' : 'use e.g. 128.');
      }
    }
  });
  const sizing = props.sizing;
  const demand = sidecarDemand(props);
  if (sidecars.length > 0 && sizing && (sizing.sidecarCpu < demand.cpu || sizing.sidecarMemoryMiB < demand.memoryMiB)) {
    problems.add('sidecar-invalid', 'sizing', sizing.toString(),
      `the sidecars need ${demand.cpu} CPU units and ${demand.memoryMiB} MiB inside the task, but the sizing reserves ` +
      `${sizing.sidecarCpu} CPU units and ${sizing.sidecarMemoryMiB} MiB for sidecars.`,
      `add \`sidecarCpu: ${demand.cpu}, sidecarMemoryMiB: ${demand.memoryMiB}\` to EnvoySizing.forApp()/forTask(), or leave \`sizing\` unset.`);
  }
}

function checkAutoScaling(problems: Problems, props: ConnectedFargateServiceProps, endpoints: ServiceConnectEndpoint[]): void {
  const scaling = props.autoScaling;
  if (!scaling) return;
  const { minCapacity: min, maxCapacity: max } = scaling;
  if (known(min) && !(whole(min) && min >= 0)) {
    problems.add('autoscaling-range', 'autoScaling.minCapacity', min, 'the least capacity is a whole number of tasks, 0 or more.', 'use e.g. 2.');
  }
  if (known(max) && !(whole(max) && max >= 1 && (!known(min) || max >= min))) {
    problems.add('autoscaling-range', 'autoScaling.maxCapacity', max,
      `the most capacity is a whole number of tasks, at least 1 and at least minCapacity (${min}).`, `use e.g. ${Math.max(2, (known(min) ? min : 0) * 2)}.`);
  }
  const cpu = scaling.targetCpuUtilizationPercent;
  if (known(cpu) && !(cpu > 0 && cpu <= 100)) {
    problems.add('autoscaling-range', 'autoScaling.targetCpuUtilizationPercent', cpu, 'a CPU utilization target is above 0 and at most 100 %.', 'use e.g. 70.');
  }
  const requests = scaling.targetRequestsPerTaskPerMinute;
  if (known(requests) && !(requests > 0)) {
    problems.add('autoscaling-range', 'autoScaling.targetRequestsPerTaskPerMinute', requests, 'a request target is above 0.', 'use e.g. 1000.');
  }
  const count = props.desiredCount;
  if (known(count) && known(min) && known(max) && (count < min || count > max)) {
    problems.add('autoscaling-range', 'desiredCount', count,
      `the desired count is outside autoScaling's ${min}-${max}; auto scaling would move it at once.`, 'leave desiredCount unset (it starts at minCapacity).');
  }
  if (requests !== undefined && !publishesRequests(endpoints[0])) {
    problems.add('autoscaling-requests-protocol', 'autoScaling.targetRequestsPerTaskPerMinute', requests,
      endpoints.length === 0
        ? 'the service is client-only: no caller sends it requests, so RequestCountPerTarget stays empty.'
        : `the first port ${JSON.stringify(endpoints[0].portName)} is TCP, for which Service Connect publishes no request metrics.`,
      'track CPU (`targetCpuUtilizationPercent`) instead, or put an HTTP, HTTP2 or GRPC port first.');
  }
}
