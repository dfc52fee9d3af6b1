"""Static checks of deploy/ beyond what the schema validators see, run by
deploy/test (each prints PASS/FAIL lines; exit 1 on any FAIL):

  checks.py k8s OUTDIR        render base and overlays into OUTDIR/*.yaml, check what they say
  checks.py compose           compose.yaml: services, profiles, start order, mounts, settings
  checks.py monitoring        Prometheus config and rules, the Grafana dashboard: PromQL parses,
                              every metric is one the service exports (or is announced)
  checks.py metrics URL…      the metrics used are in the live exposition of these nodes

A setting is any SIGNOFF_<NAME> whose NAME is a field of `Config` in
src/config/ (or SIGNOFF_CONFIG): a typo would otherwise be ignored by
the node without a word.
"""

import glob
import json
import os
import re
import sys
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEPLOY = os.path.dirname(HERE)
ROOT = os.path.dirname(DEPLOY)
sys.path.insert(0, HERE)
import kustomize  # noqa: E402

# Metrics the dashboard and alerts already use that the code does not
# export yet (they come with notifications).
ANNOUNCED = {"notification_queue_depth", "notifications_total"}
# Registered on first use, so absent from a fresh exposition.
LAZY = {"ws_slow_disconnects_total"}
PROMETHEUS_OWN = {"up"}
DRAIN_PLUS_GRACE_DEFAULTS = (5, 20)

failures = []


def check(ok, what, detail=""):
    print(("PASS " if ok else "FAIL ") + what + (f" ({detail})" if detail else ""), flush=True)
    if not ok:
        failures.append(what)
    return ok


def settings():
    # Config's own fields and those of the structs flattened into it.
    names = set()
    for file, struct in [("mod.rs", "Config"), ("notify.rs", "NotifyConfig")]:
        src = open(os.path.join(ROOT, "src", "config", file), encoding="utf-8").read()
        body = src[src.index(f"pub struct {struct} {{"):]
        body = body[: body.index("\n}\n")]
        names |= {f"SIGNOFF_{n.upper()}" for n in re.findall(r"^\s*pub (\w+):", body, re.M)}
    return names | {"SIGNOFF_CONFIG"}


def check_settings(where, names):
    known = settings()
    unknown = sorted(n for n in names if n.startswith("SIGNOFF_") and n not in known)
    check(not unknown, f"{where}: every SIGNOFF_* variable is a setting of src/config/",
          f"unknown: {unknown}" if unknown else f"{len(set(names))} variables")


# ---------------------------------------------------------------- Kubernetes

