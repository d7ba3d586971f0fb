import type { ServiceConnectProtocol } from '../ports';
import { schemeOf } from '../private/endpoints';

/** The URL clients of a migrated port dial: `<scheme>://<dnsName>:<clientPort>`, as the library's `endpointUrl()` builds it. */
export function endpointUrl(port: { readonly protocol: ServiceConnectProtocol; readonly dnsName: string; readonly clientPort: number }): string {
  return `${schemeOf(port.protocol)}://${port.dnsName}:${port.clientPort}`;
}

/**
 * Thrown for input the migration tools cannot convert (unreadable, not the expected kind of
 * file, or a shape they do not support). The message is meant for the user as is.
 */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** A name in `[a-z0-9_-]` (Service Connect's port / discovery-name rule), at most `max` characters. */
export function slug(name: string, max = 64): string {
  const s = String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s.length > 0 ? s : 'app';
}

/** `payments-v1` → `PaymentsV1` (a construct id / class name). */
export function pascal(name: string): string {
  const words = String(name).split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const s = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  if (s.length === 0) return 'Service';
  return /^[0-9]/.test(s) ? `S${s}` : s;
}

/** `payments-v1` → `paymentsV1` (a variable name). */
export function camel(name: string): string {
  const p = pascal(name);
  const c = p[0].toLowerCase() + p.slice(1);
  return RESERVED.has(c) ? `${c}Service` : c;
}

const RESERVED = new Set([
  'app', 'stack', 'cluster', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete',
  'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
  'let', 'static', 'yield', 'await', 'interface', 'package', 'private', 'protected', 'public', 'implements', 'props',
  'scope', 'id', 'ecs', 'ssm', 'secretsmanager', 'require', 'module', 'exports', 'process',
]);

/** Make `base` unique against `taken` (adding `-2`, `-3`… or `2`, `3`…), and take it. */
export function uniqueName(base: string, taken: Set<string>, separator = '-'): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) {
    name = `${base}${separator}${i}`;
  }
  taken.add(name);
  return name;
}

/** Whole seconds from an App Mesh duration `{ Unit: 'ms' | 's', Value }`, rounded up. */
export function durationSeconds(d: unknown): number | undefined {
  if (!isObject(d)) return undefined;
  const value = Number(d.Value);
  if (!Number.isFinite(value) || value < 0) return undefined;
  const unit = String(d.Unit ?? 'ms').toLowerCase();
  return unit === 's' ? Math.ceil(value) : Math.ceil(value / 1000);
}

/** A plain object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` as an array (a single value becomes a one-element array; undefined an empty one). */
export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A string or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A finite number or undefined (numeric strings are accepted: CloudFormation writes `"512"`). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** Task CPU as CPU units: `512`, `"512"`, `"0.5 vCPU"`, `"1 vcpu"`. */
export function cpuUnits(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(v) : null;
  return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

/** Task memory in MiB: `1024`, `"1024"`, `"1 GB"`, `"0.5GB"`. */
export function memoryMiB(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(gb|gib|mb|mib)\s*$/i.exec(v) : null;
  if (!m) return undefined;
  return /^g/i.test(m[2]) ? Math.round(Number(m[1]) * 1024) : Math.round(Number(m[1]));
}

/** Plural helper: `plural(2, 'node')` → `2 nodes`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/**
 * Servers before their clients: the order to deploy services in. Services in a cycle come last,
 * in their original order.
 */
export function deploymentOrder(ids: string[], edges: Array<{ client: string; server: string }>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const id of ids) {
      if (done.has(id)) continue;
      const waitsFor = edges.filter((e) => e.client === id && e.server !== id && !done.has(e.server));
      if (waitsFor.length === 0) {
        order.push(id);
        done.add(id);
        progress = true;
      }
    }
  }
  for (const id of ids) {
    if (!done.has(id)) order.push(id);
  }
  return order;
}
