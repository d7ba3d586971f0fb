#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
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
  cdk-service-connect migrate-copilot <manifest.yml> [<manifest.yml> ...] [--out <app.ts>] [options]

Prints a migration plan to Amazon ECS Service Connect; with --out, also writes a TypeScript
CDK app that builds the services with cdk-service-connect.

Options:
  --out <file.ts>        write the generated CDK app to this file
  --namespace <name>     the Cloud Map namespace of the migrated services
  --stack-name <name>    the generated stack (and class) name
  --import <module>      the module the app imports the library from (default: cdk-service-connect)
  --json                 print the plan as JSON instead of the report
  --debug                print stack traces of errors
  -h, --help             show this help

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
}

const VALUE_FLAGS = new Set(['--out', '--namespace', '--stack-name', '--import', '--env', '--app']);
const BOOLEAN_FLAGS = new Set(['--json', '--debug', '--connect-all', '--help', '-h']);

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const inputs: string[] = [];
  const flags = new Map<string, string | true>();
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
  return { command, inputs, flags };
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

function plan(args: Args): MigrationPlan {
  switch (args.command) {
    case 'migrate-appmesh': {
      if (args.inputs.length !== 1) {
        throw new UsageError(`migrate-appmesh takes one template file, got ${args.inputs.length === 0 ? 'none' : args.inputs.join(' ')}.`);
      }
      const file = args.inputs[0];
      return AppMeshMigration.fromTemplate(readInput(file), {
        sourceLabel: path.basename(file),
        namespaceName: flag(args, '--namespace'),
        stackName: flag(args, '--stack-name'),
      });
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
