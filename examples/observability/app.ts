// The seed topology (orders and payments serve HTTP on 8080 in production.internal; orders and
// the client-only worker call payments) with default alarms on every server and one dashboard.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ConnectedFargateService, EnvoySizing, ServiceConnectCluster, ServiceConnectAlarms, ServiceConnectDashboard } from 'cdk-service-connect';

export function buildObservabilityApp(app: App = new App()): Stack {
  const stack = new Stack(app, 'ServiceConnectObservability');
  const cluster = new ServiceConnectCluster(stack, 'Production', { namespaceName: 'production.internal' });

  // Created before the services: it picks them up when the app is synthesized.
  new ServiceConnectDashboard(stack, 'Dashboard', { cluster, dashboardName: 'service-connect-production' });

  // Where the alarms go: an encrypted topic that only accepts TLS, whose key CloudWatch may use.
  const alarmKey = new kms.Key(stack, 'AlarmKey', { enableKeyRotation: true, description: 'Service Connect alarm notifications' });
  alarmKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const alarmTopic = new sns.Topic(stack, 'AlarmTopic', { masterKey: alarmKey, enforceSSL: true });

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
    sizing: EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 1024 }),
  });

  const worker = new ConnectedFargateService(stack, 'Worker', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/worker:v1.0.0'),
  });

  orders.connectTo(payments);
  worker.connectTo(payments);

  // Payments is on the money path: alarm sooner and on a tighter latency budget.
  new ServiceConnectAlarms(stack, 'PaymentsAlarms', {
    service: payments,
    errorRateThresholdPercent: 1,
    latencyThreshold: Duration.millis(500),
    alarmTopic,
  });
  new ServiceConnectAlarms(stack, 'OrdersAlarms', { service: orders, alarmTopic });

  return stack;
}

if (require.main === module) {
  buildObservabilityApp();
}
