import * as path from 'path';
import { asArray, isObject, str } from '../util';

/** A TypeScript string literal for advice text. */
function lit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A TypeScript object literal of string values. */
function record(o: Record<string, unknown>): string {
  return `{ ${Object.entries(o).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k)}: ${lit(str(v) ?? '')}`).join(', ')} }`;
}

/**
 * `image.build` as Copilot built it (a Dockerfile path, or `dockerfile`, `context`, `args`,
 * `target`, `cache_from`), and the `ecs.ContainerImage.fromAsset()` call that builds the same image:
 * the build context directory first, the Dockerfile relative to it.
 */
export function imageBuild(build: unknown): { summary: string; code: string } {
  let dockerfile: string | undefined;
  let context: string | undefined;
  let args: Record<string, unknown> = {};
  let target: string | undefined;
  if (typeof build === 'string') {
    dockerfile = build;
  } else if (isObject(build)) {
    dockerfile = str(build.dockerfile);
    context = str(build.context);
    args = isObject(build.args) ? build.args : {};
    target = str(build.target);
  }
  // Copilot's defaults: the context is the Dockerfile's folder, the Dockerfile is <context>/Dockerfile.
  context = context ?? (dockerfile ? path.posix.dirname(dockerfile) : '.');
  dockerfile = dockerfile ?? path.posix.join(context, 'Dockerfile');
  const file = path.posix.relative(context, dockerfile) || 'Dockerfile';
  const opts: string[] = [];
  if (file !== 'Dockerfile') opts.push(`file: ${lit(file)}`);
  if (Object.keys(args).length > 0) opts.push(`buildArgs: ${record(args)}`);
  if (target) opts.push(`target: ${lit(target)}`);
  const code = `ecs.ContainerImage.fromAsset(${lit(context)}${opts.length ? `, { ${opts.join(', ')} }` : ''})`;
  const parts = [`Dockerfile ${dockerfile}`, `context ${context}`];
  if (Object.keys(args).length > 0) parts.push(`build args ${Object.keys(args).join(', ')}`);
  if (target) parts.push(`target ${target}`);
  if (isObject(build) && build.cache_from !== undefined) parts.push(`cache_from ${asArray(build.cache_from).join(', ')}`);
  return { summary: parts.join(', '), code };
}

/** Whether Copilot's `logging` section made a FireLens log router (anything besides `retention`). */
export function usesFireLens(logging: unknown): boolean {
  return isObject(logging) && Object.keys(logging).some((k) => k !== 'retention');
}

/** Copilot's `logging` section: a FireLens log router (aws-for-fluent-bit) beside the app container. */
export function fireLens(logging: unknown): { detail: string; recommendation: string } {
  const l = isObject(logging) ? logging : {};
  const image = str(l.image) ?? 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable';
  const destination = isObject(l.destination) ? l.destination : undefined;
  const configFile = str(l.configFilePath);
  const secretOptions = isObject(l.secretOptions) ? Object.keys(l.secretOptions) : [];
  const detail = `Copilot ran a FireLens log router (${image}) and sent the app's logs through the awsfirelens driver` +
    `${destination ? ` with the options ${JSON.stringify(destination)}` : ' to CloudWatch Logs'}${configFile ? `, extra Fluent Bit configuration ${configFile}` : ''}` +
    `${secretOptions.length ? `, secret options ${secretOptions.join(', ')}` : ''}.`;
  const options = destination ? `, options: ${record(destination)}` : '';
  const recommendation = 'The generated service logs to CloudWatch Logs with awslogs. To keep the FireLens pipeline, reserve the router in the sizing ' +
    '(EnvoySizing.forApp({ ..., sidecarCpu: 64, sidecarMemoryMiB: 128 })), then after the service: ' +
    `const router = service.taskDefinition.addFirelensLogRouter('log_router', { image: ecs.ContainerImage.fromRegistry(${lit(image)}), essential: true, ` +
    `memoryReservationMiB: 50, firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT${configFile ? `, options: { configFileType: ecs.FirelensConfigFileType.FILE, configFileValue: ${lit(configFile)} }` : ''} }, ` +
    'logging: ecs.LogDrivers.awsLogs({ streamPrefix: \'firelens\' }) }); ' +
    `(service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.LogConfiguration', { LogDriver: 'awsfirelens'${options ? `, Options: ${record(destination!)}` : ''} }); ` +
    'service.container.addContainerDependencies({ container: router, condition: ecs.ContainerDependencyCondition.START })' +
    `${secretOptions.length ? '; pass the secret options as LogConfiguration.SecretOptions ([{ Name, ValueFrom }]) in the same override' : ''}. ` +
    'The proxy\'s own logs stay in CloudWatch Logs.';
  return { detail, recommendation };
}

