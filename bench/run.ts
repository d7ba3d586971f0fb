/**
 * Synthesis cost of this library against the same topology written by hand with aws-cdk-lib's
 * L2 constructs. A script, not a test: it prints a table and writes it to bench/RESULTS.md
 * (and the raw figures to bench-results.json).
 *
 *   npm run bench                                   # N = 10, 50, 200, 500; validator off and on
 *   npm run bench -- --n=10,50 --validator=off      # a quicker subset
 *   node --expose-gc -r ts-node/register/transpile-only bench/run.ts   # same, with GC between runs
 *
 * Options: --n=<list> --validator=<on,off> --reps=<k> (default 9 for N <= 200, 7 above:
 * single runs vary by 10-15 % on a 2-core machine, and 3 pairs left the ratio moving by as much)
 * --no-rss (skip the per-process peak memory runs) --out=<file.md> --json=<file.json>
 * --checks-only (measure only what ServiceConnectChecks and `lint` cost: bench/checks.ts, with --n, --pairs, --impl)
 * --context=<key>=<value> (repeatable: context for every app of both sides, e.g.
 * --context=aws:cdk:disable-creation-stack-traces=true; values are parsed as JSON when they can be)
 * --compute=ec2 (the EC2 topology of bench/ec2.ts instead of Fargate; results in bench/RESULTS-ec2.md)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checksMain } from './checks';
import type { AssemblyFacts, Impl, RunResult, ValidatorMode } from './measure';
import { collectGarbage, COMPUTE_ENV, computeOf, diffTemplates, EXTRA_CONTEXT_ENV, extraContext, IMPLS, median, quantile, runOnce } from './measure';
import { planTopology, SERVICES_PER_STACK } from './topology';

interface Options {
  readonly ns: number[];
  readonly validators: ValidatorMode[];
  readonly reps?: number;
  readonly rss: boolean;
  readonly out: string;
  readonly json: string;
  readonly context: Record<string, unknown>;
  readonly compute: 'fargate' | 'ec2';
}

/** The figures of one implementation at one N and validator mode. */
interface ImplFigures {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly runs: number[];
  readonly resourcesPerService: number;
  readonly platformResources: number;
  readonly maxStackResources: number;
  readonly serviceResourcesByType: Record<string, number>;
  peakRssMiB?: number;
}

interface Row {
  readonly n: number;
  readonly validator: ValidatorMode;
  readonly stacks: number;
  readonly edges: number;
  readonly reps: number;
  readonly library: ImplFigures;
  readonly hand: ImplFigures;
  /** Median over the repetitions of library time / hand-written time of the same repetition (wall clock). */
  readonly ratio: number;
  /** The same with CPU time. */
  readonly cpuRatio: number;
  /** The interquartile range of the per-repetition wall-clock ratios: how much the ratio moves from pair to pair. */
  readonly ratioIqr: [number, number];
  readonly extraResources: string[];
}

/** What a child process measures: one build and synthesis, and the process's peak memory. */
interface ChildReport {
  readonly wallMs: number;
  readonly maxRssMiB: number;
}

const TARGET_RATIO = 1.10;
const TARGET_GROWTH = 11;
const TARGET_RESOURCES = 1.25;

