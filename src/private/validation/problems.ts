import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ErrorRuleId, WarningRuleId } from './rules';

/**
 * How problems are reported: errors are collected per construct and thrown together; warnings
 * are acknowledgeable annotations (`cdk-service-connect:<id>`). Each line names the offending
 * field and value, what is wrong, and the fix.
 */

/** Thrown for invalid input; the message lists every problem found. */
export class ServiceConnectValidationError extends Error {
  public readonly problems: string[];
  constructor(message: string, problems: string[]) {
    super(message);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/** One problem as a line: `[rule] field = value: detail Fix: fix`. */
export function formatProblem(rule: ErrorRuleId, field: string, value: unknown, detail: string, fix: string): string {
  return `[${rule}] ${field} = ${show(value)}: ${detail} Fix: ${fix}`;
}

/**
 * Collects the problems of one construct so that they are all reported in one error.
 */
export class Problems {
  private readonly lines: string[] = [];

  /**
   * @param scope the construct whose props are checked (its path goes in the message)
   * @param kind the construct's class name
   */
  constructor(private readonly scope: IConstruct, private readonly kind: string) {}

  /**
   * Record a problem.
   *
   * @param rule the rule broken
   * @param field where the bad value is (`ports[0].name`)
   * @param value the bad value
   * @param detail what is wrong with it
   * @param fix how to fix it
   */
  public add(rule: ErrorRuleId, field: string, value: unknown, detail: string, fix: string): void {
    this.lines.push(formatProblem(rule, field, value, detail, fix));
  }

  /** Whether any problem was recorded. */
  public get any(): boolean {
    return this.lines.length > 0;
  }

  /** Throw one error naming every recorded problem; do nothing when there is none. */
  public throwIfAny(): void {
    if (this.lines.length === 0) return;
    const n = this.lines.length;
    const message = `${this.kind} '${this.scope.node.path}' has ${n} invalid setting${n === 1 ? '' : 's'}:\n` +
      this.lines.map((l) => `  - ${l}`).join('\n');
    throw new ServiceConnectValidationError(message, [...this.lines]);
  }
}

/** Add an acknowledgeable warning for a risky-but-legal choice. */
export function warn(scope: IConstruct, rule: WarningRuleId, message: string): void {
  Annotations.of(scope).addWarningV2(`cdk-service-connect:${rule}`,
    `${message} (acknowledge with Annotations.of(scope).acknowledgeWarning('cdk-service-connect:${rule}'))`);
}

/** Throw at once (for value classes, which have no construct path). */
export function failFast(rule: ErrorRuleId, message: string): never {
  const line = `[${rule}] ${message}`;
  throw new ServiceConnectValidationError(line, [line]);
}

/** Render a value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null && 'toHumanString' in value) {
    return String((value as { toHumanString(): string }).toHumanString());
  }
  return String(value);
}

/** The class name of a construct for error messages (`ConnectedFargateService`, `ConnectedEc2Service`, …). */
export function constructKind(scope: IConstruct): string {
  return scope.constructor.name;
}
