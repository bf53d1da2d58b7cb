// Learner Pulse dashboard: each page asks the JSON API once a second and redraws in place.
// Every text from Redis goes in with textContent, never as HTML.
"use strict";

const NO_TENANT = "~none";
const REFRESH_MS = 1000;
const params = new URLSearchParams(location.search);
const page = document.body.dataset.page;

const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const rate = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

function fmtCount(n) { return n == null ? "–" : count.format(n); }
function fmtPct(n) { return n == null ? "–" : decimal.format(n) + "%"; }
function fmtScore(n) { return n == null ? "–" : decimal.format(n); }
function fmtTime(value) {
  if (value == null || value === "") return "–";
  const d = new Date(typeof value === "number" ? value : Date.parse(value));
  return d.toISOString().substring(11, 19);
}
function fmtAge(ms) {
  if (ms == null || isNaN(ms)) return "";
  const s = Math.round(ms / 1000);
  if (Math.abs(s) < 90) return s + " s ago";
  const m = Math.round(s / 60);
  if (Math.abs(m) < 90) return m + " min ago";
  if (Math.abs(m) < 48 * 60) return decimal.format(m / 60) + " h ago";
  return decimal.format(m / 1440) + " days ago";
}
function tenantLabel(t) { return t === NO_TENANT ? "(no tenant)" : t === "" ? "(empty)" : t; }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null) continue;
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return node;
}
function setText(id, text) { document.getElementById(id).textContent = text; }
function fill(tableId, rows, emptyId) {
  document.querySelector("#" + tableId + " tbody").replaceChildren(...rows);
  if (emptyId) document.getElementById(emptyId).hidden = rows.length > 0;
  document.getElementById(tableId).hidden = rows.length === 0 && !!emptyId;
}
function link(path, query, text) {
  return el("a", { href: path + "?" + new URLSearchParams(query).toString() }, text);
}
function num(text, cls) { return el("td", { class: "num" + (cls ? " " + cls : "") }, text); }

async function api(path, query) {
  const response = await fetch("/api/" + path + "?" + new URLSearchParams(query || {}).toString(), { cache: "no-store" });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    // not our API's JSON (a proxy's error page, a plain-text answer): show it as it came
    if (response.ok) throw e;
    throw new Error(text || response.statusText);
  }
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

// ---- The header every page shares (brand, navigation, tenant selector, status), written here
// once: each page holds an empty <header class="bar"></header> that this fills.

document.querySelector("header.bar").replaceChildren(
  el("a", { class: "brand", href: "/" }, "Learner Pulse"),
  el("nav", {},
    el("a", { href: "/", "data-nav": "courses" }, "Courses"),
    el("a", { href: "/pipeline.html", "data-nav": "pipeline" }, "Pipeline")),
  el("label", { class: "tenant" }, "Tenant ", el("select", { id: "tenant" })),
  el("span", { id: "status", class: "status" }, "connecting…"));

// ---- Tenant filter: the URL holds the tenant; every API call names it.

let tenant = params.get("tenant");

async function loadTenants() {
  const tenants = await api("tenants");
  const select = document.getElementById("tenant");
  if (tenant == null && tenants.length > 0) {
    tenant = tenants[0];
    params.set("tenant", tenant);
    history.replaceState(null, "", "?" + params.toString());
  }
  const known = tenant != null && !tenants.includes(tenant) ? [tenant, ...tenants] : tenants;
  const options = known.map((t) => el("option", { value: t }, tenantLabel(t)));
  if (select.options.length !== options.length || [...select.options].some((o, i) => o.value !== known[i])) {
    select.replaceChildren(...options);
  }
  if (tenant != null) select.value = tenant;
}

document.getElementById("tenant").addEventListener("change", (event) => {
  // A course or learner belongs to one tenant: another tenant starts at its courses.
  const target = page === "pipeline" ? "/pipeline.html" : "/";
  location.href = target + "?" + new URLSearchParams({ tenant: event.target.value }).toString();
});

for (const a of document.querySelectorAll("[data-nav]")) {
  if (a.dataset.nav === page || (page !== "pipeline" && a.dataset.nav === "courses")) a.classList.add("active");
  a.addEventListener("click", () => { if (tenant != null) a.href = a.pathname + "?" + new URLSearchParams({ tenant }).toString(); });
}

// ---- Pages.

