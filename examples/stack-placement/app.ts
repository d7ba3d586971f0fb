// Services may sit in any stack and still call each other with connectTo:
//  - the platform stack owns the cluster and runs an API gateway that calls a team's orders
//    service (the team stack depends on the platform stack, so the gateway cannot be ordered
//    after orders: the rule goes into the team stack and a dependency-cycle warning says what to
//    deploy first);
//  - orders (team Orders) calls pricing (team Pricing), which calls the platform's audit service:
//    A(stack 1) → B(stack 2) → C(stack 1) with no cycle of services at all.
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ConnectedFargateService, ServiceConnectCluster } from 'cdk-service-connect';

export interface StackPlacementApp {
  readonly platform: Stack;
  readonly orders: Stack;
  readonly pricing: Stack;
}

export function buildStackPlacementApp(app: App = new App()): StackPlacementApp {
  const platform = new Stack(app, 'PlacementPlatform');
  const cluster = new ServiceConnectCluster(platform, 'Cluster', { namespaceName: 'placement.internal' });
  const image = (name: string) => ecs.ContainerImage.fromRegistry(`public.ecr.aws/example/${name}:1.0.0`);
  const http = (name: string) => [{ name: `${name}-http`, containerPort: 8080, discoveryName: name }];

  const gateway = new ConnectedFargateService(platform, 'Gateway', { cluster, image: image('gateway'), ports: http('gateway') });
  const audit = new ConnectedFargateService(platform, 'Audit', { cluster, image: image('audit'), ports: http('audit') });

  const ordersStack = new Stack(app, 'PlacementOrders');
  const orders = new ConnectedFargateService(ordersStack, 'Orders', { cluster, image: image('orders'), ports: http('orders') });
  const pricingStack = new Stack(app, 'PlacementPricing');
  const pricing = new ConnectedFargateService(pricingStack, 'Pricing', { cluster, image: image('pricing'), ports: http('pricing') });

  gateway.connectTo(orders); // platform → team: rule in PlacementOrders, order cannot be expressed (warning)
  orders.connectTo(pricing); // team → team: rule in PlacementOrders, PlacementOrders after PlacementPricing
  pricing.connectTo(audit); // team → platform: rule in PlacementPricing, as usual
  return { platform, orders: ordersStack, pricing: pricingStack };
}

if (require.main === module) {
  buildStackPlacementApp();
}
