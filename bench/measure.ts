import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Stack } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import { buildEc2ByHand, buildEc2WithLibrary } from './ec2';
import { buildByHand } from './handwritten';
import { buildWithLibrary } from './library';
import type { Topology } from './topology';
import { planTopology } from './topology';

/** The two ways of building the topology. */
export type Impl = 'library' | 'hand';
/** `on`: aws-cdk-lib's CloudFormation validator runs and its findings fail synthesis; `off`: it does not run. */
export type ValidatorMode = 'on' | 'off';

export const IMPLS: Impl[] = ['library', 'hand'];

/** The context of the project's test apps: the validator runs and any finding fails synthesis. */
export const STRICT_VALIDATION_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:strictCfnValidateErrors': true,
};

/** One build and synthesis. */
export interface RunResult {
  readonly constructMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
}

/** What one synthesized topology holds. */
export interface AssemblyFacts {
  /** Resources (CDK metadata excluded) of every stack, by stack name. */
  readonly resourcesPerStack: Record<string, number>;
  /** The most resources (metadata included) any stack has: what CloudFormation's limit of 500 applies to. */
  readonly maxStackResources: number;
  /** Resources of the team stacks (CDK metadata excluded). */
  readonly serviceResources: number;
  /** Resources of the platform stack (cluster, VPC, namespace; CDK metadata excluded). */
  readonly platformResources: number;
  /** Team-stack resources by CloudFormation type. */
  readonly serviceResourcesByType: Record<string, number>;
  /** Every stack's Resources section (Metadata removed), for comparing the two builds. */
  readonly templates: Record<string, Record<string, unknown>>;
}

const METADATA_TYPE = 'AWS::CDK::Metadata';

/** The environment variable that passes `--compute` of `npm run bench` to the measuring processes. */
export const COMPUTE_ENV = 'SC_BENCH_COMPUTE';

/** The compute of the services: `fargate` (default) or `ec2` (an Auto Scaling group capacity provider). */
export function computeOf(): 'fargate' | 'ec2' {
  return process.env[COMPUTE_ENV] === 'ec2' ? 'ec2' : 'fargate';
}

function build(impl: Impl, app: App, topology: Topology): Stack[] {
  if (computeOf() === 'ec2') return impl === 'library' ? buildEc2WithLibrary(app, topology) : buildEc2ByHand(app, topology);
  return impl === 'library' ? buildWithLibrary(app, topology) : buildByHand(app, topology);
}

/** The environment variable that passes `--context` of `npm run bench` to the measuring processes (JSON). */
export const EXTRA_CONTEXT_ENV = 'SC_BENCH_CONTEXT';

/** Context added to every app of the run (both sides), e.g. `aws:cdk:disable-creation-stack-traces`. */
export function extraContext(): Record<string, unknown> {
  const raw = process.env[EXTRA_CONTEXT_ENV];
  return raw ? JSON.parse(raw) as Record<string, unknown> : {};
}

function newApp(outdir: string, validator: ValidatorMode): App {
  const context = extraContext();
  return validator === 'on'
    ? new App({ outdir, context: { ...STRICT_VALIDATION_CONTEXT, ...context } })
    : new App({ outdir, context, builtinCloudFormationValidation: false });
}

/** Build and synthesize the topology of N services once, into a temporary directory that is removed afterwards. */
export function runOnce(impl: Impl, n: number, validator: ValidatorMode, inspect?: (facts: AssemblyFacts) => void): RunResult {
  const topology = planTopology(n);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `scbench-${impl}-`));
  try {
    const t0 = performance.now();
    const app = newApp(outdir, validator);
    const stacks = build(impl, app, topology);
    const t1 = performance.now();
    const assembly = app.synth();
    const t2 = performance.now();
    if (inspect) inspect(factsOf(assembly.stacks.map((s) => ({ name: s.stackName, template: s.template })), stacks));
    return { constructMs: t1 - t0, synthMs: t2 - t1, totalMs: t2 - t0 };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function factsOf(synthesized: Array<{ name: string; template: any }>, stacks: Stack[]): AssemblyFacts {
  const platformName = stacks[0].stackName;
  const resourcesPerStack: Record<string, number> = {};
  const serviceResourcesByType: Record<string, number> = {};
  const templates: Record<string, Record<string, unknown>> = {};
  let maxStackResources = 0;
  let serviceResources = 0;
  let platformResources = 0;
  for (const { name, template } of synthesized) {
    const resources: Record<string, any> = template.Resources ?? {};
    maxStackResources = Math.max(maxStackResources, Object.keys(resources).length);
    const own = Object.entries(resources).filter(([, r]) => r.Type !== METADATA_TYPE);
    resourcesPerStack[name] = own.length;
    templates[name] = Object.fromEntries(own.map(([id, r]) => {
      const { Metadata: _metadata, ...rest } = r;
      return [id, rest];
    }));
    if (name === platformName) {
      platformResources += own.length;
      continue;
    }
    serviceResources += own.length;
    for (const [, r] of own) serviceResourcesByType[r.Type] = (serviceResourcesByType[r.Type] ?? 0) + 1;
  }
  return { resourcesPerStack, maxStackResources, serviceResources, platformResources, serviceResourcesByType, templates };
}

/** The differences between two synthesized topologies, one line each (empty when the resources are the same). */
export function diffTemplates(a: AssemblyFacts, b: AssemblyFacts, nameA: string, nameB: string): string[] {
  const lines: string[] = [];
  const stackNames = new Set([...Object.keys(a.templates), ...Object.keys(b.templates)]);
  for (const stack of stackNames) {
    const ra = a.templates[stack] ?? {};
    const rb = b.templates[stack] ?? {};
    for (const id of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      if (!(id in rb)) lines.push(`${stack}/${id} (${(ra[id] as any).Type}): only ${nameA}`);
      else if (!(id in ra)) lines.push(`${stack}/${id} (${(rb[id] as any).Type}): only ${nameB}`);
      else if (JSON.stringify(ra[id]) !== JSON.stringify(rb[id])) lines.push(`${stack}/${id} (${(ra[id] as any).Type}): properties differ`);
    }
  }
  return lines;
}

/** Collect garbage if the process runs with --expose-gc. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return gc !== undefined;
}

/** The q-quantile (0..1) of `values`, linearly interpolated. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
