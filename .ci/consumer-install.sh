#!/usr/bin/env bash
# Consumer-install test: the packed library, installed the way a user installs it, into a fresh
# CDK app outside the repository.
#
#   bash .ci/consumer-install.sh [path/to/cdk-service-connect-*.tgz]
#
# Needs `npx projen build` first (it writes dist/js/*.tgz). Steps:
#   1. a new CDK app in a temporary directory (package.json, tsconfig.json, cdk.json with the strict
#      CloudFormation validation context);
#   2. `npm install` of the tarball with aws-cdk-lib at the PEER MINIMUM of the package (the oldest
#      version the package accepts), constructs, the pinned CDK CLI, TypeScript and ts-node;
#   3. the README's getting-started code (the code block under the `consumer-install:getting-started`
#      marker) as the app: type-checked with tsc (skipLibCheck off, so the package's .d.ts files are
#      checked against that aws-cdk-lib too), synthesized with `npx cdk synth`, resources counted;
#   4. the same synthesis with aws-cdk-lib at the version the repository develops with (the newest);
#   5. the package's bin: `migrate-appmesh` on a small App Mesh template (exit 0, a report, a
#      generated app that type-checks and synthesizes) and on a template without App Mesh (exit 1,
#      one line on stderr).
# The temporary directory is removed at the end (set KEEP_CONSUMER_APP=1 to keep it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1

step() { printf '\n--- consumer-install: %s ---\n' "$*"; }
fail() { echo "consumer-install: FAIL: $*" >&2; exit 1; }

tarball=${1:-}
if [ -z "$tarball" ]; then
  tarball=$(ls -t "$repo"/dist/js/cdk-service-connect@*.tgz "$repo"/dist/js/cdk-service-connect-*.tgz 2>/dev/null | head -1 || true)
fi
[ -n "$tarball" ] && [ -f "$tarball" ] || fail "no packed tarball in dist/js (run 'npx projen build' first)"
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")

