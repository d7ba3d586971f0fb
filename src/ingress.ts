import type { CfnResource } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { IServiceConnectCluster } from './cluster';
import { acknowledge } from './private/nag';
import { validateIngressProps, validateRoute } from './private/validation/ingress';
import { warn } from './private/validation/problems';
import type { ConnectedFargateService } from './service';

/**
 * Properties of a `ServiceConnectIngress`.
 */
export interface ServiceConnectIngressProps {
  /** The cluster whose services the load balancer fronts (its VPC hosts the load balancer). */
  readonly cluster: IServiceConnectCluster;

  /**
   * Whether the load balancer is reachable from the internet (in public subnets) or internal.
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * A certificate for HTTPS on port 443; port 80 then redirects to HTTPS.
   *
   * @default - HTTP on port 80 only
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The subnets of the load balancer.
   *
   * @default - public subnets when internet-facing, else private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The S3 bucket for the load balancer's access logs.
   *
   * Access logs need a stack with a Region (ELB's log delivery principal depends on it); in a
   * stack without one they are off and the `ingress-access-logs` warning says so.
   *
   * @default - a new bucket (SSE-S3, TLS only, no public access, kept on stack deletion, objects expire after 90 days)
   */
  readonly accessLogBucket?: s3.IBucket;
}

/**
 * Options of `ServiceConnectIngress.addRoute()`.
 */
export interface ServiceConnectRouteOptions {
  /**
   * The container port of the service's app container that receives the traffic. A port that is
   * not one of the service's Service Connect ports gets a port mapping of its own (not registered
   * in Service Connect).
   */
  readonly containerPort: number;

  /**
   * Path patterns the route matches (e.g. `['/api/*']`).
   *
   * @default - every path
   */
  readonly pathPatterns?: string[];

  /**
   * Host headers the route matches (e.g. `['shop.example.com']`).
   *
   * @default - every host
   */
  readonly hostHeaders?: string[];

  /**
   * The priority of the listener rule (1-50000, lower first).
   *
   * @default - routes with conditions 10, 20, … in the order added; routes without 50000 and below
   */
  readonly priority?: number;

  /**
   * The target group's health check.
   *
   * @default - HTTP GET `/` on the traffic port, healthy on 200-399
   */
  readonly healthCheck?: elbv2.HealthCheck;
}

/**
 * An Application Load Balancer in front of `ConnectedFargateService`s, client-only ones
 * included: HTTPS with a certificate (HTTP redirected), HTTP otherwise, path and host routes, each
 * service's security group opened to the load balancer only and only on the routed port, access
 * logs, and — for blue/green, linear and canary deployments — the alternate target group, the
 * weighted production rule and the ECS infrastructure role for load balancers.
 */
export class ServiceConnectIngress extends Construct {
  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The listener routes are added to (HTTPS with a certificate, else HTTP). */
  public readonly listener: elbv2.ApplicationListener;
  /** The URL of the load balancer: `https://<dns>` with a certificate, else `http://<dns>`. */
  public readonly url: string;
  private readonly vpc: ec2.IVpc;
  private routes = 0;
  private catchAll = 0;