async function renderCourses() {
  if (tenant == null) { setText("subtitle", "no data in Redis yet"); fill("courses", [], "courses-empty"); return; }
  setText("subtitle", tenantLabel(tenant));
  const [courses, alerts] = await Promise.all([api("courses", { tenant }), api("alerts", { tenant })]);
  fill("courses", courses.map((c) => el("tr", { "data-course": c.course },
    el("td", {}, link("/course.html", { tenant, course: c.course }, c.course)),
    num(fmtCount(c.activeLearners)),
    num(fmtPct(c.avgScorePct)),
    num(fmtCount(c.completedLearners)),
    num(fmtCount(c.atRiskLearners), c.atRiskLearners > 0 ? "bad" : null),
    num(fmtTime(c.windowStart)))), "courses-empty");
  document.getElementById("alerts").replaceChildren(...alerts.map((a) => el("li", {},
    el("time", {}, fmtTime(a.atMs)),
    el("span", {}, Object.entries(a.fields).map(([k, v]) => k + ": " + v).join(" · ")))));
  document.getElementById("alerts-empty").hidden = alerts.length > 0;
}

let chart = null;

function drawChart(windows) {
  const labels = windows.map((w) => fmtTime(w.startMs).substring(0, 5));
  const active = windows.map((w) => w.activeLearners);
  const scores = windows.map((w) => w.avgScorePct);
  if (chart) {
    chart.data.labels = labels;
    chart.data.datasets[0].data = active;
    chart.data.datasets[1].data = scores;
    chart.update("none");
    return;
  }
  chart = new Chart(document.getElementById("chart"), {
    data: {
      labels,
      datasets: [
        { type: "bar", label: "Active learners", data: active, yAxisID: "learners", backgroundColor: "rgba(47,111,237,.55)", borderRadius: 2 },
        { type: "line", label: "Mean score %", data: scores, yAxisID: "score", borderColor: "#f79009", backgroundColor: "#f79009",
          pointRadius: 2, spanGaps: false, tension: 0.25 },
      ],
    },
    options: {
      maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "top", align: "end" } },
      scales: {
        x: { grid: { display: false }, ticks: { maxTicksLimit: 13 } },
        learners: { position: "left", beginAtZero: true, title: { display: true, text: "active learners" }, ticks: { precision: 0 } },
        score: { position: "right", min: 0, max: 100, title: { display: true, text: "mean score %" }, grid: { drawOnChartArea: false } },
      },
    },
  });
}

async function renderCourse() {
  const course = params.get("course");
  setText("title", course);
  document.title = course + " · Learner Pulse";
  document.getElementById("back").href = "/?" + new URLSearchParams({ tenant }).toString();
  const c = await api("course", { tenant, course });
  setText("kpi-active", fmtCount(c.live.activeLearners));
  setText("kpi-score", fmtPct(c.live.avgScorePct));
  setText("kpi-completed", fmtCount(c.live.completedLearners));
  setText("kpi-at-risk", fmtCount(c.live.atRiskLearners));
  setText("window-note", c.live.windowStart == null ? "No window yet."
    : "Newest window from " + fmtTime(c.live.windowStart) + " UTC · " + fmtCount(c.live.scoredLearners) + " learners scored in it · tenant " + tenantLabel(tenant));
  fill("at-risk", c.atRisk.map((a) => el("tr", { "data-learner": a.learner },
    el("td", {}, link("/learner.html", { tenant, course, learner: a.learner }, a.learner)),
    num(fmtScore(a.scorePct), "bad"),
    num(fmtScore(a.passingScorePct)),
    num(a.scorePct == null || a.passingScorePct == null ? "–" : decimal.format(a.scorePct - a.passingScorePct)))), "at-risk-empty");
  fill("leaderboard", c.leaderboard.map((r, i) => el("tr", { "data-learner": r.learner },
    num(i + 1),
    el("td", {}, link("/learner.html", { tenant, course, learner: r.learner }, r.learner)),
    num(fmtScore(r.engagementScore)))), "leaderboard-empty");
  drawChart(c.windows);
}

const FIELD_ORDER = ["tenant_id", "learner_id", "course_id", "window_start", "window_end", "interactions", "active_seconds",
  "assessments", "avg_score_pct", "best_score_pct", "passing_score_pct", "final_passed", "progress_pct", "progress_status",
  "completed", "certification_state", "engagement_score", "at_risk", "enriched", "events", "pane_index", "pane_timing"];

