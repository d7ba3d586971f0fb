// A storefront as teams commonly run it on ECS: a web frontend behind an internet-facing load
// balancer (HTTPS, HTTP redirected) that calls its backends through Service Connect.
//  - web: client-only in Service Connect (nobody calls it inside the namespace), reached through
//    the load balancer on its container port 3000, scaled on CPU.
//  - catalog: HTTP API, also routed from the load balancer under /api/catalog/*, deployed
//    blue/green (the load balancer's alternate target group and rule are wired), scaled on
//    Service Connect's requests per task.
//  - cart: on FARGATE_SPOT with a FARGATE base, with a log-router sidecar, EFS-free, read-only root.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ConnectedFargateService, ServiceConnectCluster, ServiceConnectDeployment, ServiceConnectIngress } from 'cdk-service-connect';

export const STOREFRONT_CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';

export function buildStorefrontApp(app: App = new App()): Stack {
  // A Region lets the load balancer write access logs (the bucket policy names the Region's ELB principal).
  const stack = new Stack(app, 'Storefront', { env: { region: 'eu-west-1' } });
  const cluster = new ServiceConnectCluster(stack, 'Shop', { namespaceName: 'storefront.internal' });

  const catalog = new ConnectedFargateService(stack, 'Catalog', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/catalog:5.0.1'),
    ports: [{ name: 'catalog-http', containerPort: 8080, discoveryName: 'catalog' }],
    deployment: ServiceConnectDeployment.blueGreen({ bakeTime: Duration.minutes(10) }),
    autoScaling: { minCapacity: 2, maxCapacity: 10, targetRequestsPerTaskPerMinute: 1200 },
  });
  const cart = new ConnectedFargateService(stack, 'Cart', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/cart:2.3.0'),
    ports: [{ name: 'cart-http', containerPort: 8080, discoveryName: 'cart' }],
    capacityProviderStrategies: [{ capacityProvider: 'FARGATE', base: 2, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }],
    readonlyRootFilesystem: true,
    stopTimeout: Duration.seconds(60),
    sidecars: [{
      name: 'log-router',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:stable'),
      cpu: 64,
      memoryMiB: 128,
      startBeforeApp: true,
      readonlyRootFilesystem: false,
    }],
    dockerLabels: { team: 'cart' },
    tags: { team: 'cart' },
  });
  const web = new ConnectedFargateService(stack, 'Web', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/web:7.2.0'),
    autoScaling: { minCapacity: 2, maxCapacity: 6, targetCpuUtilizationPercent: 60 },
    healthCheckGracePeriod: Duration.seconds(30),
  });
  web.connectTo(catalog); // CATALOG_URL=http://catalog:8080
  web.connectTo(cart); // CART_URL=http://cart:8080

  const ingress = new ServiceConnectIngress(stack, 'Ingress', {
    cluster,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', STOREFRONT_CERTIFICATE_ARN),
  });
  ingress.addRoute(catalog, { containerPort: 8080, pathPatterns: ['/api/catalog/*'], healthCheck: { path: '/health' } });
  ingress.addRoute(web, { containerPort: 3000, healthCheck: { path: '/' } });
  return stack;
}

if (require.main === module) {
  buildStorefrontApp();
}
