import * as path from 'path';
import { pathToFileURL } from 'url';
import { CliUsageError, guarded, parseOptions, readTemplates } from './inputs';
import type { AppFinding } from '../private/namespace/app';
import { lintTemplates } from '../private/template/lint';
import { lineOf } from '../private/template/reader';
import type { TemplateSource } from '../private/template/reader';
import { show } from '../private/validation/problems';
import { RULES, runsOf } from '../private/validation/rules';
import type { RuleDefinition, RuleId } from '../private/validation/rules';

/** `cdk-service-connect lint`: the library's Service Connect rules over templates. */

export const LINT_USAGE = `Usage:
  cdk-service-connect lint <cdk.out | template.json|yaml ...> [--format text|json|sarif] [--baseline <old cdk.out|template>]

Checks the Service Connect settings of synthesized or hand-written CloudFormation templates
(ECS clusters, services, task definitions, Cloud Map namespaces, security groups, alarms and
dashboards) with the rules of cdk-service-connect. With --baseline, also the changes that an
update cannot make to a Service Connect service (replacement, a changed appProtocol).

Exit status: 1 when an error is found (or an input cannot be read), 0 otherwise, 2 for a usage error.
`;

const FORMATS = ['text', 'json', 'sarif'];

/** Run `lint` with its arguments (after the command name); returns the exit status. */
export function runLint(argv: readonly string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }): number {
  return guarded(LINT_USAGE, io, () => {
    const { inputs, flags } = parseOptions(argv, ['--format', '--baseline']);
    if (flags.has('--help')) {
      io.stdout(LINT_USAGE);
      return 0;
    }
    const format = flags.get('--format') ?? 'text';
    if (!FORMATS.includes(format)) throw new CliUsageError(`--format is one of ${FORMATS.join(', ')}, got "${format}".`);
    if (inputs.length === 0) throw new CliUsageError('lint needs a cloud assembly directory (cdk.out) or template files.');
    const sources = readTemplates(inputs);
    const baselineInput = flags.get('--baseline');
    const baseline = baselineInput !== undefined ? readTemplates([baselineInput]) : undefined;
    const { findings, model } = lintTemplates(sources, baseline);
    const byName = new Map(sources.map((s) => [s.name, s]));
    const files = new Map(sources.map((s) => [s.name, fileOf(inputs, s.name)]));
    if (format === 'json') {
      io.stdout(`${JSON.stringify({
        findings: findings.map((f) => ({ file: files.get(f.at.template), ...jsonFinding(f) })),
        summary: { ...count(findings), templates: sources.length, services: model.services.length },
      }, null, 2)}\n`);
    } else if (format === 'sarif') {
      io.stdout(`${JSON.stringify(toSarif(findings, byName, files), null, 2)}\n`);
    } else {
      io.stdout(toText(findings, sources.length, model.services.length));
    }
    return findings.some((f) => f.level === 'error') ? 1 : 0;
  });
}

/** The file a template name stands for (a directory input's templates are under it). */
function fileOf(inputs: readonly string[], name: string): string {
  if (inputs.includes(name)) return name;
  const dir = inputs.find((i) => !/\.(json|ya?ml|template)$/i.test(i)) ?? inputs[0];
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

function count(findings: readonly AppFinding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.level === 'error').length;
  return { errors, warnings: findings.length - errors };
}

function jsonFinding(f: AppFinding) {
  return {
    template: f.at.template,
    logicalId: f.at.logicalId,
    path: f.at.path,
    rule: f.rule,
    level: f.level,
    value: f.value ?? null,
    message: f.detail,
    fix: f.fix,
  };
}

/** One finding as a line of text: `template logicalId path: level [rule] value: detail Fix: fix`. */
export function findingLine(f: AppFinding): string {
  return `${f.at.template} ${f.at.logicalId}${f.at.path ? ` ${f.at.path}` : ''}: ${f.level} [${f.rule}] ` +
    `${f.value === undefined ? '(unset)' : show(f.value)}: ${f.detail} Fix: ${f.fix}`;
}

function toText(findings: readonly AppFinding[], templates: number, services: number): string {
  const { errors, warnings } = count(findings);
  const lines = findings.map(findingLine);
  lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${templates} ` +
    `template${templates === 1 ? '' : 's'} (${services} Service Connect service${services === 1 ? '' : 's'}).`);
  return `${lines.join('\n')}\n`;
}

/** A file as a SARIF artifact URI: relative to the working directory (the repository root in CI) when inside it. */
function sarifUri(file: string): string {
  const abs = path.resolve(file);
  const rel = path.relative(process.cwd(), abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? pathToFileURL(abs).href : rel.split(path.sep).join('/');
}

const HELP_URI = 'https://github.com/cdk-service-connect/cdk-service-connect#validation';

/** SARIF 2.1.0: one run, the rules that ran on templates, one result per finding. */
export function toSarif(findings: readonly AppFinding[], sources: ReadonlyMap<string, TemplateSource>,
  files: ReadonlyMap<string, string | undefined>): object {
  const ids = (Object.keys(RULES) as RuleId[]).filter((id) => runsOf(RULES[id] as RuleDefinition).some((r) => r === 'lint' || r === 'baseline'));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk-service-connect',
          informationUri: HELP_URI,
          rules: ids.map((id) => ({
            id,
            name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
            shortDescription: { text: RULES[id].text },
            defaultConfiguration: { level: RULES[id].level },
            helpUri: HELP_URI,
            properties: { tags: ['service-connect', RULES[id].area] },
          })),
        },
      },
      results: findings.map((f) => {
        const source = sources.get(f.at.template);
        const line = source ? lineOf(source, f.at.logicalId) : undefined;
        return {
          ruleId: f.rule,
          ruleIndex: ids.indexOf(f.rule),
          level: f.level,
          message: { text: `${f.at.logicalId}${f.at.path ? `.${f.at.path}` : ''} = ${f.value === undefined ? '(unset)' : show(f.value)}: ${f.detail} Fix: ${f.fix}` },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: sarifUri(files.get(f.at.template) ?? f.at.template) },
              ...(line !== undefined ? { region: { startLine: line } } : {}),
            },
            logicalLocations: [{ name: f.at.logicalId, fullyQualifiedName: `${f.at.logicalId}${f.at.path ? `.${f.at.path}` : ''}`, kind: 'resource' }],
          }],
          partialFingerprints: { logicalLocation: `${f.at.template}/${f.at.logicalId}/${f.at.path}/${f.rule}` },
        };
      }),
    }],
  };
}
