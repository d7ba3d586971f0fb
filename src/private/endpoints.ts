import { Tokenization } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IConnectedService } from '../connected-service';
import { ServiceConnectProtocol } from '../ports';
import type { ServiceConnectEndpoint, ServiceConnectPortOptions } from '../ports';
import { constructKind, Problems } from './validation/problems';
import type { ErrorRuleId } from './validation/rules';

/**
 * How a port's defaults are worked out, and what each protocol means for the port mapping, the
 * URL and the metrics. Shared by the services, the checks and the migration converters.
 */

/** The `appProtocol` of a port mapping, `undefined` for TCP. */
export function appProtocolOf(protocol: ServiceConnectProtocol): ecs.AppProtocol | undefined {
  switch (protocol) {
    case ServiceConnectProtocol.HTTP: return ecs.AppProtocol.http;
    case ServiceConnectProtocol.HTTP2: return ecs.AppProtocol.http2;
    case ServiceConnectProtocol.GRPC: return ecs.AppProtocol.grpc;
    default: return undefined;
  }
}

/** The URL scheme for a protocol. */
export function schemeOf(protocol: ServiceConnectProtocol): string {
  return protocol === ServiceConnectProtocol.TCP ? 'tcp' : 'http';
}

/** Work out every default of a port. */
export function resolveEndpoint(port: ServiceConnectPortOptions, index: number, serviceName?: string): ServiceConnectEndpoint {
  const protocol = port.protocol ?? ServiceConnectProtocol.HTTP;
  const discoveryName = port.discoveryName ?? (index === 0 && serviceName !== undefined ? serviceName : port.name);
  const dnsName = port.dnsName ?? discoveryName;
  const clientPort = port.clientPort ?? port.containerPort;
  return {
    portName: port.name,
    containerPort: port.containerPort,
    protocol,
    discoveryName,
    dnsName,
    clientPort,
    listenerPort: port.ingressPortOverride ?? port.containerPort,
    url: urlOf(protocol, dnsName, clientPort),
  };
}

/** `http://<dnsName>:<clientPort>`; a token port stays a token (never its number form). */
export function urlOf(protocol: ServiceConnectProtocol, dnsName: string, clientPort: number): string {
  return `${schemeOf(protocol)}://${dnsName}:${Tokenization.stringifyNumber(clientPort)}`;
}

/** The environment variable `connectTo` sets by default: `payments` → `PAYMENTS_URL`. */
export function urlVariableFor(dnsName: string): string {
  const base = dnsName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return `${/^[0-9]/.test(base) ? '_' : ''}${base}_URL`;
}

/**
 * A port of a service by name (the first when `portName` is undefined), or an error with the
 * rule, the caller and the ports there are.
 */
export function findEndpoint(service: IConnectedService, portName: string | undefined, rule: ErrorRuleId, caller: string,
  kind = constructKind(service)): ServiceConnectEndpoint {
  const endpoint = portName === undefined ? service.endpoints[0] : service.endpoints.find((e) => e.portName === portName);
  if (!endpoint) {
    const problems = new Problems(service, kind);
    problems.add(rule, `${caller}(portName)`, portName,
      service.clientOnly ? 'this service is client-only: it offers no port.' : 'the service has no port of that name.',
      service.clientOnly ? 'give the service `ports`, or do not ask it for a port.' :
        `use one of ${service.endpoints.map((e) => JSON.stringify(e.portName)).join(', ')}.`);
    problems.throwIfAny();
  }
  return endpoint!;
}