  constructor(scope: Construct, id: string, props: ServiceConnectIngressProps) {
    super(scope, id);
    validateIngressProps(this, props);
    this.vpc = props.cluster.vpc;
    const internetFacing = props.internetFacing ?? true;
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing,
      vpcSubnets: props.vpcSubnets ?? { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
      dropInvalidHeaderFields: true,
    });
    if (internetFacing) acknowledge(this.loadBalancer, 'publicLoadBalancer');
    if (Token.isUnresolved(Stack.of(this).region)) {
      // ELB writes access logs as a principal that depends on the Region (an ELB account in older
      // Regions, a service principal in newer ones): without a Region the bucket policy cannot be written.
      warn(this, 'ingress-access-logs',
        `stack ${Stack.of(this).stackName} has no Region, so the load balancer's access logs are off (the bucket policy names a ` +
        'Region-specific ELB principal). Give the stack an `env` with a region to turn them on.');
    } else {
      this.loadBalancer.logAccessLogs(props.accessLogBucket ?? this.createLogBucket(), 'alb');
    }

    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not found' });
    if (props.certificate) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [props.certificate],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultAction: notFound,
        open: internetFacing,
      });
      this.loadBalancer.addRedirect({
        sourcePort: 80, sourceProtocol: elbv2.ApplicationProtocol.HTTP, targetPort: 443, targetProtocol: elbv2.ApplicationProtocol.HTTPS,
      });
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80, protocol: elbv2.ApplicationProtocol.HTTP, defaultAction: notFound, open: internetFacing,
      });
    }
    this.url = `${props.certificate ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}`;
  }

  /**
   * Route requests to a service: a target group (and, for blue/green, linear and canary
   * deployments, an alternate one that ECS shifts traffic to), a listener rule, the security
   * group rule from the load balancer on `containerPort`, and a port mapping for `containerPort`
   * if the app container has none.
   *
   * @returns the (primary) target group
   */
  public addRoute(service: ConnectedFargateService, options: ServiceConnectRouteOptions): elbv2.ApplicationTargetGroup {
    validateRoute(this, service, options);
    const index = this.routes++;
    const id = `Route${index}`;
    const { containerPort } = options;
    if (!service.container.portMappings.some((m) => m.containerPort === containerPort)) {
      service.container.addPortMappings({ containerPort, protocol: ecs.Protocol.TCP, name: `ingress-${containerPort}` });
    }
    const targetGroupProps: elbv2.ApplicationTargetGroupProps = {
      vpc: this.vpc,
      port: containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: options.healthCheck ?? { path: '/', healthyHttpCodes: '200-399' },
    };
    const primary = new elbv2.ApplicationTargetGroup(this, `${id}Targets`, targetGroupProps);
    const conditions = [
      ...(options.pathPatterns ? [elbv2.ListenerCondition.pathPatterns(options.pathPatterns)] : []),
      ...(options.hostHeaders ? [elbv2.ListenerCondition.hostHeaders(options.hostHeaders)] : []),
    ];
    const priority = options.priority ?? (conditions.length > 0 ? (index + 1) * 10 : 50000 - this.catchAll++);
    const shifts = service.deployment.shiftsTraffic;
    const alternate = shifts ? new elbv2.ApplicationTargetGroup(this, `${id}AlternateTargets`, targetGroupProps) : undefined;
    const rule = new elbv2.ApplicationListenerRule(this, `${id}Rule`, {
      listener: this.listener,
      priority,
      conditions: conditions.length > 0 ? conditions : [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: alternate
        ? elbv2.ListenerAction.weightedForward([{ targetGroup: primary, weight: 100 }, { targetGroup: alternate, weight: 0 }])
        : elbv2.ListenerAction.forward([primary]),
    });
    const target = service.service.loadBalancerTarget({
      containerName: service.container.containerName,
      containerPort,
      alternateTarget: alternate && new ecs.AlternateTarget(`${id}Alternate`, {
        alternateTargetGroup: alternate,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(rule),
      }),
    });
    primary.addTarget(target);
    if (alternate) {
      acknowledge(service.service, 'loadBalancerInfrastructureRole');
      // aws-cdk-lib makes the service depend on the listener rule (loadBalancerAttached) and also
      // refers to it as ProductionListenerRule: the explicit DependsOn is redundant (cfn-lint W3005).
      // Remove it once aws-cdk-lib has turned construct dependencies into resource dependencies.
      const cfnService = service.service.node.defaultChild as CfnResource;
      const cfnRule = rule.node.defaultChild as CfnResource;
      service.service.node.addValidation({ validate: () => { cfnService.removeResourceDependency(cfnRule); return []; } });
      // ECS registers the new revision's tasks in the alternate group itself; the security group
      // rule from the load balancer already covers the port.
    }
    return primary;
  }

  private createLogBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    acknowledge(bucket, 'accessLogBucket');
    return bucket;
  }
}
