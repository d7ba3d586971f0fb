import { Token } from 'aws-cdk-lib';

/**
 * The formats AWS accepts for names, ports and ARNs, shared by the construct checks, the
 * namespace-wide rules and the migration converters. Unresolved tokens pass every check here:
 * they can only be checked at deployment.
 */

/** A whole number >= 1 (tokens are accepted: they are checked by CloudFormation). */
export function isPositiveInteger(n: number): boolean {
  return Token.isUnresolved(n) || (Number.isInteger(n) && n >= 1);
}

/** The form of a Cloud Map namespace ARN. */
export const NAMESPACE_ARN = /^arn:aws[a-z-]*:servicediscovery:[a-z0-9-]+:\d{12}:namespace\/ns-[a-z0-9]+$/;

/** An ECS service name: 1-255 letters, digits, `_` and `-`. */
export const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** An environment variable name that `connectTo` generates or that the library accepts. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The largest Service Connect timeout, in seconds. */
export const MAX_TIMEOUT_SECONDS = 2147483647;

const NAME_64 = /^[a-z0-9_][a-z0-9_-]{0,63}$/;

/** Port-mapping and discovery-name format: 1-64 of `[a-z0-9_-]`, not starting with `-`. */
export function isValidServiceConnectName(name: string): boolean {
  return Token.isUnresolved(name) || NAME_64.test(name);
}

/** Client-alias DNS name format. */
export function isValidDnsName(name: string): boolean {
  if (Token.isUnresolved(name)) return true;
  if (name.length < 1 || name.length > 127 || name.startsWith('-')) return false;
  if (!/^[a-z0-9_.-]+$/.test(name)) return false;
  return name.split('.').every((label) => label.length >= 1 && label.length <= 63);
}

/** A TCP/UDP port number. */
export function isValidPort(port: number): boolean {
  return Token.isUnresolved(port) || (Number.isInteger(port) && port >= 1 && port <= 65535);
}

/** A suggestion for a name that breaks the `[a-z0-9_-]` rule. */
export function suggestName(name: string, maxLength = 64): string {
  const s = String(name).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+/, '').slice(0, maxLength).replace(/-+$/, '');
  return s.length > 0 ? s : 'app';
}
