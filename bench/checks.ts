/**
 * What the Service Connect checks cost at scale: the synthesis time `ServiceConnectChecks` adds
 * to an app of N services (both the library's topology and the same topology written with
 * aws-cdk-lib L2, which is what teams not using the constructs run it on), and the time
 * `cdk-service-connect lint` takes over the cloud assembly of N services.
 *
 *   npm run bench -- --checks-only [--n=500] [--pairs=3] [--impl=hand,library] [--validator=off,on] [--cli=lib/cli/main.js]
 *
 * Per pair, the same topology is built and synthesized twice in this process, once without and
 * once with the aspect (alternating which goes first, garbage collected before each); the added
 * time is the median of the per-pair differences, in wall-clock time and in the process's CPU
 * time (which other processes on a shared machine disturb less). The checks' own time (every
 * template rendered, the model built, the rules run) is timed as the aspect runs; each stack then
 * writes the template the checks rendered instead of rendering it again, so what the aspect adds
 * is its own time minus what template writing saves.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { buildByHand } from './handwritten';
import { buildWithLibrary } from './library';
import type { Impl } from './measure';
import { collectGarbage, extraContext, median } from './measure';
import { planTopology } from './topology';
import { ServiceConnectChecks } from '../src';
import { run } from '../src/cli/main';
import { checkApp } from '../src/private/namespace/app';
import { buildModel } from '../src/private/template/build';
import { appTemplates, checkTimings } from '../src/private/template/from-app';
import { TemplateSet } from '../src/private/template/reader';

/** The figures of one implementation. */
export interface AspectFigures {
  readonly impl: Impl;
  /** aws-cdk-lib's CloudFormation validator during synthesis. */
  readonly validator: 'on' | 'off';
  readonly n: number;
  readonly pairs: number;
  /** Construction + synthesis without / with the aspect, per pair (ms). */
  readonly withoutMs: number[];
  readonly withMs: number[];
  /** The same in CPU time of the process (ms). */
  readonly withoutCpuMs: number[];
  readonly withCpuMs: number[];
  /** Median of the per-pair added CPU time (ms), and as a share of the CPU time without it. */
  readonly addedCpuMs: number;
  readonly addedCpuPercent: number;
  /** Synthesis alone without / with the aspect, per pair (ms). */
  readonly synthWithoutMs: number[];
  readonly synthWithMs: number[];
  /** Median of the per-pair added time (ms), and as a share of construction + synthesis without it. */
  readonly addedMs: number;
  readonly addedPercent: number;
  /** The checks' own time, timed directly (median over the pairs, ms). */
  readonly ownMs: number;
  readonly ownPercent: number;
  /** What writing the templates takes less with the checks (median of the per-pair differences, ms). */
  readonly savedMs: number;
  /** The checks' own time minus what they save template writing (median of the per-pair values, ms), and its share. */
  readonly netMs: number;
  readonly netPercent: number;
  readonly findings: number;
}

/** The figures of `lint`. */
export interface LintFigures {
  readonly n: number;
  readonly templates: number;
  readonly services: number;
  /** In-process time of `lint <cdk.out>` (read, parse, build the model, check, print), median of the runs (ms). */
  readonly inProcessMs: number;
  readonly runs: number[];
  /** The whole command in a new Node process under ts-node (start-up and transpiling included), ms. */
  readonly processMs?: number;
  readonly processLabel?: string;
  readonly exitStatus: number;
}

/**
 * Time spent writing templates (`Stack._synthesizeTemplate`: rendering every element, resolving,
 * writing the file), summed over the stacks of one synthesis. With the checks, each stack writes
 * the template the checks rendered, so this phase is shorter: that is what they save it.
 */
let templateMs = 0;
const stackPrototype = Stack.prototype as unknown as { _synthesizeTemplate: (...args: unknown[]) => unknown };
const synthesizeTemplate = stackPrototype._synthesizeTemplate;
stackPrototype._synthesizeTemplate = function timedTemplate(this: Stack, ...args: unknown[]) {
  const t0 = performance.now();
  try {
    return synthesizeTemplate.apply(this, args);
  } finally {
    templateMs += performance.now() - t0;
  }
};

function build(impl: Impl, app: App, n: number): void {
  const topology = planTopology(n);
  if (impl === 'library') buildWithLibrary(app, topology);
  else buildByHand(app, topology);
}

interface Once {
  readonly totalMs: number;
  readonly cpuMs: number;
  /** Writing the templates (see `templateMs`). */
  readonly templateMs: number;
  readonly synthMs: number;
  readonly ownMs: number;
  /** The time to resolve the elements the checks read, after synthesis. */
  readonly resolveMs: number;
  readonly findings: number;
}

