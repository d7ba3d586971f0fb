import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BASE_PROXY_CPU, BASE_PROXY_MEMORY_MIB, FARGATE_TASK_SIZES, HIGH_TRAFFIC_PROXY_CPU, HIGH_TRAFFIC_RPS, LARGE_NAMESPACE_EXTRA_MEMORY_MIB, MAX_SIZE, cheapestTaskSize, checkSidecars, describeMemoryChoices, fargatePrices, isValidFargateSize } from './private/fargate';
import { isPositiveInteger } from './private/validation/formats';
import { failFast } from './private/validation/problems';

/** The smallest and largest task-level CPU of a Linux task on EC2 or Managed Instances. */
const EC2_MIN_TASK_CPU = 128;
const EC2_MAX_TASK_CPU = 196608;

/**
 * Options for `ProxyBudget.recommended()`.
 */
export interface ProxyBudgetRecommendationOptions {
  /**
   * The peak number of requests per second one task handles (inbound and outbound together).
   *
   * AWS recommends 512 CPU units for the proxy above 500 requests per second.
   *
   * @default - at most 500 requests per second: 256 CPU units
   */
  readonly peakRequestsPerSecond?: number;

  /**
   * Whether the namespace holds more than 100 Service Connect services or more than 2,000 tasks.
   *
   * AWS recommends 128 MiB more proxy memory in every task of such a namespace.
   *
   * @default false
   */
  readonly largeNamespace?: boolean;
}

/**
 * The CPU and memory that a task reserves for the Service Connect proxy.
 *
 * The proxy container is not part of the task definition: ECS adds it to every task and it uses
 * whatever CPU and memory the application containers leave unreserved. A budget is that
 * reservation, in ECS CPU units (1024 = 1 vCPU) and MiB.
 */
export class ProxyBudget {
  /**
   * AWS's sizing guidance for the Service Connect proxy on Fargate: 256 CPU units and 64 MiB;
   * 512 CPU units when a task peaks above 500 requests per second; 128 MiB more in a namespace
   * with more than 100 Service Connect services or 2,000 tasks.
   *
   * This is the default budget everywhere in this library.
   */
  public static recommended(options: ProxyBudgetRecommendationOptions = {}): ProxyBudget {
    const rps = options.peakRequestsPerSecond;
    rejectTokens('ProxyBudget.recommended', { peakRequestsPerSecond: rps });
    if (rps !== undefined && (!Number.isFinite(rps) || rps < 0)) {
      failFast('sizing-invalid', `ProxyBudget.recommended: peakRequestsPerSecond must be a number >= 0, got ${rps}. ` +
        'Fix: pass the peak requests per second of one task, or leave it out.');
    }
    const cpu = rps !== undefined && rps > HIGH_TRAFFIC_RPS ? HIGH_TRAFFIC_PROXY_CPU : BASE_PROXY_CPU;
    const memoryMiB = BASE_PROXY_MEMORY_MIB + (options.largeNamespace ? LARGE_NAMESPACE_EXTRA_MEMORY_MIB : 0);
    return new ProxyBudget(cpu, memoryMiB);
  }

  /**
   * A budget of your own, in ECS CPU units and MiB.
   *
   * @param cpu CPU units for the proxy (whole number, at least 1)
   * @param memoryMiB memory for the proxy in MiB (whole number, at least 1)
   */
  public static of(cpu: number, memoryMiB: number): ProxyBudget {
    rejectTokens('ProxyBudget.of', { cpu, memoryMiB });
    const problems: string[] = [];
    if (!isPositiveInteger(cpu)) {
      problems.push(`cpu must be a whole number of CPU units >= 1, got ${cpu}`);
    }
    if (!isPositiveInteger(memoryMiB)) {
      problems.push(`memoryMiB must be a whole number of MiB >= 1, got ${memoryMiB}`);
    }
    if (problems.length > 0) {
      failFast('sizing-invalid', `ProxyBudget.of: ${problems.join('; ')}. Fix: pass positive whole numbers, ` +
        'or use ProxyBudget.recommended() for AWS\'s guidance (256 CPU units, 64 MiB).');
    }
    return new ProxyBudget(cpu, memoryMiB);
  }

