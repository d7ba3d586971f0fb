// A platform team owns the cluster and namespace; product teams deploy their services from
// their own stacks.
//  - Checkout and Catalog use the platform cluster through CDK cross-stack references.
//  - Analytics runs its own cluster in its own VPC and joins the same namespace imported by
//    attributes (exported values); the two VPCs must be peered or attached to a transit gateway
//    with routes and security groups that allow the container ports.
import { App, CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ConnectedFargateService, ServiceConnectCluster } from 'cdk-service-connect';

export interface CrossStackApp {
  readonly platform: Stack;
  readonly catalog: Stack;
  readonly checkout: Stack;
  readonly analytics: Stack;
}

/** The example's stacks, in an app or in a stage of one (a pipeline's beta or prod). */
export function buildCrossStackApp(app: Stage = new App()): CrossStackApp {
  const platform = new Stack(app, 'Platform');
  const cluster = new ServiceConnectCluster(platform, 'Shared', { namespaceName: 'shop.internal' });
  new CfnOutput(platform, 'NamespaceArn', { value: cluster.namespace.namespaceArn, exportName: 'shop-namespace-arn' });
  new CfnOutput(platform, 'NamespaceId', { value: cluster.namespace.namespaceId, exportName: 'shop-namespace-id' });

  const catalog = new Stack(app, 'TeamCatalog');
  const catalogService = new ConnectedFargateService(catalog, 'Catalog', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/catalog:3.2.0'),
    ports: [{ name: 'catalog-http', containerPort: 8080, discoveryName: 'catalog' }],
  });

  const checkout = new Stack(app, 'TeamCheckout');
  const checkoutService = new ConnectedFargateService(checkout, 'Checkout', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/checkout:1.9.0'),
    ports: [{ name: 'checkout-http', containerPort: 8080, discoveryName: 'checkout' }],
  });
  checkoutService.connectTo(catalogService); // CATALOG_URL=http://catalog:8080

  const analytics = new Stack(app, 'TeamAnalytics');
  analytics.addStackDependency(platform, 'the namespace is exported by the platform stack');
  const namespace = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(analytics, 'ShopNamespace', {
    namespaceArn: Fn.importValue('shop-namespace-arn'),
    namespaceId: Fn.importValue('shop-namespace-id'),
    namespaceName: 'shop.internal',
  });
  const analyticsCluster = new ServiceConnectCluster(analytics, 'AnalyticsCluster', { namespace });
  const reporter = new ConnectedFargateService(analytics, 'Reporter', {
    cluster: analyticsCluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/reporter:0.4.0'),
  });
  // Catalog lives in another VPC: Service Connect finds it through the namespace, but security
  // groups cannot reference each other across unpeered VPCs, so this sets only the URL; the VPC
  // routing and a catalog security group rule for the analytics VPC's CIDR are the user's.
  const catalogEndpoint = catalogService.endpoint();
  reporter.connectToExternal(catalogEndpoint.dnsName, catalogEndpoint.clientPort); // CATALOG_URL

  return { platform, catalog, checkout, analytics };
}

if (require.main === module) {
  buildCrossStackApp();
}
