// A namespace with many services, split across team stacks.
//
// CloudFormation takes at most 500 resources per stack. A ConnectedFargateService creates 8
// (task definition, task and execution roles, execution-role policy, app and proxy log groups,
// security group, ECS service) plus one security-group ingress rule per connectTo, so one stack
// holds about 45 services; the library warns (rule `stack-size`) above 450 resources with how
// many to move. Here a platform stack owns the cluster and namespace, and each team deploys its
// 15 services from its own stack, passing the ServiceConnectCluster across stacks:
//  - inside a team, every service calls the team's front service;
//  - across teams, front services call each other in one direction only (payments ← catalog ←
//    checkout ← fulfilment), so the team stacks deploy in that order and never reference each
//    other both ways.
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ConnectedFargateService, ServiceConnectCluster } from 'cdk-service-connect';

/** The teams, in deployment order (a team calls only the teams before it), and their services. */
const TEAMS: ReadonlyArray<{ readonly team: string; readonly services: readonly string[]; readonly calls: readonly string[] }> = [
  {
    team: 'payments',
    services: ['payments', 'ledger', 'refunds', 'fraud', 'wallet', 'invoices', 'tax', 'fx', 'payouts', 'disputes', 'cards', 'bank-transfers', 'vouchers', 'billing', 'payments-audit'],
    calls: [],
  },
  {
    team: 'catalog',
    services: ['catalog', 'search', 'pricing', 'inventory', 'reviews', 'media', 'categories', 'brands', 'recommendations', 'availability', 'promotions', 'bundles', 'sellers', 'taxonomy', 'catalog-import'],
    calls: ['payments'],
  },
  {
    team: 'checkout',
    services: ['checkout', 'cart', 'orders', 'quotes', 'shipping-rates', 'coupons', 'gift-cards', 'addresses', 'customers', 'sessions', 'notifications', 'loyalty', 'subscriptions', 'returns', 'checkout-audit'],
    calls: ['payments', 'catalog'],
  },
  {
    team: 'fulfilment',
    services: ['fulfilment', 'warehouses', 'picking', 'packing', 'carriers', 'tracking', 'labels', 'slots', 'routing', 'stock-moves', 'suppliers', 'purchase-orders', 'receiving', 'cycle-counts', 'fulfilment-audit'],
    calls: ['checkout', 'catalog'],
  },
];

export interface ManyServicesApp {
  readonly platform: Stack;
  /** The team stacks, by team name. */
  readonly teams: Record<string, Stack>;
  /** Every service, by its discovery name. */
  readonly services: Record<string, ConnectedFargateService>;
}

function pascal(name: string): string {
  return name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

export function buildManyServicesApp(app: App = new App()): ManyServicesApp {
  const platform = new Stack(app, 'RetailPlatform');
  const cluster = new ServiceConnectCluster(platform, 'Retail', { namespaceName: 'retail.internal' });

  const teams: Record<string, Stack> = {};
  const services: Record<string, ConnectedFargateService> = {};
  for (const { team, services: names, calls } of TEAMS) {
    const stack = new Stack(app, `Team${pascal(team)}`);
    teams[team] = stack;
    const [front, ...backends] = names;
    for (const name of names) {
      services[name] = new ConnectedFargateService(stack, pascal(name), {
        cluster,
        image: ecs.ContainerImage.fromRegistry(`public.ecr.aws/example/${name}:1.0.0`),
        ports: [{ name: `${name}-http`, containerPort: 8080, discoveryName: name }],
      });
    }
    // The team's front service calls the front services of the teams it depends on…
    for (const other of calls) services[front].connectTo(services[other]); // e.g. PAYMENTS_URL=http://payments:8080
    // …and every other service of the team calls its front service.
    for (const name of backends) services[name].connectTo(services[front]);
  }
  return { platform, teams, services };
}

if (require.main === module) {
  buildManyServicesApp();
}
