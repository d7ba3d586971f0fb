import { hasPlaceholder } from './intrinsics';
import { MigratedSecretSource } from './types';
import type { MigratedSecret } from './types';

/** A container secret's `ValueFrom`: a Secrets Manager ARN (with an optional JSON key), an SSM parameter ARN, or a parameter name. */
export function parseValueFrom(name: string, valueFrom: string): MigratedSecret | undefined {
  if (!name || !valueFrom || hasPlaceholder(valueFrom) || valueFrom.includes('${')) return undefined;
  const parts = valueFrom.split(':');
  if (valueFrom.startsWith('arn:') && parts[2] === 'secretsmanager') {
    const arn = parts.slice(0, 7).join(':');
    const jsonField = parts[7] ? parts[7] : undefined;
    return { name, source: MigratedSecretSource.SECRETS_MANAGER, reference: arn, jsonField };
  }
  if (valueFrom.startsWith('arn:') && parts[2] === 'ssm') {
    const rest = parts.slice(5).join(':').replace(/^parameter/, '');
    return { name, source: MigratedSecretSource.SSM_PARAMETER, reference: rest.startsWith('//') ? rest.slice(1) : rest.replace(/^\/(?=[^/]*$)/, '') };
  }
  return { name, source: MigratedSecretSource.SSM_PARAMETER, reference: valueFrom };
}
