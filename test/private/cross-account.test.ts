import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { ConnectedFargateServiceProps } from '../../src';
import { ConnectedFargateService, ServiceConnectCluster, ServiceConnectDeployment, SharedNamespace } from '../../src';
import { strictApp, TEST_IMAGE } from '../helpers';

const WARNING = 'cdk-service-connect:alarms-cross-account';

function build(setup: (stack: Stack) => ServiceConnectCluster, props: Partial<ConnectedFargateServiceProps> = {}): Stack {
  const stack = new Stack(strictApp(), 'Server', { env: { account: '111111111111', region: 'eu-west-1' } });
  const cluster = setup(stack);
  new ConnectedFargateService(stack, 'Api', {
    cluster, image: TEST_IMAGE, ports: [{ name: 'api', containerPort: 8080 }], deployment: ServiceConnectDeployment.canary(), ...props,
  });
  return stack;
}

const warnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('/Server/Api', Match.stringLikeRegexp(WARNING));

describe('rollback alarms and callers in other accounts (target metrics are published in the caller\'s account)', () => {
  test('a namespace this app shares through RAM warns, even when shared after the service is made', () => {
    // GIVEN a cluster whose namespace is shared after its service exists
    let late: ServiceConnectCluster | undefined;
    const stack = build((s) => { late = new ServiceConnectCluster(s, 'Cluster'); return late; });
    late!.shareNamespace('Share', ['222222222222']);
    // THEN the warning names the cause and the fix
    const found = warnings(stack);
    expect(found).toHaveLength(1);
    expect(String(found[0].entry.data)).toMatch(/published in the account of the calling service, and this app shares the namespace .*CloudWatch cross-account observability/);
  });

  test('a namespace imported from another account warns, naming it', () => {
    const stack = build((s) => new ServiceConnectCluster(s, 'Cluster', {
      namespace: SharedNamespace.fromArn(s, 'Ns', { namespaceArn: 'arn:aws:servicediscovery:eu-west-1:333333333333:namespace/ns-abcd1234', namespaceName: 'shared' }),
    }));
    expect(String(warnings(stack)[0].entry.data)).toMatch(/imported from account 333333333333/);
  });

  test('an imported namespace of this very account does not warn', () => {
    const stack = build((s) => new ServiceConnectCluster(s, 'Cluster', {
      namespace: servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(s, 'Ns', {
        namespaceArn: 'arn:aws:servicediscovery:eu-west-1:111111111111:namespace/ns-abcd1234', namespaceId: 'ns-abcd1234', namespaceName: 'own',
      }),
    }));
    expect(warnings(stack)).toHaveLength(0);
  });

  test('the app\'s own, unshared namespace does not warn', () => {
    expect(warnings(build((s) => new ServiceConnectCluster(s, 'Cluster')))).toHaveLength(0);
  });

  test('alarms of your own (rollbackAlarms) do not warn: you chose what they watch', () => {
    const stack = build((s) => {
      const c = new ServiceConnectCluster(s, 'Cluster');
      c.shareNamespace('Share', ['222222222222']);
      return c;
    }, {
      deployment: ServiceConnectDeployment.canary({
        rollbackAlarms: [cloudwatch.Alarm.fromAlarmName(new Stack(), 'A', 'org-wide-5xx')],
      }),
    });
    expect(warnings(stack)).toHaveLength(0);
  });
});
