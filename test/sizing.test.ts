import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import type { FargateTaskSize } from '../src';
import { EnvoySizing, ProxyBudget } from '../src';

// Independent of the implementation: the Fargate Linux table written out as AWS documents it.
function expectedTable(): FargateTaskSize[] {
  const rows: Array<[number, number[]]> = [
    [256, [512, 1024, 2048]],
    [512, [1024, 2048, 3072, 4096]],
    [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
    [2048, Array.from({ length: 13 }, (_, i) => 4096 + i * 1024)],
    [4096, Array.from({ length: 23 }, (_, i) => 8192 + i * 1024)],
    [8192, Array.from({ length: 12 }, (_, i) => 16384 + i * 4096)],
    [16384, Array.from({ length: 12 }, (_, i) => 32768 + i * 8192)],
  ];
  return rows.flatMap(([cpu, mems]) => mems.map((memoryMiB) => ({ cpu, memoryMiB })));
}

function price(s: FargateTaskSize): number {
  return (s.cpu / 1024) * 0.04048 + (s.memoryMiB / 1024) * 0.004445;
}

/** Brute force: every size that fits, cheapest by list price. */
function bruteForceCheapest(cpu: number, mem: number): FargateTaskSize | undefined {
  const fits = expectedTable().filter((s) => s.cpu >= cpu && s.memoryMiB >= mem);
  return fits.sort((a, b) => price(a) - price(b))[0];
}

describe('ProxyBudget', () => {
  test('recommended() is AWS guidance: 256 CPU units and 64 MiB', () => {
    const b = ProxyBudget.recommended();
    expect([b.cpu, b.memoryMiB]).toEqual([256, 64]);
  });

  test('recommended() doubles the CPU above 500 requests per second, not at 500', () => {
    expect(ProxyBudget.recommended({ peakRequestsPerSecond: 500 }).cpu).toBe(256);
    expect(ProxyBudget.recommended({ peakRequestsPerSecond: 501 }).cpu).toBe(512);
  });

  test('recommended() adds 128 MiB in a large namespace', () => {
    const b = ProxyBudget.recommended({ largeNamespace: true, peakRequestsPerSecond: 2000 });
    expect([b.cpu, b.memoryMiB]).toEqual([512, 192]);
  });

  test('recommended() rejects a negative request rate', () => {
    expect(() => ProxyBudget.recommended({ peakRequestsPerSecond: -1 })).toThrow(/peakRequestsPerSecond must be a number >= 0, got -1/);
  });

  test('of() keeps a custom budget and rejects non-positive or fractional values, naming both', () => {
    expect(ProxyBudget.of(128, 96)).toMatchObject({ cpu: 128, memoryMiB: 96 });
    expect(() => ProxyBudget.of(0, 64.5)).toThrow(/cpu must be a whole number of CPU units >= 1, got 0; memoryMiB must be a whole number of MiB >= 1, got 64.5/);
  });
});

describe('EnvoySizing table', () => {
  test('holds every Fargate Linux size, including 8 and 16 vCPU with their memory steps', () => {
    expect(EnvoySizing.fargateTaskSizes()).toEqual(expectedTable());
    expect(EnvoySizing.fargateTaskSizes()).toHaveLength(74);
  });

  test('prices a size at the us-east-1 list price', () => {
    expect(EnvoySizing.priceOf(1024, 2048)).toBeCloseTo(0.04048 + 2 * 0.004445, 10);
  });
});

describe('EnvoySizing.forApp', () => {
  test('default app (256 CPU / 512 MiB) gets a 512 / 1024 task with the proxy budget left over', () => {
    const s = EnvoySizing.forApp({ appCpu: 256, appMemoryMiB: 512 });
    expect(s).toMatchObject({ taskCpu: 512, taskMemoryMiB: 1024, appCpu: 256, appMemoryMiB: 512, proxyCpu: 256, proxyMemoryMiB: 512 });
    expect(s.toString()).toBe('task 512 CPU / 1024 MiB = app 256 / 512 + proxy 256 / 512');
  });

  test('the seed article app (412 / 900) does not fit a 512 task once the proxy gets its 256 CPU units', () => {
    const s = EnvoySizing.forApp({ appCpu: 412, appMemoryMiB: 900 });
    expect([s.taskCpu, s.taskMemoryMiB]).toEqual([1024, 2048]);
    expect([s.appCpu, s.appMemoryMiB]).toEqual([412, 900]);
  });

  test('picks 8 and 16 vCPU sizes for large apps', () => {
    expect(EnvoySizing.forApp({ appCpu: 6000, appMemoryMiB: 20000 })).toMatchObject({ taskCpu: 8192, taskMemoryMiB: 20480 });
    expect(EnvoySizing.forApp({ appCpu: 12000, appMemoryMiB: 100000 })).toMatchObject({ taskCpu: 16384, taskMemoryMiB: 106496 });
  });

  test('is the cheapest valid size over an exhaustive grid of app requests (brute force over the table)', () => {
    const budgets = [ProxyBudget.recommended(), ProxyBudget.recommended({ peakRequestsPerSecond: 1000, largeNamespace: true })];
    let checked = 0;
    for (const proxy of budgets) {
      for (let appCpu = 64; appCpu <= 16384; appCpu += 64) {
        for (let appMemoryMiB = 128; appMemoryMiB <= 122880; appMemoryMiB += appMemoryMiB < 8192 ? 256 : 2048) {
          const expected = bruteForceCheapest(appCpu + proxy.cpu, appMemoryMiB + proxy.memoryMiB);
          if (!expected) {
            expect(() => EnvoySizing.forApp({ appCpu, appMemoryMiB, proxy })).toThrow(/more than the largest Fargate task/);
          } else {
            const s = EnvoySizing.forApp({ appCpu, appMemoryMiB, proxy });
            if (s.taskCpu !== expected.cpu || s.taskMemoryMiB !== expected.memoryMiB) {
              throw new Error(`app ${appCpu}/${appMemoryMiB}: got ${s.taskCpu}/${s.taskMemoryMiB}, cheapest is ${expected.cpu}/${expected.memoryMiB}`);
            }
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(45056);
  });

  test('property: the result is valid, holds app + budget, and gives the app exactly what it asked for', () => {
    const table = expectedTable();
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 16000 }), fc.integer({ min: 1, max: 120000 }),
      fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 2048 }),
      (appCpu, appMemoryMiB, proxyCpu, proxyMem) => {
        const proxy = ProxyBudget.of(proxyCpu, proxyMem);
        const expected = bruteForceCheapest(appCpu + proxyCpu, appMemoryMiB + proxyMem);
        if (!expected) {
          expect(() => EnvoySizing.forApp({ appCpu, appMemoryMiB, proxy })).toThrow();
          return;
        }
        const s = EnvoySizing.forApp({ appCpu, appMemoryMiB, proxy });
        expect(table).toContainEqual({ cpu: s.taskCpu, memoryMiB: s.taskMemoryMiB });
        expect([s.appCpu, s.appMemoryMiB]).toEqual([appCpu, appMemoryMiB]);
        expect(s.proxyCpu).toBeGreaterThanOrEqual(proxyCpu);
        expect(s.proxyMemoryMiB).toBeGreaterThanOrEqual(proxyMem);
        expect(price({ cpu: s.taskCpu, memoryMiB: s.taskMemoryMiB })).toBeCloseTo(price(expected), 12);
      }), { numRuns: 2000 });
  });

  test('rejects non-positive and fractional requests, naming every bad value', () => {
    expect(() => EnvoySizing.forApp({ appCpu: 0, appMemoryMiB: 1.5 }))
      .toThrow(/appCpu must be a whole number of CPU units >= 1, got 0; appMemoryMiB must be a whole number of MiB >= 1, got 1.5/);
  });

  test('every sizing error carries the sizing-invalid rule id', () => {
    expect(() => EnvoySizing.forApp({ appCpu: -1, appMemoryMiB: 512 })).toThrow(/^\[sizing-invalid\] EnvoySizing\.forApp: /);
    expect(() => EnvoySizing.forTask({ taskCpu: 300, taskMemoryMiB: 512 })).toThrow(/^\[sizing-invalid\] EnvoySizing\.forTask: /);
    expect(() => ProxyBudget.of(0, 0)).toThrow(/^\[sizing-invalid\] ProxyBudget\.of: /);
    expect(() => EnvoySizing.forApp({ appCpu: 256, appMemoryMiB: 512, sidecarCpu: -32 })).toThrow(/\[sizing-invalid\].*sidecarCpu must be a whole number >= 0, got -32/);
  });

  test('rejects an app larger than the largest Fargate task', () => {
    expect(() => EnvoySizing.forApp({ appCpu: 16384, appMemoryMiB: 1024 }))
      .toThrow(/needs 16640 CPU units and 1088 MiB, more than the largest Fargate task \(16384 CPU units, 122880 MiB\)/);
  });
});

