import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { strictApp } from './helpers';
import { NamespaceShare, ServiceConnectCluster, SharedNamespace } from '../src';

const ARN = 'arn:aws:servicediscovery:eu-west-1:111111111111:namespace/ns-abcd1234';

describe('sharing only a namespace this account owns (share-not-owner)', () => {
  test('a namespace shared with this account (SharedNamespace.fromArn) cannot be shared on', () => {
    // GIVEN a consumer stack that imports another account's namespace
    const stack = new Stack(strictApp(), 'Consumer');
    const namespace = SharedNamespace.fromArn(stack, 'Ns', { namespaceArn: ARN, namespaceName: 'shared.internal' });
    // WHEN / THEN
    expect(() => new NamespaceShare(stack, 'Share', { namespace, principals: ['222222222222'] })).toThrow(
      /NamespaceShare 'Consumer\/Share'.*\n.*\[share-not-owner\] namespace\.namespaceArn = "arn:aws:servicediscovery:eu-west-1:111111111111:namespace\/ns-abcd1234": this namespace is shared with this account.* Fix: share the namespace from the stack of the account that created it\./);
  });

  test('an imported namespace of another account than the stack\'s is rejected, naming both accounts', () => {
    const stack = new Stack(strictApp(), 'Other', { env: { account: '333333333333', region: 'eu-west-1' } });
    const namespace = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(stack, 'Ns', { namespaceArn: ARN, namespaceId: 'ns-abcd1234', namespaceName: 'x' });
    const cluster = new ServiceConnectCluster(stack, 'C', { namespace });
    expect(() => cluster.shareNamespace('Share', ['222222222222']))
      .toThrow(/\[share-not-owner\].*belongs to account 111111111111, but this stack deploys to 333333333333/);
  });

  test('an imported namespace of the stack\'s own account is shared', () => {
    const stack = new Stack(strictApp(), 'Owner', { env: { account: '111111111111', region: 'eu-west-1' } });
    const namespace = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(stack, 'Ns', { namespaceArn: ARN, namespaceId: 'ns-abcd1234', namespaceName: 'x' });
    new NamespaceShare(stack, 'Share', { namespace, principals: ['222222222222'] });
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', { ResourceArns: [ARN] });
  });

  test('the namespace a cluster creates is shared (its ARN is a reference)', () => {
    const stack = new Stack(strictApp(), 'Owner');
    new ServiceConnectCluster(stack, 'C').shareNamespace('Share', ['222222222222']);
    Template.fromStack(stack).resourceCountIs('AWS::RAM::ResourceShare', 1);
  });
});
