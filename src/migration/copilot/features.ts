import * as advice from './advice';
import { REPORTED, unmappedKeys } from './keys';
import type { ParsedService, Report } from './ports';
import { FindingSeverity } from '../types';
import { asArray, isObject, str } from '../util';

export function featureFindings(p: ParsedService, subject: string, report: Report): void {
  const { m } = p;
  const http = isObject(m.http) ? m.http : undefined;
  if (p.type === 'Load Balanced Web Service' && m.http !== false) {
    const h = http ?? {};
    report('load-balancer', FindingSeverity.WARNING, subject, 'public load balancer',
      `Copilot fronted the service with an Application Load Balancer${str(h.path) ? ` on path ${str(h.path)}` : ''}${h.alias ? ` and domain ${JSON.stringify(h.alias)}` : ''}` +
      `${h.healthcheck !== undefined ? `, target health check ${JSON.stringify(h.healthcheck)}` : ''}.`,
      'Not generated: create an elbv2.ApplicationLoadBalancer in the cluster\'s VPC and add the service as a target (listener.addTargets(\'Web\', { port, targets: [service.service] })), then open the service\'s security group to the load balancer.');
  }
  if (p.type === 'Backend Service' && http) {
    report('internal-load-balancer', FindingSeverity.WARNING, subject, 'internal load balancer',
      `http makes Copilot route ${str(http.path) ? `path ${str(http.path)} ` : ''}of the environment's internal Application Load Balancer to the service` +
      `${http.alias ? ` (alias ${JSON.stringify(http.alias)})` : ''}; callers used that load balancer's DNS name, not Service Connect.`,
      'Not generated. Callers that switch to the Service Connect alias need no load balancer; for the others, create an internal elbv2.ApplicationLoadBalancer ' +
      '(internetFacing: false) in the cluster\'s VPC with a listener rule for the path, and open the service\'s security group to it.');
  }
  if (m.nlb !== undefined) {
    report('load-balancer', FindingSeverity.WARNING, subject, 'network load balancer', 'Copilot created a Network Load Balancer.',
      'Not generated: add an elbv2.NetworkLoadBalancer targeting the service.');
  }
  const image = isObject(m.image) ? m.image : {};
  if (image.credentials !== undefined) {
    report('image-credentials', FindingSeverity.WARNING, subject, 'private registry credentials', `image.credentials is ${JSON.stringify(image.credentials)}.`,
      `Use ecs.ContainerImage.fromRegistry(<image>, { credentials: secretsmanager.Secret.fromSecretCompleteArn(this, 'RegistryCredentials', ${JSON.stringify(str(image.credentials) ?? '<arn>')}) }).`);
  }
  if (advice.usesFireLens(m.logging)) {
    const l = advice.fireLens(m.logging);
    report('logging', FindingSeverity.WARNING, subject, 'FireLens logging', l.detail, l.recommendation);
  }
  const retention = isObject(m.logging) ? str(m.logging.retention) : undefined;
  if (retention !== undefined) {
    report('log-retention', FindingSeverity.INFO, subject, 'log retention', `logging.retention is ${retention} days.`,
      `The generated service keeps the library's default retention: set logRetention (a logs.RetentionDays value, e.g. the one for ${retention} days) on it.`);
  }
  if (m.deployment !== undefined) {
    const d = advice.deployment(m.deployment);
    report('deployment', FindingSeverity.WARNING, subject, 'deployment settings', d.detail, d.recommendation);
  }
  if (m.storage !== undefined) {
    report('storage', FindingSeverity.WARNING, subject, 'storage (volumes, ephemeral)', `storage is ${JSON.stringify(m.storage)}.`, `Not generated: ${advice.storage(m.storage)}`);
  }
  if (m.env_file !== undefined) {
    report('env-file', FindingSeverity.WARNING, subject, 'environment file',
      `env_file is ${JSON.stringify(m.env_file)}: Copilot uploaded it to S3 and ECS loaded its variables into the container.`,
      'Not generated: copy its variables into the service\'s environment, or upload it and add it on the task definition L1: addPropertyOverride(\'ContainerDefinitions.0.EnvironmentFiles\', [{ Type: \'s3\', Value: <object ARN> }]) with s3:GetObject for the execution role.');
  }
  if (m.tags !== undefined) {
    const tags = isObject(m.tags) ? m.tags : {};
    report('tags', FindingSeverity.INFO, subject, 'resource tags', `Copilot tagged the service's resources with ${JSON.stringify(m.tags)}.`,
      `Not generated: ${Object.entries(tags).map(([k, v]) => `Tags.of(service).add(${JSON.stringify(k)}, ${JSON.stringify(str(v) ?? '')})`).join('; ') || 'Tags.of(service).add(key, value)'}.`);
  }
  if (m.taskdef_overrides !== undefined) {
    const paths = asArray(m.taskdef_overrides).filter(isObject).map((r) => str(r.path)).filter((x): x is string => x !== undefined);
    report('taskdef_overrides', FindingSeverity.WARNING, subject, 'task definition overrides', `taskdef_overrides sets ${paths.join(', ') || JSON.stringify(m.taskdef_overrides)}.`,
      'Not applied: re-apply each with (service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride(<path with ContainerDefinitions.0. for the app container>, <value>).');
  }
  const simple: Array<[string, FindingSeverity, string, string]> = [
    ['sidecars', FindingSeverity.WARNING, 'sidecar containers', 'Not generated: add them with service.taskDefinition.addContainer() and reserve their CPU and memory with EnvoySizing.forApp({ ..., sidecarCpu, sidecarMemoryMiB }) so the proxy keeps its budget.'],
    ['observability', FindingSeverity.INFO, 'tracing', 'Not generated: set xrayTracing: true, or add an ADOT collector sidecar (AWS recommends OpenTelemetry; the X-Ray daemon ends 2027-02-25).'],
    ['subscribe', FindingSeverity.WARNING, 'SNS/SQS subscriptions', 'Not generated: create the SQS queue (and SNS subscriptions), pass its URL as COPILOT_QUEUE_URI (and COPILOT_TOPIC_QUEUE_URIS), which the worker read, and grant the task role sqs:ReceiveMessage / DeleteMessage.'],
    ['publish', FindingSeverity.WARNING, 'SNS topics', 'Not generated: create the topics, pass their ARNs as COPILOT_SNS_TOPIC_ARNS (a JSON map of name to ARN, as Copilot did) and grant the task role sns:Publish.'],
    ['entrypoint', FindingSeverity.WARNING, 'entrypoint override', 'Not generated: override EntryPoint on the task definition L1 (addPropertyOverride(\'ContainerDefinitions.0.EntryPoint\', [...])) or bake it into the image.'],
  ];
  for (const [field, severity, feature, rec] of simple) {
    if (m[field] !== undefined && m[field] !== false) {
      report(field, severity, subject, feature, `the manifest sets ${field}: ${JSON.stringify(m[field])}.`, rec);
    }
  }
  const vpc = isObject(m.network) && isObject(m.network.vpc) ? m.network.vpc : undefined;
  if (vpc) {
    report('network-placement', FindingSeverity.INFO, subject, 'network placement',
      `network.vpc is ${JSON.stringify(vpc)}.`, 'The generated services run in the private subnets with their own security group; attach extra groups with service.connections.addSecurityGroup().');
  }
  for (const key of unmappedKeys(p.type, m)) {
    if (REPORTED.has(key)) continue;
    report('unmapped-key', FindingSeverity.WARNING, subject, key,
      `the manifest sets ${key} (${JSON.stringify(valueAt(m, key))}), which the plan does not carry over.`,
      `Re-create what Copilot did with ${key} by hand on the generated service (its task definition or L1), or confirm it is not needed.`);
  }
}

function valueAt(m: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), m);
}

