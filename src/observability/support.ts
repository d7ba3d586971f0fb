import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ServiceConnectProtocol } from '../ports';
import { ServiceConnectValidationError, show } from '../validation/core';

// Which Service Connect metrics a port publishes depends on its application protocol:
// HTTP status code counts need appProtocol http/http2 (gRPC reports failures in grpc-status,
// mostly behind HTTP 200), request and response-time metrics need an application protocol,
// and TCP ports publish connection and byte metrics only.

/** Whether a port of this protocol publishes `HTTPCode_Target_*_Count`. */
export function publishesHttpCodes(protocol: ServiceConnectProtocol): boolean {
  return protocol === ServiceConnectProtocol.HTTP || protocol === ServiceConnectProtocol.HTTP2;
}

/** Whether a port of this protocol publishes `RequestCount` and `TargetResponseTime`. */
export function publishesRequestMetrics(protocol: ServiceConnectProtocol): boolean {
  return protocol !== ServiceConnectProtocol.TCP;
}

/**
 * Collects the problems of one observability construct and throws them together, in the same
 * format as the rest of the library (`<Kind> '<path>' has N invalid settings: ...`).
 */
export class ObservabilityProblems {
  private readonly lines: string[] = [];

  constructor(private readonly scope: IConstruct, private readonly kind: string) {}

  /** Record a problem under a rule id. */
  public add(rule: string, field: string, value: unknown, detail: string, fix: string): void {
    this.lines.push(`[${rule}] ${field} = ${show(value)}: ${detail} Fix: ${fix}`);
  }

  /** Throw one error naming every recorded problem; do nothing when there is none. */
  public throwIfAny(): void {
    const n = this.lines.length;
    if (n === 0) return;
    const message = `${this.kind} '${this.scope.node.path}' has ${n} invalid setting${n === 1 ? '' : 's'}:\n` +
      this.lines.map((l) => `  - ${l}`).join('\n');
    throw new ServiceConnectValidationError(message, [...this.lines]);
  }
}

/** An acknowledgeable warning, in the format of the library's other warnings. */
export function observabilityWarning(scope: IConstruct, rule: string, message: string): void {
  Annotations.of(scope).addWarningV2(`cdk-service-connect:${rule}`,
    `${message} (acknowledge with Annotations.of(scope).acknowledgeWarning('cdk-service-connect:${rule}'))`);
}
