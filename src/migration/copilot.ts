import * as YAML from 'yaml';
import { ServiceConnectProtocol, urlVariableFor } from '../ports';
import { parseValueFrom } from './appmesh';
import { finding, FindingCode, SeverityOf } from './findings';
import { MigrationPlan } from './plan';
import { sizingFor } from './sizing-plan';
import {
  FindingSeverity, MigratedConnection, MigratedSecret, MigratedSecretSource, MigratedService, MigrationFinding, MigrationSource,
} from './types';
import { asArray, isObject, MigrationError, num, pascal, str, uniqueName } from './util';

/**
 * One Copilot manifest to migrate.
 */
export interface CopilotManifest {
  /** The manifest's YAML text. */
  readonly text: string;
  /**
   * The file it came from (for messages; `copilot/<svc>/manifest.yml` also names the service).
   *
   * @default 'manifest.yml'
   */
  readonly fileName?: string;
}

/**
 * Options of `CopilotMigration.fromManifests()`.
 */
export interface CopilotMigrationOptions {
  /**
   * The Copilot environment whose overrides (`environments.<name>` in each manifest) apply.
   *
   * @default - no overrides: the manifests' top-level values
   */
  readonly environment?: string;

  /**
   * The Copilot application name.
   *
   * @default - unknown
   */
  readonly appName?: string;

  /**
   * The Cloud Map namespace of the migrated services. Clients dial the short aliases
   * (`http://api:8080`), which do not contain it, so any name works; keep it different from the
   * Copilot environment's own `<env>.<app>.local` while both run.
   *
   * @default - `<env>.<app>.sc.internal` when both are known, else `sc.internal`
   */
  readonly namespaceName?: string;

  /**
   * The name of the generated stack (and of its class).
   *
   * @default - `<App><Env>ServiceConnect`, or `CopilotServiceConnect`
   */
  readonly stackName?: string;

  /**
   * Connect every service to every other service that has a port, as Copilot's environment
   * network allowed. Otherwise only the edges found in the manifests' variables are connected.
   *
   * @default false
   */
  readonly connectAll?: boolean;
}

const SUPPORTED = ['Load Balanced Web Service', 'Backend Service', 'Worker Service'];

interface ParsedService {
  readonly name: string;
  readonly type: string;
  readonly file: string;
  readonly m: Record<string, unknown>;
  readonly connect: boolean;
  readonly alias?: string;
}

/**
 * Converts AWS Copilot service manifests into a Service Connect migration plan.
 */
export class CopilotMigration {
  /**
   * Read Copilot manifests ("Load Balanced Web Service", "Backend Service" and "Worker Service")
   * and plan their migration to Service Connect. Copilot's Service Connect names are kept: the
   * discovery name and client alias are the service name (or `network.connect.alias`), the port
   * mapping is named `target`, and the client port is the target port, so clients keep calling
   * `http://<svc>:<port>`.
   *
   * @param manifests the manifests
   * @param options options
   */
  public static fromManifests(manifests: CopilotManifest[], options: CopilotMigrationOptions = {}): MigrationPlan {
    return new CopilotConverter(options).convert(manifests);
  }

  private constructor() {}
}

class CopilotConverter {
  private readonly findings: MigrationFinding[] = [];

  constructor(private readonly options: CopilotMigrationOptions) {}

