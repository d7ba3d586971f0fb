import type { DiscoveryTarget } from './discovery';
import { rewriteDiscoveryHosts } from './discovery';
import type { ParsedService, Report } from './ports';
import type { MigratedService } from '../types';
import { FindingSeverity } from '../types';

/** `<svc>.<env>.<app>.local` and `<svc>.${COPILOT_SERVICE_DISCOVERY_ENDPOINT}` in variables are calls to that service. */
export function rewriteDiscovery(
  parsed: ParsedService[], services: MigratedService[], edgesOut: Map<string, Map<string, string>>, report: Report, env?: string, app?: string,
): void {
  const targets: Array<DiscoveryTarget & { id: string }> = services.filter((s) => s.ports.length > 0)
    .map((s) => ({ id: s.id, name: s.sourceName, dnsName: s.ports[0].dnsName, clientPort: s.ports[0].clientPort }));
  services.forEach((client, i) => {
    const vars = client.environment as Record<string, string>;
    for (const [k, v] of Object.entries(vars)) {
      const others = targets.filter((t) => t.id !== client.id);
      const { value, rewrites } = rewriteDiscoveryHosts(v, others, env, app);
      const stale = /(^|[^A-Za-z0-9.-])([a-z][a-z0-9-]*)\.[a-z0-9-]+\.[a-z0-9-]+\.local(?![A-Za-z0-9.-])/.exec(value);
      if (stale) {
        report('service-discovery-unknown', FindingSeverity.WARNING, `${parsed[i].type} ${parsed[i].name} (${parsed[i].file})`, 'service-discovery name',
          `${k} calls ${stale[0].slice(stale[1].length)}, a Copilot service-discovery name of no service the plan migrates (or of another environment).`,
          'The migrated services run in a new VPC and namespace and cannot resolve Copilot\'s <env>.<app>.local names: migrate that service too ' +
          '(its Service Connect alias then replaces the name), or call it through a load balancer.');
      }
      if (rewrites.length === 0) continue;
      vars[k] = value;
      for (const r of rewrites) {
        const server = others.find((t) => t.name === r.target.name)!;
        const edges = edgesOut.get(client.id) ?? new Map<string, string>();
        edges.set(server.id, `${parsed[i].name}'s variable ${k} called ${r.original}`);
        edgesOut.set(client.id, edges);
        report('service-discovery-url', r.otherPort !== undefined ? FindingSeverity.WARNING : FindingSeverity.INFO, `${parsed[i].type} ${parsed[i].name} (${parsed[i].file})`,
          'service-discovery name', `${k} called ${r.original} through Copilot's service discovery; the plan rewrites it to ${r.replacement} and connects ${client.id} to ${server.id}.`,
          r.otherPort !== undefined ? `The value dialled port ${r.otherPort}, but Service Connect serves ${server.name} on ${r.target.clientPort} only: check the call.` : 'Nothing to do.');
      }
    }
  });
}

/**
 * `${VAR}` never reaches ECS, which does not expand it (and CloudFormation's validator rejects a
 * `${…}` outside Fn::Sub): a value with an undefined variable, or one the manifest escaped
 * (`\${VAR}`, passed literally by Copilot), is left out with a finding.
 */
export function dropUnresolved(parsed: ParsedService[], services: MigratedService[], undefinedIn: Map<string, Set<string>>, report: Report): void {
  services.forEach((s, i) => {
    const env = s.environment as Record<string, string>;
    const undefinedHere = undefinedIn.get(parsed[i].name) ?? new Set<string>();
    for (const [k, v] of Object.entries(env)) {
      const all = [...new Set([...`${k}=${v}`.matchAll(/\$\{([^}]*)\}/g)].map((x) => x[1]))];
      const left = all.filter((x) => undefinedHere.has(x) || x === 'COPILOT_SERVICE_DISCOVERY_ENDPOINT');
      if (all.length === 0) continue;
      delete env[k];
      if (left.length === 0) {
        report('variable-literal', FindingSeverity.WARNING, `${parsed[i].type} ${parsed[i].name} (${parsed[i].file})`, 'escaped ${VAR}',
          `${k} is ${JSON.stringify(v)}: the manifest escaped it (\\\${…}), so Copilot passed the text literally and ECS did not expand it.`,
          `Left out: CloudFormation's validator rejects \${…} outside Fn::Sub (E1029). If the app expands it itself, add ${k} by hand ` +
          '(service.container.addEnvironment) and acknowledge CloudFormation-Validate::E1029.');
        continue;
      }
      report('variable-unresolved', FindingSeverity.WARNING, `${parsed[i].type} ${parsed[i].name} (${parsed[i].file})`, 'variable not migrated',
        `${k} is ${JSON.stringify(v)}, and nothing defines ${left.map((x) => `\${${x}}`).join(', ')}.`,
        `Left out (ECS never expands \${…}): pass the value (--app, --env or the environment) and rerun, or set ${k} by hand.`);
    }
  });
}