  /** CPU units reserved for the proxy. */
  public readonly cpu: number;
  /** Memory reserved for the proxy, in MiB. */
  public readonly memoryMiB: number;

  private constructor(cpu: number, memoryMiB: number) {
    this.cpu = cpu;
    this.memoryMiB = memoryMiB;
  }
}

/**
 * Options for `EnvoySizing.forApp()`.
 */
export interface AppSizingOptions {
  /** CPU units the application container needs (1024 = 1 vCPU). */
  readonly appCpu: number;
  /** Memory the application container needs, in MiB. It becomes the container's hard limit. */
  readonly appMemoryMiB: number;
  /**
   * The proxy's budget.
   *
   * @default ProxyBudget.recommended()
   */
  readonly proxy?: ProxyBudget; /**
   * CPU units reserved inside the task for other sidecars (e.g. 32 for the X-Ray daemon).
   *
   * @default 0
   */
  readonly sidecarCpu?: number;
  /**
   * Memory reserved inside the task for other sidecars, in MiB (e.g. 256 for the X-Ray daemon).
   *
   * @default 0
   */
  readonly sidecarMemoryMiB?: number;
  /**
   * The CPU architecture the task runs on: it prices the task (`hourlyPriceUsd`) and ranks sizes
   * at that architecture's Fargate rates. Set it to the service's `cpuArchitecture`.
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
}

/**
 * Options for `EnvoySizing.forTask()`.
 */
export interface TaskSizingOptions {
  /** Task CPU units; must be a valid Fargate task CPU value (256, 512, 1024, 2048, 4096, 8192, 16384). */
  readonly taskCpu: number;
  /** Task memory in MiB; must be valid for `taskCpu` on Fargate. */
  readonly taskMemoryMiB: number;
  /**
   * The proxy's budget.
   *
   * @default ProxyBudget.recommended()
   */
  readonly proxy?: ProxyBudget; /**
   * CPU units reserved inside the task for other sidecars (e.g. 32 for the X-Ray daemon).
   *
   * @default 0
   */
  readonly sidecarCpu?: number;
  /**
   * Memory reserved inside the task for other sidecars, in MiB (e.g. 256 for the X-Ray daemon).
   *
   * @default 0
   */
  readonly sidecarMemoryMiB?: number;
  /**
   * The CPU architecture the task runs on: it prices the task (`hourlyPriceUsd`) and ranks sizes
   * at that architecture's Fargate rates. Set it to the service's `cpuArchitecture`.
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
}

/**
 * One valid Fargate (Linux) task size.
 */
export interface FargateTaskSize {
  /** Task CPU units. */
  readonly cpu: number;
  /** Task memory in MiB. */
  readonly memoryMiB: number;
}

/**
 * How a Fargate task's CPU and memory are split between the application container and the
 * Service Connect proxy that ECS adds to the task.
 *
 * Service Connect requires task-level memory, and the proxy only gets what the application
 * containers leave unreserved: a task whose app container takes everything starves its proxy.
 * `EnvoySizing` always leaves the proxy its budget.
 */
export class EnvoySizing {
  /**
   * Every valid Fargate (Linux) task size, smallest CPU first.
   */
  public static fargateTaskSizes(): FargateTaskSize[] {
    return FARGATE_TASK_SIZES.map((s) => ({ cpu: s.cpu, memoryMiB: s.memoryMiB }));
  }

  /**
   * The Fargate on-demand list price of a task size in US dollars per hour (us-east-1, Linux:
   * x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour; ARM64 $0.03238 and $0.00356).
   *
   * @param cpu task CPU units
   * @param memoryMiB task memory in MiB
   * @param cpuArchitecture the architecture whose rates apply (default: X86_64)
   */
  public static priceOf(cpu: number, memoryMiB: number, cpuArchitecture?: ecs.CpuArchitecture): number {
    const prices = fargatePrices(isArm64(cpuArchitecture));
    return (cpu / 1024) * prices.vcpuHourUsd + (memoryMiB / 1024) * prices.gbHourUsd;
  }

