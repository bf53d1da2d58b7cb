#!/usr/bin/env bash
# Offline checks of terraform/ that CI runs (no terraform binary, no GCP needed):
#   1. every .tf parses as HCL2 (@cdktf/hcl2json, HashiCorp's HCL parser compiled to WebAssembly);
#   2. every var.X / local.X referenced is declared, and every declared one is used; every
#      variable has a type and a description;
#   3. every parameter of google_dataflow_flex_template_job is in templates/metadata.json, and the
#      job sets every parameter the metadata requires;
#   4. the files Terraform reads (schemas/*.json, sql/*.sql) exist, the tables are exactly the
#      exported schemas, and their partitioning and clustering are WarehouseTable.java's.
# Needs node and npm; installs the parser once into terraform/.tools (ignored by git) from the
# npm registry.
set -euo pipefail
cd "$(dirname "$0")"

HCL2JSON_VERSION=0.21.0
tools=.tools
module="$tools/node_modules/@cdktf/hcl2json"
if ! grep -qs "\"version\": \"$HCL2JSON_VERSION\"" "$module/package.json"; then
  npm install --prefix "$tools" --no-audit --no-fund --no-save --loglevel=error \
    "@cdktf/hcl2json@$HCL2JSON_VERSION" >&2
fi
exec node check.mjs "$(pwd)/$module"
