import * as fs from 'fs';
import * as path from 'path';
import { parseTemplateText, TemplateError } from '../private/template/reader';
import type { TemplateSource } from '../private/template/reader';

/**
 * Reads the inputs of `lint` and `graph`: a cloud assembly directory (`cdk.out`, every
 * `*.template.json` in it and in its nested assemblies) or template files (JSON or YAML).
 */

/** A usage mistake (exit status 2). */
export class CliUsageError extends Error {}

/** An input that cannot be read (exit status 1 with a message). */
export class CliInputError extends Error {}

function templatesIn(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('assembly-')) out.push(...templatesIn(full));
    } else if (entry.name.endsWith('.template.json')) {
      out.push(full);
    }
  }
  return out;
}

/**
 * The object keys a cloud assembly publishes its file assets under, by the asset's file (from
 * every `*.assets.json` of the directory): how a nested stack's `TemplateURL` names its template.
 */
function assetKeys(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && entry.name.startsWith('assembly-')) visit(full);
      if (!entry.isFile() || !entry.name.endsWith('.assets.json')) continue;
      try {
        const files = (JSON.parse(fs.readFileSync(full, 'utf8')) as { files?: Record<string, any> }).files ?? {};
        for (const asset of Object.values(files)) {
          const source = typeof asset?.source?.path === 'string' ? path.join(d, asset.source.path) : undefined;
          if (!source) continue;
          const keys = Object.values(asset.destinations ?? {}).flatMap((x: any) => (typeof x?.objectKey === 'string' ? [x.objectKey.split('/').pop()] : []));
          out.set(source, [...(out.get(source) ?? []), ...keys]);
        }
      } catch {
        // an asset manifest that cannot be read only loses the link to nested stacks
      }
    }
  };
  visit(dir);
  return out;
}

/** Read every template of the inputs; template names are the paths as given (inside a directory: the path under it). */
export function readTemplates(inputs: readonly string[]): TemplateSource[] {
  const sources: TemplateSource[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new CliInputError(`cannot read ${input}: no such file or directory.`);
    }
    const files = stat.isDirectory() ? templatesIn(input) : [input];
    const keys = stat.isDirectory() ? assetKeys(input) : new Map<string, string[]>();
    if (stat.isDirectory() && files.length === 0) {
      throw new CliInputError(`${input} holds no *.template.json: expected a cloud assembly (cdk.out) or template files.`);
    }
    for (const file of files) {
      const name = (stat.isDirectory() ? path.relative(input, file) : file).split(path.sep).join('/');
      try {
        const source = parseTemplateText(fs.readFileSync(file, 'utf8'), name);
        const aliases = keys.get(file);
        sources.push(aliases ? { ...source, aliases } : source);
      } catch (e) {
        if (e instanceof TemplateError) throw new CliInputError(e.message);
        throw new CliInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
      }
    }
  }
  return sources;
}

/** The arguments of a subcommand: inputs, and `--flag value` / `--flag=value` options. */
export function parseOptions(argv: readonly string[], valueFlags: readonly string[]): { inputs: string[]; flags: Map<string, string> } {
  const inputs: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (name === '--help' || name === '-h') {
      flags.set('--help', 'true');
    } else if (valueFlags.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value.length === 0 || (eq < 0 && value.startsWith('--'))) throw new CliUsageError(`${name} needs a value.`);
      flags.set(name, value);
    } else if (a.startsWith('-') && a !== '-') {
      throw new CliUsageError(`unknown option ${a}.`);
    } else {
      inputs.push(a);
    }
  }
  return { inputs, flags };
}

/** Run a subcommand body, mapping errors to exit statuses (2 usage, 1 unreadable input). */
export function guarded(usage: string, io: { stdout: (t: string) => void; stderr: (t: string) => void }, body: () => number): number {
  try {
    return body();
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.stderr(`cdk-service-connect: ${e.message}\n\n${usage}`);
      return 2;
    }
    const message = e instanceof CliInputError ? e.message : `unexpected error: ${(e as Error)?.message ?? String(e)}`;
    io.stderr(`cdk-service-connect: ${message}\n`);
    return 1;
  }
}
