/**
 * One virtual node → one migrated service: its task definition's app container (image,
 * environment, secrets, command, health check), the sizing once the Envoy is gone, and the
 * findings about the task.
 */
import { EnvoySizing, ProxyBudget } from '../../sizing';
import { parseValueFrom } from '../secrets';
import { sizingFor } from '../sizing-plan';
import type { MigratedPort, MigratedSecret, MigratedService, RemovedSidecar } from '../types';
import { FindingSeverity, MigratedLaunchType, MigratedSecretSource } from '../types';
import { asArray, cpuUnits, isObject, memoryMiB, num, str } from '../util';
import type { Container, Ctx, Node, TaskDef } from './model';
import { planString, REPLACE_ME } from './values';

/** The least an app keeps when the task keeps its size (below this the task grows instead). */
const MIN_APP_CPU = 128;
const MIN_APP_MEMORY = 128;

/** What a migrated service is made from: a virtual node (with its task) or an ECS service outside the mesh. */
interface Workload {
  /** The name in messages (`virtual node front`, `ECS service Poller`). */
  readonly label: string;
  readonly sourceName: string;
  readonly sourceKind: string;
  readonly logicalId: string;
  readonly listenerPorts: number[];
}

export function migrateNode(c: Ctx, node: Node, id: string, ports: MigratedPort[]): MigratedService {
  const tasks = c.taskDefs.filter((td) => td.meshResource?.kind === 'virtualNode' && td.meshResource.name === node.name);
  const td = tasks[0];
  const name = c.display(node.name);
  const subject = c.subject(`virtual node ${name}`, node.logicalId);
  if (tasks.length > 1) {
    c.finding('several-task-definitions', FindingSeverity.WARNING, subject, 'several task definitions',
      `${tasks.map((t) => t.logicalId).join(', ')} all run as this node.`,
      `The plan migrates ${td.logicalId}; migrate the others as further services (each needs its own discovery name) or merge them.`);
  }
  if (!td) {
    c.finding('no-task-definition', FindingSeverity.WARNING, subject, 'no task definition',
      'no ECS task definition of the template runs this node (no Envoy with APPMESH_RESOURCE_ARN naming it).',
      'The generated service uses a placeholder image (REPLACE_ME) and a default size (256 CPU units, 512 MiB for the app): fill in the real ones.');
    return {
      id,
      sourceName: name,
      sourceKind: 'AWS::AppMesh::VirtualNode',
      sourceLocation: node.logicalId,
      ports,
      environment: {},
      secrets: [],
      arm64: false,
      removedSidecars: [],
      sizing: sizingFor(256, 512, { estimated: true }),
    };
  }
  return migrateTask(c, td, id, ports, {
    label: `virtual node ${name}`,
    sourceName: name,
    sourceKind: 'AWS::AppMesh::VirtualNode',
    logicalId: node.logicalId,
    listenerPorts: node.listeners.map((l) => l.port),
  });
}

/** An ECS service of the input without a virtual node that calls mesh names: a client-only service. */
export function migrateCaller(c: Ctx, td: TaskDef, id: string): MigratedService {
  const ecs = td.services.map((s) => s.logicalId).join(', ');
  return migrateTask(c, td, id, [], {
    label: `ECS service ${ecs}`,
    sourceName: ecs,
    sourceKind: 'AWS::ECS::Service',
    logicalId: td.services[0]?.logicalId ?? td.logicalId,
    listenerPorts: [],
  });
}