function once(impl: Impl, n: number, withChecks: boolean, validator: 'on' | 'off' = 'off'): Once {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scbench-checks-'));
  try {
    collectGarbage();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const app = new App({ outdir, context: extraContext(), builtinCloudFormationValidation: validator === 'on' });
    build(impl, app, n);
    if (withChecks) Aspects.of(app).add(new ServiceConnectChecks());
    const t1 = performance.now();
    templateMs = 0;
    app.synth();
    const t2 = performance.now();
    const c1 = process.cpuUsage(c0);
    const writing = templateMs;
    // the checks' own time, as the aspect timed it during synthesis
    const ownMs = withChecks ? checkTimings.lastMs : 0;
    const r0 = performance.now();
    const { sources } = appTemplates(app);
    const resolveMs = performance.now() - r0;
    const findings = withChecks ? checkApp(buildModel(new TemplateSet(sources))).length : 0;
    return { totalMs: t2 - t0, cpuMs: (c1.user + c1.system) / 1000, templateMs: writing, synthMs: t2 - t1, ownMs, resolveMs, findings };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Measure the aspect's added synthesis time for one implementation. */
export function measureAspect(impl: Impl, n: number, pairs: number, log: (line: string) => void = () => undefined, validator: 'on' | 'off' = 'off'): AspectFigures {
  once(impl, Math.min(n, 10), true, validator); // warm up the modules
  const without: Array<ReturnType<typeof once>> = [];
  const withIt: Array<ReturnType<typeof once>> = [];
  for (let p = 0; p < pairs; p++) {
    const order = p % 2 === 0 ? [false, true] : [true, false];
    for (const w of order) (w ? withIt : without).push(once(impl, n, w, validator));
    log(`  ${impl} validator ${validator} N=${n} pair ${p + 1}: without ${Math.round(without[p].totalMs)} ms (CPU ${Math.round(without[p].cpuMs)}), ` +
      `with ${Math.round(withIt[p].totalMs)} ms (CPU ${Math.round(withIt[p].cpuMs)}) ` +
      `(checks' own time ${Math.round(withIt[p].ownMs)} ms; writing the templates ${Math.round(without[p].templateMs)} ms without, ` +
      `${Math.round(withIt[p].templateMs)} ms with)`);
  }
  const base = median(without.map((r) => r.totalMs));
  const addedMs = median(withIt.map((r, i) => r.totalMs - without[i].totalMs));
  const ownMs = median(withIt.map((r) => r.ownMs));
  const baseCpu = median(without.map((r) => r.cpuMs));
  const savedMs = median(withIt.map((r, i) => without[i].templateMs - r.templateMs));
  const netMs = median(withIt.map((r, i) => r.ownMs - (without[i].templateMs - r.templateMs)));
  const addedCpuMs = median(withIt.map((r, i) => r.cpuMs - without[i].cpuMs));
  return {
    impl,
    validator,
    n,
    pairs,
    withoutMs: without.map((r) => Math.round(r.totalMs)),
    withMs: withIt.map((r) => Math.round(r.totalMs)),
    withoutCpuMs: without.map((r) => Math.round(r.cpuMs)),
    withCpuMs: withIt.map((r) => Math.round(r.cpuMs)),
    addedCpuMs,
    addedCpuPercent: (100 * addedCpuMs) / baseCpu,
    synthWithoutMs: without.map((r) => Math.round(r.synthMs)),
    synthWithMs: withIt.map((r) => Math.round(r.synthMs)),
    addedMs,
    addedPercent: (100 * addedMs) / base,
    ownMs,
    ownPercent: (100 * ownMs) / base,
    savedMs,
    netMs,
    netPercent: (100 * netMs) / base,
    findings: withIt[0]?.findings ?? 0,
  };
}

/** Measure `lint` over the library topology's cloud assembly of N services. */
export function measureLint(n: number, runs: number, withProcess: boolean, cli?: string): LintFigures {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scbench-lint-'));
  try {
    const app = new App({ outdir, context: { ...extraContext(), 'aws:cdk:enable-path-metadata': true }, builtinCloudFormationValidation: false });
    build('library', app, n);
    app.synth();
    const times: number[] = [];
    let status = 0;
    let summary = '';
    for (let i = 0; i < runs; i++) {
      collectGarbage();
      let out = '';
      const t0 = performance.now();
      status = run(['lint', outdir, '--format', 'json'], { stdout: (t) => { out += t; }, stderr: () => undefined });
      times.push(performance.now() - t0);
      summary = out;
    }
    const doc = JSON.parse(summary) as { summary: { templates: number; services: number } };
    let processMs: number | undefined;
    let processLabel: string | undefined;
    if (withProcess) {
      // the compiled command (what `npx cdk-service-connect` runs), else the sources under ts-node
      const compiled = cli ?? path.join(__dirname, '..', 'lib', 'cli', 'main.js');
      const args = fs.existsSync(compiled) ? [compiled] : ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', 'src', 'cli', 'main.ts')];
      const t0 = performance.now();
      spawnSync(process.execPath, [...args, 'lint', outdir], { stdio: 'ignore', cwd: path.join(__dirname, '..') });
      processMs = performance.now() - t0;
      processLabel = fs.existsSync(compiled) ? 'as a new process (`node lib/cli/main.js lint`)' : 'as a new process under ts-node (start-up and transpiling included)';
    }
    return {
      n,
      templates: doc.summary.templates,
      services: doc.summary.services,
      inProcessMs: median(times),
      runs: times.map(Math.round),
      processMs,
      processLabel,
      exitStatus: status,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** The report section of the checks. */
export function checksReport(aspect: AspectFigures[], lint: LintFigures): string[] {
  const pct = (x: number) => `${x.toFixed(1)} %`;
  return [
    '## Service Connect checks (`ServiceConnectChecks`, `cdk-service-connect lint`)',
    '',
    '| topology | validator | N | pairs | without the aspect | with it | the checks\' own time | template writing saves | **added: own − saved** | added: with − without (wall / CPU) | target ≤ 5 % |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...aspect.map((a) => `| ${a.impl === 'library' ? 'this library' : 'aws-cdk-lib L2'} | ${a.validator} | ${a.n} | ${a.pairs} | ` +
      `${fmt(median(a.withoutMs))} (${a.withoutMs.join(', ')} ms) | ${fmt(median(a.withMs))} (${a.withMs.join(', ')} ms) | ` +
      `${fmt(a.ownMs)} (${pct(a.ownPercent)}) | ${fmt(a.savedMs)} | **${fmt(a.netMs)} (${pct(a.netPercent)})** | ` +
      `${fmt(a.addedMs)} (${pct(a.addedPercent)}) / ${fmt(a.addedCpuMs)} (${pct(a.addedCpuPercent)}) | ` +
      `${a.netPercent <= 5 ? 'met' : 'not met'} |`),
    '',
    `\`lint\` of the library topology's cloud assembly, N = ${lint.n} (${lint.templates} templates, ${lint.services} Service Connect services): ` +
    `${fmt(lint.inProcessMs)} in process (runs ${lint.runs.join(', ')} ms)` +
    (lint.processMs !== undefined ? `, ${fmt(lint.processMs)} ${lint.processLabel}` : '') +
    `; exit status ${lint.exitStatus}. Target ≤ 3 s: ${(lint.processMs ?? lint.inProcessMs) <= 3000 ? 'met' : 'not met'}.`,
    '',
    'Time = construction + `app.synth()`, with aws-cdk-lib\'s CloudFormation validator off or on; shares are of the median ' +
    'without the aspect. The checks render every template once, when synthesis is about to write the first, and each stack ' +
    'then writes the template the checks rendered instead of rendering it again, so writing the templates takes less time ' +
    'with the checks. What the ' +
    'aspect adds is its own time minus that saving (median of the per-pair values), the figure the target is judged on: both ' +
    'parts are timed directly. The plain difference of two synthesis times (with − without, wall clock and CPU) is shown too; ' +
    'on this 2-core machine two synthesis times of the same app differ by several hundred milliseconds, more than the aspect adds.',
  ];
}

/** `npm run bench -- --checks-only`: measure and print the checks' figures, and write them next to the main results. */
export function checksMain(argv: string[]): void {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const n = Number(get('n') ?? 500);
  const pairs = Number(get('pairs') ?? 3);
  const impls = (get('impl') ?? 'hand,library').split(',') as Impl[];
  const validators = (get('validator') ?? 'off').split(',') as Array<'on' | 'off'>;
  if (validators.some((v) => v !== 'on' && v !== 'off')) throw new Error(`--validator takes on and/or off, got ${get('validator')}`);
  console.log(`Service Connect checks benchmark: N = ${n}, ${pairs} pairs, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
  const aspect = validators.flatMap((validator) => impls.map((impl) => measureAspect(impl, n, pairs, console.log, validator)));
  const lint = measureLint(n, 3, true, get('cli'));
  const lines = checksReport(aspect, lint);
  console.log(`\n${lines.join('\n')}`);
  const out = get('out') ?? path.join(__dirname, 'RESULTS-checks.md');
  fs.writeFileSync(out, ['# Service Connect checks benchmark', '', `Measured ${new Date().toISOString().slice(0, 10)} with ` +
    `\`npm run bench -- --checks-only --n=${n} --pairs=${pairs} --validator=${validators.join(',')}\`: ${os.cpus().length} cores, Node ${process.versions.node.split('.')[0]}.`, '',
  ...lines.slice(2), ''].join('\n'));
  console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);
}
