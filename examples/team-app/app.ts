// The team half of a platform/team layout in two CDK apps (the platform half is
// examples/platform-app). A team app joins the platform's cluster and namespace by attributes
// read from SSM parameters at deployment, runs its own services there, and calls the
// platform's identity service (another app's) with connectToExternal.
import { App, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { PLATFORM_AZ_COUNT, PLATFORM_NAMESPACE, PLATFORM_PARAMETERS } from '../platform-app/contract';
import { ConnectedFargateService, ServiceConnectCluster } from 'cdk-service-connect';

export function buildTeamApp(app: App = new App()): Stack {
  const stack = new Stack(app, 'ShopTeamCheckout');
  const param = (name: string) => ssm.StringParameter.valueForStringParameter(stack, name);

  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'PlatformVpc', {
    vpcId: param(PLATFORM_PARAMETERS.vpcId),
    availabilityZones: stack.availabilityZones.slice(0, PLATFORM_AZ_COUNT),
    privateSubnetIds: Fn.split(',', param(PLATFORM_PARAMETERS.privateSubnetIds), PLATFORM_AZ_COUNT),
  });
  const namespaceArn = param(PLATFORM_PARAMETERS.namespaceArn);
  const shop = ServiceConnectCluster.fromClusterAttributes(stack, 'Shop', {
    cluster: ecs.Cluster.fromClusterAttributes(stack, 'PlatformCluster', { clusterName: param(PLATFORM_PARAMETERS.clusterName), vpc }),
    namespace: servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(stack, 'PlatformNamespace', {
      namespaceArn,
      namespaceId: Fn.select(1, Fn.split('/', namespaceArn)), // arn:…:namespace/ns-…
      namespaceName: PLATFORM_NAMESPACE,
    }),
  });

  const cart = new ConnectedFargateService(stack, 'Cart', {
    cluster: shop,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/cart:1.4.0'),
    ports: [{ name: 'cart-http', containerPort: 8080, discoveryName: 'cart' }],
  });
  const checkout = new ConnectedFargateService(stack, 'Checkout', {
    cluster: shop,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/checkout:3.1.0'),
    ports: [{ name: 'checkout-http', containerPort: 8080, discoveryName: 'checkout' }],
  });
  checkout.connectTo(cart); // CART_URL=http://cart:8080, within this app: rule and order as usual
  // identity belongs to the platform app: the URL, and a rule in its (imported) security group
  checkout.connectToExternal('identity', 8080, {
    serverSecurityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'IdentityGroup', param(PLATFORM_PARAMETERS.identitySecurityGroupId)),
  }); // IDENTITY_URL=http://identity:8080
  return stack;
}

if (require.main === module) {
  buildTeamApp();
}
