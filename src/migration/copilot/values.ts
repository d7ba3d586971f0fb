import { parseValueFrom } from '../secrets';
import type { MigratedSecret } from '../types';
import { MigratedSecretSource } from '../types';
import { asArray, isObject } from '../util';

/** `command` as Copilot reads it: a list, or a string split on spaces as its shell-words parser does. */
export function commandLine(v: unknown): string[] | undefined {
  if (typeof v === 'string') {
    const words = [...v.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((x) => x[1] ?? x[2] ?? x[3]);
    return words.length > 0 ? words : undefined;
  }
  const list = asArray(v).map(String);
  return list.length > 0 ? list : undefined;
}

/** Whether a variable value names a host: `http://api:8080/x`, `api:8080`, `http://api`. */
export function mentions(value: string, host: string, port: number): boolean {
  const h = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[/@\\s,=])${h}(:${port})?([/\\s,?#]|$)`).test(value) && (value.includes('://') || value.includes(`${host}:${port}`));
}

/** A Copilot secret: an SSM parameter name or ARN, a Secrets Manager ARN, or `{ secretsmanager: name[:key::] }`. */
export function copilotSecret(name: string, v: unknown): MigratedSecret | undefined {
  if (typeof v === 'string') return parseValueFrom(name, v);
  if (isObject(v) && typeof v.secretsmanager === 'string' && !v.secretsmanager.includes('${')) {
    const [secretName, jsonKey] = v.secretsmanager.startsWith('arn:')
      ? [v.secretsmanager.split(':').slice(0, 7).join(':'), v.secretsmanager.split(':')[7]]
      : v.secretsmanager.split(':');
    return { name, source: MigratedSecretSource.SECRETS_MANAGER, reference: secretName, jsonField: jsonKey || undefined };
  }
  return undefined;
}
