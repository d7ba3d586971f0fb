import type { App } from 'aws-cdk-lib';
import { Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { strictApp } from './helpers';
import { buildCrossAccountApp } from '../examples/cross-account/app';
import { buildCrossStackApp } from '../examples/cross-stack/app';
import { buildEc2App } from '../examples/ec2/app';
import { buildManyServicesApp } from '../examples/many-services/app';
import { buildObservabilityApp } from '../examples/observability/app';
import { buildPlatformApp } from '../examples/platform-app/app';
import { buildProgressiveDeliveryApp } from '../examples/progressive-delivery/app';
import { buildSeedApp } from '../examples/seed/app';
import { buildStackPlacementApp } from '../examples/stack-placement/app';
import { buildStorefrontApp } from '../examples/storefront/app';
import { buildTeamApp } from '../examples/team-app/app';
import { ConnectedFargateService, ServiceConnectCluster } from '../src';

/** A strict app with cdk-nag's AwsSolutions pack: synthesis fails on any unacknowledged finding. */
function nagApp(): App {
  const app = strictApp();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');

describe('cdk-nag AwsSolutions: zero unacknowledged findings', () => {
  test.each([
    ['seed', (app: App) => buildSeedApp(app)],
    ['cross-stack', (app: App) => buildCrossStackApp(app)],
    ['cross-account', (app: App) => buildCrossAccountApp(app)],
    ['observability', (app: App) => buildObservabilityApp(app)],
    ['progressive-delivery', (app: App) => buildProgressiveDeliveryApp(app)],
    ['many-services', (app: App) => buildManyServicesApp(app)],
    ['platform-app', (app: App) => buildPlatformApp(app)],
    ['team-app', (app: App) => buildTeamApp(app)],
    ['ec2', (app: App) => buildEc2App(app)],
    ['storefront', (app: App) => buildStorefrontApp(app)],
    ['stack-placement', (app: App) => buildStackPlacementApp(app)],
  ])('example %s', (_name, build) => {
    const app = nagApp();
    build(app);
    expect(() => app.synth()).not.toThrow();
  });

  test('a service with variables of its own keeps the ECS2 finding for its owner to judge', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Own');
    const cluster = new ServiceConnectCluster(stack, 'C');
    const api = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    const client = new ConnectedFargateService(stack, 'Client', { cluster, image, environment: { API_KEY: 'not-a-secret-really' } });
    client.connectTo(api);
    expect(() => app.synth()).toThrow(/AwsSolutions-ECS2/);
  });

  test('the library records its acknowledgements exactly as Validations.acknowledge() does, and yours still add up', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Ack');
    const cluster = new ServiceConnectCluster(stack, 'C');
    const api = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    const web = new ConnectedFargateService(stack, 'Web', { cluster, image, enableExecuteCommand: true });
    web.connectTo(api);
    const reference = new Construct(stack, 'Reference');
    const acknowledgements = (c: IConstruct): Array<Record<string, string>> => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data);

    // ECS2 on the task definition (URL variables only), IAM5 on the task role (ECS Exec).
    const [ecs2] = acknowledgements(web.taskDefinition);
    Validations.of(reference).acknowledge({ id: 'AwsSolutions-ECS2', reason: Object.values(ecs2)[0] as string });
    expect(acknowledgements(web.taskDefinition)).toEqual(acknowledgements(reference));
    expect(Object.keys(ecs2)[0]).toMatch(/AwsSolutions-ECS2$/);
    expect(acknowledgements(web.taskDefinition.taskRole).flatMap((d) => Object.keys(d))).toEqual([expect.stringMatching(/AwsSolutions-IAM5\[Resource::\*\]$/)]);
    expect(acknowledgements(api.taskDefinition)).toEqual([]);

    // An acknowledgement of the user's own on the same construct is kept next to the library's.
    Validations.of(web.taskDefinition).acknowledge({ id: 'AwsSolutions-ECS7', reason: 'mine' });
    expect(acknowledgements(web.taskDefinition)).toHaveLength(2);
  });
});
