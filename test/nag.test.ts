import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { strictApp } from './helpers';
import { buildCrossAccountApp } from '../examples/cross-account/app';
import { buildCrossStackApp } from '../examples/cross-stack/app';
import { buildManyServicesApp } from '../examples/many-services/app';
import { buildObservabilityApp } from '../examples/observability/app';
import { buildProgressiveDeliveryApp } from '../examples/progressive-delivery/app';
import { buildSeedApp } from '../examples/seed/app';
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
});
