import type { Duration } from 'aws-cdk-lib';
import type { TestTrafficHeader } from './deployment';

/**
 * The application protocol of a Service Connect port. It decides the proxy's load balancing and
 * which metrics are published; it is immutable once the service exists (changing it replaces
 * the service).
 */
export enum ServiceConnectProtocol {
  /** HTTP/1.1: request metrics and HTTP status code counts. */
  HTTP = 'http',
  /** HTTP/2: request metrics and HTTP status code counts. */
  HTTP2 = 'http2',
  /** gRPC: request metrics and `GrpcRequestCount`. */
  GRPC = 'grpc',
  /** Plain TCP: connection and byte metrics only; no `appProtocol` on the port mapping. */
  TCP = 'tcp',
}

/**
 * A port of the application that the service offers through Service Connect.
 */
export interface ServiceConnectPortOptions {
  /**
   * The port mapping name, e.g. `orders-http`: 1-64 lowercase letters, digits, `_` or `-`,
   * not starting with `-`; unique within the service.
   */
  readonly name: string;

  /** The port the application container listens on (1-65535). */
  readonly containerPort: number;

  /**
   * The application protocol.
   *
   * @default ServiceConnectProtocol.HTTP
   */
  readonly protocol?: ServiceConnectProtocol;

  /**
   * The name of the Cloud Map service that ECS creates for this port; unique in the namespace,
   * 1-64 lowercase letters, digits, `_` or `-`, not starting with `-`.
   *
   * @default - the service's `serviceName` for the first port when `serviceName` is set; otherwise the port `name`
   */
  readonly discoveryName?: string;

  /**
   * The short name clients dial (`http://<dnsName>:<clientPort>`): a DNS name of at most 127
   * characters of lowercase letters, digits, `_`, `-` and `.`.
   *
   * @default - the `discoveryName`
   */
  readonly dnsName?: string;

  /**
   * The port clients dial; the client-side proxy listens on it inside every task of the namespace.
   *
   * @default - the `containerPort`
   */
  readonly clientPort?: number;

  /**
   * The port the server-side proxy listens on for traffic to this service, instead of `containerPort`.
   * Security-group rules between peers open this port.
   *
   * @default - the proxy listens on `containerPort`
   */
  readonly ingressPortOverride?: number;

  /**
   * How long a connection may stay idle (whole seconds; `Duration.seconds(0)` disables it).
   *
   * @default - Service Connect's default: 5 minutes for HTTP/HTTP2/GRPC, 1 hour for TCP
   */
  readonly idleTimeout?: Duration;

  /**
   * How long the proxy waits for a complete response to one request (whole seconds;
   * `Duration.seconds(0)` disables it). Not allowed with `ServiceConnectProtocol.TCP`.
   *
   * @default - Service Connect's default (15 seconds)
   */
  readonly perRequestTimeout?: Duration;

  /**
   * During a blue/green, linear or canary deployment, requests with this header go to the new
   * revision before it gets production traffic (`TestTrafficRules` of the client alias).
   * HTTP, HTTP/2 and gRPC ports only.
   *
   * @default - Service Connect's own test header, `x-amzn-ecs-blue-green-test`, on HTTP ports
   */
  readonly testTrafficHeader?: TestTrafficHeader;
}

/**
 * A port of a `ConnectedFargateService` with every default worked out.
 */
export interface ServiceConnectEndpoint {
  /** The port mapping name. */
  readonly portName: string;
  /** The container port. */
  readonly containerPort: number;
  /** The application protocol. */
  readonly protocol: ServiceConnectProtocol;
  /** The Cloud Map discovery name. */
  readonly discoveryName: string;
  /** The client alias DNS name. */
  readonly dnsName: string;
  /** The client alias port. */
  readonly clientPort: number;
  /** The port the server-side proxy listens on: the ingress override, or else the container port. */
  readonly listenerPort: number;
  /** The URL clients use: `http://<dnsName>:<clientPort>` (`tcp://` for TCP ports). */
  readonly url: string;
}
