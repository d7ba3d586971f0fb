#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { runGraph } from './graph';
import { runLint } from './lint';
import { AppMeshMigration } from '../migration/appmesh';
import { CopilotMigration } from '../migration/copilot';
import type { MigrationPlan } from '../migration/plan';
import { MigrationError } from '../migration/util';

/** Where the CLI writes (the process's streams, or buffers in tests). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `Usage:
  cdk-service-connect migrate-appmesh <template.json|template.yaml> [--out <app.ts>] [options]
  cdk-service-connect migrate-appmesh <mesh.yaml> <app.yaml> [...] [--parameter Name=value ...] [--parameters <file.json>]
  cdk-service-connect migrate-copilot <manifest.yml> [<manifest.yml> ...] [--out <app.ts>] [options]
  cdk-service-connect lint <cdk.out | template.json|yaml ...> [--format text|json|sarif] [--baseline <old>]
  cdk-service-connect graph <cdk.out | template.json|yaml ...> [--format mermaid|dot|json]

lint checks Service Connect in any synthesized or hand-written CloudFormation (exit 1 on an error);
graph draws the namespace. Each has its own --help.

migrate-appmesh / migrate-copilot print a migration plan to Amazon ECS Service Connect; with --out, also writes a TypeScript
CDK app that builds the services with cdk-service-connect.

Options:
  --out <file.ts>        write the generated CDK app to this file
  --namespace <name>     the Cloud Map namespace of the migrated services
  --stack-name <name>    the generated stack (and class) name
  --import <module>      the module the app imports the library from (default: cdk-service-connect)
  --json                 print the plan as JSON instead of the report
  --debug                print stack traces of errors
  -h, --help             show this help

migrate-appmesh only:
  --parameter <Name=value>  the value of a template parameter (repeatable); parameters without a value or
                            default stay values of the generated app (stack props / CloudFormation parameters)
  --parameters <file.json>  parameter values: CloudFormation's [{"ParameterKey": ..., "ParameterValue": ...}]
                            or a plain {"Name": "value"} object

  Several templates (e.g. the mesh in one stack, the ECS services in another) are joined through
  their parameters, exports and imports, and names.

migrate-copilot only:
  --env <name>           the Copilot environment: applies the manifests' "environments.<name>"
                         overrides and is \${COPILOT_ENVIRONMENT_NAME}
  --app <name>           the Copilot application: \${COPILOT_APPLICATION_NAME} (and the default namespace)
  --connect-all          connect every service to every server (Copilot's open environment network)
  Other \${VAR} in the manifests come from this process's environment, as with copilot deploy.
`;

interface Args {
  readonly command?: string;
  readonly inputs: string[];
  readonly flags: Map<string, string | true>;
  /** Every value of the repeatable flags, in order. */
  readonly lists: Map<string, string[]>;
}

const VALUE_FLAGS = new Set(['--out', '--namespace', '--stack-name', '--import', '--env', '--app', '--parameter', '--parameters']);
const REPEATABLE_FLAGS = new Set(['--parameter']);
const BOOLEAN_FLAGS = new Set(['--json', '--debug', '--connect-all', '--help', '-h']);

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const inputs: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value.length === 0 || (eq < 0 && value.startsWith('--'))) {
        throw new UsageError(`${name} needs a value.`);
      }
      flags.set(name, value);
      if (REPEATABLE_FLAGS.has(name)) lists.set(name, [...(lists.get(name) ?? []), value]);
    } else if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, true);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}.`);
    } else if (command === undefined) {
      command = a;
    } else {
      inputs.push(a);
    }
  }
  return { command, inputs, flags, lists };
}

function readInput(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new MigrationError(`cannot read ${file}: no such file.`);
  }
  if (stat.isDirectory()) throw new MigrationError(`cannot read ${file}: it is a directory, not a file.`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new MigrationError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

function flag(args: Args, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** The values of --parameters (file) and --parameter Name=value (which win). */
function parameterValues(args: Args): { [name: string]: string } {
  const values: { [name: string]: string } = {};
  const file = flag(args, '--parameters');
  if (file !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(readInput(file));
    } catch (e) {
      if (e instanceof MigrationError) throw e;
      throw new MigrationError(`${file} is not valid JSON: ${(e as Error).message}.`);
    }
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && typeof (doc as { Parameters?: unknown }).Parameters === 'object') {
      doc = (doc as { Parameters: unknown }).Parameters;
    }
    if (Array.isArray(doc)) {
      for (const p of doc) {
        const k = (p as { ParameterKey?: unknown })?.ParameterKey;
        const v = (p as { ParameterValue?: unknown })?.ParameterValue;
        if (typeof k !== 'string' || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
          throw new MigrationError(`${file}: every entry needs a "ParameterKey" and a "ParameterValue" (got ${JSON.stringify(p)}).`);
        }
        values[k] = String(v);
      }
    } else if (doc !== null && typeof doc === 'object') {
      for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          throw new MigrationError(`${file}: the value of ${k} is not a string or number.`);
        }
        values[k] = String(v);
      }
    } else {
      throw new MigrationError(`${file}: expected [{"ParameterKey": ..., "ParameterValue": ...}] or {"Name": "value"}.`);
    }
  }
  for (const p of args.lists.get('--parameter') ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--parameter takes Name=value, got ${JSON.stringify(p)}.`);
    values[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return values;
}

