import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { allowServiceConnectAgent, claimHostPorts, instanceSizeOf, taskSetArnsOf } from '../../src/private/ec2-capacity';
import { strictStack } from '../helpers';

describe('instanceSizeOf', () => {
  test('follows the rules of the m, c, r and t3/t4g families', () => {
    expect(instanceSizeOf('m6i.large')).toMatchObject({ cpu: 2048, memoryMiB: 8192 });
    expect(instanceSizeOf('c7g.2xlarge')).toMatchObject({ cpu: 8192, memoryMiB: 16384 });
    expect(instanceSizeOf('r6g.medium')).toMatchObject({ cpu: 1024, memoryMiB: 8192 });
    expect(instanceSizeOf('m5.12xlarge')).toMatchObject({ cpu: 49152, memoryMiB: 196608 });
    expect(instanceSizeOf('t4g.micro')).toMatchObject({ cpu: 2048, memoryMiB: 1024 });
    expect(instanceSizeOf('t3a.2xlarge')).toMatchObject({ cpu: 8192, memoryMiB: 32768 });
  });

  test('knows nothing of other families and sizes (no check is made then)', () => {
    for (const type of ['c5n.large', 'm5.metal', 'm4.large', 't2.micro', 'x2gd.large', 'p4d.24xlarge', 'weird']) {
      expect(instanceSizeOf(type)).toBeUndefined();
    }
  });
});

describe('allowServiceConnectAgent', () => {
  test('grants ecs:Poll on the cluster\'s task sets once per role and cluster', () => {
    // GIVEN a role and a cluster
    const stack = strictStack();
    const cluster = new ecs.Cluster(stack, 'Cluster');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    // WHEN granted twice
    allowServiceConnectAgent(stack, cluster, role, 'test');
    allowServiceConnectAgent(stack, cluster, role, 'test');
    // THEN one statement, on task-set/<cluster>/*
    const statements = Template.fromStack(stack).toJSON().Resources.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement;
    expect(statements).toEqual([{ Action: 'ecs:Poll', Effect: 'Allow', Resource: Stack.of(stack).resolve(taskSetArnsOf(cluster)) }]);
    expect(JSON.stringify(statements)).toContain(':task-set/');
  });

  test('warns instance-role-unknown for a role it cannot change', () => {
    const stack = strictStack();
    const cluster = new ecs.Cluster(stack, 'Cluster');
    allowServiceConnectAgent(stack, cluster, iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/x', { mutable: false }), 'the test');
    Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp('cdk-service-connect:instance-role-unknown'));
  });
});

describe('claimHostPorts', () => {
  test('returns the first other holder of a port on the same provider', () => {
    const stack = strictStack();
    const [provider, a, b] = ['P', 'A', 'B'].map((id) => new Stack(stack, id));
    expect(claimHostPorts(provider, a, [80, 81])).toBeUndefined();
    expect(claimHostPorts(provider, a, [80])).toBeUndefined();
    expect(claimHostPorts(provider, b, [82, 81])).toEqual({ port: 81, holder: a });
  });
});
