#!/usr/bin/env bash
# The test suite against the LOWEST aws-cdk-lib the package accepts (the minimum of its peer range in
# package.json), in a scratch copy of the repository, so the checkout's node_modules keep the
# development version.
#
#   bash .ci/peer-min.sh
#
# Copies the tracked files (as they are in the working tree) to a temporary directory, sets the
# aws-cdk-lib devDependency there to the peer minimum, installs (`npm install`), type-checks src/
# and runs jest there (eslint does not depend on the version and runs in the main build).
# Set PEER_MIN_VERSION to try another version.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1 CI=true

peer_range=$(node -p "require('$repo/package.json').peerDependencies['aws-cdk-lib']")
min=${PEER_MIN_VERSION:-${peer_range#^}}
min=${min#>=}
echo "peer range of aws-cdk-lib: $peer_range → testing with $min"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tracked files as they are in the working tree (committed or not), nothing else.
(cd "$repo" && git ls-files -z | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$work"

cd "$work"
# The scratch copy's devDependency becomes the minimum and npm resolves the tree for it (aws-cdk-lib's
# own dependencies differ between versions; `npm install --no-save` over an installed tree can leave
# them inconsistent). Only the copy's package.json and lock change; the repository's stay as they are.
npm pkg set "devDependencies.aws-cdk-lib=$min"
npm install --no-audit --no-fund --loglevel=error
# npm can record a dependency of aws-cdk-lib under aws-cdk-lib/node_modules in the lock without
# extracting it there (aws-cdk-lib bundles other packages in that directory): declare such a
# missing dependency at the top level, at the range aws-cdk-lib asks for, and install again.
missing=$(node -e '
  const path = require("path");
  const dir = path.dirname(require.resolve("aws-cdk-lib/package.json"));
  const p = require(path.join(dir, "package.json"));
  const bundled = new Set(p.bundleDependencies || p.bundledDependencies || []);
  for (const [name, range] of Object.entries(p.dependencies || {})) {
    if (bundled.has(name)) continue;
    try { require.resolve(name + "/package.json", { paths: [dir] }); } catch { console.log(name + "@" + range); }
  }')
if [ -n "$missing" ]; then
  echo "declaring aws-cdk-lib's missing dependencies at the top level: $missing"
  for dep in $missing; do npm pkg set "devDependencies.${dep%@*}=${dep##*@}"; done
  npm install --no-audit --no-fund --loglevel=error
fi
node -e 'require("aws-cdk-lib"); require("aws-cdk-lib/aws-ecs")'
got=$(node -p "require('aws-cdk-lib/package.json').version")
[ "$got" = "$min" ] || { echo "peer-min: installed aws-cdk-lib $got, wanted $min" >&2; exit 1; }

# The library's sources must compile against the minimum (types the library uses exist there).
npx tsc --noEmit -p tsconfig.json
# The whole suite: snapshots, strict CloudFormation validation, cdk-nag, property tests, the CLI.
npx jest --ci --coverage=false --reporters=default
echo "peer-min: the test suite passes with aws-cdk-lib $got"