# Versions come from the package itself, so this script never goes stale.
pkgval() { node -e "const p=require(process.argv[1]); const v=process.argv[2].split('.').reduce((o,k)=>o&&o[k],p); if(!v) process.exit(1); console.log(v)" "$repo/package.json" "$1"; }
peer_range=$(pkgval peerDependencies.aws-cdk-lib)
peer_min=${peer_range#^}
peer_min=${peer_min#>=}
dev_cdk=$(pkgval devDependencies.aws-cdk-lib)
constructs_range=$(pkgval peerDependencies.constructs)
cli_version=$(pkgval devDependencies.aws-cdk)
ts_version=$(pkgval devDependencies.typescript)
tsnode_version=$(pkgval devDependencies.ts-node)
echo "tarball:     $(basename "$tarball")"
echo "aws-cdk-lib: peer $peer_range → installing $peer_min, then $dev_cdk"
echo "aws-cdk CLI: $cli_version, typescript $ts_version"

app=$(mktemp -d)
cleanup() { if [ "${KEEP_CONSUMER_APP:-}" = 1 ]; then echo "kept $app"; else rm -rf "$app"; fi; }
trap cleanup EXIT
case "$app" in "$repo"/*) fail "the temporary app must be outside the repository";; esac

step "create the app in $app"
mkdir -p "$app/bin"
cat > "$app/package.json" <<'JSON'
{ "name": "consumer-app", "version": "0.0.0", "private": true, "license": "UNLICENSED" }
JSON
cat > "$app/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "node16",
    "moduleResolution": "node16",
    "lib": ["es2022"],
    "strict": true,
    "noImplicitAny": true,
    "esModuleInterop": true,
    "skipLibCheck": false,
    "noEmit": true,
    "types": ["node"]
  },
  "include": ["bin/**/*.ts"]
}
JSON
cat > "$app/cdk.json" <<'JSON'
{
  "app": "npx ts-node --prefer-ts-exts bin/app.ts",
  "context": {
    "@aws-cdk/core:validateAgainstDefaultRules": true,
    "@aws-cdk/core:strictCfnValidateErrors": true
  }
}
JSON

# The getting-started block of the README, found by its marker comment.
awk '
  /<!-- consumer-install:getting-started/ { marked = 1; next }
  marked && !inside && /^```ts([[:space:]].*)?$/ { inside = 1; next }
  inside && /^```[[:space:]]*$/ { exit }
  inside { print }
' "$repo/README.md" > "$app/bin/app.ts"
[ -s "$app/bin/app.ts" ] || fail "README.md has no \`\`\`ts block under <!-- consumer-install:getting-started -->"
grep -q "from 'cdk-service-connect'" "$app/bin/app.ts" || fail "the getting-started block does not import 'cdk-service-connect'"
echo "bin/app.ts: $(wc -l < "$app/bin/app.ts") lines from the README"

step "npm install (tarball, aws-cdk-lib@$peer_min, constructs@$constructs_range, aws-cdk@$cli_version)"
(cd "$app" && npm install --no-audit --no-fund --loglevel=error \
  "$tarball" "aws-cdk-lib@$peer_min" "constructs@$constructs_range" \
  "aws-cdk@$cli_version" "typescript@$ts_version" "ts-node@$tsnode_version" "@types/node@^20")
# npm resolves the peers against what the app has: a wrong peer range fails the install above.
(cd "$app" && npm ls --depth=0 cdk-service-connect aws-cdk-lib constructs aws-cdk)
[ -x "$app/node_modules/.bin/cdk-service-connect" ] || fail "the package's bin 'cdk-service-connect' was not installed"

# Synthesizes the app with the CLI and checks the template's resources (strict validation from cdk.json).
synth_and_check() {
  local label=$1
  step "tsc --noEmit (aws-cdk-lib $label)"
  (cd "$app" && npx tsc --noEmit -p tsconfig.json)
  step "cdk synth (aws-cdk-lib $label)"
  rm -rf "$app/cdk.out"
  (cd "$app" && npx cdk synth -q >/dev/null)
  node - "$app/cdk.out" <<'NODE'
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const templates = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'));
if (templates.length !== 1) { console.error(`expected one template, found ${templates.join(', ') || 'none'}`); process.exit(1); }
const resources = Object.values(JSON.parse(fs.readFileSync(path.join(dir, templates[0]), 'utf8')).Resources);
const count = (type) => resources.filter((r) => r.Type === type).length;
const expected = {
  'AWS::ServiceDiscovery::HttpNamespace': 1,
  'AWS::ECS::Cluster': 1,
  'AWS::ECS::Service': 3,
  'AWS::ECS::TaskDefinition': 3,
  'AWS::EC2::SecurityGroupIngress': 2,
};
let ok = true;
for (const [type, n] of Object.entries(expected)) {
  const got = count(type);
  console.log(`${got === n ? 'ok  ' : 'FAIL'} ${type}: ${got} (expected ${n})`);
  if (got !== n) ok = false;
}
const ns = resources.find((r) => r.Type === 'AWS::ServiceDiscovery::HttpNamespace');
if (!ns || ns.Properties.Name !== 'production.internal') { console.error('FAIL namespace name is not production.internal'); ok = false; }
for (const svc of resources.filter((r) => r.Type === 'AWS::ECS::Service')) {
  const ns = svc.Properties.ServiceConnectConfiguration && svc.Properties.ServiceConnectConfiguration.Namespace;
  if (!ns || !ns['Fn::GetAtt'] || ns['Fn::GetAtt'][1] !== 'Arn') { console.error('FAIL a service does not name its namespace by ARN'); ok = false; }
}
console.log(`${templates[0]}: ${resources.length} resources`);
process.exit(ok ? 0 : 1);
NODE
}

synth_and_check "$peer_min (peer minimum)"

step "the package's bin: migrate-appmesh"
cat > "$app/mesh.yaml" <<'YAML'
AWSTemplateFormatVersion: '2010-09-09'
Description: Two virtual nodes; orders calls payments.
Resources:
  Mesh:
    Type: AWS::AppMesh::Mesh
    Properties: { MeshName: shop }
  PaymentsNode:
    Type: AWS::AppMesh::VirtualNode
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualNodeName: payments
      Spec:
        Listeners: [{ PortMapping: { Port: 8080, Protocol: http } }]
        ServiceDiscovery: { DNS: { Hostname: payments.shop.local } }
  PaymentsService:
    Type: AWS::AppMesh::VirtualService
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualServiceName: payments.shop.local
      Spec: { Provider: { VirtualNode: { VirtualNodeName: !GetAtt PaymentsNode.VirtualNodeName } } }
  OrdersNode:
    Type: AWS::AppMesh::VirtualNode
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualNodeName: orders
      Spec:
        Listeners: [{ PortMapping: { Port: 8080, Protocol: http } }]
        ServiceDiscovery: { DNS: { Hostname: orders.shop.local } }
        Backends: [{ VirtualService: { VirtualServiceName: !GetAtt PaymentsService.VirtualServiceName } }]
YAML
cat > "$app/not-a-mesh.json" <<'JSON'
{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": { "Bucket": { "Type": "AWS::S3::Bucket" } } }
JSON
(cd "$app" && npx cdk-service-connect migrate-appmesh mesh.yaml --out bin/migrated.ts > report.txt) \
  || fail "migrate-appmesh exited non-zero on an App Mesh template"
for want in 'App Mesh → ECS Service Connect migration plan' 'Orders → Payments' 'Deployment order'; do
  grep -qF "$want" "$app/report.txt" || fail "the migration report lacks '$want'"
done
echo "report: $(wc -l < "$app/report.txt") lines, exit 0"
set +e
(cd "$app" && npx cdk-service-connect migrate-appmesh not-a-mesh.json > bad.out 2> bad.err)
status=$?
set -e
[ "$status" -ne 0 ] || fail "migrate-appmesh exited 0 on a template without App Mesh"
# npm itself may warn on stderr (about its own configuration); the command's output is the rest.
grep -v '^npm \(warn\|notice\)' "$app/bad.err" > "$app/bad.msg" || true
[ "$(wc -l < "$app/bad.msg")" -eq 1 ] || { cat "$app/bad.err" >&2; fail "expected one line on stderr"; }
grep -q 'not an App Mesh template' "$app/bad.msg" || fail "unexpected message: $(cat "$app/bad.msg")"
echo "non-App-Mesh input: exit $status, stderr: $(cat "$app/bad.msg")"

step "the generated app type-checks and synthesizes"
(cd "$app" && npx tsc --noEmit -p tsconfig.json)   # bin/app.ts and bin/migrated.ts
(cd "$app" && npx cdk synth -q --app "npx ts-node --prefer-ts-exts bin/migrated.ts" -o cdk.migrated.out >/dev/null)
echo "bin/migrated.ts: $(ls "$app/cdk.migrated.out"/*.template.json | wc -l) template(s)"

if [ "$dev_cdk" != "$peer_min" ]; then
  step "npm install aws-cdk-lib@$dev_cdk (the development version)"
  (cd "$app" && npm install --no-audit --no-fund --loglevel=error "aws-cdk-lib@$dev_cdk")
  synth_and_check "$dev_cdk"
fi

step "ok: the packed package installs, type-checks, synthesizes and runs its bin in a fresh app"
