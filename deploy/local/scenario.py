"""The cluster scenario of deploy/test, run by `deploy/local/cluster run`.

Everything goes through nginx (SIGNOFF_CLUSTER_URL): demo logins, the
client address behind the proxy, tickets filed and approved over GraphQL,
live push to realtime clients spread over the nodes (token and signed
/ws/connect, graphql-ws myEvents), then a rolling restart (each node in
turn gets SIGTERM and comes back) under a load of approvals and pushes.
It passes when no request failed beyond the retries a client makes, and
every resuming client got each of its events exactly once, in order.
Prints PASS/FAIL lines; exits 1 on any FAIL. Bounded: a few minutes.
"""

import asyncio
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from clients import GraphQLError, Http, Listener, Stats, login, push_key  # noqa: E402

URL = os.environ["SIGNOFF_CLUSTER_URL"]
WS = URL.replace("http://", "ws://", 1)
NODES = os.environ["SIGNOFF_CLUSTER_NODES"].split(",")
CLUSTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cluster")
APPLICANTS = ["alice", "zhang.min", "huang.lei", "xu.jing", "he.tao", "gao.yan"]
SUBMIT = """mutation($i: SubmitTicketInput!) { submitTicket(input: $i) {
  replayed ticket { id status items { id assignee { username } } } } }"""
APPROVE = """mutation($i: ID!, $m: String) { approve(itemId: $i, clientMutationId: $m) {
  replayed ticket { id status result } } }"""
FORM = {"leave_type": "annual", "start_date": "2026-12-01", "days": 1, "reason": "cluster test"}

failures = []
stats = Stats()
# Stops the load threads, also when the scenario is cut short (they would
# otherwise keep the interpreter from exiting).
stop_load = threading.Event()


class Abort(Exception):
    """A check the rest of the scenario depends on failed."""


def check(ok, what, detail="", fatal=False):
    print(("PASS " if ok else "FAIL ") + what + (f" ({detail})" if detail else ""), flush=True)
    if not ok:
        failures.append(what)
        if fatal:
            raise Abort(what)
    return ok


def flow(http_, tokens, applicant, counters):
    """One leave request filed and approved by the applicant's head, each
    mutation with a clientMutationId so a retry replays instead of acting."""
    tag = uuid.uuid4().hex
    data = http_.gql(SUBMIT, {"i": {"templateCode": "leave", "form": FORM, "clientMutationId": f"s-{tag}"}},
                     tokens[applicant], what="submitTicket")["submitTicket"]
    ticket = data["ticket"]
    replayed = int(data["replayed"])
    item = ticket["items"][0]
    approver = item["assignee"]["username"]
    data = http_.gql(APPROVE, {"i": item["id"], "m": f"a-{tag}"}, tokens[approver], what="approve")["approve"]
    with counters["lock"]:
        counters["replayed"] += replayed + int(data["replayed"])
        counters["tickets"][ticket["id"]] = (applicant, approver)
        if data["ticket"]["status"] != "DONE":
            counters["not_done"].append(ticket["id"])


def client_address_check(tokens):
    """Behind nginx, each client is told apart by its own address: one that
    exhausts its login allowance on every node does not throttle another,
    and a forged X-Forwarded-For changes nothing."""
    bad = "mutation { login(username: \"nobody-%d\", password: \"wrong\") { accessToken } }"

    def attempt(source, i, forged=None):
        h = Http(URL, Stats(), source_ip=source)
        headers = {"content-type": "application/json"}
        if forged:
            headers["x-forwarded-for"] = forged
        _, body = h.request("POST", "/graphql", json.dumps({"query": bad % i}), headers)
        h.close()
        errors = json.loads(body).get("errors") or [{}]
        return (errors[0].get("extensions") or {}).get("code")

    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda i: attempt("127.0.0.2", i), range(40 * len(NODES))))
    throttled = codes.count("too_many_attempts")
    check(throttled > 0, "per-address login limit reached by one client address behind nginx",
          f"{throttled} of {len(codes)} attempts from 127.0.0.2 answered too_many_attempts")
    others = [attempt("127.0.0.3", 1000 + i) for i in range(len(NODES))]
    check(all(c == "invalid_credentials" for c in others),
          "another client address behind the same nginx is not throttled", f"127.0.0.3 got {others}")
    forged = [attempt("127.0.0.4", 2000 + i, forged="127.0.0.2") for i in range(len(NODES))]
    check(all(c == "invalid_credentials" for c in forged),
          "a forged X-Forwarded-For naming the throttled address is not believed", f"127.0.0.4 got {forged}")


