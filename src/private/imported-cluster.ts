import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import type { IServiceConnectCluster, ServiceConnectClusterAttributes } from '../cluster';
import type { ServiceConnectTls } from '../tls';
import { validateClusterAttributes } from './validation/cluster';

/**
 * A cluster and namespace that another app owns, joined by attributes
 * (`ServiceConnectCluster.fromClusterAttributes`). A construct of its own so that the TLS
 * resources this app needs for it (the infrastructure role, a managed CA) have a home.
 */
export class ImportedServiceConnectCluster extends Construct implements IServiceConnectCluster {
  public readonly cluster: ecs.ICluster;
  public readonly namespace: servicediscovery.INamespace;
  public readonly vpc: ec2.IVpc;
  public readonly tls?: ServiceConnectTls;

  constructor(scope: Construct, id: string, attrs: ServiceConnectClusterAttributes) {
    super(scope, id);
    validateClusterAttributes(this, attrs);
    this.cluster = attrs.cluster;
    this.namespace = attrs.namespace;
    this.vpc = attrs.cluster.vpc;
    this.tls = attrs.tls;
  }
}