  /**
   * The cheapest valid Fargate task size that holds the application and the proxy, with the
   * application container getting exactly what it asked for and the proxy at least its budget.
   */
  public static forApp(options: AppSizingOptions): EnvoySizing {
    rejectTokens('EnvoySizing.forApp', { ...options, proxy: undefined });
    const proxy = options.proxy ?? ProxyBudget.recommended();
    const problems: string[] = [];
    if (!isPositiveInteger(options.appCpu)) {
      problems.push(`appCpu must be a whole number of CPU units >= 1, got ${options.appCpu}`);
    }
    if (!isPositiveInteger(options.appMemoryMiB)) {
      problems.push(`appMemoryMiB must be a whole number of MiB >= 1, got ${options.appMemoryMiB}`);
    }
    const sidecarCpu = options.sidecarCpu ?? 0;
    const sidecarMemoryMiB = options.sidecarMemoryMiB ?? 0;
    problems.push(...checkSidecars(sidecarCpu, sidecarMemoryMiB));
    if (problems.length > 0) {
      failFast('sizing-invalid', `EnvoySizing.forApp: ${problems.join('; ')}. Fix: pass positive whole numbers, e.g. { appCpu: 256, appMemoryMiB: 512 }.`);
    }
    const needCpu = options.appCpu + proxy.cpu + sidecarCpu;
    const needMemory = options.appMemoryMiB + proxy.memoryMiB + sidecarMemoryMiB;
    const size = cheapestTaskSize(needCpu, needMemory, isArm64(options.cpuArchitecture));
    if (!size) {
      failFast('sizing-invalid', `EnvoySizing.forApp: the app (${options.appCpu} CPU units, ${options.appMemoryMiB} MiB) plus the proxy budget ` +
        `(${proxy.cpu} CPU units, ${proxy.memoryMiB} MiB)${sidecarCpu + sidecarMemoryMiB > 0 ? ` and sidecars (${sidecarCpu} CPU units, ${sidecarMemoryMiB} MiB)` : ''} needs ${needCpu} CPU units and ${needMemory} MiB, more than the largest ` +
        `Fargate task (${MAX_SIZE.cpu} CPU units, ${MAX_SIZE.memoryMiB} MiB). Fix: give the app less, or split it into several services.`);
    }
    return new EnvoySizing(size.cpu, size.memoryMiB, options.appCpu, options.appMemoryMiB, proxy, sidecarCpu, sidecarMemoryMiB,
      options.cpuArchitecture);
  }