function migrateTask(c: Ctx, td: TaskDef, id: string, ports: MigratedPort[], w: Workload): MigratedService {
  const of = w.label.replace(/^virtual node /, '');
  if (td.services.length === 0) {
    c.finding('standalone-task', FindingSeverity.BLOCKER, c.subject(`task definition of ${of}`, td.logicalId),
      'standalone task', 'no ECS service of the template runs this task definition: its tasks are started by RunTask (or by another template).',
      'Service Connect works only for tasks that ECS services start. Run the workload as an ECS service (desiredCount 0 and ' +
      'scaling when idle is fine); for batch jobs that only call other services, run them as a client-only service, or call the servers through an internal load balancer.');
  }
  const app = appContainer(td, w.listenerPorts);
  const others = td.containers.filter((x) => x !== app && x !== td.envoy);
  for (const x of others) {
    const xray = /xray/i.test(`${x.name} ${str(x.raw.Image) ?? ''}`);
    c.finding(xray ? 'xray-daemon' : 'extra-container', FindingSeverity.INFO, c.subject(`container ${x.name}`, td.logicalId),
      xray ? 'X-Ray daemon sidecar' : 'extra container',
      `the task runs ${x.name} (${str(x.raw.Image) ?? 'no image'}) besides the app.`,
      xray ? 'Not migrated: Service Connect does not trace. Add the daemon (or an ADOT collector) with service.taskDefinition.addContainer() if you keep tracing.'
        : 'Not migrated: add it with service.taskDefinition.addContainer() and raise the sizing to leave the proxy its budget.');
  }
  if (!app) {
    c.finding('no-app-container', FindingSeverity.WARNING, c.subject(`task definition of ${of}`, td.logicalId),
      'no app container', 'the task definition has only the Envoy container.', 'Fill in the image of the generated service (REPLACE_ME).');
  }
  const compat = asArray(td.props.RequiresCompatibilities).map(String);
  const onEc2 = compat.length > 0 ? !compat.includes('FARGATE') : (str(td.props.NetworkMode) ?? 'bridge') !== 'awsvpc';
  if (onEc2 || (str(td.props.NetworkMode) ?? 'awsvpc') !== 'awsvpc') {
    c.finding('launch-type', FindingSeverity.INFO, c.subject(`task definition of ${of}`, td.logicalId), 'EC2 launch type',
      `the task ran on ${compat.join('/') || 'EC2'} with network mode ${str(td.props.NetworkMode) ?? 'bridge'}.`,
      onEc2 ? 'The generated service stays on EC2: a ConnectedEc2Service (awsvpc) on the generated Auto Scaling group capacity provider; ' +
        'set its instance type and image (or use your own provider), or networkMode: ecs.NetworkMode.BRIDGE to keep bridge networking.'
        : 'The generated service runs on Fargate (awsvpc).');
  }
  const runtime = isObject(td.props.RuntimePlatform) ? td.props.RuntimePlatform : {};
  const arm64 = /arm64/i.test(str(runtime.CpuArchitecture) ?? '');

  // Sizing: the app keeps what it had; the Envoy's share is freed; the proxy gets AWS's budget.
  const taskCpu = cpuUnits(td.props.Cpu);
  const taskMem = memoryMiB(td.props.Memory);
  const envoyCpu = td.envoy ? num(td.envoy.raw.Cpu) ?? 0 : 0;
  const envoyMem = td.envoy ? num(td.envoy.raw.Memory) ?? num(td.envoy.raw.MemoryReservation) ?? 0 : 0;
  const othersCpu = others.reduce((sum, x) => sum + (num(x.raw.Cpu) ?? 0), 0);
  const othersMem = others.reduce((sum, x) => sum + (num(x.raw.Memory) ?? num(x.raw.MemoryReservation) ?? 0), 0);
  let appCpu = app ? num(app.raw.Cpu) : undefined;
  let appMem = app ? num(app.raw.Memory) ?? num(app.raw.MemoryReservation) : undefined;
  let estimated = false;
  // An app without its own reservation shared the task with the Envoy: keep the task size, the
  // Service Connect proxy taking the Envoy's place (AWS's budget), when that leaves the app enough.
  const budget = ProxyBudget.recommended();
  const keptSize = !appCpu || !appMem;
  const restCpu = taskCpu !== undefined ? taskCpu - budget.cpu - othersCpu : undefined;
  const restMem = taskMem !== undefined ? taskMem - budget.memoryMiB - othersMem : undefined;
  const fits = (appCpu || (restCpu !== undefined && restCpu >= MIN_APP_CPU)) && (appMem || (restMem !== undefined && restMem >= MIN_APP_MEMORY));
  if (!appCpu) {
    appCpu = fits ? restCpu : taskCpu !== undefined ? taskCpu - envoyCpu - othersCpu : undefined;
    estimated = true;
  }
  if (!appMem) {
    appMem = fits ? restMem : taskMem !== undefined ? taskMem - envoyMem - othersMem : undefined;
    estimated = true;
  }
  if (appCpu === undefined || appCpu < 1) appCpu = Math.max(128, Math.floor((taskCpu ?? 512) / 2));
  if (appMem === undefined || appMem < 1) appMem = Math.max(256, Math.floor((taskMem ?? 1024) / 2));
  const sizing = sizingFor(appCpu, appMem, {
    estimated,
    previousTaskCpu: taskCpu,
    previousTaskMemoryMiB: taskMem,
    freedCpu: td.envoy && (envoyCpu > 0 || envoyMem > 0) ? envoyCpu : undefined,
    freedMemoryMiB: td.envoy && (envoyCpu > 0 || envoyMem > 0) ? envoyMem : undefined,
  });
  if (keptSize && taskCpu !== undefined && taskMem !== undefined && (sizing.taskCpu !== taskCpu || sizing.taskMemoryMiB !== taskMem)) {
    const before = EnvoySizing.priceOf(taskCpu, taskMem);
    const after = EnvoySizing.priceOf(sizing.taskCpu, sizing.taskMemoryMiB);
    c.finding('task-size', FindingSeverity.INFO, c.subject(`task definition of ${of}`, td.logicalId), 'task size changes',
      `the containers declare no ${!num(app?.raw.Cpu) ? 'CPU' : 'memory'} of their own: the app and the Envoy shared the ${taskCpu} CPU / ${taskMem} MiB task. ` +
      `Service Connect's proxy needs AWS's budget (${budget.cpu} CPU units / ${budget.memoryMiB} MiB) next to the app, which leaves the app too little ` +
      `(under ${MIN_APP_CPU} CPU units or ${MIN_APP_MEMORY} MiB) in a task of that size, so the plan gives the app the whole old task and sizes ` +
      `${sizing.taskCpu} CPU / ${sizing.taskMemoryMiB} MiB: $${after.toFixed(4)}/h per task instead of $${before.toFixed(4)}/h.`,
      `To keep the old price, size the service with EnvoySizing.forTask({ taskCpu: ${taskCpu}, taskMemoryMiB: ${taskMem}, proxy: ProxyBudget.of(...) }) ` +
      'after a load test shows the app and a smaller proxy budget fit.');
  }

  const removed: RemovedSidecar[] = [];
  if (td.envoy) {
    removed.push({
      taskDefinition: td.logicalId,
      containerName: td.envoy.name,
      image: c.display(str(td.envoy.raw.Image) ?? '?'),
      cpu: envoyCpu,
      memoryMiB: envoyMem,
      proxyConfiguration: td.proxyConfiguration,
    });
    c.removals.push(`Envoy container "${td.envoy.name}" (${c.display(str(td.envoy.raw.Image) ?? 'image unknown')}, ` +
      `${envoyCpu || envoyMem ? `${envoyCpu} CPU units, ${envoyMem} MiB` : 'no CPU or memory reservation of its own'})` +
      `${td.proxyConfiguration ? ' and the ProxyConfiguration of type APPMESH' : ''} from task definition ${td.logicalId} (${w.label}).`);
  } else if (td.proxyConfiguration) {
    c.removals.push(`ProxyConfiguration of type APPMESH from task definition ${td.logicalId} (${w.label}).`);
  }

  const image = app ? imageOf(c, str(app.raw.Image), app.name, td.logicalId) : undefined;
  const environment: { [name: string]: string } = {};
  for (const e of asArray(app?.raw.Environment).filter(isObject)) {
    const name = str(e.Name);
    const value = str(e.Value);
    if (!name || value === undefined || name.startsWith('APPMESH_') || name.startsWith('ENVOY_')) continue;
    environment[name] = planString(c, value, c.subject(`environment variable ${name} of container ${app!.name}`, td.logicalId));
  }
  const secrets: MigratedSecret[] = [];
  for (const s of asArray(app?.raw.Secrets).filter(isObject)) {
    const secret = secretOf(c, str(s.Name) ?? '', str(s.ValueFrom) ?? '');
    if (secret) {
      secrets.push(secret);
    } else {
      c.finding('secret-unresolved', FindingSeverity.WARNING, c.subject(`secret ${str(s.Name)}`, td.logicalId), 'secret known only at deploy time',
        `its ValueFrom is ${str(s.ValueFrom) ?? JSON.stringify(s.ValueFrom)}.`, 'Add it to the generated service\'s secrets by hand.');
    }
  }
  const hcRaw = app && isObject(app.raw.HealthCheck) ? app.raw.HealthCheck : {};
  const inContainer = (what: string) => c.subject(`${what} of container ${app?.name ?? '?'}`, td.logicalId);
  const hc = asArray(hcRaw.Command).map((x) => planString(c, String(x), inContainer('health check')));
  const command = app ? asArray(app.raw.Command).map((x) => planString(c, String(x), inContainer('command'))) : [];
  const desired = td.services.map((s) => s.desiredCount).find((d) => d !== undefined);
  return {
    id,
    sourceName: w.sourceName,
    sourceKind: w.sourceKind,
    sourceLocation: w.sourceKind === 'AWS::ECS::Service' ? `task definition ${td.logicalId}`
      : `${w.logicalId} (task definition ${td.logicalId}${td.services.length ? `, ECS service ${td.services.map((s) => s.logicalId).join(', ')}` : ''})`,
    image: image?.image,
    ecrRepository: image?.repository,
    imageTag: image?.tag,
    ports,
    desiredCount: desired,
    environment,
    secrets,
    command: command.length > 0 ? command : undefined,
    healthCheck: hc.length > 0 ? {
      command: hc,
      intervalSeconds: num(hcRaw.Interval),
      timeoutSeconds: num(hcRaw.Timeout),
      retries: num(hcRaw.Retries),
      startPeriodSeconds: num(hcRaw.StartPeriod),
    } : undefined,
    arm64,
    sizing,
    removedSidecars: removed,
    launchType: onEc2 ? MigratedLaunchType.EC2 : MigratedLaunchType.FARGATE,
  };
}