async function renderLearner() {
  const course = params.get("course");
  const learner = params.get("learner");
  setText("title", learner);
  document.title = learner + " · Learner Pulse";
  const back = document.getElementById("back");
  back.textContent = course;
  back.href = "/course.html?" + new URLSearchParams({ tenant, course }).toString();
  document.getElementById("back-courses").href = "/?" + new URLSearchParams({ tenant }).toString();
  const l = await api("learner", { tenant, course, learner });
  const f = l.fields;
  const score = f.avg_score_pct == null ? null : Number(f.avg_score_pct);
  setText("kpi-score", fmtPct(score));
  setText("kpi-passing", f.passing_score_pct == null ? "" : "passing " + fmtPct(Number(f.passing_score_pct)));
  setText("kpi-engagement", fmtScore(f.engagement_score == null ? null : Number(f.engagement_score)));
  setText("kpi-rank", l.engagementRank == null ? "" : "#" + fmtCount(l.engagementRank) + " of " + fmtCount(l.rankedLearners));
  setText("kpi-progress", fmtPct(f.progress_pct == null ? null : Number(f.progress_pct)));
  setText("kpi-status", f.progress_status || "");
  setText("kpi-state", f.at_risk === "true" ? "At risk" : f.completed === "true" ? "Completed" : Object.keys(f).length ? "On track" : "–");
  document.getElementById("kpi-state").parentElement.classList.toggle("warn", f.at_risk === "true");
  setText("kpi-certification", f.certification_state ? "certificate " + f.certification_state : "");
  setText("learner-window", f.window_start ? fmtTime(f.window_start) + "–" + fmtTime(f.window_end) + " UTC · " + tenantLabel(tenant) : "");
  const names = [...FIELD_ORDER.filter((n) => n in f), ...Object.keys(f).filter((n) => !FIELD_ORDER.includes(n))];
  fill("fields", names.map((n) => el("tr", { "data-field": n }, el("td", {}, n), el("td", {}, f[n]))), "fields-empty");
}

async function renderPipeline() {
  const p = await api("pipeline");
  const fr = p.freshness;
  const windowEnd = fr.window_end_ms == null ? null : Number(fr.window_end_ms);
  const written = fr.written_at_ms == null ? null : Number(fr.written_at_ms);
  setText("kpi-window-end", fmtTime(windowEnd));
  setText("kpi-window-lag", windowEnd == null ? "nothing written yet" : fmtAge(p.nowMs - windowEnd));
  setText("kpi-written", fmtTime(written));
  setText("kpi-written-age", written == null ? "" : fmtAge(p.nowMs - written));
  document.getElementById("job-note").hidden = p.job != null;
  document.getElementById("job").hidden = p.job == null;
  if (p.job == null) {
    for (const id of ["kpi-rate", "kpi-dead"]) setText(id, "–");
    setText("kpi-too-late", "not in Redis");
    return;
  }
  const topics = Object.keys(p.job.byTopic).sort();
  const total = (k) => topics.reduce((s, t) => s + (p.job.byTopic[t][k] || 0), 0);
  setText("kpi-rate", p.inputPerSecond == null ? "–" : rate.format(p.inputPerSecond));
  setText("kpi-dead", fmtCount(total("dead_letter")));
  setText("kpi-too-late", fmtCount(total("too_late")) + " too late");
  fill("topics", topics.map((t) => {
    const c = p.job.byTopic[t];
    return el("tr", { "data-topic": t }, el("td", {}, t), ...["input", "valid", "duplicate", "ignored", "dead_letter", "too_late"]
      .map((k) => num(fmtCount(c[k] || 0), (k === "dead_letter" || k === "too_late") && c[k] > 0 ? "bad" : null)));
  }));
  const reasons = Object.entries(p.job.deadLettersByReason).sort((a, b) => b[1] - a[1]);
  fill("reasons", reasons.map(([r, n]) => el("tr", { "data-reason": r }, el("td", {}, r), num(fmtCount(n)))), "reasons-empty");
}

const RENDER = { courses: renderCourses, course: renderCourse, learner: renderLearner, pipeline: renderPipeline };
let busy = false;

async function refresh() {
  if (busy) return;
  busy = true;
  const status = document.getElementById("status");
  try {
    await loadTenants();
    await RENDER[page]();
    status.className = "status live";
    status.textContent = "live · " + fmtTime(Date.now()) + " UTC";
    document.body.dataset.updated = String(Date.now());
  } catch (e) {
    status.className = "status error";
    status.textContent = e.message;
  } finally {
    busy = false;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
