import { checkCreatedNamespaces, dependencyChain } from '../../../src/private/namespace/model';
import type { CallModel } from '../../../src/private/namespace/model';

describe('dependencyChain: circles of deployment-order dependencies on the plain model', () => {
  const call = (client: string, server: string, ordered?: boolean): CallModel<string> => ({ client, server, ordered });

  test('finds the chain by which one service deploys after another, through others', () => {
    // GIVEN a → b → c (a deploys after b, b after c)
    const calls = [call('a', 'b'), call('b', 'c')];
    // THEN a call c → a would close the circle a → b → c → a
    expect(dependencyChain(calls, 'a', 'c')).toEqual(['a', 'b', 'c']);
    expect(dependencyChain(calls, 'c', 'a')).toBeUndefined();
  });

  test('a call that closed a circle (ordered: false) is not a dependency', () => {
    const calls = [call('a', 'b'), call('b', 'c'), call('c', 'a', false)];
    expect(dependencyChain(calls, 'c', 'a')).toBeUndefined();
    expect(dependencyChain(calls, 'a', 'c')).toEqual(['a', 'b', 'c']);
  });

  test('the shortest chain among several, and no chain in a diamond without a circle', () => {
    const calls = [call('a', 'b'), call('b', 'c'), call('c', 'd'), call('a', 'd')];
    expect(dependencyChain(calls, 'a', 'd')).toEqual(['a', 'd']);
    expect(dependencyChain(calls, 'd', 'a')).toBeUndefined();
  });
});

describe('checkCreatedNamespaces: one namespace name per account and Region', () => {
  test('the second creator of a name in the same (or both unknown) account and Region is an error', () => {
    const findings = checkCreatedNamespaces([
      { ref: 'one', path: 'One/C', name: 'internal' },
      { ref: 'two', path: 'Two/C', name: 'internal' },
    ]);
    expect(findings).toEqual([expect.objectContaining({ level: 'error', rule: 'namespace-name-unique', service: 'two', value: 'internal' })]);
  });

  test('different Regions, different names, unknown names, or one known and one unknown environment are not reported', () => {
    expect(checkCreatedNamespaces([
      { ref: 'a', path: 'A', name: 'internal', account: '1', region: 'eu-west-1' },
      { ref: 'b', path: 'B', name: 'internal', account: '1', region: 'us-east-1' },
      { ref: 'c', path: 'C', name: 'other' },
      { ref: 'd', path: 'D' },
      { ref: 'e', path: 'E' },
      { ref: 'f', path: 'F', name: 'internal' },
    ])).toEqual([]);
  });
});