export function appContainer(td: TaskDef, ports: number[]): Container | undefined {
  const candidates = td.containers.filter((c) => c !== td.envoy && !/xray/i.test(`${c.name} ${str(c.raw.Image) ?? ''}`));
  const listenerPorts = new Set(ports);
  return candidates.find((c) => asArray(c.raw.PortMappings).filter(isObject).some((pm) => listenerPorts.has(num(pm.ContainerPort) ?? -1))) ??
    candidates.find((c) => c.raw.Essential !== false) ?? candidates[0];
}

/**
 * The image of the app container: an image of the template's own ECR repository becomes a
 * repository reference (name and tag); parameters and imports stay values of the app; anything
 * else known only at deploy time is a finding and the placeholder image.
 */
function imageOf(
  c: Ctx, raw: string | undefined, container: string, taskId: string,
): { image?: string; repository?: string; tag?: string } | undefined {
  if (raw === undefined) return undefined;
  const subject = c.subject(`container ${container}`, taskId);
  const repo = /\$\{(?:Ref:([A-Za-z0-9]+)|GetAtt:([A-Za-z0-9]+)\.RepositoryUri)\}(?::([^@]+))?$/.exec(raw);
  const repoId = repo ? repo[1] ?? repo[2] : undefined;
  if (repoId && c.t.Resources[repoId]?.Type === 'AWS::ECR::Repository') {
    const name = str(c.r.properties(repoId).RepositoryName);
    const tag = repo![3] !== undefined ? planString(c, repo![3], subject) : 'latest';
    if (name !== undefined) return { repository: planString(c, name, subject), tag };
    c.finding('image-unresolved', FindingSeverity.WARNING, subject, 'image of an unnamed ECR repository',
      `the image comes from the template's ECR repository ${repoId}, whose name CloudFormation generated.`,
      `The generated app refers to the repository by name (${REPLACE_ME}): put the deployed repository's name there, or give the repository a RepositoryName.`);
    return { repository: REPLACE_ME, tag };
  }
  const image = planString(c, raw, subject);
  if (image.includes(REPLACE_ME)) {
    c.finding('image-unresolved', FindingSeverity.WARNING, subject, 'image known only at deploy time',
      `the image is ${c.display(raw)}.`, 'Replace the placeholder image of the generated service (REPLACE_ME) with the real repository and tag.');
    return undefined;
  }
  return { image };
}

