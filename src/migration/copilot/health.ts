import type { MigratedHealthCheck } from '../types';
import { asArray, isObject, num } from '../util';

/** Copilot's defaults for a container health check (manifest.NewDefaultContainerHealthCheck). */
const DEFAULTS = { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 10, retries: 2, timeout: 5, startPeriod: 0 };

/** The ranges ECS and aws-cdk-lib accept (aws-cdk-lib throws at synth outside them). */
const RANGES = { interval: [5, 300], timeout: [2, 120], retries: [1, 10], startPeriod: [0, 300] } as const;

/** Copilot durations: `10s`, `1m30s`, `2m`, `500ms`, or a number of seconds. */
export function seconds(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  const m = typeof v === 'string' ? /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(v.trim()) : null;
  if (!m || v === '' || m.slice(1).every((x) => x === undefined)) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 1000;
}

/**
 * The container health check Copilot rendered for `image.healthcheck` (its defaults fill the
 * fields the manifest leaves out), brought into the ranges aws-cdk-lib accepts. Each change is
 * returned as a sentence for a finding.
 */
export function containerHealthCheck(hc: unknown): { healthCheck?: MigratedHealthCheck; adjustments: string[] } {
  if (!isObject(hc)) return { adjustments: [] };
  const command = typeof hc.command === 'string' ? ['CMD-SHELL', hc.command]
    : asArray(hc.command).length > 0 ? asArray(hc.command).map(String) : DEFAULTS.command;
  // ["NONE"] turns off the image's HEALTHCHECK: no container health check.
  if (command.length === 1 && command[0] === 'NONE') return { adjustments: [] };
  const adjustments: string[] = [];
  const value = (field: keyof typeof RANGES, raw: unknown, fallback: number, label: string): number => {
    const given = field === 'retries' ? num(raw) : seconds(raw);
    let v = given ?? fallback;
    const [lo, hi] = RANGES[field];
    const rounded = Math.round(v);
    if (rounded !== v) {
      adjustments.push(`${label} ${v} rounded to ${rounded}`);
      v = rounded;
    }
    if (v < lo || v > hi) {
      const clamped = Math.min(hi, Math.max(lo, v));
      adjustments.push(`${label} ${v} is outside ${lo}-${hi}${field === 'retries' ? '' : ' seconds'}: ${clamped}`);
      v = clamped;
    }
    return v;
  };
  const intervalSeconds = value('interval', hc.interval, DEFAULTS.interval, 'interval');
  let timeoutSeconds = value('timeout', hc.timeout, DEFAULTS.timeout, 'timeout');
  if (timeoutSeconds >= intervalSeconds) {
    const t = Math.max(RANGES.timeout[0], intervalSeconds - 1);
    adjustments.push(`timeout ${timeoutSeconds} s is not shorter than the interval (${intervalSeconds} s): ${t}`);
    timeoutSeconds = t;
  }
  return {
    healthCheck: {
      command,
      intervalSeconds,
      timeoutSeconds,
      retries: value('retries', hc.retries, DEFAULTS.retries, 'retries'),
      startPeriodSeconds: value('startPeriod', hc.start_period, DEFAULTS.startPeriod, 'start_period'),
    },
    adjustments,
  };
}
