import * as fs from 'fs';
import * as path from 'path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import type { MigrationPlan } from '../../src/migration';
import { strictApp } from '../helpers';

const SRC = path.resolve(__dirname, '../../src');

/** Write the CDK app a plan generates into `dir`, importing the library from the repo's src/. */
export function writeGeneratedApp(plan: MigrationPlan, dir: string, name: string): string {
  const file = path.join(dir, `${name}.ts`);
  fs.writeFileSync(file, plan.toCdkApp({ importPath: path.relative(dir, SRC).split(path.sep).join('/') }));
  return file;
}

/** Type-check generated files with the project's strict compiler options; return the diagnostics in those files. */
export function typeCheck(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    skipLibCheck: true,
    esModuleInterop: true,
  });
  return ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.includes(path.resolve(d.file.fileName)))
    .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** Load a generated app through jest's TypeScript transform and synthesize its stack in a strict app. */
export function synthesize(file: string, className: string): Template {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file);
  const app = strictApp();
  const stack: Stack = new mod[className](app, 'Migrated');
  app.synth();
  return Template.fromStack(stack);
}