def drain_probe(node, stopping):
    """Until the node stops: (readyz status, GraphQL status, time) straight
    from the node, every 100 ms. None once it refuses connections."""
    probes, t0 = [], time.monotonic()
    h = Http(node, Stats(), timeout=5)
    while stopping.poll() is None:
        try:
            ready, _ = h._once("GET", "/readyz", None, {})
            served, _ = h._once("POST", "/graphql", '{"query":"{ __typename }"}', {"content-type": "application/json"})
            probes.append((ready, served, time.monotonic() - t0))
        except (OSError, http.client.HTTPException):
            probes.append((None, None, time.monotonic() - t0))
        time.sleep(0.1)
    h.close()
    return probes


async def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return predicate()


def ticket_events(listener):
    return [int(d["event_id"]) for _, d, _ in listener.pushes if isinstance(d, dict) and d.get("type") == "ticket_event"]


async def main():
    started = time.monotonic()
    http_ = Http(URL, stats)
    tokens = {"admin": login(http_, "admin")}
    for user in APPLICANTS:
        tokens[user] = login(http_, user)
    heads = {}
    for user in APPLICANTS:
        me = http_.gql("{ me { department { head { username } } } }", token=tokens[user])["me"]
        heads[user] = me["department"]["head"]["username"]
        if heads[user] not in tokens:
            tokens[heads[user]] = login(http_, heads[user])
    check("bob" in tokens and heads["alice"] == "bob", "demo logins through nginx (admin, alice, bob, …)",
          f"{len(tokens)} users; alice's head is {heads['alice']}", fatal=True)

    client_address_check(tokens)

    pid = f"cluster-{os.getpid()}"
    project = http_.gql("mutation($p: String!) { createProject(pid: $p, name: \"cluster test\") { secret } }",
                        {"p": pid}, tokens["admin"])["createProject"]
    secret = project["secret"]

    users = sorted(set(APPLICANTS) | set(heads.values()))
    user_ids = {}
    for user in users:
        user_ids[user] = http_.gql("{ me { id } }", token=tokens[user])["me"]["id"]
    token_clients = {u: Listener(f"ws token {u}", "token", WS, token=tokens[u]) for u in users}
    gql_clients = {u: Listener(f"graphql-ws {u}", "gql", WS, token=tokens[u]) for u in ("alice", "bob")}
    signed_uids = [f"s{i}" for i in range(1, 7)]
    signed_clients = {u: Listener(f"signed {u}", "signed", WS, pid=pid, uid=u, secret=secret) for u in signed_uids}
    tag_client = Listener("ws token bob tag template:leave", "token", WS, token=tokens["bob"], tags=["template:leave"])
    listeners = [*token_clients.values(), *gql_clients.values(), *signed_clients.values(), tag_client]
    tasks = [asyncio.create_task(l.run()) for l in listeners]
    ok = await wait_for(lambda: all(l.connected.is_set() for l in listeners), 20)
    check(ok, f"{len(listeners)} realtime clients connected through nginx",
          "" if ok else "not connected: " + ", ".join(f"{l.name} {l.errors[-1:]}" for l in listeners if not l.connected.is_set()),
          fatal=True)
    spread = {l.nodes[0] for l in listeners if l.nodes and l.nodes[0] != "?"}
    check(len(spread) == len(NODES), "the clients are spread over every node", f"nodes {sorted(spread)}")

    counters = {"lock": threading.Lock(), "replayed": 0, "tickets": {}, "not_done": []}
    # Live: a ticket filed on one node, approved on another, reaches the
    # applicant's and the approver's clients wherever they are connected.
    t0 = time.monotonic()
    await asyncio.to_thread(flow, http_, tokens, "alice", counters)
    live = [token_clients["alice"], token_clients["bob"], gql_clients["alice"], gql_clients["bob"]]
    ok = await wait_for(lambda: all(len(ticket_events(l)) >= 2 for l in live), 10)
    check(ok, "live push of a filed and approved ticket to applicant and approver (ws and graphql-ws)",
          f"{(time.monotonic() - t0) * 1000:.0f} ms for both events to reach all four clients; nodes "
          + ", ".join(f"{l.name}@{l.nodes[-1]}" for l in live), fatal=True)
    status, reply = await asyncio.to_thread(http_.push, secret, {"pid": pid, "uids": ["s1"], "data": {"seq": 0}})
    ok = status == 200 and await wait_for(lambda: len(signed_clients["s1"].pushes) == 1, 5)
    check(ok, "signed /ws/push reaches the business system's client", f"HTTP {status} {reply}")

    # ---- the rolling restart under load
    pushed = {u: set() for u in signed_uids}
    push_counts = {"sent": 0, "replayed": 0, "other": []}
    load_errors = []

    def worker(applicant):
        h = Http(URL, stats)
        n = 0
        while not stop_load.is_set():
            try:
                flow(h, tokens, applicant, counters)
                n += 1
            except (RuntimeError, GraphQLError, KeyError, TypeError) as e:
                load_errors.append(f"{applicant}: {e}")
                time.sleep(0.2)
        return n

    def pusher():
        h = Http(URL, stats)
        seq = 0
        while not stop_load.is_set():
            seq += 1
            uid = signed_uids[seq % len(signed_uids)]
            try:
                status, reply = h.push(secret, {"pid": pid, "uids": [uid], "data": {"seq": seq}})
            except RuntimeError as e:
                load_errors.append(f"push {seq}: {e}")
                continue
            if status == 200:
                pushed[uid].add(seq)
            elif status == 409 and reply.get("error", {}).get("code") == "replayed":
                # A retry of a push the node had taken: it went out once.
                pushed[uid].add(seq)
                push_counts["replayed"] += 1
            else:
                push_counts["other"].append((status, reply))
            push_counts["sent"] += 1
            time.sleep(0.02)

    pool = ThreadPoolExecutor(len(APPLICANTS) + 1)
    flows = [pool.submit(worker, a) for a in APPLICANTS]
    push_job = pool.submit(pusher)
    await asyncio.sleep(3)
    restarts = []
    for n in range(1, len(NODES) + 1):
        t = time.monotonic()
        stopping = subprocess.Popen([CLUSTER, "node", "stop", str(n)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        probes = await asyncio.to_thread(drain_probe, NODES[n - 1], stopping)
        out, _ = stopping.communicate()
        stopped = time.monotonic() - t
        r = await asyncio.to_thread(subprocess.run, [CLUSTER, "node", "start", str(n)], capture_output=True, text=True)
        restarts.append((n, stopped, time.monotonic() - t))
        ok = stopping.returncode == 0 and r.returncode == 0
        check(ok, f"node n{n}: SIGTERM, stopped, started again and ready",
              f"stopped after {stopped:.1f} s, ready again after {time.monotonic() - t:.1f} s"
              + ("" if ok else f": {out}{r.stdout}{r.stderr}"))
        draining = [p for p in probes if p[0] == 503]
        check(bool(draining) and any(p[1] == 200 for p in draining),
              f"node n{n} drains: /readyz 503 while it still answers GraphQL",
              f"{len(draining)} probes saw 503 over {draining[-1][2] - draining[0][2]:.1f} s, GraphQL "
              f"{sorted({p[1] for p in draining})}" if draining else f"probes: {probes[:5]}")
        await asyncio.sleep(2)
    await asyncio.sleep(2)
    stop_load.set()
    flow_counts = [await asyncio.wrap_future(f) for f in flows]
    await asyncio.wrap_future(push_job)
    pool.shutdown()

    tickets = counters["tickets"]
    check(not load_errors and not stats.failed, "no request failed beyond a client's retries",
          f"{stats.requests} requests, {stats.retried_requests} retried ({stats.retries} retries: "
          f"{stats.retry_reasons}); {sum(flow_counts)} flows, {push_counts['sent']} pushes"
          + (f"; errors: {load_errors[:5]} {stats.failed[:5]}" if load_errors or stats.failed else ""))
    check(not counters["not_done"], "every approved ticket is DONE", f"{len(tickets)} tickets, "
          f"{counters['replayed']} mutations answered as replays of a retried request")
    check(not push_counts["other"], "every push accepted", f"{push_counts['replayed']} retries answered replayed"
          + (f"; {push_counts['other'][:3]}" if push_counts["other"] else ""))

    # ---- what every client should have got: each event of its tickets
    expected = {u: [] for u in users}
    seen_tickets = set()
    after = None
    while True:
        q = """query($a: String) { tickets(templateCode: "leave", first: 25, after: $a) {
          pageInfo { hasNextPage endCursor }
          edges { node { id status result applicant { username } items { assignee { username } } timeline { id kind } } } } }"""
        page = http_.gql(q, {"a": after}, tokens["admin"])["tickets"]
        for edge in page["edges"]:
            t = edge["node"]
            seen_tickets.add(t["id"])
            kinds = sorted(e["kind"] for e in t["timeline"])
            if kinds != ["approved", "submitted"] or t["result"] != "APPROVED":
                check(False, f"ticket {t['id']} was acted on exactly once", f"{kinds} {t['status']} {t['result']}")
            for u in {t["applicant"]["username"], *(i["assignee"]["username"] for i in t["items"])}:
                expected[u].extend(int(e["id"]) for e in t["timeline"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    check(seen_tickets == set(tickets), "the database holds exactly the tickets the clients filed",
          f"{len(seen_tickets)} in the database, {len(tickets)} filed")

    await asyncio.sleep(2)  # the last events on their way
    # The dashboard's and the alerts' metrics, in what the nodes export now.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
    import checks

    await asyncio.to_thread(checks.live_metrics, NODES)
    failures.extend(checks.failures)
    for l in listeners:
        await l.stop()
    await asyncio.gather(*tasks, return_exceptions=True)

    def ordered(pushes):
        keys = [push_key(pid_) for pid_, _, _ in pushes]
        return all(a[1] == b[1] and a[0] < b[0] for a, b in zip(keys, keys[1:]))

    for client_set, expect in ((token_clients, expected), (gql_clients, expected)):
        for user, l in client_set.items():
            got = ticket_events(l)
            want = expected[user]
            dupes = len(got) - len(set(got))
            missing = set(want) - set(got)
            extra = set(got) - set(want)
            shutdowns = sum(1 for c in l.closes if c[0] == 1001)
            check(not dupes and not missing and not extra and ordered(l.pushes) and not l.resets,
                  f"{l.name}: every event once, in order, across reconnects",
                  f"{len(got)} events, {len(l.nodes)} connections via {'/'.join(l.nodes)}, {shutdowns} closed 1001; "
                  f"missing {len(missing)}, extra {len(extra)}, duplicates {dupes}, resets {len(l.resets)}")
    for uid, l in signed_clients.items():
        seqs = [d["seq"] for _, d, _ in l.pushes if d.get("seq")]
        dupes = len(seqs) - len(set(seqs))
        missing = pushed[uid] - set(seqs)
        check(not dupes and not missing and ordered(l.pushes) and not l.resets,
              f"{l.name}: every push once, in order, across reconnects",
              f"{len(seqs)} pushes, {len(l.nodes)} connections via {'/'.join(l.nodes)}; "
              f"missing {len(missing)}, duplicates {dupes}, resets {len(l.resets)}")
    reconnected = sum(1 for l in listeners if len(l.nodes) > 1)
    check(reconnected == len(listeners), "every client was moved by the restarts and resumed",
          f"{reconnected} of {len(listeners)} reconnected")

    # Tag subscriptions are sent again after a reconnect, but the replay of
    # a resume runs before that subscribe frame can arrive: what the tag
    # alone routed while the client was away is not replayed. Reported,
    # not failed (see deploy/README.md, "Known limits").
    got = ticket_events(tag_client)
    want = [e for u in APPLICANTS for e in expected[u]]
    missing = len(set(want) - set(got))
    print(f"INFO {tag_client.name}: {len(set(got))} of {len(set(want))} leave events, {missing} missed over "
          f"{len(tag_client.nodes) - 1} reconnects (events routed to it only by its tag are not replayed "
          f"on resume: deploy/README.md, Known limits)", flush=True)

    print("INFO restarts (SIGTERM to stopped / to ready again): "
          + ", ".join(f"n{n} {stopped:.1f} s / {secs:.1f} s" for n, stopped, secs in restarts)
          + f"; scenario {time.monotonic() - started:.0f} s", flush=True)
    return 1 if failures else 0


async def bounded():
    try:
        return await asyncio.wait_for(main(), 300)
    except Abort as e:
        print(f"FAIL scenario stopped: {e}", flush=True)
    except asyncio.TimeoutError:
        print("FAIL scenario did not finish within 300 s", flush=True)
    finally:
        stop_load.set()
    return 1


if __name__ == "__main__":
    sys.exit(asyncio.run(bounded()))