def k8s(outdir):
    os.makedirs(outdir, exist_ok=True)
    targets = {"base": os.path.join(DEPLOY, "k8s", "base")}
    for d in sorted(glob.glob(os.path.join(DEPLOY, "k8s", "overlays", "*"))):
        targets["overlay-" + os.path.basename(d)] = d
    for name, directory in targets.items():
        try:
            objects = kustomize.build(directory)
        except (kustomize.KustomizeError, KeyError, OSError, yaml.YAMLError) as e:
            check(False, f"k8s {name}: renders", str(e))
            continue
        with open(os.path.join(outdir, f"{name}.yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump_all(objects, f, sort_keys=False)
        check(True, f"k8s {name}: renders", f"{len(objects)} objects: " + ", ".join(f"{o['kind']}/{o['metadata']['name']}" for o in objects))
        k8s_semantics(name, objects)


def k8s_semantics(name, objects):
    by = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    config = by[("ConfigMap", "signoff-config")]["data"]
    secret = by[("Secret", "signoff-secrets")].get("stringData", {})
    deploy, job = by[("Deployment", "signoff")], by[("Job", "signoff-migrate")]
    env_names = set(config) | set(secret)
    for workload in (deploy, job):
        for c in workload["spec"]["template"]["spec"]["containers"]:
            env_names |= {e["name"] for e in c.get("env", [])}
    check_settings(f"k8s {name}", env_names)
    check(config.get("SIGNOFF_MIGRATE_ON_START") == "false" and config.get("SIGNOFF_SEED_DEMO") == "false",
          f"k8s {name}: nodes neither migrate nor seed (the Job migrates)")
    pod = deploy["spec"]["template"]["spec"]
    drain = int(config.get("SIGNOFF_SHUTDOWN_DRAIN_SECS", DRAIN_PLUS_GRACE_DEFAULTS[0]))
    grace = int(config.get("SIGNOFF_SHUTDOWN_GRACE_SECS", DRAIN_PLUS_GRACE_DEFAULTS[1]))
    tgps = pod.get("terminationGracePeriodSeconds", 30)
    check(tgps > drain + grace, f"k8s {name}: terminationGracePeriodSeconds outlasts drain + grace",
          f"{tgps} s > {drain} + {grace} s")
    (c,) = pod["containers"]
    probes = (c["readinessProbe"]["httpGet"]["path"], c["livenessProbe"]["httpGet"]["path"])
    check(probes == ("/readyz", "/healthz"), f"k8s {name}: readiness /readyz, liveness /healthz", f"{probes}")
    check(job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"], f"k8s {name}: the Job runs `signoff migrate`")
    check(c["image"] == job["spec"]["template"]["spec"]["containers"][0]["image"], f"k8s {name}: Job and nodes run one image", c["image"])
    labels = deploy["spec"]["template"]["metadata"]["labels"]
    selectors = {
        "Deployment": deploy["spec"]["selector"]["matchLabels"],
        "Service": by[("Service", "signoff")]["spec"]["selector"],
        "PodDisruptionBudget": by[("PodDisruptionBudget", "signoff")]["spec"]["selector"]["matchLabels"],
    }
    bad = [k for k, sel in selectors.items() if any(labels.get(a) != b for a, b in sel.items())]
    check(not bad, f"k8s {name}: Deployment, Service and PDB select the node pods", f"mismatched: {bad}" if bad else "")
    hpa = by[("HorizontalPodAutoscaler", "signoff")]["spec"]
    check(hpa["scaleTargetRef"]["name"] == "signoff" and "replicas" not in deploy["spec"],
          f"k8s {name}: the HPA owns the replica count", f"{hpa['minReplicas']}-{hpa['maxReplicas']}")
    # `kubectl apply -l 'app.kubernetes.io/component in (config,migrate)'`
    # (deploy/README.md) must bring everything the Job needs, and no node.
    first = {(o["kind"], o["metadata"]["name"]) for o in objects
             if o["metadata"].get("labels", {}).get("app.kubernetes.io/component") in ("config", "migrate")}
    needs = {("Job", "signoff-migrate"), ("ConfigMap", "signoff-config"), ("Secret", "signoff-secrets"),
             ("ServiceAccount", "signoff")} | {k for k in by if k[0] == "Namespace"}
    check(first == needs, f"k8s {name}: the migrate-first selector picks the Job and what it needs, no node",
          ", ".join(sorted(f"{k}/{n}" for k, n in first)))
    ing = by[("Ingress", "signoff")]["metadata"].get("annotations", {})
    read = int(ing.get("nginx.ingress.kubernetes.io/proxy-read-timeout", "60"))
    ping = int(config.get("SIGNOFF_WS_PING_SECS", "25"))
    idle = int(config.get("SIGNOFF_WS_IDLE_SECS", "75"))
    check(read > idle > ping, f"k8s {name}: ingress read timeout above the WebSocket idle close and ping",
          f"{read} s > {idle} s > {ping} s")


# ---------------------------------------------------------------- compose

def compose():
    path = os.path.join(DEPLOY, "compose.yaml")
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    services = doc.get("services", {})
    expected = {"postgres", "redis", "migrate", "seed-demo", "node1", "node2", "node3", "nginx",
                "prometheus", "grafana", "mailcatcher"}
    check(set(services) == expected, "compose: the expected services", f"{sorted(services)}")
    profiles = {n: s.get("profiles", []) for n, s in services.items()}
    optional = {n for n, p in profiles.items() if p}
    check(optional == {"seed-demo", "prometheus", "grafana", "mailcatcher"},
          "compose: demo seed, monitoring and mail catcher are behind profiles",
          ", ".join(f"{n}: {profiles[n]}" for n in sorted(optional)))
    nodes = [services[f"node{i}"] for i in (1, 2, 3)]
    ok = all(n["depends_on"]["migrate"]["condition"] == "service_completed_successfully" for n in nodes)
    check(ok and services["migrate"]["command"] == ["migrate"], "compose: nodes start after the `migrate` one-shot succeeded")
    envs = [n["environment"] for n in nodes]
    check(all(e["SIGNOFF_MIGRATE_ON_START"] == "false" and e["SIGNOFF_SEED_DEMO"] == "false" for e in envs),
          "compose: nodes neither migrate nor seed")
    check(len({e["SIGNOFF_NODE_ID"] for e in envs}) == 3, "compose: each node has its own node_id")
    names = set()
    for s in services.values():
        names |= {k for k in (s.get("environment") or {}) if isinstance(s.get("environment"), dict)}
    example = os.path.join(DEPLOY, "signoff.env.example")
    names |= {line.split("=", 1)[0] for line in open(example, encoding="utf-8") if re.match(r"^SIGNOFF_\w+=", line)}
    check_settings("compose + signoff.env.example", names)
    nginx_ip = services["nginx"]["networks"]["signoff"]["ipv4_address"]
    check(all(nginx_ip in e["SIGNOFF_TRUSTED_PROXIES"].split(",")[0] for e in envs),
          "compose: the nodes trust nginx's address for X-Forwarded-For", nginx_ip)
    stop = int(str(nodes[0]["stop_grace_period"]).rstrip("s"))
    drain, grace = int(envs[0]["SIGNOFF_SHUTDOWN_DRAIN_SECS"]), int(envs[0]["SIGNOFF_SHUTDOWN_GRACE_SECS"])
    check(stop > drain + grace, "compose: stop_grace_period outlasts drain + grace", f"{stop} s > {drain} + {grace} s")
    missing = []
    for n, s in services.items():
        for v in s.get("volumes", []):
            src = v.split(":", 1)[0]
            if src.startswith("."):
                if not os.path.exists(os.path.join(DEPLOY, src)):
                    missing.append(f"{n}: {src}")
    build = services["node1"]["build"]
    if not os.path.isfile(os.path.join(DEPLOY, build["context"], build["dockerfile"])):
        missing.append(f"build: {build}")
    check(not missing, "compose: every mounted file and the Dockerfile exist", f"missing: {missing}" if missing else "")


# ---------------------------------------------------------------- monitoring

def metric_names(expr):
    import promql_parser

    names = set()

    def walk(node):
        kind = type(node).__name__
        if kind == "VectorSelector":
            if node.name:
                names.add(node.name)
        elif kind == "MatrixSelector":
            walk(node.vector_selector)
        elif kind == "BinaryExpr":
            walk(node.lhs)
            walk(node.rhs)
        elif kind == "Call":
            for a in node.args:
                walk(a)
        elif kind in ("AggregateExpr", "ParenExpr", "UnaryExpr", "SubqueryExpr"):
            walk(node.expr)
            if kind == "AggregateExpr" and node.param is not None:
                walk(node.param)

    walk(promql_parser.parse(expr))
    return names


def grafana_expr(expr):
    return (expr.replace("$__rate_interval", "5m").replace("$__interval", "1m")
            .replace("${instance}", ".*").replace("$instance", ".*"))


def used_metrics():
    """{metric: [where]} over the alert rules and the dashboard; parse
    errors are failures."""
    used = {}
    rules = yaml.safe_load(open(os.path.join(DEPLOY, "prometheus", "alerts.yml"), encoding="utf-8"))
    for group in rules["groups"]:
        for rule in group["rules"]:
            where = f"alert {rule.get('alert')}"
            try:
                for m in metric_names(rule["expr"]):
                    used.setdefault(m, []).append(where)
            except Exception as e:  # the parser's own error type
                check(False, f"{where}: PromQL parses", str(e))
            if not (rule.get("labels", {}).get("severity") and rule.get("annotations", {}).get("summary")):
                check(False, f"{where}: has a severity and a summary")
    dash = json.load(open(os.path.join(DEPLOY, "grafana", "dashboards", "signoff.json"), encoding="utf-8"))
    for panel in dash["panels"]:
        for t in panel.get("targets", []):
            where = f"panel {panel['title']!r}"
            try:
                for m in metric_names(grafana_expr(t["expr"])):
                    used.setdefault(m, []).append(where)
            except Exception as e:
                check(False, f"{where}: PromQL parses", f"{t['expr']}: {e}")
    return used, rules, dash


def base_name(metric):
    for suffix in ("_bucket", "_sum", "_count"):
        if metric.endswith(suffix):
            return metric[: -len(suffix)]
    return metric


def monitoring():
    prom = yaml.safe_load(open(os.path.join(DEPLOY, "prometheus", "prometheus.yml"), encoding="utf-8"))
    jobs = {j["job_name"]: j for j in prom["scrape_configs"]}
    targets = jobs.get("signoff", {}).get("static_configs", [{}])[0].get("targets", [])
    check(targets == ["node1:8080", "node2:8080", "node3:8080"], "prometheus.yml: scrapes each compose node", f"{targets}")
    check(prom.get("rule_files") == ["/etc/prometheus/alerts.yml"], "prometheus.yml: loads alerts.yml")
    before = len(failures)
    used, rules, dash = used_metrics()
    alerts = {r["alert"] for g in rules["groups"] for r in g["rules"]}
    want = {"SignoffNodeDown", "SignoffRelayLag", "SignoffBusDown", "SignoffNotificationsDeadLettered", "SignoffErrorRate"}
    check(want <= alerts, "alerts.yml: node down, relay lag, bus down, dead letters, error rate", f"{sorted(alerts)}")
    ids = [p["id"] for p in dash["panels"]]
    check(len(ids) == len(set(ids)) and all("gridPos" in p for p in dash["panels"]),
          "grafana dashboard: unique panel ids, every panel placed", f"{len(ids)} panels")
    check(len(failures) == before, "every PromQL expression parses", f"{len(used)} metrics used")
    src = "\n".join(open(p, encoding="utf-8").read() for p in glob.glob(os.path.join(ROOT, "src", "**", "*.rs"), recursive=True))
    exported = set(re.findall(r'metrics::(?:counter|gauge|histogram)!\(\s*"(\w+)"', src))
    unknown = {m: w for m, w in used.items()
               if base_name(m) not in exported and m not in ANNOUNCED and m not in PROMETHEUS_OWN}
    check(not unknown, "every metric used is one the code exports (or is announced)",
          f"not in src: {unknown}" if unknown else f"announced, not yet exported: {sorted(ANNOUNCED & set(used))}")


def live_metrics(urls):
    exposed = set()
    for url in urls:
        with urllib.request.urlopen(f"{url}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line and not line.startswith("#"):
                    exposed.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    used, _, _ = used_metrics()
    missing = sorted(m for m in used if m not in exposed and m not in ANNOUNCED | LAZY | PROMETHEUS_OWN)
    check(not missing, "every metric the dashboard and alerts use is in the nodes' live /metrics",
          f"missing: {missing}" if missing else f"{len(used)} used; not checked: {sorted((ANNOUNCED | LAZY) & set(used))}")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"k8s": lambda: k8s(args[0]), "compose": compose, "monitoring": monitoring,
     "metrics": lambda: live_metrics(args)}[command]()
    sys.exit(1 if failures else 0)