  public convert(manifests: CopilotManifest[]): MigrationPlan {
    if (manifests.length === 0) throw new MigrationError('no Copilot manifest given.');
    const parsed: ParsedService[] = [];
    const names = new Set<string>();
    for (const manifest of manifests) {
      const p = this.parse(manifest);
      if (!p) continue;
      if (names.has(p.name)) {
        throw new MigrationError(`${p.file}: the service name "${p.name}" appears in more than one manifest; Copilot service names are unique in an application.`);
      }
      names.add(p.name);
      parsed.push(p);
    }
    if (parsed.length === 0) {
      throw new MigrationError(`none of the ${manifests.length} manifest(s) is a ${SUPPORTED.join(', ')}: nothing to migrate.`);
    }

    const ids = new Set<string>();
    const services = parsed.map((p) => this.service(p, uniqueName(pascal(p.name), ids, '')));
    const connections = this.connections(parsed, services);

    const { appName, environment } = this.options;
    const namespaceName = this.options.namespaceName ??
      (appName && environment ? `${environment}.${appName}.sc.internal`.toLowerCase() : 'sc.internal');
    this.finding('namespace', FindingSeverity.INFO, 'environment', 'Service Connect namespace',
      `Copilot put the services in its environment namespace${appName && environment ? ` ${environment}.${appName}.local` : ' <env>.<app>.local'}; ` +
      `the plan creates a new HTTP namespace ${namespaceName}.`,
      'Clients dial the short aliases (http://<svc>:<port>), which do not contain the namespace, so they keep working. Run the new ' +
      'services beside the Copilot ones, move traffic, then delete the Copilot services: discovery names are unique per namespace, ' +
      'so never point both at one namespace.');
    this.finding('copilot-variables', FindingSeverity.INFO, 'every service', 'Copilot\'s injected variables',
      'Copilot set COPILOT_APPLICATION_NAME, COPILOT_ENVIRONMENT_NAME, COPILOT_SERVICE_NAME, COPILOT_LB_DNS and ' +
      'COPILOT_SERVICE_DISCOVERY_ENDPOINT in every task.',
      'The generated services do not. If the code reads them, add them to environment; replace <svc>.<env>.<app>.local service-discovery names with the Service Connect alias http://<svc>:<port>.');
    if (!this.options.connectAll) {
      this.finding('open-network', FindingSeverity.WARNING, 'every service', 'environment-wide network access',
        'in a Copilot environment every service could reach every other one through the environment security group.',
        `The library opens a server's security group only along connectTo edges. The plan found ${connections.length} edge(s) in the ` +
        'manifests\' variables; add connectTo for any other call (or rerun with --connect-all / connectAll: true).');
    }

    const env = environment ? pascal(environment) : '';
    return new MigrationPlan({
      source: MigrationSource.COPILOT,
      sourceLabel: manifests.length === 1 ? (manifests[0].fileName ?? 'manifest.yml') : `${manifests.length} Copilot manifests`,
      namespaceName,
      stackName: this.options.stackName ?? (appName ? `${pascal(appName)}${env}ServiceConnect` : 'CopilotServiceConnect'),
      services,
      connections,
      findings: this.findings,
      removals: [
        'The Copilot services (copilot svc delete --name <svc> --env <env>) once their replacements serve traffic, clients first and servers last.',
        'The Copilot environment (copilot env delete) and application (copilot app delete) when nothing runs in them.',
      ],
    });
  }

