import type { App } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Topology } from './topology';
import { CONTAINER_PORT, IMAGE, NAMESPACE_NAME } from './topology';
import { ConnectedFargateService, ServiceConnectCluster } from '../src';

/** The topology with this library: one platform stack with the cluster, team stacks with the services. */
export function buildWithLibrary(app: App, topology: Topology): Stack[] {
  const platform = new Stack(app, 'Platform');
  const cluster = new ServiceConnectCluster(platform, 'Shared', { namespaceName: NAMESPACE_NAME });
  const image = ecs.ContainerImage.fromRegistry(IMAGE);

  const teams: Stack[] = [];
  const services: ConnectedFargateService[] = [];
  for (const planned of topology.services) {
    const team = teams[planned.stackIndex] ??= new Stack(app, `Team${planned.stackIndex}`);
    const service = new ConnectedFargateService(team, planned.id, {
      cluster,
      image,
      ports: [{ name: planned.portName, containerPort: CONTAINER_PORT, discoveryName: planned.discoveryName }],
    });
    for (const server of planned.calls) service.connectTo(services[server]);
    services.push(service);
  }
  return [platform, ...teams];
}
