/**
 * The App Mesh converter's model of the input (meshes, nodes, routers, routes, virtual services,
 * mesh task definitions) and the conversion context every phase shares: the template and its
 * intrinsic resolver, the options, and the findings and removals found so far.
 */
import { ServiceConnectProtocol } from '../../ports';
import type { FindingCode, SeverityOf } from '../findings';
import { finding } from '../findings';
import type { CfnTemplate } from '../intrinsics';
import type { AppMeshMigrationOptions } from './options';
import { IntrinsicResolver } from '../intrinsics';
import type { MigratedValue, MigrationFinding } from '../types';

export interface Listener {
  readonly port: number;
  readonly protocol: string;
  readonly raw: Record<string, unknown>;
}

export interface Node {
  readonly logicalId: string;
  readonly name: string;
  readonly mesh: string;
  readonly listeners: Listener[];
  readonly spec: Record<string, unknown>;
  readonly hostname?: string;
  readonly cloudMapNamespace?: string;
  readonly cloudMapService?: string;
}

export interface Target {
  readonly node: string;
  readonly weight: number;
  readonly port?: number;
}

export interface Route {
  readonly logicalId: string;
  readonly name: string;
  readonly router: string;
  readonly kind: string;
  readonly spec: Record<string, unknown>;
  readonly targets: Target[];
  /** `Spec.Priority` (0 is matched first); undefined after every numbered route. */
  readonly priority?: number;
}

export interface Router {
  readonly logicalId: string;
  readonly name: string;
  readonly listeners: Listener[];
}

export interface VirtualService {
  readonly logicalId: string;
  readonly name: string;
  readonly node?: string;
  readonly router?: string;
}

export interface Container {
  readonly name: string;
  readonly raw: Record<string, unknown>;
}

export interface TaskDef {
  readonly logicalId: string;
  readonly props: Record<string, unknown>;
  readonly containers: Container[];
  readonly envoy?: Container;
  readonly proxyConfiguration: boolean;
  readonly meshResource?: { kind: string; name: string };
  readonly services: Array<{ logicalId: string; desiredCount?: number }>;
}

export interface PortPlan {
  name: string;
  listener: Listener;
  discoveryName: string;
  aliases: Array<{ dnsName: string; clientPort: number; from: string }>;
  idle?: number;
  perRequest?: number;
}

export const ROUTE_KINDS: Record<string, string> = { HttpRoute: 'http', Http2Route: 'http2', GrpcRoute: 'grpc', TcpRoute: 'tcp' };

export const PROTOCOLS: Record<string, ServiceConnectProtocol> = {
  http: ServiceConnectProtocol.HTTP,
  http2: ServiceConnectProtocol.HTTP2,
  grpc: ServiceConnectProtocol.GRPC,
  tcp: ServiceConnectProtocol.TCP,
};

/** The key of a listener's protocol in its `Timeout` object. */
export const TIMEOUT_KEYS: Record<string, string> = { http: 'HTTP', http2: 'HTTP2', grpc: 'GRPC', tcp: 'TCP' };

/** A mesh of the input. */
export interface Mesh {
  readonly logicalId: string;
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

/** What every phase of one conversion shares. */
export class Ctx {
  public readonly r: IntrinsicResolver;
  public readonly findings: MigrationFinding[] = [];
  public readonly removals: string[] = [];
  public readonly meshes: Mesh[] = [];
  public readonly nodes: Node[] = [];
  /** Every virtual node read, egress nodes included (`nodes` holds the ones migrated as services). */
  public readonly allNodes: Node[] = [];
  public readonly routers: Router[] = [];
  public readonly routes: Route[] = [];
  public readonly virtualServices: VirtualService[] = [];
  public readonly taskDefs: TaskDef[] = [];
  /** Task definitions without an Envoy that ECS services of the input run (possible callers of the mesh). */
  public readonly otherTaskDefs: TaskDef[] = [];
  /** ECS services with a Cloud Map registration (ServiceRegistries), and their task definitions. */
  public readonly registrations: Array<{ ecsService: string; task: string }> = [];
  /** Deploy-time values the plan's strings refer to, by `<kind>:<parameter name or export name>`. */
  public readonly values = new Map<string, MigratedValue>();
  /** Unresolvable references already reported (`<where>: <reference>`). */
  public readonly replaced = new Set<string>();
  /** Names of the virtual nodes that stand for endpoints outside the mesh (egress), not services. */
  public readonly egressNodes = new Set<string>();
  /** The external endpoints, as the report lists them (`github.com:443`). */
  public readonly egress: string[] = [];

  constructor(public readonly t: CfnTemplate, public readonly label: string, public readonly options: AppMeshMigrationOptions) {
    this.r = new IntrinsicResolver(t, options.parameters ?? {});
  }

  /** `what (LogicalId)`: the subject of a finding. */
  public subject(what: string, logicalId: string): string {
    return `${this.display(what)} (${logicalId})`;
  }

  /**
   * A resolved string for messages: the resolver's placeholders as CloudFormation writes them
   * (`${ProjectName}`, `${Fn::ImportValue <name>}`, `${Resource.Attribute}`), never the internal form.
   */
  public display(s: string): string {
    return s.replace(/\$\{(Param|Import|Ref|GetAtt):([^}]*)\}/g, (_w, kind: string, ref: string) =>
      kind === 'Import' ? `\${Fn::ImportValue ${this.display(this.r.imports[Number(ref)] ?? ref)}}` : `\${${ref}}`);
  }

  /** Record a finding of the catalogue. */
  public finding<C extends FindingCode>(
    code: C, severity: SeverityOf<C>, subject: string, feature: string, detail: string, recommendation: string,
  ): void {
    finding(this.findings, code, severity, subject, feature, detail, recommendation);
  }
}