  private parse(manifest: CopilotManifest): ParsedService | undefined {
    const file = manifest.fileName ?? 'manifest.yml';
    let doc: unknown;
    try {
      doc = YAML.parse(manifest.text);
    } catch (e) {
      throw new MigrationError(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!isObject(doc) || typeof doc.type !== 'string') {
      throw new MigrationError(`${file} is not a Copilot manifest: it has no "type" (expected one of ${SUPPORTED.join(', ')}).`);
    }
    if (doc.type === 'Environment') {
      this.finding('environment-manifest', FindingSeverity.INFO, file, 'environment manifest', 'an environment manifest, not a service.',
        'Skipped: the generated ServiceConnectCluster creates the VPC, cluster and namespace.');
      return undefined;
    }
    const fromPath = /copilot\/([^/]+)\/manifest\.ya?ml$/.exec(file.replace(/\\/g, '/'))?.[1];
    const name = str(doc.name) ?? fromPath;
    if (!SUPPORTED.includes(doc.type)) {
      this.finding('unsupported-type', FindingSeverity.BLOCKER, `${doc.type} ${name ?? file}`, doc.type,
        `${file} describes a ${doc.type}, which this tool does not migrate.`,
        doc.type === 'Request-Driven Web Service' ? 'App Runner services cannot join Service Connect; call the ECS services through a load balancer or keep App Runner with a VPC connector.'
          : doc.type === 'Scheduled Job' ? 'Scheduled jobs are standalone tasks, which cannot take part in Service Connect; run them with EventBridge Scheduler and call servers through an internal load balancer, or make them a service.'
            : 'Migrate it by hand.');
      return undefined;
    }
    if (!name || !/^[a-z][a-z0-9-]{0,62}$/.test(name)) {
      throw new MigrationError(`${file}: the service name ${JSON.stringify(name ?? null)} is missing or invalid (Copilot names are lowercase letters, digits and hyphens).`);
    }
    let m: Record<string, unknown> = doc;
    const envName = this.options.environment;
    if (envName) {
      const envs = isObject(doc.environments) ? doc.environments : {};
      if (isObject(envs[envName])) m = merge(doc, envs[envName] as Record<string, unknown>);
    }
    const network = isObject(m.network) ? m.network : {};
    const connectRaw = network.connect;
    const connect = connectRaw === true || isObject(connectRaw) && connectRaw.enable !== false;
    const alias = isObject(connectRaw) ? str(connectRaw.alias) : undefined;
    return { name, type: doc.type, file, m, connect, alias };
  }

  private service(p: ParsedService, id: string): MigratedService {
    const { m, name, file } = p;
    const subject = `${p.type} ${name} (${file})`;
    const image = isObject(m.image) ? m.image : {};
    const http = isObject(m.http) ? m.http : undefined;
    const location = str(image.location);
    if (!location) {
      const build = isObject(image.build) ? str(image.build.context) ?? str(image.build.dockerfile) : str(image.build);
      this.finding('image-build', FindingSeverity.WARNING, subject, 'image built by Copilot',
        `Copilot built the image${build ? ` from ${build}` : ''} and pushed it to its own ECR repository.`,
        `Replace the placeholder (REPLACE_ME) with ecs.ContainerImage.fromAsset(${JSON.stringify(build ?? '.')}) or an image URI your pipeline pushes.`);
    }
    const targetPort = num(http?.target_port) ?? num(image.port);
    const version = (str(http?.version) ?? '').toLowerCase();
    const protocol = version === 'grpc' ? ServiceConnectProtocol.GRPC : version === 'http2' ? ServiceConnectProtocol.HTTP2 : ServiceConnectProtocol.HTTP;
    if (!p.connect) {
      this.finding('connect-off', FindingSeverity.INFO, subject, 'network.connect off',
        'the service did not use Service Connect in Copilot.', 'It joins the namespace now (harmless: nothing calls it through Service Connect until you add connectTo).');
    }
    const alias = p.alias ?? name;
    if (p.type === 'Worker Service' && targetPort !== undefined) {
      this.finding('worker-port', FindingSeverity.INFO, subject, 'worker with a port', 'the worker exposes a port.', 'Kept as a Service Connect port.');
    }
    const ports = targetPort !== undefined ? [{
      name: 'target',
      containerPort: targetPort,
      protocol,
      discoveryName: name,
      dnsName: alias,
      clientPort: targetPort,
    }] : [];

    const cpu = num(m.cpu) ?? 256;
    const memory = num(m.memory) ?? 512;
    const estimated = m.cpu === undefined || m.memory === undefined;
    const sizing = sizingFor(cpu, memory, { estimated, previousTaskCpu: cpu, previousTaskMemoryMiB: memory });
    if (sizing.taskCpu !== cpu || sizing.taskMemoryMiB !== memory) {
      this.finding('task-size', FindingSeverity.INFO, subject, 'larger task',
        `the Copilot task (${cpu} CPU units, ${memory} MiB) shared its CPU and memory with the Service Connect proxy; the plan gives the app ` +
        `the same and reserves the proxy's budget, so the task grows to ${sizing.taskCpu} CPU units and ${sizing.taskMemoryMiB} MiB.`,
        `To keep the old size instead, use EnvoySizing.forTask({ taskCpu: ${cpu}, taskMemoryMiB: ${memory}, proxy: ProxyBudget.of(...) }) after checking the app still fits.`);
    }

    let desiredCount: number | undefined;
    if (typeof m.count === 'number') {
      desiredCount = m.count;
    } else if (isObject(m.count)) {
      const range = m.count.range;
      const min = isObject(range) ? num(range.min) : num(str(range)?.split('-')[0]);
      desiredCount = min;
      this.finding('autoscaling', FindingSeverity.WARNING, subject, 'auto scaling',
        `count is ${JSON.stringify(m.count)}.`,
        'The generated service starts with the lower bound. Add service.service.autoScaleTaskCount({ minCapacity, maxCapacity }) with scaleOnCpuUtilization / scaleOnRequestCount (Copilot\'s requests and response_time targets need an ALB); Fargate Spot needs capacity providers.');
    } else {
      this.finding('count-default', FindingSeverity.INFO, subject, 'task count', 'count is not set (Copilot\'s default is 1 task).',
        'The generated service runs the library\'s default of 2 tasks so that callers keep a healthy task during deployments.');
    }

    const environment: { [k: string]: string } = {};
    for (const [k, v] of Object.entries(isObject(m.variables) ? m.variables : {})) {
      if (isObject(v)) {
        this.finding('variable-from-cfn', FindingSeverity.WARNING, subject, 'variable from a CloudFormation export',
          `${k} is ${JSON.stringify(v)}.`, `Set ${k} in the generated service's environment by hand.`);
        continue;
      }
      const s = str(v);
      if (s !== undefined) environment[k] = s;
    }
    const secrets: MigratedSecret[] = [];
    for (const [k, v] of Object.entries(isObject(m.secrets) ? m.secrets : {})) {
      const secret = copilotSecret(k, v);
      if (secret) {
        secrets.push(secret);
      } else {
        this.finding('secret-unresolved', FindingSeverity.WARNING, subject, 'secret not migrated', `${k} is ${JSON.stringify(v)}.`,
          `Add ${k} to the generated service's secrets by hand.`);
      }
    }
    const command = asArray(m.command).length > 0 ? (typeof m.command === 'string' ? m.command.split(/\s+/) : asArray(m.command).map(String)) : undefined;
    if (m.entrypoint !== undefined) {
      this.finding('entrypoint', FindingSeverity.WARNING, subject, 'entrypoint override', `entrypoint is ${JSON.stringify(m.entrypoint)}.`,
        'ConnectedFargateService sets the command only: override the container entry point with (service.container.node.defaultChild / the task definition L1) or bake it into the image.');
    }
    const hc = isObject(image.healthcheck) ? image.healthcheck : undefined;
    const hcCommand = hc ? (typeof hc.command === 'string' ? ['CMD-SHELL', hc.command] : asArray(hc.command).map(String)) : [];
    const platform = str(m.platform) ?? (isObject(m.platform) ? `${str(m.platform.osfamily)}/${str(m.platform.architecture)}` : '');
    if (/windows/i.test(platform)) {
      this.finding('windows', FindingSeverity.BLOCKER, subject, 'Windows platform', `platform is ${platform}.`,
        'The library builds Linux Fargate tasks; keep Windows services on their own and call them through a load balancer.');
    }
    this.featureFindings(p, subject, http);
    return {
      id,
      sourceName: name,
      sourceKind: p.type,
      sourceLocation: file,
      image: location,
      ports,
      desiredCount,
      environment,
      secrets,
      command,
      healthCheck: hc && hcCommand.length > 0 ? {
        command: hcCommand,
        intervalSeconds: seconds(hc.interval),
        timeoutSeconds: seconds(hc.timeout),
        retries: num(hc.retries),
        startPeriodSeconds: seconds(hc.start_period),
      } : undefined,
      arm64: /arm/i.test(platform),
      sizing,
      removedSidecars: [],
    };
  }

  private featureFindings(p: ParsedService, subject: string, http: Record<string, unknown> | undefined): void {
    const { m } = p;
    if (p.type === 'Load Balanced Web Service' && http !== undefined && (m.http as unknown) !== false) {
      this.finding('load-balancer', FindingSeverity.WARNING, subject, 'public load balancer',
        `Copilot fronted the service with an Application Load Balancer${str(http.path) ? ` on path ${str(http.path)}` : ''}${http.alias ? ` and domain ${JSON.stringify(http.alias)}` : ''}.`,
        'Not generated: create an elbv2.ApplicationLoadBalancer in the cluster\'s VPC and add the service as a target (listener.addTargets(\'Web\', { port, targets: [service.service] })), then open the service\'s security group to the load balancer.');
    }
    if (m.nlb !== undefined) {
      this.finding('load-balancer', FindingSeverity.WARNING, subject, 'network load balancer', 'Copilot created a Network Load Balancer.',
        'Not generated: add an elbv2.NetworkLoadBalancer targeting the service.');
    }
    const simple: Array<[FindingCode, FindingSeverity, string, string]> = [
      ['sidecars', FindingSeverity.WARNING, 'sidecar containers', 'Not generated: add them with service.taskDefinition.addContainer() and size the task so the proxy keeps its budget.'],
      ['storage', FindingSeverity.WARNING, 'volumes (EFS / ephemeral)', 'Not generated: add the volumes to service.taskDefinition and mount points to service.container.'],
      ['logging', FindingSeverity.INFO, 'FireLens logging', 'The generated service logs to CloudWatch Logs; add a FireLens log router by hand if you forward logs elsewhere.'],
      ['observability', FindingSeverity.INFO, 'tracing', 'Not generated: add an ADOT collector sidecar if you keep tracing.'],
      ['subscribe', FindingSeverity.WARNING, 'SNS/SQS subscriptions', 'Not generated: create the SQS queue (and SNS subscriptions), pass its URL in environment and grant the task role access.'],
      ['publish', FindingSeverity.WARNING, 'SNS topics', 'Not generated: create the topics, pass their ARNs in environment and grant the task role sns:Publish.'],
      ['taskdef_overrides', FindingSeverity.WARNING, 'task definition overrides', 'Not applied: re-apply them with addPropertyOverride on the task definition.'],
      ['exec', FindingSeverity.INFO, 'ECS Exec', 'Not enabled: set enableExecuteCommand on the service (escape hatch) if you need it.'],
    ];
    for (const [field, severity, feature, rec] of simple) {
      if (m[field] !== undefined && m[field] !== false) {
        this.finding(field, severity, subject, feature, `the manifest sets ${field}.`, rec);
      }
    }
    const vpc = isObject(m.network) && isObject(m.network.vpc) ? m.network.vpc : undefined;
    if (vpc && (vpc.placement !== undefined || vpc.security_groups !== undefined)) {
      this.finding('network-placement', FindingSeverity.INFO, subject, 'network placement',
        `network.vpc is ${JSON.stringify(vpc)}.`, 'The generated services run in the private subnets with their own security group; attach extra groups with service.connections.addSecurityGroup().');
    }
  }

  private connections(parsed: ParsedService[], services: MigratedService[]): MigratedConnection[] {
    const out: MigratedConnection[] = [];
    const servers = services.filter((s) => s.ports.length > 0);
    services.forEach((client, i) => {
      const p = parsed[i];
      const taken = new Set([...Object.keys(client.environment), ...client.secrets.map((s) => s.name)]);
      for (const server of servers) {
        if (server === client) continue;
        const port = server.ports[0];
        const url = `http://${port.dnsName}:${port.clientPort}`;
        const mention = Object.entries(client.environment).find(([, v]) => mentions(v, port.dnsName, port.clientPort));
        if (!mention && !this.options.connectAll) continue;
        let variable = urlVariableFor(port.dnsName);
        if (mention && mention[0] === variable && (mention[1] === url || mention[1] === `${url}/`)) {
          // connectTo sets the same variable to the same URL: let it.
          delete (client.environment as Record<string, string>)[variable];
          taken.delete(variable);
        }
        if (taken.has(variable)) variable = uniqueName(variable.replace(/_URL$/, '_SC_URL'), taken, '_');
        taken.add(variable);
        out.push({
          client: client.id,
          server: server.id,
          portName: port.name,
          url,
          environmentVariable: variable,
          reason: mention ? `${p.name}'s variable ${mention[0]} names ${port.dnsName}` : 'connect-all',
        });
      }
    });
    return out;
  }

  private finding<C extends FindingCode>(
    code: C, severity: SeverityOf<C>, subject: string, feature: string, detail: string, recommendation: string,
  ): void {
    finding(this.findings, code, severity, subject, feature, detail, recommendation);
  }
}

/** Copilot durations: `10s`, `1m30s`, `2m`, or a number of seconds. */
function seconds(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  const m = typeof v === 'string' ? /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v.trim()) : null;
  if (!m || v === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Whether a variable value names a host: `http://api:8080/x`, `api:8080`, `http://api`. */
function mentions(value: string, host: string, port: number): boolean {
  const h = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[/@\\s,=])${h}(:${port})?([/\\s,?#]|$)`).test(value) && (value.includes('://') || value.includes(`${host}:${port}`));
}

/** A Copilot secret: an SSM parameter name or ARN, a Secrets Manager ARN, or `{ secretsmanager: name[:key::] }`. */
function copilotSecret(name: string, v: unknown): MigratedSecret | undefined {
  if (typeof v === 'string') return parseValueFrom(name, v);
  if (isObject(v) && typeof v.secretsmanager === 'string') {
    const [secretName, jsonKey] = v.secretsmanager.startsWith('arn:')
      ? [v.secretsmanager.split(':').slice(0, 7).join(':'), v.secretsmanager.split(':')[7]]
      : v.secretsmanager.split(':');
    return { name, source: MigratedSecretSource.SECRETS_MANAGER, reference: secretName, jsonField: jsonKey || undefined };
  }
  return undefined;
}

/** Copilot's environment overrides: maps merge deeply, everything else replaces. */
function merge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    out[k] = isObject(v) && isObject(base[k]) ? merge(base[k] as Record<string, unknown>, v) : v;
  }
  return out;
}
