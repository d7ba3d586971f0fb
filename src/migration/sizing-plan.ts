import { EnvoySizing } from '../sizing';
import type { MigratedSizing } from './types';
import { MigrationError } from './util';

/** What is known about the source task besides the app's needs. */
export interface SizingContext {
  readonly estimated: boolean;
  readonly previousTaskCpu?: number;
  readonly previousTaskMemoryMiB?: number;
  readonly freedCpu?: number;
  readonly freedMemoryMiB?: number;
}

/** The cheapest Fargate size that gives the app what it had and the proxy AWS's budget. */
export function sizingFor(appCpu: number, appMemoryMiB: number, context: SizingContext): MigratedSizing {
  let sizing: EnvoySizing;
  try {
    sizing = EnvoySizing.forApp({ appCpu: Math.round(appCpu), appMemoryMiB: Math.round(appMemoryMiB) });
  } catch (e) {
    throw new MigrationError(`cannot size a task for an app of ${appCpu} CPU units and ${appMemoryMiB} MiB: ${(e as Error).message}`);
  }
  return {
    appCpu: sizing.appCpu,
    appMemoryMiB: sizing.appMemoryMiB,
    proxyCpu: sizing.proxyCpu,
    proxyMemoryMiB: sizing.proxyMemoryMiB,
    proxyBudgetCpu: sizing.proxyBudget.cpu,
    proxyBudgetMemoryMiB: sizing.proxyBudget.memoryMiB,
    taskCpu: sizing.taskCpu,
    taskMemoryMiB: sizing.taskMemoryMiB,
    ...context,
  };
}
