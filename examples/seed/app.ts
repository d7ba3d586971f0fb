// The seed topology: orders and payments serve HTTP on 8080 in the namespace
// production.internal; orders and the client-only worker call payments.
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ConnectedFargateService, EnvoySizing, ServiceConnectCluster } from 'cdk-service-connect';

export function buildSeedApp(app: App = new App()): Stack {
  const stack = new Stack(app, 'ServiceConnectSeed');
  const cluster = new ServiceConnectCluster(stack, 'Production', { namespaceName: 'production.internal' });

  const payments = new ConnectedFargateService(stack, 'Payments', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/payments:v1.4.0'),
    ports: [{ name: 'payments-http', containerPort: 8080, discoveryName: 'payments' }],
  });

  const orders = new ConnectedFargateService(stack, 'Orders', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/orders:v2.1.0'),
    ports: [{ name: 'orders-http', containerPort: 8080, discoveryName: 'orders' }],
    desiredCount: 3,
    // The seed article's task size; the app gets what AWS's proxy budget (256 CPU, 64 MiB) leaves.
    sizing: EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 1024 }),
  });

  const worker = new ConnectedFargateService(stack, 'Worker', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/worker:v1.0.0'),
  });

  orders.connectTo(payments); // PAYMENTS_URL=http://payments:8080
  worker.connectTo(payments);
  return stack;
}

if (require.main === module) {
  buildSeedApp();
}