  /**
   * Keep the given Fargate task size, reserve the proxy budget, and give the application
   * container the rest.
   */
  public static forTask(options: TaskSizingOptions): EnvoySizing {
    rejectTokens('EnvoySizing.forTask', { ...options, proxy: undefined });
    const proxy = options.proxy ?? ProxyBudget.recommended();
    const { taskCpu, taskMemoryMiB } = options;
    if (!isPositiveInteger(taskCpu) || !isPositiveInteger(taskMemoryMiB)) {
      failFast('sizing-invalid', `EnvoySizing.forTask: taskCpu and taskMemoryMiB must be positive whole numbers, got ${taskCpu} CPU units and ` +
        `${taskMemoryMiB} MiB. Fix: use a valid Fargate size such as { taskCpu: 512, taskMemoryMiB: 1024 }.`);
    }
    if (!isValidFargateSize(taskCpu, taskMemoryMiB)) {
      failFast('sizing-invalid', `EnvoySizing.forTask: ${taskCpu} CPU units with ${taskMemoryMiB} MiB is not a valid Fargate task size. ` +
        `Rule: ${describeMemoryChoices(taskCpu)}. Fix: pick one of those sizes, or use EnvoySizing.forApp() to have the cheapest valid size chosen.`);
    }
    const sidecarCpu = options.sidecarCpu ?? 0;
    const sidecarMemoryMiB = options.sidecarMemoryMiB ?? 0;
    const sidecarProblems = checkSidecars(sidecarCpu, sidecarMemoryMiB);
    if (sidecarProblems.length > 0) {
      failFast('sizing-invalid', `EnvoySizing.forTask: ${sidecarProblems.join('; ')}. Fix: pass whole numbers >= 0.`);
    }
    const appCpu = taskCpu - proxy.cpu - sidecarCpu;
    const appMemoryMiB = taskMemoryMiB - proxy.memoryMiB - sidecarMemoryMiB;
    if (appCpu < 1 || appMemoryMiB < 1) {
      failFast('sizing-invalid', `EnvoySizing.forTask: the proxy budget (${proxy.cpu} CPU units, ${proxy.memoryMiB} MiB)` +
        `${sidecarCpu + sidecarMemoryMiB > 0 ? ` and sidecars (${sidecarCpu} CPU units, ${sidecarMemoryMiB} MiB)` : ''} leaves the app nothing in a ` +
        `task of ${taskCpu} CPU units and ${taskMemoryMiB} MiB (app would get ${appCpu} CPU units, ${appMemoryMiB} MiB). ` +
        'Fix: choose a larger task, or EnvoySizing.forApp() with what the app needs.');
    }
    return new EnvoySizing(taskCpu, taskMemoryMiB, appCpu, appMemoryMiB, proxy, sidecarCpu, sidecarMemoryMiB, options.cpuArchitecture);
  }

  /**
   * The task size for EC2 or Managed Instances capacity: exactly what the application container
   * asks for, plus the proxy's budget, plus sidecars. There is no size table on EC2: any size that
   * fits an instance of the capacity provider is valid (the `ec2-task-fits-instance` rule checks
   * it against a known instance type). Task CPU is at least 128 units (the EC2 minimum) and at
   * most 196608 (192 vCPUs); task memory is always set, since Service Connect requires it.
   */
  public static forEc2App(options: AppSizingOptions): EnvoySizing {
    rejectTokens('EnvoySizing.forEc2App', { ...options, proxy: undefined });
    const proxy = options.proxy ?? ProxyBudget.recommended();
    const problems: string[] = [];
    if (!isPositiveInteger(options.appCpu)) {
      problems.push(`appCpu must be a whole number of CPU units >= 1, got ${options.appCpu}`);
    }
    if (!isPositiveInteger(options.appMemoryMiB)) {
      problems.push(`appMemoryMiB must be a whole number of MiB >= 1, got ${options.appMemoryMiB}`);
    }
    const sidecarCpu = options.sidecarCpu ?? 0;
    const sidecarMemoryMiB = options.sidecarMemoryMiB ?? 0;
    problems.push(...checkSidecars(sidecarCpu, sidecarMemoryMiB));
    const taskCpu = Math.max(EC2_MIN_TASK_CPU, options.appCpu + proxy.cpu + sidecarCpu);
    if (problems.length === 0 && taskCpu > EC2_MAX_TASK_CPU) {
      problems.push(`the app, proxy and sidecars need ${taskCpu} CPU units, more than an EC2 task may have (${EC2_MAX_TASK_CPU})`);
    }
    if (problems.length > 0) {
      failFast('sizing-invalid', `EnvoySizing.forEc2App: ${problems.join('; ')}. Fix: pass positive whole numbers, e.g. { appCpu: 256, appMemoryMiB: 512 }.`);
    }
    const taskMemoryMiB = options.appMemoryMiB + proxy.memoryMiB + sidecarMemoryMiB;
    // The CPU above the app's and the sidecars' share (at least the budget) is the proxy's.
    return new EnvoySizing(taskCpu, taskMemoryMiB, options.appCpu, options.appMemoryMiB, proxy, sidecarCpu, sidecarMemoryMiB);
  }