/**
 * A secret's ValueFrom: an ARN or parameter name, or a Ref to the template's own Secrets Manager
 * secret (`Ref` is its ARN; `${Secret}:key::` picks a JSON key) or SSM parameter (`Ref` is its name).
 */
function secretOf(c: Ctx, name: string, valueFrom: string): MigratedSecret | undefined {
  const ref = /^\$\{Ref:([A-Za-z0-9]+)\}(?::([^:]*)(?::.*)?)?$/.exec(valueFrom);
  const type = ref ? c.t.Resources[ref[1]]?.Type : undefined;
  if (ref && (type === 'AWS::SecretsManager::Secret' || type === 'AWS::SSM::Parameter')) {
    const secretName = str(c.r.properties(ref[1]).Name);
    const subject = c.subject(`secret ${name}`, ref[1]);
    if (secretName === undefined) {
      c.finding('secret-unresolved', FindingSeverity.WARNING, subject, 'secret of an unnamed resource',
        `it is the template's ${type} ${ref[1]}, whose name CloudFormation generated.`,
        `The generated app refers to it by name (${REPLACE_ME}): put the deployed name there, or give the resource a Name.`);
    }
    const reference = secretName === undefined ? REPLACE_ME : planString(c, secretName, subject);
    return type === 'AWS::SSM::Parameter'
      ? { name, source: MigratedSecretSource.SSM_PARAMETER, reference }
      : { name, source: MigratedSecretSource.SECRETS_MANAGER, reference, jsonField: ref[2] || undefined };
  }
  if (/\$\{(Param|Import):/.test(valueFrom)) {
    // Parse the shape with stand-ins for the deploy-time parts, then put them back.
    const parts: string[] = [];
    const shaped = valueFrom.replace(/\$\{(Param|Import):[^}]*\}/g, (whole) => `\u0001${parts.push(whole) - 1}\u0001`);
    const planned = parseValueFrom(name, shaped);
    if (!planned) return undefined;
    const back = planned.reference.replace(/\u0001(\d+)\u0001/g, (_w, i: string) => parts[Number(i)]);
    return { ...planned, reference: planString(c, back, c.subject(`secret ${name}`, 'ValueFrom')) };
  }
  return parseValueFrom(name, valueFrom);
}
