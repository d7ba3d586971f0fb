/**
 * One virtual node → one migrated service: its task definition's app container (image,
 * environment, secrets, command, health check), the sizing once the Envoy is gone, and the
 * findings about the task.
 */
import { hasPlaceholder } from '../intrinsics';
import { parseValueFrom } from '../secrets';
import { sizingFor } from '../sizing-plan';
import { FindingSeverity, MigratedPort, MigratedSecret, MigratedService, RemovedSidecar } from '../types';
import { asArray, cpuUnits, isObject, memoryMiB, num, str } from '../util';
import { Container, Ctx, Node, TaskDef } from './model';

export function migrateNode(c: Ctx, node: Node, id: string, ports: MigratedPort[]): MigratedService {
  const tasks = c.taskDefs.filter((td) => td.meshResource?.kind === 'virtualNode' && td.meshResource.name === node.name);
  const td = tasks[0];
  const subject = c.subject(`virtual node ${node.name}`, node.logicalId);
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
      sourceName: node.name,
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
  if (td.services.length === 0) {
    c.finding('standalone-task', FindingSeverity.BLOCKER, c.subject(`task definition of ${node.name}`, td.logicalId),
      'standalone task', 'no ECS service of the template runs this task definition: its tasks are started by RunTask (or by another template).',
      'Service Connect works only for tasks that ECS services start. Run the workload as an ECS service (desiredCount 0 and ' +
      'scaling when idle is fine); for batch jobs that only call other services, run them as a client-only service, or call the servers through an internal load balancer.');
  }
  const app = appContainer(td, node);
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
    c.finding('no-app-container', FindingSeverity.WARNING, c.subject(`task definition of ${node.name}`, td.logicalId),
      'no app container', 'the task definition has only the Envoy container.', 'Fill in the image of the generated service (REPLACE_ME).');
  }
  const compat = asArray(td.props.RequiresCompatibilities).map(String);
  if ((compat.length > 0 && !compat.includes('FARGATE')) || (str(td.props.NetworkMode) ?? 'awsvpc') !== 'awsvpc') {
    c.finding('launch-type', FindingSeverity.INFO, c.subject(`task definition of ${node.name}`, td.logicalId), 'EC2 launch type',
      `the task ran on ${compat.join('/') || 'EC2'} with network mode ${str(td.props.NetworkMode) ?? 'bridge'}.`,
      'The generated service runs on Fargate (awsvpc). Keep EC2 by writing the service with aws-cdk-lib\'s Ec2Service and serviceConnectConfiguration.');
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
  if (!appCpu) {
    appCpu = taskCpu !== undefined ? taskCpu - envoyCpu - othersCpu : undefined;
    estimated = true;
  }
  if (!appMem) {
    appMem = taskMem !== undefined ? taskMem - envoyMem - othersMem : undefined;
    estimated = true;
  }
  if (appCpu === undefined || appCpu < 1) appCpu = Math.max(128, Math.floor((taskCpu ?? 512) / 2));
  if (appMem === undefined || appMem < 1) appMem = Math.max(256, Math.floor((taskMem ?? 1024) / 2));
  const sizing = sizingFor(appCpu, appMem, {
    estimated,
    previousTaskCpu: taskCpu,
    previousTaskMemoryMiB: taskMem,
    freedCpu: td.envoy ? envoyCpu : undefined,
    freedMemoryMiB: td.envoy ? envoyMem : undefined,
  });

  const removed: RemovedSidecar[] = [];
  if (td.envoy) {
    removed.push({
      taskDefinition: td.logicalId,
      containerName: td.envoy.name,
      image: str(td.envoy.raw.Image) ?? '?',
      cpu: envoyCpu,
      memoryMiB: envoyMem,
      proxyConfiguration: td.proxyConfiguration,
    });
    c.removals.push(`Envoy container "${td.envoy.name}" (${str(td.envoy.raw.Image) ?? 'image unknown'}, ${envoyCpu} CPU units, ${envoyMem} MiB)` +
      `${td.proxyConfiguration ? ' and the ProxyConfiguration of type APPMESH' : ''} from task definition ${td.logicalId} (virtual node ${node.name}).`);
  } else if (td.proxyConfiguration) {
    c.removals.push(`ProxyConfiguration of type APPMESH from task definition ${td.logicalId} (virtual node ${node.name}).`);
  }

  const image = app ? str(app.raw.Image) : undefined;
  if (image !== undefined && hasPlaceholder(image)) {
    c.finding('image-unresolved', FindingSeverity.WARNING, c.subject(`container ${app!.name}`, td.logicalId), 'image known only at deploy time',
      `the image is ${image}.`, 'Replace the placeholder image of the generated service (REPLACE_ME) with the real repository and tag.');
  }
  const environment: { [name: string]: string } = {};
  for (const e of asArray(app?.raw.Environment).filter(isObject)) {
    const name = str(e.Name);
    const value = str(e.Value);
    if (!name || value === undefined || name.startsWith('APPMESH_') || name.startsWith('ENVOY_')) continue;
    environment[name] = value;
  }
  const secrets: MigratedSecret[] = [];
  for (const s of asArray(app?.raw.Secrets).filter(isObject)) {
    const secret = parseValueFrom(str(s.Name) ?? '', str(s.ValueFrom) ?? '');
    if (secret) {
      secrets.push(secret);
    } else {
      c.finding('secret-unresolved', FindingSeverity.WARNING, c.subject(`secret ${str(s.Name)}`, td.logicalId), 'secret known only at deploy time',
        `its ValueFrom is ${str(s.ValueFrom) ?? JSON.stringify(s.ValueFrom)}.`, 'Add it to the generated service\'s secrets by hand.');
    }
  }
  const hcRaw = app && isObject(app.raw.HealthCheck) ? app.raw.HealthCheck : {};
  const hc = asArray(hcRaw.Command).map(String);
  const command = app ? asArray(app.raw.Command).map(String) : [];
  const desired = td.services.map((s) => s.desiredCount).find((d) => d !== undefined);
  return {
    id,
    sourceName: node.name,
    sourceKind: 'AWS::AppMesh::VirtualNode',
    sourceLocation: `${node.logicalId} (task definition ${td.logicalId}${td.services.length ? `, ECS service ${td.services.map((s) => s.logicalId).join(', ')}` : ''})`,
    image: image !== undefined && !hasPlaceholder(image) ? image : undefined,
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
  };
}

export function appContainer(td: TaskDef, node: Node): Container | undefined {
  const candidates = td.containers.filter((c) => c !== td.envoy && !/xray/i.test(`${c.name} ${str(c.raw.Image) ?? ''}`));
  const listenerPorts = new Set(node.listeners.map((l) => l.port));
  return candidates.find((c) => asArray(c.raw.PortMappings).filter(isObject).some((pm) => listenerPorts.has(num(pm.ContainerPort) ?? -1))) ??
    candidates.find((c) => c.raw.Essential !== false) ?? candidates[0];
}