  /** Task CPU units (the task definition's `cpu`). */
  public readonly taskCpu: number;
  /** Task memory in MiB (the task definition's `memory`). */
  public readonly taskMemoryMiB: number;
  /** CPU units of the application container. */
  public readonly appCpu: number;
  /** Memory of the application container in MiB (its hard limit). */
  public readonly appMemoryMiB: number;
  /** CPU units left to the Service Connect proxy (at least its budget). */
  public readonly proxyCpu: number;
  /** Memory left to the Service Connect proxy in MiB (at least its budget). */
  public readonly proxyMemoryMiB: number;
  /** CPU units reserved for other sidecars (e.g. the X-Ray daemon). */
  public readonly sidecarCpu: number;
  /** Memory reserved for other sidecars in MiB. */
  public readonly sidecarMemoryMiB: number;
  /** The budget this sizing was made for. */
  public readonly proxyBudget: ProxyBudget;
  /** The task's Fargate on-demand list price in US dollars per hour (us-east-1, Linux, at the rates of `cpuArchitecture`). */
  public readonly hourlyPriceUsd: number;
  /** The CPU architecture the sizing was priced for. */
  public readonly cpuArchitecture: ecs.CpuArchitecture;

  private constructor(taskCpu: number, taskMemoryMiB: number, appCpu: number, appMemoryMiB: number, proxy: ProxyBudget,
    sidecarCpu: number, sidecarMemoryMiB: number, cpuArchitecture: ecs.CpuArchitecture = ecs.CpuArchitecture.X86_64) {
    this.taskCpu = taskCpu;
    this.taskMemoryMiB = taskMemoryMiB;
    this.appCpu = appCpu;
    this.appMemoryMiB = appMemoryMiB;
    this.sidecarCpu = sidecarCpu;
    this.sidecarMemoryMiB = sidecarMemoryMiB;
    this.proxyCpu = taskCpu - appCpu - sidecarCpu;
    this.proxyMemoryMiB = taskMemoryMiB - appMemoryMiB - sidecarMemoryMiB;
    this.proxyBudget = proxy;
    this.cpuArchitecture = cpuArchitecture;
    this.hourlyPriceUsd = EnvoySizing.priceOf(taskCpu, taskMemoryMiB, cpuArchitecture);
  }

  /**
   * A one-line description, e.g. `task 512 CPU / 1024 MiB = app 256 / 960 + proxy 256 / 64`.
   */
  public toString(): string {
    const sidecars = this.sidecarCpu + this.sidecarMemoryMiB > 0 ? ` + sidecars ${this.sidecarCpu} / ${this.sidecarMemoryMiB}` : '';
    return `task ${this.taskCpu} CPU / ${this.taskMemoryMiB} MiB = app ${this.appCpu} / ${this.appMemoryMiB}${sidecars} ` +
      `+ proxy ${this.proxyCpu} / ${this.proxyMemoryMiB}`;
  }
}

/**
 * Sizing computes the task size at synthesis, so every input must be a number then: a token (a
 * CfnParameter, an imported value) would be computed with as a huge negative number.
 */
function rejectTokens(method: string, values: { [name: string]: unknown }): void {
  const tokens = Object.entries(values).filter(([, v]) => typeof v === 'number' && Token.isUnresolved(v)).map(([k]) => k);
  if (tokens.length === 0) return;
  const which = tokens.join(', ');
  failFast('sizing-token', `${method}: ${which} ${tokens.length === 1 ? 'is' : 'are'} known only at deployment (a token), but the task ` +
    `size is computed from ${tokens.length === 1 ? 'it' : 'them'} at synthesis. Fix: pass concrete numbers for ${which} (read a ` +
    'context value or an environment variable at synthesis, not a CfnParameter or an imported value).');
}

/** Whether an architecture is ARM64 (the class has no public name accessor; `of('ARM64')` makes a new instance). */
function isArm64(architecture: ecs.CpuArchitecture | undefined): boolean {
  return architecture !== undefined && architecture._cpuArchitecture === ecs.CpuArchitecture.ARM64._cpuArchitecture;
}
