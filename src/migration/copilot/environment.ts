import type { Report } from './ports';
import { FindingSeverity } from '../types';
import { isObject, MigrationError } from '../util';

/** `--env` must name an environment of some manifest; without it, overrides are ignored (a finding). */
export function checkEnvironment(docs: Array<Record<string, unknown>>, env: string | undefined, report: Report): void {
  const declared = new Set<string>();
  for (const d of docs) {
    if (isObject(d.environments)) Object.keys(d.environments).forEach((e) => declared.add(e));
  }
  if (declared.size === 0) return;
  if (env === undefined) {
    report('environment-not-chosen', FindingSeverity.WARNING, 'every service', 'environment overrides',
      `the manifests override values for the environment(s) ${[...declared].join(', ')}, and no environment was chosen.`,
      'The plan uses the top-level values only, which no Copilot environment ran if they are overridden. Rerun with --env <name> (and --app <name>) for the environment you migrate.');
  } else if (!declared.has(env)) {
    throw new MigrationError(`--env ${env} matches no environment of the manifests (they override ${[...declared].join(', ')}); ` +
      'pass one of those, or leave --env out to use the top-level values.');
  }
}

/** Findings for the `${VAR}` the manifests used: from the environment (fixed now) or undefined. */
export function interpolationFindings(read: Array<{ file: string; undefinedVariables: string[]; fromEnvironment: string[] }>, report: Report): void {
  const missing = new Map<string, string[]>();
  for (const r of read) {
    for (const v of r.undefinedVariables) missing.set(v, [...missing.get(v) ?? [], r.file]);
    if (r.fromEnvironment.length > 0) {
      report('interpolated', FindingSeverity.INFO, r.file, '${VAR} interpolation',
        `substituted ${r.fromEnvironment.map((v) => `\${${v}}`).join(', ')} from the environment, as copilot deploy did.`,
        'The values are fixed in the generated app: regenerate it, or replace them with CDK context or stack parameters, if they change per deployment.');
    }
  }
  for (const [name, files] of missing) {
    if (name === 'COPILOT_SERVICE_DISCOVERY_ENDPOINT') continue; // rewritten to Service Connect aliases, or reported per variable
    const option = name === 'COPILOT_APPLICATION_NAME' ? ' (--app / appName)' : name === 'COPILOT_ENVIRONMENT_NAME' ? ' (--env / environment)' : '';
    report('interpolation-undefined', FindingSeverity.WARNING, files.join(', '), '${VAR} interpolation',
      `\${${name}} is used and not defined${option}: copilot deploy would have refused the manifest.`,
      `Pass ${option ? option.slice(2, -1) : `${name} in the environment (or processEnvironment)`} and rerun; until then, values that contain it are left out of the plan (see the findings about them).`);
  }
}
