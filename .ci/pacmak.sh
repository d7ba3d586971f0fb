#!/usr/bin/env bash
# jsii in every language: generates the Python, Java, .NET and Go bindings of the compiled assembly
# (`jsii-pacmak --code-only`: source code only, no Python/JDK/.NET/Go toolchain needed) and checks
# that the public classes are in each. Fails when the API is not expressible in one of them.
#
#   bash .ci/pacmak.sh      (after `npx projen build`, which writes the .jsii assembly)
#
# The targets (package names per language) are `jsii.targets` in package.json, set in .projenrc.ts.
# Only npm is published for now; this checks the code generation, not packaging or publishing.
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1

[ -f .jsii ] || { echo "pacmak: no .jsii assembly (run 'npx projen build' first)" >&2; exit 1; }
for lang in python java dotnet go; do
  node -e "const t=require('./package.json').jsii.targets||{}; if(!t[process.argv[1]]) process.exit(1)" "$lang" \
    || { echo "pacmak: package.json has no jsii target for $lang (see .projenrc.ts)" >&2; exit 1; }
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# (jsii-pacmak may print a Node end-of-life banner: harmless.)
npx jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir "$out"

# Every language must have the main classes; look them up in the generated sources.
classes=(ServiceConnectCluster ConnectedFargateService EnvoySizing ProxyBudget ServiceConnectDeployment ServiceConnectAlarms ServiceConnectDashboard ServiceConnectTls AppMeshMigration)
status=0
check() {  # language, directory, file glob, class pattern (printf format, no backslashes)
  local lang=$1 dir=$2 glob=$3 fmt=$4 missing=()
  [ -d "$dir" ] || { echo "FAIL $lang: no generated directory"; status=1; return; }
  for c in "${classes[@]}"; do
    # shellcheck disable=SC2059
    grep -rqE --include="$glob" "$(printf "$fmt" "$c")" "$dir" || missing+=("$c")
  done
  local files
  files=$(find "$dir" -name "$glob" | wc -l)
  if [ ${#missing[@]} -eq 0 ]; then
    echo "ok   $lang: $files $glob files, all ${#classes[@]} classes"
  else
    echo "FAIL $lang: missing ${missing[*]}"; status=1
  fi
}
check python "$out/python" '*.py'   '^class %s[(:]'
check java   "$out/java"   '*.java' 'public class %s '
check dotnet "$out/dotnet" '*.cs'   'public class %s '
check go     "$out/go"     '*.go'   'type %s interface'

# The package names Construct Hub will show.
grep -qs '"name": "cdk-service-connect"' "$out/python/setup.py" || { echo "FAIL python: dist name"; status=1; }
grep -rqs '<artifactId>cdk-service-connect</artifactId>' "$out/java" || { echo "FAIL java: artifactId"; status=1; }
grep -rqs '<PackageId>CdkServiceConnect</PackageId>' "$out/dotnet" || { echo "FAIL dotnet: PackageId"; status=1; }
grep -rqs 'module github.com/cdk-service-connect/cdk-service-connect-go' "$out/go" || { echo "FAIL go: module name"; status=1; }
[ $status -eq 0 ] && echo "pacmak: python, java, dotnet and go generated"
exit $status