function plan(args: Args): MigrationPlan {
  switch (args.command) {
    case 'migrate-appmesh': {
      if (args.inputs.length === 0) throw new UsageError('migrate-appmesh needs at least one template file.');
      const options = {
        namespaceName: flag(args, '--namespace'),
        stackName: flag(args, '--stack-name'),
        parameters: parameterValues(args),
      };
      if (args.inputs.length === 1) {
        const file = args.inputs[0];
        return AppMeshMigration.fromTemplate(readInput(file), { ...options, sourceLabel: path.basename(file) });
      }
      return AppMeshMigration.fromTemplates(args.inputs.map((f) => ({ text: readInput(f), fileName: path.basename(f) })), options);
    }
    case 'migrate-copilot': {
      if (args.inputs.length === 0) throw new UsageError('migrate-copilot needs at least one manifest file.');
      return CopilotMigration.fromManifests(args.inputs.map((f) => ({ text: readInput(f), fileName: f })), {
        environment: flag(args, '--env'),
        appName: flag(args, '--app'),
        namespaceName: flag(args, '--namespace'),
        stackName: flag(args, '--stack-name'),
        connectAll: args.flags.has('--connect-all'),
      });
    }
    default:
      throw new UsageError(args.command === undefined ? 'no command given.' : `unknown command "${args.command}".`);
  }
}

/**
 * Run the command line with `argv` (without the node and script paths) and return the exit
 * status: 0 on success, 1 when the input cannot be converted, 2 for a usage error.
 */
export function run(argv: string[], io: CliIo): number {
  if (argv[0] === 'lint') return runLint(argv.slice(1), io);
  if (argv[0] === 'graph') return runGraph(argv.slice(1), io);
  let debug = argv.includes('--debug');
  try {
    const args = parseArgs(argv);
    debug = args.flags.has('--debug');
    if (args.flags.has('--help') || args.flags.has('-h') || args.command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    const p = plan(args);
    if (args.flags.has('--json')) {
      io.stdout(`${JSON.stringify({ ...p, deploymentOrder: p.deploymentOrder }, null, 2)}\n`);
    } else {
      io.stdout(p.toReport());
    }
    const out = flag(args, '--out');
    if (out !== undefined) {
      const code = p.toCdkApp({ importPath: flag(args, '--import') });
      try {
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        fs.writeFileSync(out, code);
      } catch (e) {
        throw new MigrationError(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
      }
      (args.flags.has('--json') ? io.stderr : io.stdout)(`Wrote the CDK app to ${out} (stack class ${p.stackName}).\n`);
    }
    return 0;
  } catch (e) {
    const err = e as Error;
    if (err instanceof UsageError) {
      io.stderr(`cdk-service-connect: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    const message = err instanceof MigrationError ? err.message : `unexpected error: ${err?.message ?? String(e)} (run with --debug for details)`;
    io.stderr(`cdk-service-connect: ${message.split('\n')[0]}\n`);
    if (debug && err?.stack) io.stderr(`${err.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  // A reader that stops early (`| head`) closes the pipe: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = run(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
