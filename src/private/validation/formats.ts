import { Token } from 'aws-cdk-lib';
import type { Duration } from 'aws-cdk-lib';

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

/**
 * An environment variable name ECS passes to a container: any non-empty name without `=` or a
 * NUL character (ECS sets no pattern; `spring.profiles.active` and `my-var` are legal).
 */
export const ENV_NAME = /^[^=\0]+$/;

/** An ECS container or cluster name: 1-255 letters, digits, `_` and `-`. */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * An HTTP header name (RFC 9110 token): letters, digits and ``!#$%&'*+-.^_`|~``. Header names
 * are case-insensitive, so `X-Canary-Request` and `x-canary-request` are the same header.
 */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Cloud Map's limit of instances per service (not adjustable); each task is one instance. */
export const MAX_INSTANCES_PER_SERVICE = 1000;

/** The account of a Cloud Map namespace ARN, `undefined` when the ARN is a token or malformed. */
export function accountOfNamespaceArn(arn: string | undefined): string | undefined {
  if (arn === undefined || Token.isUnresolved(arn)) return undefined;
  const m = NAMESPACE_ARN.exec(arn);
  return m ? arn.split(':')[4] : undefined;
}

/** Whether a string looks like an ARN (someone passed an ARN where a name belongs). */
export function looksLikeArn(value: string): boolean {
  return !Token.isUnresolved(value) && /^arn:/.test(value);
}

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

/**
 * A timeout in whole seconds as CloudFormation gets it: a number, a token in seconds, or
 * `undefined` when a token of another unit cannot be converted.
 */
export function timeoutSeconds(value: Duration): number | undefined {
  return convertible(() => value.toSeconds({ integral: false }));
}

/** The result of a Duration conversion, `undefined` when a token cannot be converted. */
export function convertible(convert: () => number): number | undefined {
  try {
    return convert();
  } catch {
    return undefined;
  }
}

/**
 * A description EC2 accepts for a security group or one of its rules (at most 255 characters of
 * letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`): construct paths may hold other characters
 * (`Bestellungen-Ü`) or be longer, which EC2 would reject at deployment. Other characters become
 * `_`; a long text keeps its start and end.
 */
export function ec2Description(text: string): string {
  if (Token.isUnresolved(text)) return text;
  const clean = text.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, '_');
  return clean.length <= 255 ? clean : `${clean.slice(0, 100)}...${clean.slice(clean.length - 152)}`;
}
