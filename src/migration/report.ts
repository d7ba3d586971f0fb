import { EnvoySizing } from '../sizing';
import type { MigrationPlan } from './plan';
import type { MigratedService } from './types';
import { FindingSeverity, MigrationSource } from './types';
import { endpointUrl, plural } from './util';

const WIDTH = 110;

/** Render a plan as plain text. */
export function renderReport(plan: MigrationPlan): string {
  const out: string[] = [];
  const from = plan.source === MigrationSource.APP_MESH ? 'App Mesh' : 'AWS Copilot';
  const title = `${from} → ECS Service Connect migration plan: ${plan.sourceLabel}`;
  out.push(title, '='.repeat(Math.min(title.length, WIDTH)), '');
  const bySeverity = (s: FindingSeverity) => plan.findings.filter((f) => f.severity === s).length;
  out.push(`Namespace: ${plan.namespaceName} (an AWS Cloud Map HTTP namespace, the cluster's Service Connect default)`);
  out.push(`${plural(plan.services.length, 'service')}, ${plural(plan.connections.length, 'connection')}; findings: ` +
    `${plural(bySeverity(FindingSeverity.BLOCKER), 'blocker')}, ${plural(bySeverity(FindingSeverity.WARNING), 'warning')}, ` +
    `${bySeverity(FindingSeverity.INFO)} info`);
  out.push('');

  out.push('Services', '--------');
  for (const s of plan.services) {
    out.push(...renderService(plan, s), '');
  }

  out.push('Connections (client → server, each becomes client.connectTo(server))', '---------------------------------------------------------------------');
  if (plan.connections.length === 0) out.push('  (none)');
  for (const c of plan.connections) {
    out.push(`  ${c.client} → ${c.server} [${c.portName}]: ${c.environmentVariable}=${c.url}   (${c.reason})`);
  }
  out.push('');

  out.push('Findings', '--------');
  if (plan.findings.length === 0) out.push('  (none)');
  const order = [FindingSeverity.BLOCKER, FindingSeverity.WARNING, FindingSeverity.INFO];
  for (const severity of order) {
    for (const f of plan.findings.filter((x) => x.severity === severity)) {
      out.push(`  ${severity.toUpperCase()} [${f.code}] ${f.feature}: ${f.subject}`);
      out.push(...wrap(`Found: ${f.detail}`, '      '));
      out.push(...wrap(`Instead: ${f.recommendation}`, '      '));
    }
  }
  out.push('');

  out.push('Remove after the cutover', '------------------------');
  if (plan.removals.length === 0) out.push('  (nothing)');
  for (const r of plan.removals) out.push(...wrap(`- ${r}`, '    ', '  '));
  out.push('');

  out.push('Deployment order (servers first, then redeploy their clients)', '-------------------------------------------------------------');
  plan.deploymentOrder.forEach((id, i) => {
    const calls = plan.connections.filter((c) => c.client === id).map((c) => c.server);
    out.push(`  ${i + 1}. ${id}${calls.length ? ` (after ${[...new Set(calls)].join(', ')})` : ''}`);
  });
  out.push('');
  return out.join('\n');
}

function renderService(plan: MigrationPlan, s: MigratedService): string[] {
  const out: string[] = [];
  out.push(`${s.id} ← ${s.sourceKind} ${s.sourceName} (${s.sourceLocation})`);
  if (s.ports.length === 0) {
    out.push('  ports: none (client-only: its proxy handles outbound calls only)');
  }
  for (const p of s.ports) {
    out.push(`  port ${p.name}: container ${p.containerPort}/${p.protocol}, discoveryName ${p.discoveryName}, dnsName ${p.dnsName}` +
      ` → ${endpointUrl(p)}`);
    const t = [
      p.idleTimeoutSeconds !== undefined ? `idle ${p.idleTimeoutSeconds} s` : undefined,
      p.perRequestTimeoutSeconds !== undefined ? `per request ${p.perRequestTimeoutSeconds} s` : undefined,
    ].filter(Boolean);
    if (t.length) out.push(`    timeouts: ${t.join(', ')}`);
  }
  out.push(`  image: ${s.ecrRepository !== undefined ? `ECR repository ${s.ecrRepository}, tag ${s.imageTag ?? 'latest'}` : s.image ?? 'REPLACE_ME (unknown: fill it in)'}`);
  out.push(`  tasks: ${s.desiredCount ?? '2 (library default)'}${s.arm64 ? ', ARM64' : ''}`);
  const z = s.sizing;
  const price = EnvoySizing.priceOf(z.taskCpu, z.taskMemoryMiB);
  out.push(`  sizing: app ${z.appCpu} CPU / ${z.appMemoryMiB} MiB${z.estimated ? ' (estimated)' : ''} + Service Connect proxy ` +
    `(budget ${z.proxyBudgetCpu} CPU / ${z.proxyBudgetMemoryMiB} MiB, gets ${z.proxyCpu} / ${z.proxyMemoryMiB}) → task ` +
    `${z.taskCpu} CPU / ${z.taskMemoryMiB} MiB ($${price.toFixed(4)}/h per task)`);
  if (z.previousTaskCpu !== undefined && z.previousTaskMemoryMiB !== undefined) {
    const before = EnvoySizing.priceOf(z.previousTaskCpu, z.previousTaskMemoryMiB);
    out.push(`    was task ${z.previousTaskCpu} CPU / ${z.previousTaskMemoryMiB} MiB ($${before.toFixed(4)}/h)` +
      (z.freedCpu !== undefined ? `; the removed Envoy frees ${z.freedCpu} CPU / ${z.freedMemoryMiB ?? 0} MiB` : ''));
  }
  for (const r of s.removedSidecars) {
    out.push(`  remove: sidecar "${r.containerName}" (${r.image})${r.proxyConfiguration ? ' and ProxyConfiguration type APPMESH' : ''} from ${r.taskDefinition}`);
  }
  const env = Object.keys(s.environment);
  if (env.length || s.secrets.length) {
    out.push(`  environment: ${env.length ? env.join(', ') : 'none'}; secrets: ${s.secrets.length ? s.secrets.map((x) => x.name).join(', ') : 'none'}`);
  }
  const calls = plan.connections.filter((c) => c.client === s.id);
  if (calls.length) out.push(`  calls: ${calls.map((c) => `${c.server} (${c.url})`).join(', ')}`);
  const callers = plan.connections.filter((c) => c.server === s.id);
  if (callers.length) out.push(`  called by: ${[...new Set(callers.map((c) => c.client))].join(', ')}`);
  return out;
}

/** Word-wrap `text` at the report width. */
function wrap(text: string, indent: string, firstIndent = indent): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = firstIndent;
  for (const w of words) {
    if (line.trim().length > 0 && line.length + 1 + w.length > WIDTH) {
      lines.push(line);
      line = indent;
    }
    line += line.trim().length > 0 ? ` ${w}` : w;
  }
  if (line.trim().length > 0) lines.push(line);
  return lines;
}