describe('EnvoySizing.forTask', () => {
  test('keeps the task size and gives the app the rest after the proxy budget', () => {
    expect(EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 1024 }))
      .toMatchObject({ taskCpu: 512, taskMemoryMiB: 1024, appCpu: 256, appMemoryMiB: 960, proxyCpu: 256, proxyMemoryMiB: 64 });
  });

  test('property: every valid size with room for the budget splits exactly', () => {
    for (const size of expectedTable()) {
      const proxy = ProxyBudget.recommended({ largeNamespace: true });
      if (size.cpu <= proxy.cpu) {
        expect(() => EnvoySizing.forTask({ taskCpu: size.cpu, taskMemoryMiB: size.memoryMiB, proxy })).toThrow(/leaves the app nothing/);
        continue;
      }
      const s = EnvoySizing.forTask({ taskCpu: size.cpu, taskMemoryMiB: size.memoryMiB, proxy });
      expect(s.appCpu + s.proxyCpu).toBe(size.cpu);
      expect(s.appMemoryMiB + s.proxyMemoryMiB).toBe(size.memoryMiB);
      expect([s.proxyCpu, s.proxyMemoryMiB]).toEqual([256, 192]);
    }
  });

  test('rejects an invalid Fargate combination and lists the valid memory for that CPU', () => {
    expect(() => EnvoySizing.forTask({ taskCpu: 256, taskMemoryMiB: 4096 }))
      .toThrow(/256 CPU units with 4096 MiB is not a valid Fargate task size. Rule: with 256 CPU units, memory must be one of 512, 1024, 2048 MiB/);
    expect(() => EnvoySizing.forTask({ taskCpu: 8192, taskMemoryMiB: 18000 }))
      .toThrow(/with 8192 CPU units, memory must be 16384-61440 MiB in steps of 4096/);
    expect(() => EnvoySizing.forTask({ taskCpu: 300, taskMemoryMiB: 1024 }))
      .toThrow(/task CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384/);
  });

  test('rejects a budget that leaves the app nothing', () => {
    expect(() => EnvoySizing.forTask({ taskCpu: 256, taskMemoryMiB: 512 }))
      .toThrow(/leaves the app nothing in a task of 256 CPU units and 512 MiB \(app would get 0 CPU units, 448 MiB\)/);
  });

  test('rejects fractional or non-positive task values', () => {
    expect(() => EnvoySizing.forTask({ taskCpu: -512, taskMemoryMiB: 1024 })).toThrow(/must be positive whole numbers, got -512 CPU units/);
  });
});

