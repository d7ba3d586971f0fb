import { CliUsageError, guarded, parseOptions, readTemplates } from './inputs';
import { buildGraph } from '../private/namespace/graph';
import type { GraphCall, GraphService, NamespaceGraph } from '../private/namespace/graph';
import { lintTemplates } from '../private/template/lint';

/** `cdk-service-connect graph`: the namespace of templates as Mermaid, Graphviz DOT or JSON. */

export const GRAPH_USAGE = `Usage:
  cdk-service-connect graph <cdk.out | template.json|yaml ...> [--format mermaid|dot|json]

Draws the Service Connect services of synthesized or hand-written templates, grouped by stack
and cluster: their ports (protocol, client alias) and who calls whom (from URL environment
variables naming an alias, as connectTo writes them, and from security-group rules).
`;

const FORMATS = ['mermaid', 'dot', 'json'];

/** Run `graph` with its arguments (after the command name); returns the exit status. */
export function runGraph(argv: readonly string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }): number {
  return guarded(GRAPH_USAGE, io, () => {
    const { inputs, flags } = parseOptions(argv, ['--format']);
    if (flags.has('--help')) {
      io.stdout(GRAPH_USAGE);
      return 0;
    }
    const format = flags.get('--format') ?? 'mermaid';
    if (!FORMATS.includes(format)) throw new CliUsageError(`--format is one of ${FORMATS.join(', ')}, got "${format}".`);
    if (inputs.length === 0) throw new CliUsageError('graph needs a cloud assembly directory (cdk.out) or template files.');
    const graph = buildGraph(lintTemplates(readTemplates(inputs)).model);
    io.stdout(format === 'json' ? `${JSON.stringify(graph, null, 2)}\n` : format === 'dot' ? toDot(graph) : toMermaid(graph));
    return 0;
  });
}

function groups(graph: NamespaceGraph): Map<string, GraphService[]> {
  const out = new Map<string, GraphService[]>();
  for (const s of graph.services) {
    const key = `${s.stack}\u0000cluster ${s.cluster}${s.namespace ? `, namespace ${s.namespace}` : ''}`;
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return out;
}

/** Words Mermaid's flowchart parser reads as keywords, never node ids. */
const MERMAID_KEYWORDS = new Set(['end', 'subgraph', 'graph', 'flowchart', 'style', 'class', 'classdef', 'click', 'linkstyle', 'direction', 'call', 'href', 'default']);

function mermaidIds(graph: NamespaceGraph): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const s of graph.services) {
    let base = s.label.replace(/[^A-Za-z0-9_]/g, '_');
    if (base === '' || /^[0-9_]/.test(base) || MERMAID_KEYWORDS.has(base.toLowerCase())) base = `svc_${base}`;
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    ids.set(s.id, id);
  }
  return ids;
}
/** Text inside a quoted Mermaid label: entity codes for `#`, `"`, `<`, `>` (`<br/>` line breaks are added after). */
const mermaidText = (t: string) => t.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

/** An edge's label: the alias the client dials (or the port name). */
function edgeLabel(graph: NamespaceGraph, c: GraphCall): string {
  const port = graph.services.find((s) => s.id === c.to)?.ports.find((p) => p.name === c.port);
  return port?.alias ?? c.port ?? '';
}

function portLines(s: GraphService): string[] {
  return s.ports.map((p) => `${p.name} (${p.protocol}${p.alias ? `, ${p.alias}` : ''})`);
}

/** Mermaid flowchart: a subgraph per stack and cluster, a node per service, an edge per call. */
export function toMermaid(graph: NamespaceGraph): string {
  const lines = ['flowchart LR'];
  const ids = mermaidIds(graph);
  const mermaidId = (id: string) => ids.get(id) ?? id;
  let i = 0;
  for (const [key, services] of groups(graph)) {
    const [stack, cluster] = key.split('\u0000');
    lines.push(`  subgraph g${i++}["${mermaidText(`${stack} / ${cluster}`)}"]`);
    for (const s of services) {
      const ports = portLines(s);
      const label = [s.label, ...(ports.length ? ports : ['client-only'])].map(mermaidText).join('<br/>');
      lines.push(`    ${mermaidId(s.id)}["${label}"]`);
    }
    lines.push('  end');
  }
  for (const c of graph.calls) {
    lines.push(`  ${mermaidId(c.from)} -->|"${mermaidText(edgeLabel(graph, c))}"| ${mermaidId(c.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

const dotText = (t: string) => JSON.stringify(t);

/** Graphviz DOT: a cluster subgraph per stack and cluster. */
export function toDot(graph: NamespaceGraph): string {
  const lines = ['digraph service_connect {', '  rankdir=LR;', '  node [shape=box];'];
  let i = 0;
  for (const [key, services] of groups(graph)) {
    const [stack, cluster] = key.split('\u0000');
    lines.push(`  subgraph cluster_${i++} {`, `    label=${dotText(`${stack} / ${cluster}`)};`);
    for (const s of services) {
      const ports = portLines(s);
      lines.push(`    ${dotText(s.id)} [label=${dotText([s.label, ...(ports.length ? ports : ['client-only'])].join('\n'))}];`);
    }
    lines.push('  }');
  }
  for (const c of graph.calls) {
    lines.push(`  ${dotText(c.from)} -> ${dotText(c.to)} [label=${dotText(edgeLabel(graph, c))}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
