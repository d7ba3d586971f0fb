import { Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { isValidPort } from './formats';
import { Problems } from './problems';
import { validateServiceCluster } from './service-props';
import type { ServiceConnectIngressProps, ServiceConnectRouteOptions } from '../../ingress';
import type { ConnectedFargateService } from '../../service';

const KIND = 'ServiceConnectIngress';
const priorities = new WeakMap<Construct, Set<number>>();

/** Checks the props of a `ServiceConnectIngress`. */
export function validateIngressProps(scope: Construct, props: ServiceConnectIngressProps): void {
  validateServiceCluster(scope, props?.cluster);
}

/** Checks one `addRoute()` call. */
export function validateRoute(scope: Construct, service: ConnectedFargateService, options: ServiceConnectRouteOptions): void {
  const problems = new Problems(scope, KIND);
  const call = `addRoute(${service?.node?.path})`;
  const port = options?.containerPort;
  if (port === undefined || !isValidPort(port)) {
    problems.add('ingress-route', `${call}.containerPort`, port, 'the route needs the container port of the app that serves it (1-65535).',
      'pass e.g. `containerPort: 8080`.');
  }
  const priority = options?.priority;
  const taken = priorities.get(scope) ?? new Set<number>();
  priorities.set(scope, taken);
  if (priority !== undefined && !Token.isUnresolved(priority)) {
    if (!(Number.isInteger(priority) && priority >= 1 && priority <= 50000)) {
      problems.add('ingress-route', `${call}.priority`, priority, 'a listener rule priority is a whole number from 1 to 50000.', 'use e.g. 100, or leave it unset.');
    } else if (taken.has(priority)) {
      problems.add('ingress-route', `${call}.priority`, priority, 'another route of this load balancer has the same priority.', 'give each route its own priority, or leave it unset.');
    }
    taken.add(priority);
  }
  for (const [field, values] of [['pathPatterns', options?.pathPatterns], ['hostHeaders', options?.hostHeaders]] as const) {
    if (values !== undefined && (values.length === 0 || values.length > 5)) {
      problems.add('ingress-route', `${call}.${field}`, values.join(', '),
        'a listener condition has 1 to 5 values.', `leave ${field} unset to match everything, or split the route.`);
    }
  }
  problems.throwIfAny();
}
