// Offline checks of the Terraform configuration; run by check.sh (see terraform/README.md).
// Usage: node check.mjs <path to @cdktf/hcl2json> (from the terraform/ directory).
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const { parse } = require(process.argv[2]);
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, "..");
const failures = [];
const fail = (check, message) => failures.push(`[${check}] ${message}`);

// 1. Every .tf parses as HCL2.
const files = readdirSync(here).filter((f) => f.endsWith(".tf")).sort();
const parsed = {};
for (const file of files) {
  try {
    parsed[file] = await parse(file, readFileSync(path.join(here, file), "utf8"));
  } catch (e) {
    fail("hcl", String(e.message || e));
  }
}
if (files.length === 0) fail("hcl", "no .tf files found");

// Helpers over hcl2json's shape: blocks are arrays of objects, expressions are "${...}" strings.
const strings = (node, out = []) => {
  if (typeof node === "string") out.push(node);
  else if (Array.isArray(node)) node.forEach((n) => strings(n, out));
  else if (node && typeof node === "object") Object.values(node).forEach((n) => strings(n, out));
  return out;
};
const refs = (prefix) => {
  const found = new Map();
  const pattern = new RegExp(`(?<![A-Za-z0-9_.])${prefix}\\.([A-Za-z_][A-Za-z0-9_-]*)`, "g");
  for (const [file, json] of Object.entries(parsed)) {
    for (const text of strings(json)) {
      for (const m of text.matchAll(pattern)) {
        if (!found.has(m[1])) found.set(m[1], file);
      }
    }
  }
  return found;
};
const declared = (kind) => {
  const names = new Set();
  for (const json of Object.values(parsed)) {
    if (kind === "locals") (json.locals || []).forEach((block) => Object.keys(block).forEach((n) => names.add(n)));
    else Object.keys(json[kind] || {}).forEach((n) => names.add(n));
  }
  return names;
};
const localValue = (name) => {
  for (const json of Object.values(parsed)) {
    for (const block of json.locals || []) if (name in block) return block[name];
  }
  return undefined;
};
const resources = function* () {
  for (const [file, json] of Object.entries(parsed)) {
    for (const [type, byName] of Object.entries(json.resource || {})) {
      for (const [name, blocks] of Object.entries(byName)) for (const body of blocks) yield { file, type, name, body };
    }
  }
};

// 2. Every var.X is declared, every declared variable is used; the same for locals.
for (const [kind, prefix] of [["variable", "var"], ["locals", "local"]]) {
  const have = declared(kind);
  const used = refs(prefix);
  for (const [name, file] of used) if (!have.has(name)) fail("refs", `${file}: ${prefix}.${name} is not declared`);
  for (const name of have) if (!used.has(name)) fail("refs", `${prefix}.${name} is declared but never used`);
}
for (const json of Object.values(parsed)) {
  for (const [name, blocks] of Object.entries(json.variable || {})) {
    const v = blocks[0];
    if (!v.description) fail("vars", `variable ${name} has no description`);
    if (!v.type) fail("vars", `variable ${name} has no type`);
  }
}

// 3. Every parameter of the flex template job is a metadata.json parameter, and the job sets every
//    parameter metadata.json requires.
const metadata = JSON.parse(readFileSync(path.join(root, "templates", "metadata.json"), "utf8"));
const metadataNames = new Set(metadata.parameters.map((p) => p.name));
const jobs = [...resources()].filter((r) => r.type === "google_dataflow_flex_template_job");
if (jobs.length === 0) fail("params", "no google_dataflow_flex_template_job");
for (const job of jobs) {
  let params = job.body.parameters;
  if (typeof params === "string") {
    // parameters = { for name, value in local.X : name => value if value != null }
    const m = params.match(/local\.([A-Za-z_][A-Za-z0-9_]*)/);
    params = m ? localValue(m[1]) : undefined;
  }
  if (!params || typeof params !== "object") {
    fail("params", `${job.file}: ${job.type}.${job.name}.parameters must be a literal map or come from a literal local map`);
    continue;
  }
  for (const name of Object.keys(params)) {
    if (!metadataNames.has(name)) fail("params", `${job.file}: job parameter ${name} is not in templates/metadata.json`);
  }
  for (const p of metadata.parameters) {
    if (p.isOptional === false && !(p.name in params)) fail("params", `${job.file}: required template parameter ${p.name} is not set`);
  }
  if (job.body.on_delete !== "drain") fail("params", `${job.file}: ${job.name} should drain on delete`);
}

