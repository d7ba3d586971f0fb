// Progressive delivery through Service Connect: payments deploys as a canary (10 % of
// production traffic for 5 minutes, then the rest), requests with `x-canary: true` reach the
// new revision first, the deployment rolls back when the 5xx rate or p99 latency alarms fire, and
// a Lambda function checks the new revision after the test traffic stage.
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ConnectedFargateService, ServiceConnectCluster, ServiceConnectDeployment } from 'cdk-service-connect';

export function buildProgressiveDeliveryApp(app: App = new App()): Stack {
  const stack = new Stack(app, 'ProgressiveDelivery');
  const cluster = new ServiceConnectCluster(stack, 'Production', { namespaceName: 'production.internal' });

  // The hook answers ECS with hookStatus SUCCEEDED, FAILED or IN_PROGRESS.
  const hookLogs = new logs.LogGroup(stack, 'SmokeTestLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  const hookRole = new iam.Role(stack, 'SmokeTestRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  hookLogs.grantWrite(hookRole);
  const smokeTest = new lambda.Function(stack, 'SmokeTest', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    role: hookRole,
    logGroup: hookLogs,
    timeout: Duration.seconds(30),
    code: lambda.Code.fromInline([
      'exports.handler = async (event) => {',
      '  // Call the new revision with the test header here and judge the answers.',
      '  console.log(JSON.stringify(event));',
      '  return { hookStatus: "SUCCEEDED" };',
      '};',
    ].join('\n')),
  });

  const payments = new ConnectedFargateService(stack, 'Payments', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/payments:v1.5.0'),
    ports: [{
      name: 'payments-http',
      containerPort: 8080,
      discoveryName: 'payments',
      // curl -H 'x-canary: true' http://payments:8080/v1/health  → the new revision, during a deployment
      testTrafficHeader: { name: 'x-canary', value: 'true' },
    }],
    desiredCount: 4,
    deployment: ServiceConnectDeployment.canary({
      canaryPercent: 10,
      canaryInterval: Duration.minutes(5),
      // How long both revisions keep running after all traffic has moved (instant rollback).
      // Always rendered: left out, it is ServiceConnectDeployment.DEFAULT_BAKE_TIME (15 minutes).
      // CloudFormation rejects a canary whose bakeTime + canaryInterval exceeds 33 hours.
      bakeTime: Duration.minutes(10),
      lifecycleHooks: [{ handler: smokeTest, stages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT] }],
    }),
  });

  const orders = new ConnectedFargateService(stack, 'Orders', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/orders:v2.1.0'),
    ports: [{ name: 'orders-http', containerPort: 8080, discoveryName: 'orders' }],
    // 25 % steps: 3 waits of 3 minutes (none after the last shift), then the default bake time of
    // 15 minutes: 24 minutes in CloudFormation's count, far below its 33-hour limit.
    deployment: ServiceConnectDeployment.linear({ stepPercent: 25, stepInterval: Duration.minutes(3) }),
  });
  orders.connectTo(payments);
  return stack;
}

if (require.main === module) {
  buildProgressiveDeliveryApp();
}
