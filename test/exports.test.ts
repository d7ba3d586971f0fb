import { readFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';

/**
 * The public API is what API.md shows (generated from the jsii assembly by the build, which CI
 * checks is current): every class, interface and enum exported from the package root (and from
 * the `migration` submodule), and nothing else. A helper function, constant or type alias
 * exported through `export *` would be part of the TypeScript API but of no other language's, so
 * it fails here.
 */
/* eslint-disable no-bitwise */ // TypeScript symbol flags are bit sets
const ROOT = join(__dirname, '..');
const PACKAGE = 'cdk-service-connect';

function apiMdTypes(): string[] {
  const md = readFileSync(join(ROOT, 'API.md'), 'utf8');
  const ids = [...md.matchAll(/id="(cdk-service-connect\.[^"]+)"/g)].map((m) => m[1]);
  // Type ids are `<package>.<Type>` or `<package>.<submodule>.<Type>`; members add more parts
  // (`.Initializer`, `.property.x`), and a submodule id has a lowercase last part.
  const types = ids.filter((id) => {
    const parts = id.split('.');
    return (parts.length === 2 || (parts.length === 3 && /^[a-z]/.test(parts[1]))) && /^[A-Z]/.test(parts[parts.length - 1]);
  });
  return [...new Set(types)].sort();
}

interface Exported { readonly fqn: string; readonly kind: 'type' | 'other' }

function rootExports(): Exported[] {
  const index = join(ROOT, 'src', 'index.ts');
  const program = ts.createProgram([index], { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  const out: Exported[] = [];
  const visit = (symbol: ts.Symbol, prefix: string): void => {
    for (const exported of checker.getExportsOfModule(symbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (target.flags & ts.SymbolFlags.ValueModule) {
        visit(target, `${prefix}.${exported.name}`);
        continue;
      }
      const isType = (target.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.Enum)) !== 0;
      out.push({ fqn: `${prefix}.${exported.name}`, kind: isType ? 'type' : 'other' });
    }
  };
  visit(moduleSymbol, PACKAGE);
  return out.sort((a, b) => a.fqn.localeCompare(b.fqn));
}

describe('the public API', () => {
  const exported = rootExports();

  test('exports only classes, interfaces and enums (no helper functions, constants or type aliases)', () => {
    expect(exported.filter((e) => e.kind === 'other').map((e) => e.fqn)).toEqual([]);
  });

  test('is exactly what API.md shows (the jsii assembly)', () => {
    expect(exported.filter((e) => e.kind === 'type').map((e) => e.fqn).sort()).toEqual(apiMdTypes());
  });

  test('puts the migration tools in the `migration` submodule', () => {
    expect(exported.map((e) => e.fqn)).toContain(`${PACKAGE}.migration.AppMeshMigration`);
    expect(exported.map((e) => e.fqn)).not.toContain(`${PACKAGE}.AppMeshMigration`);
  });
});