// 4. The files Terraform reads exist; the BigQuery tables are exactly the exported schemas, with
//    WarehouseTable's partitioning and clustering.
const fileCall = /(?:templatefile|file)\("\$\{path\.module\}\/([^"]+)"/g;
for (const r of resources()) {
  const forEach = typeof r.body.for_each === "string" ? r.body.for_each.match(/^\$\{local\.([A-Za-z_0-9]+)\}$/) : null;
  const keys = forEach ? Object.keys(localValue(forEach[1]) || {}) : [];
  for (const text of strings(r.body)) {
    for (const m of text.matchAll(fileCall)) {
      const paths = m[1].includes("${each.key}") ? keys.map((k) => m[1].replaceAll("${each.key}", k)) : [m[1]];
      if (paths.length === 0) fail("files", `${r.file}: ${r.type}.${r.name} reads ${m[1]} but its for_each is not a literal local map`);
      for (const p of paths) if (!existsSync(path.join(here, p))) fail("files", `${r.file}: ${r.type}.${r.name} reads ${p}, which does not exist`);
    }
  }
}

const javaTables = (() => {
  const src = (p) => readFileSync(path.join(root, "transforms/src/main/java/dev/learnerpulse", p), "utf8");
  const names = Object.fromEntries([...src("sinks/OutputRows.java").matchAll(/(\w+_TABLE)\s*=\s*"(\w+)"/g)].map((m) => [m[1], m[2]]));
  const constant = /\n  [A-Z_]+\(\s*OutputRows\.(\w+),\s*(?:"(?:[^"\\]|\\.)*"\s*\+?\s*)+,\s*"(\w+)",\s*List\.of\(([^)]*)\)/g;
  const tables = {};
  for (const m of src("sinks/bigquery/WarehouseTable.java").matchAll(constant)) {
    tables[names[m[1]]] = { partition_field: m[2], clustering: [...m[3].matchAll(/"(\w+)"/g)].map((c) => c[1]) };
  }
  return tables;
})();
const tfTables = localValue("warehouse_tables") || {};
const schemaFiles = readdirSync(path.join(here, "schemas")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
const javaNames = Object.keys(javaTables).sort();
if (javaNames.length !== 4) fail("tables", `expected 4 tables in WarehouseTable.java, read ${JSON.stringify(javaNames)} (has its layout changed? update check.mjs)`);
if (JSON.stringify(Object.keys(tfTables).sort()) !== JSON.stringify(schemaFiles)) {
  fail("tables", `local.warehouse_tables ${JSON.stringify(Object.keys(tfTables).sort())} differs from the exported schemas/ ${JSON.stringify(schemaFiles)}`);
}
for (const name of javaNames) {
  const want = JSON.stringify(javaTables[name]);
  const got = JSON.stringify(tfTables[name] && { partition_field: tfTables[name].partition_field, clustering: tfTables[name].clustering });
  if (want !== got) fail("tables", `${name}: WarehouseTable.java has ${want}, local.warehouse_tables has ${got}`);
}

// 5. Every dashboard's layout renders to valid dashboard JSON: tiles inside the grid, none
//    overlapping, each chart with a query, and together the panels issue 16 asks for, over counters
//    and metrics the code and Dataflow define.
const dashboards = [...resources()].filter((r) => r.type === "google_monitoring_dashboard");
if (dashboards.length === 0) fail("dashboard", "no google_monitoring_dashboard");
const javaSources = (() => {
  const texts = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".java")) texts.push(readFileSync(p, "utf8"));
    }
  };
  walk(path.join(root, "transforms/src/main/java"));
  return texts.join("\n");
})();
for (const d of dashboards) {
  const m = String(d.body.dashboard_json).match(/templatefile\("\$\{path\.module\}\/([^"]+)",\s*\{([^}]*)\}/);
  if (!m) {
    fail("dashboard", `${d.file}: ${d.name}.dashboard_json must be templatefile("\${path.module}/...", { ... })`);
    continue;
  }
  const vars = [...m[2].matchAll(/([A-Za-z_]+)\s*=/g)].map((v) => v[1]);
  let text = readFileSync(path.join(here, m[1]), "utf8");
  for (const v of text.matchAll(/\$\{([^}]*)\}/g)) {
    if (!vars.includes(v[1])) fail("dashboard", `${m[1]}: \${${v[1]}} is not passed to templatefile`);
  }
  text = text.replace(/\$\{[A-Za-z_]+\}/g, "learner-pulse");
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail("dashboard", `${m[1]}: not JSON after templating: ${e.message}`);
    continue;
  }
  if (!json.displayName) fail("dashboard", `${m[1]}: no displayName`);
  const layout = json.mosaicLayout;
  if (!layout || !Array.isArray(layout.tiles) || layout.tiles.length === 0) {
    fail("dashboard", `${m[1]}: needs a mosaicLayout with tiles`);
    continue;
  }
  const queries = [];
  const taken = new Set();
  for (const tile of layout.tiles) {
    const w = tile.widget || {};
    if (!w.title) fail("dashboard", `${m[1]}: a tile without a title`);
    if (tile.xPos + tile.width > layout.columns) fail("dashboard", `${m[1]}: "${w.title}" is wider than the ${layout.columns} columns`);
    for (let x = tile.xPos; x < tile.xPos + tile.width; x++) {
      for (let y = tile.yPos; y < tile.yPos + tile.height; y++) {
        if (taken.has(`${x},${y}`)) fail("dashboard", `${m[1]}: "${w.title}" overlaps another tile at ${x},${y}`);
        taken.add(`${x},${y}`);
      }
    }
    const sets = (w.xyChart && w.xyChart.dataSets) || [];
    if (sets.length === 0) fail("dashboard", `${m[1]}: "${w.title}" has no data set`);
    for (const set of sets) {
      const q = set.timeSeriesQuery || {};
      const query = q.prometheusQuery || (q.timeSeriesFilter && q.timeSeriesFilter.filter);
      if (!query) fail("dashboard", `${m[1]}: "${w.title}" has a data set without a query`);
      else queries.push(query);
      if (q.prometheusQuery && (q.prometheusQuery.split("(").length !== q.prometheusQuery.split(")").length)) {
        fail("dashboard", `${m[1]}: "${w.title}" has unbalanced parentheses`);
      }
    }
  }
  const wanted = {
    "input rate per topic": /metric_name=~"input\[\.\]/,
    "dead letters by reason": /metric_name=~"reason\[\.\]/,
    "too-late changes": /metric_name=~"too_late\[\.\]/,
    "data freshness": /job\/data_watermark_age"/,
    "system lag": /job\/system_lag"/,
    "watermark age per stage": /job\/per_stage_data_watermark_age"/,
    "Redis write errors": /metric_name="writeRetries"/,
  };
  for (const [panel, pattern] of Object.entries(wanted)) {
    if (!queries.some((q) => pattern.test(q))) fail("dashboard", `${m[1]}: no panel for ${panel}`);
  }
  for (const q of queries) {
    for (const c of q.matchAll(/metric_name=~?"([A-Za-z_]+)/g)) {
      if (!javaSources.includes(`"${c[1]}`)) fail("dashboard", `${m[1]}: counter ${c[1]}... is not defined in transforms/`);
    }
  }
}

if (failures.length > 0) {
  console.error(failures.join("\n"));
  console.error(`terraform/check: ${failures.length} problem(s)`);
  process.exit(1);
}
console.log(
  `terraform/check: ${files.length} files parse as HCL2; var/local references resolve; ` +
    `${jobs.length} job's parameters are in metadata.json; schema files and tables match WarehouseTable; ` +
    `${dashboards.length} dashboard renders with every panel`,
);