function parseOptions(argv: string[]): Options {
  const get = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const ns = (get('n') ?? '10,50,200,500').split(',').map(Number);
  if (ns.some((n) => !Number.isInteger(n) || n < 2)) throw new Error(`--n takes whole numbers >= 2, got ${get('n')}`);
  const validators = (get('validator') ?? 'off,on').split(',') as ValidatorMode[];
  if (validators.some((v) => v !== 'on' && v !== 'off')) throw new Error(`--validator takes on and/or off, got ${get('validator')}`);
  const reps = get('reps') !== undefined ? Number(get('reps')) : undefined;
  const compute = get('compute') ?? 'fargate';
  if (compute !== 'fargate' && compute !== 'ec2') throw new Error(`--compute takes fargate or ec2, got ${compute}`);
  return {
    compute,
    ns,
    validators,
    reps,
    rss: !argv.includes('--no-rss'),
    out: get('out') ?? path.join(__dirname, compute === 'ec2' ? 'RESULTS-ec2.md' : 'RESULTS.md'),
    json: get('json') ?? path.join(__dirname, '..', 'bench-results.json'),
    context: Object.fromEntries(argv.filter((a) => a.startsWith('--context=')).map((a) => {
      const [key, ...rest] = a.slice('--context='.length).split('=');
      if (!key || rest.length === 0) throw new Error(`--context takes <key>=<value>, got ${a}`);
      return [key, parseValue(rest.join('='))];
    })),
  };
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One measured run: wall and CPU time (this process, all threads) of construction plus synthesis. */
function timedRun(impl: Impl, n: number, validator: ValidatorMode, inspect?: (f: AssemblyFacts) => void): RunResult & { cpuMs: number } {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const result = runOnce(impl, n, validator, inspect);
  const cpu = process.cpuUsage(cpu0);
  return { ...result, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function measureRow(n: number, validator: ValidatorMode, reps: number): Row {
  const topology = planTopology(n);
  const runs: Record<Impl, Array<RunResult & { cpuMs: number }>> = { library: [], hand: [] };
  const facts: Partial<Record<Impl, AssemblyFacts>> = {};
  for (let rep = 0; rep < reps; rep++) {
    // Alternate the order so that neither side always runs first (warm caches, GC debt).
    const order: Impl[] = rep % 2 === 0 ? ['library', 'hand'] : ['hand', 'library'];
    for (const impl of order) {
      runs[impl].push(timedRun(impl, n, validator, rep === 0 ? (f) => facts[impl] = f : undefined));
    }
  }
  const pairRatios = runs.library.map((r, i) => r.totalMs / runs.hand[i].totalMs);
  const figures = (impl: Impl): ImplFigures => {
    const f = facts[impl]!;
    return {
      wallMs: median(runs[impl].map((r) => r.totalMs)),
      cpuMs: median(runs[impl].map((r) => r.cpuMs)),
      constructMs: median(runs[impl].map((r) => r.constructMs)),
      synthMs: median(runs[impl].map((r) => r.synthMs)),
      runs: runs[impl].map((r) => Math.round(r.totalMs)),
      resourcesPerService: f.serviceResources / n,
      platformResources: f.platformResources,
      maxStackResources: f.maxStackResources,
      serviceResourcesByType: f.serviceResourcesByType,
    };
  };
  return {
    n,
    validator,
    stacks: topology.stackCount + 1,
    edges: topology.edgeCount,
    reps,
    library: figures('library'),
    hand: figures('hand'),
    // Each repetition runs both sides back to back, under the same load: compare within pairs.
    ratio: median(pairRatios),
    ratioIqr: [quantile(pairRatios, 0.25), quantile(pairRatios, 0.75)],
    cpuRatio: median(runs.library.map((r, i) => r.cpuMs / runs.hand[i].cpuMs)),
    extraResources: diffTemplates(facts.library!, facts.hand!, 'library', 'hand-written'),
  };
}

/** The one-time cost of the validator engine in a process: the first validated synthesis minus the next one. */
function measureValidatorStartup(): { firstMs: number; nextMs: number } {
  const first = timedRun('hand', 10, 'on').totalMs;
  const next = timedRun('hand', 10, 'on').totalMs;
  return { firstMs: first, nextMs: next };
}

function spawnSelf(arg: string): { stdout: string; stderr: string } {
  const args = ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, arg];
  return spawnSync(process.execPath, args, {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf-8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function lastJsonLine<T>(output: { stdout: string; stderr: string }, what: string): T | undefined {
  const line = output.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    console.error(`${what} failed: ${output.stderr.slice(-3000)}`);
    return undefined;
  }
}

function runChild(impl: Impl, n: number, validator: ValidatorMode): ChildReport | undefined {
  return lastJsonLine<ChildReport>(spawnSelf(`--child=${impl}:${n}:${validator}`), `peak-memory run ${impl} N=${n} validator ${validator}`);
}

/** What a row process reports: the row, and the validator start-up it paid. */
interface RowReport {
  readonly row: Row;
  readonly startup?: { firstMs: number; nextMs: number };
}

/**
 * One row in a fresh process: aws-cdk-lib keeps every token of every app in a process-wide map,
 * so each app a process builds leaves its heap larger and later runs slower. A process per row
 * keeps rows independent; inside the row the two sides alternate, so both pay the same.
 */
function rowInProcess(spec: string): void {
  const [n, validator, reps] = spec.split(':');
  for (const impl of IMPLS) runOnce(impl, 10, 'off');
  const startup = validator === 'on' ? measureValidatorStartup() : undefined;
  // One untimed pair at the row's own size and mode: otherwise the first timed run pays for
  // growing the heap and compiling the large-N paths, and the first pair's ratio is skewed.
  for (const impl of IMPLS) runOnce(impl, Number(n), validator as ValidatorMode);
  const report: RowReport = { row: measureRow(Number(n), validator as ValidatorMode, Number(reps)), startup };
  console.log(JSON.stringify(report));
}

function child(spec: string): void {
  const [impl, n, validator] = spec.split(':');
  const r = runOnce(impl as Impl, Number(n), validator as ValidatorMode);
  const report: ChildReport = { wallMs: r.totalMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(report));
}

const fmt = (ms: number): string => ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;

function table(rows: Row[]): string[] {
  const lines = [
    '| validator | N | stacks (max resources) | library: time (CPU) | hand-written: time (CPU) | ratio time (CPU) [pairs p25-p75] | construct / synth, library | construct / synth, hand | resources per service, library / hand | peak RSS MiB, library / hand |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const rss = r.library.peakRssMiB !== undefined && r.hand.peakRssMiB !== undefined
      ? `${Math.round(r.library.peakRssMiB)} / ${Math.round(r.hand.peakRssMiB)}` : 'n/a';
    lines.push(`| ${r.validator} | ${r.n} | ${r.stacks} (${r.library.maxStackResources}) | ${fmt(r.library.wallMs)} (${fmt(r.library.cpuMs)}) | ` +
      `${fmt(r.hand.wallMs)} (${fmt(r.hand.cpuMs)}) | **${r.ratio.toFixed(2)}** (${r.cpuRatio.toFixed(2)}) [${r.ratioIqr[0].toFixed(2)}-${r.ratioIqr[1].toFixed(2)}] | ` +
      `${fmt(r.library.constructMs)} / ${fmt(r.library.synthMs)} | ${fmt(r.hand.constructMs)} / ${fmt(r.hand.synthMs)} | ` +
      `${r.library.resourcesPerService.toFixed(2)} / ${r.hand.resourcesPerService.toFixed(2)} | ${rss} |`);
  }
  return lines;
}

function verdicts(rows: Row[]): string[] {
  const lines: string[] = [];
  for (const validator of new Set(rows.map((r) => r.validator))) {
    const mine = rows.filter((r) => r.validator === validator);
    const worst = Math.max(...mine.map((r) => r.ratio));
    const worstCpu = Math.max(...mine.map((r) => r.cpuRatio));
    lines.push(`- validator ${validator}: worst library/hand-written ratio ${worst.toFixed(2)} (CPU ${worstCpu.toFixed(2)}), target <= ${TARGET_RATIO.toFixed(2)}: ` +
      `${worst <= TARGET_RATIO ? 'met' : 'NOT met'}${worst > TARGET_RATIO && worstCpu <= TARGET_RATIO ? ' on wall time, met on CPU time' : ''}.`);
    const at50 = mine.find((r) => r.n === 50);
    const at500 = mine.find((r) => r.n === 500);
    if (at50 && at500) {
      for (const impl of IMPLS) {
        const g = at500[impl].wallMs / at50[impl].wallMs;
        lines.push(`- validator ${validator}: ${impl === 'library' ? 'library' : 'hand-written'} t(500)/t(50) = ${g.toFixed(1)} ` +
          `(CPU ${(at500[impl].cpuMs / at50[impl].cpuMs).toFixed(1)}), target <= ${TARGET_GROWTH}: ${g <= TARGET_GROWTH ? 'met' : 'NOT met'}.`);
      }
    }
  }
  const worstResources = Math.max(...rows.map((r) => r.library.resourcesPerService / r.hand.resourcesPerService));
  lines.push(`- resources per service: library / hand-written <= ${worstResources.toFixed(2)} at every N, target <= ${TARGET_RESOURCES}: ` +
    `${worstResources <= TARGET_RESOURCES ? 'met' : 'NOT met'}.`);
  const extras = rows.flatMap((r) => r.extraResources.map((e) => `N=${r.n}: ${e}`));
  lines.push(extras.length === 0
    ? '- templates: the library\'s templates equal the hand-written ones resource for resource (same logical ids, types and properties) at every N: no extra resource.'
    : `- templates differ (${extras.length} resources): ${extras.slice(0, 20).join('; ')}${extras.length > 20 ? '; …' : ''}`);
  return lines;
}

function resourceTable(rows: Row[]): string[] {
  const row = rows.find((r) => r.n === 50) ?? rows[0];
  const n = row.n;
  const types = new Set([...Object.keys(row.library.serviceResourcesByType), ...Object.keys(row.hand.serviceResourcesByType)]);
  return [
    `Team-stack resources per service at N=${n} (${row.edges} calls, each one security-group ingress rule):`,
    '',
    '| resource type | library | hand-written |',
    '|---|---:|---:|',
    ...[...types].sort().map((t) => `| ${t} | ${((row.library.serviceResourcesByType[t] ?? 0) / n).toFixed(2)} | ${((row.hand.serviceResourcesByType[t] ?? 0) / n).toFixed(2)} |`),
    `| **total** | **${row.library.resourcesPerService.toFixed(2)}** | **${row.hand.resourcesPerService.toFixed(2)}** |`,
    '',
    `Platform stack (VPC, flow logs, namespace, cluster, ECS Exec audit log group): ${row.library.platformResources} resources with the library, ${row.hand.platformResources} by hand.`,
  ];
}

function cdkVersion(): string {
  const manifest = path.join(path.dirname(require.resolve('aws-cdk-lib')), 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf-8')) as { version: string }).version;
}

function main(): void {
  const childSpec = process.argv.find((a) => a.startsWith('--child='));
  if (childSpec) {
    child(childSpec.slice('--child='.length));
    return;
  }
  const rowSpec = process.argv.find((a) => a.startsWith('--row='));
  if (rowSpec) {
    rowInProcess(rowSpec.slice('--row='.length));
    return;
  }
  if (process.argv.includes('--checks-only')) {
    checksMain(process.argv.slice(2).filter((a) => a !== '--checks-only'));
    return;
  }
  const options = parseOptions(process.argv.slice(2));
  // The measuring processes are spawned with this environment and read the context from it.
  if (Object.keys(options.context).length > 0) process.env[EXTRA_CONTEXT_ENV] = JSON.stringify(options.context);
  if (options.compute === 'ec2') process.env[COMPUTE_ENV] = 'ec2';
  // The measuring processes run with --expose-gc and collect garbage before every run.
  const gc = true;
  const started = new Date();
  const load0 = os.loadavg()[0];
  console.log(`cdk-service-connect synthesis benchmark: N = ${options.ns.join(', ')}; validator ${options.validators.join(', ')}; ` +
    `${os.cpus().length} cores, Node ${process.versions.node}${gc ? ', GC before each run' : ''}`);

  let startup: { firstMs: number; nextMs: number } | undefined;
  const rows: Row[] = [];
  for (const validator of options.validators) {
    for (const n of options.ns) {
      const reps = options.reps ?? (n <= 200 ? 9 : 7);
      const report = lastJsonLine<RowReport>(spawnSelf(`--row=${n}:${validator}:${reps}`), `validator ${validator} N=${n}`);
      if (!report) throw new Error(`the run of N=${n} with the validator ${validator} failed`);
      const row = report.row;
      if (report.startup && !startup) {
        startup = report.startup;
        console.log(`validator start-up (once per process): first validated synthesis ${fmt(startup.firstMs)}, next ${fmt(startup.nextMs)} ` +
          `=> ~${fmt(startup.firstMs - startup.nextMs)}`);
      }
      rows.push(row);
      console.log(`validator ${validator} N=${n}: library ${fmt(row.library.wallMs)} (runs ${row.library.runs.join(', ')} ms), ` +
        `hand-written ${fmt(row.hand.wallMs)} (runs ${row.hand.runs.join(', ')} ms), ratio ${row.ratio.toFixed(2)} ` +
        `(CPU ${row.cpuRatio.toFixed(2)})`);
    }
  }

  if (options.rss) {
    for (const row of rows) {
      for (const impl of IMPLS) {
        row[impl].peakRssMiB = runChild(impl, row.n, row.validator)?.maxRssMiB;
      }
      console.log(`peak RSS validator ${row.validator} N=${row.n}: library ${Math.round(row.library.peakRssMiB ?? NaN)} MiB, ` +
        `hand-written ${Math.round(row.hand.peakRssMiB ?? NaN)} MiB`);
    }
  }

  const load1 = os.loadavg()[0];
  const report = [
    '# Synthesis benchmark: cdk-service-connect against hand-written aws-cdk-lib',
    '',
    `Measured ${started.toISOString().slice(0, 10)} with \`npm run bench\`: ${os.cpus().length} cores, Node ${process.versions.node.split('.')[0]}, ` +
    `aws-cdk-lib ${cdkVersion()}, load average ${load0.toFixed(1)} → ${load1.toFixed(1)} ` +
    '(a shared machine: the CPU-time ratio in parentheses is less sensitive to other processes than wall time).',
    '',
    `Topology: N services in one Service Connect namespace, ${SERVICES_PER_STACK} per team stack, plus a platform stack with the VPC, ` +
    'namespace and cluster. Every service has one HTTP port; service i calls service i-1 and service 0 (a URL variable, a ' +
    'security-group ingress rule and a deployment dependency per call). The hand-written side builds the same resources with ' +
    'aws-cdk-lib L2 constructs (bench/handwritten.ts), in the same process, alternating with the library.' +
    (computeOf() === 'ec2' ? ' Compute: EC2 (`--compute=ec2`): every service is a `ConnectedEc2Service` in awsvpc network mode on one Auto Scaling ' +
      'group capacity provider (m6i.large) of the platform stack, against `ecs.Ec2Service` written by hand (bench/ec2.ts).' : ''),
    '',
    `Time = construction + \`app.synth()\` into a temporary directory, median of ${[...new Set(rows.map((r) => r.reps))].join(' or ')} repetitions` +
    `${gc ? ' with garbage collection before each run' : ''}; each repetition runs both sides back to back (alternating which goes first), and the ` +
    'ratio is the median of the per-repetition ratios, so both sides of a ratio ran under the same machine load; in brackets, the 25th and 75th percentiles ' +
    'of those ratios, to show how much a single pair moves. CPU = user + system time of the process. ' +
    'Each (validator, N) row runs in a fresh process, warmed up first with one untimed pair at N=10 and one at the row\'s N (aws-cdk-lib keeps every token of every app in a process-wide map, so a long-lived process slows down). ' +
    'Validator on = the strict context of the test apps ' +
    '(`@aws-cdk/core:validateAgainstDefaultRules` and `@aws-cdk/core:strictCfnValidateErrors`); off = `new App({ builtinCloudFormationValidation: false })`. ' +
    'Peak RSS = `maxRSS` of a separate process that builds and synthesizes once (so it includes Node, ts-node and aws-cdk-lib).' +
    (Object.keys(extraContext()).length > 0 ? ` Extra context on every app of both sides: \`${JSON.stringify(extraContext())}\`.` : ''),
    '',
    ...(startup ? [`Validator start-up, paid once per process: ~${fmt(startup.firstMs - startup.nextMs)} ` +
      `(first validated synthesis ${fmt(startup.firstMs)}, the next ${fmt(startup.nextMs)}).`, ''] : []),
    ...table(rows),
    '',
    '## Targets',
    '',
    ...verdicts(rows),
    '',
    '## Resources',
    '',
    ...resourceTable(rows),
    '',
  ];
  console.log('');
  console.log(report.slice(report.indexOf(table(rows)[0])).join('\n'));
  fs.writeFileSync(options.out, report.join('\n'));
  const raw = {
    date: started.toISOString(),
    node: process.versions.node,
    cores: os.cpus().length,
    loadAverage: [load0, load1],
    startup,
    rows,
  };
  fs.writeFileSync(options.json, JSON.stringify(raw, undefined, 2));
  console.log(`\nwritten: ${path.relative(process.cwd(), options.out)}, ${path.relative(process.cwd(), options.json)}`);
}

main();
