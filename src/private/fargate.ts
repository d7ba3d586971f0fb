import type { FargateTaskSize } from '../sizing';

/**
 * Fargate's task sizes (Linux) and prices, and AWS's proxy guidance: the tables `EnvoySizing`
 * chooses from. Prices are us-east-1 on-demand Linux, x86 and ARM64 (they only rank sizes, never bill).
 */

export const BASE_PROXY_CPU = 256;
export const HIGH_TRAFFIC_PROXY_CPU = 512;
export const HIGH_TRAFFIC_RPS = 500;
export const BASE_PROXY_MEMORY_MIB = 64;
export const LARGE_NAMESPACE_EXTRA_MEMORY_MIB = 128;

export const VCPU_HOUR_USD = 0.04048;
export const GB_HOUR_USD = 0.004445;
export const ARM64_VCPU_HOUR_USD = 0.03238;
export const ARM64_GB_HOUR_USD = 0.00356;

/** The us-east-1 on-demand Linux prices of an architecture (x86 unless `arm64`). */
export function fargatePrices(arm64: boolean): { vcpuHourUsd: number; gbHourUsd: number } {
  return arm64 ? { vcpuHourUsd: ARM64_VCPU_HOUR_USD, gbHourUsd: ARM64_GB_HOUR_USD } : { vcpuHourUsd: VCPU_HOUR_USD, gbHourUsd: GB_HOUR_USD };
}

/** CPU value → the valid memory values (MiB) of Fargate Linux tasks. */
export const MEMORY_BY_CPU: ReadonlyArray<{ cpu: number; memory: number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

export const FARGATE_TASK_SIZES: ReadonlyArray<FargateTaskSize> = MEMORY_BY_CPU.flatMap((row) =>
  row.memory.map((memoryMiB) => ({ cpu: row.cpu, memoryMiB })));

export const MAX_SIZE = FARGATE_TASK_SIZES[FARGATE_TASK_SIZES.length - 1];

export function checkSidecars(cpu: number, memoryMiB: number): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(cpu) || cpu < 0) problems.push(`sidecarCpu must be a whole number >= 0, got ${cpu}`);
  if (!Number.isInteger(memoryMiB) || memoryMiB < 0) problems.push(`sidecarMemoryMiB must be a whole number >= 0, got ${memoryMiB}`);
  return problems;
}

export function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Comparable integer cost: proportional to the hourly price of the architecture, free of floating-point ties. */
export function costKey(cpu: number, memoryMiB: number, arm64 = false): number {
  // x86: 0.04048 $/vCPU-h : 0.004445 $/GB-h = 8096 : 889 (both scaled by 200,000).
  // ARM64: 0.03238 $/vCPU-h : 0.00356 $/GB-h = 3238 : 356 (both scaled by 100,000).
  return arm64 ? cpu * 3238 + memoryMiB * 356 : cpu * 8096 + memoryMiB * 889;
}

export function cheapestTaskSize(cpu: number, memoryMiB: number, arm64 = false): FargateTaskSize | undefined {
  let best: FargateTaskSize | undefined;
  for (const size of FARGATE_TASK_SIZES) {
    if (size.cpu < cpu || size.memoryMiB < memoryMiB) continue;
    if (!best || costKey(size.cpu, size.memoryMiB, arm64) < costKey(best.cpu, best.memoryMiB, arm64)) {
      best = size;
    }
  }
  return best;
}

/** Whether `cpu`/`memoryMiB` is a valid Fargate Linux task size. */
export function isValidFargateSize(cpu: number, memoryMiB: number): boolean {
  return MEMORY_BY_CPU.some((row) => row.cpu === cpu && row.memory.includes(memoryMiB));
}

export function describeMemoryChoices(cpu: number): string {
  const row = MEMORY_BY_CPU.find((r) => r.cpu === cpu);
  if (!row) {
    return `task CPU must be one of ${MEMORY_BY_CPU.map((r) => r.cpu).join(', ')}`;
  }
  const m = row.memory;
  const step = m.length > 1 ? m[1] - m[0] : 0;
  return m.length <= 3
    ? `with ${cpu} CPU units, memory must be one of ${m.join(', ')} MiB`
    : `with ${cpu} CPU units, memory must be ${m[0]}-${m[m.length - 1]} MiB in steps of ${step}`;
}
