import { Token } from 'aws-cdk-lib';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { ConnectedServiceBase } from '../../connected-service-base';
import { ServiceConnectProtocol } from '../../ports';
import type { ServiceConnectEndpoint } from '../../ports';
import type { ConnectToExternalOptions, ConnectToOptions } from '../../service-props';
import { urlOf, urlVariableFor } from '../endpoints';
import { ENV_NAME, isValidDnsName, isValidPort, suggestName } from './formats';
import { constructKind, Problems } from './problems';


/**
 * Checks a `client.connectTo(server, options)` call and returns the server endpoint it targets.
 */
export function validateConnect(client: ConnectedServiceBase, server: ConnectedServiceBase,
  options: ConnectToOptions, takenVariables: ReadonlySet<string>): ServiceConnectEndpoint {
  const problems = new Problems(client, constructKind(client));
  const call = `connectTo(${server.node.path})`;
  if (server === client) {
    problems.add('connect-self', call, server.node.path, 'a service does not need Service Connect to call itself.',
      'call the application on localhost instead.');
  }
  if (server.clientOnly) {
    problems.add('connect-client-only', call, server.node.path,
      'the server is client-only: it offers no port to connect to.', 'give the server `ports`.');
  }
  if (!sameNamespace(client.cluster.namespace, server.cluster.namespace)) {
    problems.add('connect-namespace', call, server.cluster.namespace.namespaceName,
      `the client is in namespace ${JSON.stringify(client.cluster.namespace.namespaceName)}; Service Connect only reaches ` +
      'services of the same namespace.', 'put both clusters in one namespace (pass `namespace` to the second ServiceConnectCluster).');
  }
  problems.throwIfAny();

  const endpoint = server._endpointFor(options.portName, 'connect-unknown-port', call);
  checkUrlVariable(problems, call, endpoint.dnsName, options.environmentVariable, takenVariables);
  problems.throwIfAny();
  return endpoint;
}

/**
 * Checks a `client.connectToExternal(dnsName, clientPort, options)` call and returns the URL.
 */
export function validateExternalConnect(client: ConnectedServiceBase, dnsName: string, clientPort: number,
  options: ConnectToExternalOptions, takenVariables: ReadonlySet<string>): string {
  const problems = new Problems(client, constructKind(client));
  const call = `connectToExternal(${JSON.stringify(dnsName)})`;
  if (!isValidDnsName(dnsName)) {
    problems.add('dns-name-format', `${call}.dnsName`, dnsName,
      'a client alias is a DNS name of at most 127 characters: lowercase letters, digits, `_`, `-` and `.`.',
      `use the server's alias, e.g. ${JSON.stringify(suggestName(dnsName, 127))}.`);
  }
  if (!isValidPort(clientPort)) {
    problems.add('port-range', `${call}.clientPort`, clientPort, 'a port is a whole number from 1 to 65535.', 'use the server\'s client alias port.');
  }
  if (options.serverPort !== undefined && !isValidPort(options.serverPort)) {
    problems.add('port-range', `${call}.serverPort`, options.serverPort, 'a port is a whole number from 1 to 65535.',
      'use the server\'s container port (or its ingress port override).');
  }
  checkUrlVariable(problems, call, dnsName, options.environmentVariable, takenVariables);
  problems.throwIfAny();
  return urlOf(options.protocol ?? ServiceConnectProtocol.HTTP, dnsName, clientPort);
}

function checkUrlVariable(problems: Problems, call: string, dnsName: string, explicit: string | undefined, taken: ReadonlySet<string>): void {
  if (explicit === undefined && Token.isUnresolved(dnsName)) {
    problems.add('url-variable-token', `${call}.environmentVariable`, dnsName,
      'the server\'s dnsName is known only at deployment, so the URL variable cannot be named after it (the name would be ' +
      `${JSON.stringify(urlVariableFor(dnsName))}).`, 'pass the variable name: { environmentVariable: "PAYMENTS_URL" }.');
    return;
  }
  const variable = explicit ?? urlVariableFor(dnsName);
  if (explicit !== undefined && !Token.isUnresolved(explicit) && !ENV_NAME.test(explicit)) {
    problems.add('env-name-format', `${call}.environmentVariable`, explicit,
      'an environment variable name is not empty and has no `=`.', 'use e.g. "PAYMENTS_URL".');
  }
  if (taken.has(variable)) {
    problems.add('env-name-clash', `${call}.environmentVariable`, variable,
      'the app container already has this variable (from `environment`, `secrets` or an earlier `connectTo`).',
      'pass `environmentVariable` with another name, or remove the other definition.');
  }
}

function sameNamespace(a: servicediscovery.INamespace, b: servicediscovery.INamespace): boolean {
  if (a === b) return true;
  const arnA = a.namespaceArn;
  const arnB = b.namespaceArn;
  if (arnA === arnB) return true;
  // Two namespaces this app creates are different namespaces.
  if (a instanceof servicediscovery.HttpNamespace && b instanceof servicediscovery.HttpNamespace) return false;
  // Two concrete ARNs that differ name different namespaces; with tokens we cannot tell.
  return Token.isUnresolved(arnA) || Token.isUnresolved(arnB);
}
