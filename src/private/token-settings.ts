import { Token } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { ServiceConnectEndpoint, ServiceConnectPortOptions } from '../ports';
import { timeoutSeconds } from './validation/formats';

/**
 * Service Connect settings whose values are known only at deployment (tokens: a CfnParameter,
 * an imported value, another stack's attribute). aws-cdk-lib's L2 checks ports and timeouts as
 * numbers, where a token reads as a huge negative number; the library leaves those values out of
 * the L2 props and writes them into the template itself, unchanged.
 */

/** The value when it is known at synthesis, `undefined` when it is a token. */
export function concrete<T extends number>(value: T | undefined): T | undefined {
  return value === undefined || Token.isUnresolved(value) ? undefined : value;
}

/** Write the token ports and timeouts of each Service Connect service into the template. */
export function renderTokenSettings(service: ecs.BaseService, ports: readonly ServiceConnectPortOptions[],
  endpoints: readonly ServiceConnectEndpoint[]): void {
  const cfnService = service.node.defaultChild as ecs.CfnService;
  ports.forEach((port, i) => {
    const at = `ServiceConnectConfiguration.Services.${i}`;
    const clientPort = endpoints[i].clientPort;
    if (Token.isUnresolved(clientPort)) cfnService.addPropertyOverride(`${at}.ClientAliases.0.Port`, clientPort);
    if (port.ingressPortOverride !== undefined && Token.isUnresolved(port.ingressPortOverride)) {
      cfnService.addPropertyOverride(`${at}.IngressPortOverride`, port.ingressPortOverride);
    }
    for (const [key, value] of [['IdleTimeoutSeconds', port.idleTimeout], ['PerRequestTimeoutSeconds', port.perRequestTimeout]] as const) {
      // A token not in seconds never gets here: the checks ask for Duration.seconds(<token>).
      if (value?.isUnresolved()) cfnService.addPropertyOverride(`${at}.Timeout.${key}`, timeoutSeconds(value));
    }
  });
}