/** Copilot's `deployment` section. */
export function deployment(d: unknown): { detail: string; recommendation: string } {
  const x = isObject(d) ? d : {};
  const rolling = str(x.rolling);
  const alarms = x.rollback_alarms;
  const parts: string[] = [];
  const recs: string[] = [];
  if (rolling === 'recreate') {
    parts.push('rolling: recreate (Copilot stopped every old task before starting new ones: minimum healthy 0 %, maximum 100 %)');
    recs.push('The generated service keeps the library\'s rolling deployment (minimum healthy 100 %, maximum 200 %, no downtime); if the app cannot run two versions at once, set service.service\'s deployment to minHealthyPercent: 0, maxHealthyPercent: 100 through the L1 (DeploymentConfiguration).');
  } else if (rolling !== undefined) {
    parts.push(`rolling: ${rolling} (Copilot's default: minimum healthy 100 %, maximum 200 %)`);
    recs.push('The generated service deploys the same way.');
  }
  if (alarms !== undefined) {
    const names = Array.isArray(alarms) ? alarms.map(String) : [];
    parts.push(Array.isArray(alarms) ? `rollback alarms ${names.join(', ')}` : `rollback alarms on ${Object.keys(isObject(alarms) ? alarms : {}).join(', ')}`);
    recs.push(Array.isArray(alarms)
      ? `Roll back on the same alarms: service.service.enableDeploymentAlarms([${names.map(lit).join(', ')}], { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM }).`
      : 'Copilot created these alarms: create cloudwatch.Alarm on service.service.metricCpuUtilization() / metricMemoryUtilization() (or the queue\'s ApproximateAgeOfOldestMessage) and pass their names to service.service.enableDeploymentAlarms().');
  }
  for (const k of Object.keys(x).filter((key) => key !== 'rolling' && key !== 'rollback_alarms')) parts.push(`${k}: ${JSON.stringify(x[k])}`);
  return { detail: `deployment is ${parts.join('; ') || JSON.stringify(d)}.`, recommendation: recs.join(' ') || 'Configure the deployment on service.service by hand.' };
}

/** Copilot's `storage` section. */
export function storage(s: unknown): string {
  const x = isObject(s) ? s : {};
  const recs: string[] = [];
  if (x.ephemeral !== undefined) recs.push(`ephemeral storage ${str(x.ephemeral)} GiB: set EphemeralStorage.SizeInGiB on the task definition L1 (addPropertyOverride('EphemeralStorage.SizeInGiB', ${str(x.ephemeral)}))`);
  const volumes = isObject(x.volumes) ? Object.keys(x.volumes) : [];
  if (volumes.length > 0) recs.push(`volumes ${volumes.join(', ')}: service.taskDefinition.addVolume({ name, efsVolumeConfiguration: { fileSystemId, transitEncryption: 'ENABLED' } }) and service.container.addMountPoints({ sourceVolume: name, containerPath, readOnly }); open the file system's security group to service.connections on 2049`);
  if (x.readonly_fs !== undefined) recs.push('readonly_fs: set ReadonlyRootFilesystem on the container through the task definition L1');
  return `${recs.join('; ') || 'add the volumes to service.taskDefinition and the mount points to service.container'}.`;
}

/** Guidance for a Static Site manifest (S3 + CloudFront, nothing in ECS). */
export function staticSite(m: Record<string, unknown>): string {
  const files = asArray(m.files).filter(isObject).map((f) => `${str(f.source) ?? '?'} → ${str(f.destination) ?? '/'}`);
  const http = isObject(m.http) ? m.http : {};
  return 'Nothing of it runs in ECS, so nothing moves to Service Connect: keep the Copilot stack until you rebuild it with aws-cdk-lib ' +
    '(const bucket = new s3.Bucket(this, \'Site\', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL }); ' +
    `new s3deploy.BucketDeployment(this, 'Files', { sources: [s3deploy.Source.asset(<source folder>)], destinationBucket: bucket, destinationKeyPrefix: <destination> })${files.length ? ` for ${files.join(', ')}` : ''}; ` +
    'new cloudfront.Distribution(this, \'Cdn\', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(bucket) }, defaultRootObject: \'index.html\' })' +
    `${http.alias ? `, with domainNames: [${lit(str(http.alias) ?? '')}], an ACM certificate in us-east-1 and a Route 53 alias record` : ''}).`;
}