describe('EnvoySizing.forEc2App', () => {
  test('the task is exactly app + proxy budget + sidecars (no Fargate size table), at least 128 CPU units', () => {
    const sizing = EnvoySizing.forEc2App({ appCpu: 300, appMemoryMiB: 700, sidecarCpu: 32, sidecarMemoryMiB: 256 });
    expect([sizing.taskCpu, sizing.taskMemoryMiB]).toEqual([588, 1020]);
    expect([sizing.proxyCpu, sizing.proxyMemoryMiB]).toEqual([256, 64]);
    const tiny = EnvoySizing.forEc2App({ appCpu: 1, appMemoryMiB: 64, proxy: ProxyBudget.of(16, 32) });
    expect([tiny.taskCpu, tiny.proxyCpu]).toEqual([128, 127]);
  });

  test('rejects bad values with [sizing-invalid]', () => {
    expect(() => EnvoySizing.forEc2App({ appCpu: 0, appMemoryMiB: 512 })).toThrow(/\[sizing-invalid\].*appCpu/);
    expect(() => EnvoySizing.forEc2App({ appCpu: 200000, appMemoryMiB: 512 })).toThrow(/\[sizing-invalid\].*196608/);
  });
});

describe('ARM64 is priced at ARM64 rates (us-east-1 Linux/ARM: $0.03238 per vCPU-hour, $0.00356 per GB-hour)', () => {
  test('priceOf takes the architecture; x86 stays the default', () => {
    expect(EnvoySizing.priceOf(1024, 2048, ecs.CpuArchitecture.ARM64)).toBeCloseTo(0.03238 + 2 * 0.00356, 10);
    expect(EnvoySizing.priceOf(1024, 2048, ecs.CpuArchitecture.X86_64)).toBeCloseTo(0.04048 + 2 * 0.004445, 10);
    // an architecture made by name is the same architecture
    expect(EnvoySizing.priceOf(1024, 2048, ecs.CpuArchitecture.of('ARM64'))).toBeCloseTo(0.03238 + 2 * 0.00356, 10);
  });

  test('forApp and forTask price the chosen size at the architecture\'s rates', () => {
    const arm = EnvoySizing.forApp({ appCpu: 256, appMemoryMiB: 512, cpuArchitecture: ecs.CpuArchitecture.ARM64 });
    const x86 = EnvoySizing.forApp({ appCpu: 256, appMemoryMiB: 512 });
    expect([arm.taskCpu, arm.taskMemoryMiB]).toEqual([x86.taskCpu, x86.taskMemoryMiB]);
    expect(arm.hourlyPriceUsd).toBeCloseTo(0.5 * 0.03238 + 1 * 0.00356, 10);
    expect(x86.hourlyPriceUsd).toBeCloseTo(0.5 * 0.04048 + 1 * 0.004445, 10);
    expect(EnvoySizing.forTask({ taskCpu: 1024, taskMemoryMiB: 2048, cpuArchitecture: ecs.CpuArchitecture.ARM64 }).hourlyPriceUsd)
      .toBeCloseTo(0.03238 + 2 * 0.00356, 10);
  });

  test('the cheapest ARM64 size is the cheapest at ARM64 rates among all valid sizes that fit', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12000 }), fc.integer({ min: 1, max: 100000 }), (appCpu, appMemoryMiB) => {
      let sizing: EnvoySizing;
      try {
        sizing = EnvoySizing.forApp({ appCpu, appMemoryMiB, cpuArchitecture: ecs.CpuArchitecture.ARM64 });
      } catch {
        return true;
      }
      const fits = EnvoySizing.fargateTaskSizes().filter((s) => s.cpu >= appCpu + 256 && s.memoryMiB >= appMemoryMiB + 64);
      const cheapest = Math.min(...fits.map((s) => EnvoySizing.priceOf(s.cpu, s.memoryMiB, ecs.CpuArchitecture.ARM64)));
      return Math.abs(sizing.hourlyPriceUsd - cheapest) < 1e-12;
    }), { numRuns: 200 });
  });
});
