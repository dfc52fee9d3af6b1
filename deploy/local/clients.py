"""Test clients of deploy/local/scenario.py, as a business system and the
web UI would be: GraphQL over HTTP (retrying what a real client retries),
signed /ws/push, and listeners on /ws/connect (token or signed) and on
/graphql/ws (graphql-transport-ws) that resume after every reconnect.

Retries: a transport error or a 502/503/504 from the proxy is retried with
the same request. That is safe because every mutation sent here carries a
clientMutationId (the node replays the first result) and a push carries a
signature the node accepts once (a repeat answers 409 replayed).
"""

import asyncio
import hashlib
import hmac
import http.client
import json
import secrets
import threading
import time
import urllib.parse

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

RETRYABLE_STATUS = {502, 503, 504}


class Stats:
    """Counts of every HTTP request the clients made, shared by threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.retries = 0
        self.retried_requests = 0
        self.failed = []  # (what, why) of requests that failed for good
        self.retry_reasons = {}

    def record(self, attempts, reasons, failure=None, what=""):
        with self.lock:
            self.requests += 1
            if attempts > 1:
                self.retries += attempts - 1
                self.retried_requests += 1
                for r in reasons:
                    self.retry_reasons[r] = self.retry_reasons.get(r, 0) + 1
            if failure is not None:
                self.failed.append((what, failure))


class GraphQLError(Exception):
    def __init__(self, errors):
        self.errors = errors
        self.code = (errors[0].get("extensions") or {}).get("code") if errors else None
        super().__init__(json.dumps(errors)[:300])


class Http:
    """One kept-alive HTTP/1.1 connection to the proxy (one per thread)."""

    def __init__(self, base, stats, source_ip=None, timeout=30):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.stats, self.timeout = u.hostname, u.port, stats, timeout
        self.source = (source_ip, 0) if source_ip else None
        self.conn = None

    def _once(self, method, path, body, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=self.source)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            if response.getheader("connection", "").lower() == "close":
                self.close()
            return response.status, data
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, attempts=6, what=""):
        """(status, body) after retrying transport errors and 502/503/504."""
        headers = dict(headers or {})
        reasons = []
        for attempt in range(1, attempts + 1):
            try:
                status, data = self._once(method, path, body, headers)
                if status not in RETRYABLE_STATUS:
                    self.stats.record(attempt, reasons)
                    return status, data
                reasons.append(f"http {status}")
            except (OSError, http.client.HTTPException) as e:
                reasons.append(type(e).__name__)
            if attempt < attempts:
                time.sleep(min(0.1 * 2 ** attempt, 2.0))
        self.stats.record(attempts, reasons, failure=reasons[-1], what=what or path)
        raise RuntimeError(f"{method} {path} failed after {attempts} attempts: {reasons}")

    def gql(self, query, variables=None, token=None, what="graphql"):
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        body = json.dumps({"query": query, "variables": variables or {}})
        status, data = self.request("POST", "/graphql", body, headers, what=what)
        reply = json.loads(data)
        if reply.get("errors"):
            raise GraphQLError(reply["errors"])
        if status != 200:
            raise RuntimeError(f"{what}: HTTP {status}: {data[:200]!r}")
        return reply["data"]

    def push(self, secret, payload, what="push"):
        """Signed POST /ws/push; (status, reply). The same signature is used
        for every retry, so the node acts on it at most once."""
        body = json.dumps(payload, separators=(",", ":"))
        ts = str(int(time.time()))
        sig = hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
        headers = {"content-type": "application/json", "x-signoff-timestamp": ts, "x-signoff-signature": sig}
        status, data = self.request("POST", "/ws/push", body, headers, what=what)
        return status, json.loads(data or b"{}")


def login(http_, username, password="signoff"):
    q = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }"
    return http_.gql(q, {"u": username, "p": password}, what=f"login {username}")["login"]["accessToken"]


def push_key(push_id):
    """`<ms>-<seq>@<epoch>` → ((ms, seq), epoch), for ordering."""
    pos, _, epoch = push_id.partition("@")
    ms, _, seq = pos.partition("-")
    return (int(ms), int(seq or 0)), epoch


class Listener:
    """One realtime client that reconnects and resumes until stopped.

    kind: "token" (/ws/connect?token=), "signed" (/ws/connect signed, a
    business system's client), "gql" (myEvents over /graphql/ws).
    Every push is kept in order with the node it arrived from.
    """

    def __init__(self, name, kind, ws_base, token=None, pid=None, uid=None, secret=None, tags=()):
        self.name, self.kind, self.ws_base = name, kind, ws_base
        self.token, self.pid, self.uid, self.secret, self.tags = token, pid, uid, secret, list(tags)
        self.pushes = []  # (push id, data, node)
        self.nodes = []  # node of each connection, in order
        self.closes = []  # (code, reason) of each connection that ended
        self.resets = []
        self.errors = []  # error frames and failed connects
        self.connected = asyncio.Event()
        self.stopping = False
        self.ws = None
        self.node = None
        self.last_id = None

    def url(self):
        if self.kind == "gql":
            return f"{self.ws_base}/graphql/ws"
        q = {}
        if self.kind == "token":
            q["token"] = self.token
        else:
            ts, nonce = str(int(time.time())), secrets.token_hex(8)
            msg = f"pid={self.pid}&uid={self.uid}&ts={ts}&nonce={nonce}"
            sign = hmac.new(self.secret.encode(), msg.encode(), hashlib.sha256).hexdigest()
            q.update(pid=self.pid, uid=self.uid, type="1", ts=ts, nonce=nonce, sign=sign)
        if self.last_id:
            q["last_event_id"] = self.last_id
        return f"{self.ws_base}/ws/connect?{urllib.parse.urlencode(q)}"

    async def run(self):
        while not self.stopping:
            try:
                protocols = ["graphql-transport-ws"] if self.kind == "gql" else None
                async with connect(self.url(), subprotocols=protocols, open_timeout=10, max_size=2**20) as ws:
                    self.ws = ws
                    if self.kind == "gql":
                        await self._graphql_ws(ws)
                    else:
                        await self._ws_cluster(ws)
                # A clean close (1000, 1001) ends the frames without raising.
                self.closes.append((ws.close_code, ws.close_reason))
            except ConnectionClosed as e:
                rcvd = e.rcvd
                self.closes.append((rcvd.code, rcvd.reason) if rcvd else (None, "no close frame"))
            except (OSError, InvalidStatus, asyncio.TimeoutError) as e:
                self.errors.append(f"connect: {type(e).__name__}: {e}")
            finally:
                self.ws = None
            if not self.stopping:
                await asyncio.sleep(0.2)

    async def _ws_cluster(self, ws):
        hello = json.loads(await ws.recv())
        assert hello["type"] == "connected", hello
        self.node = hello["node"]
        self.nodes.append(self.node)
        if self.tags:
            await ws.send(json.dumps({"type": "subscribe", "tags": self.tags}))
        self.connected.set()
        heart = asyncio.create_task(self._heart(ws))
        try:
            async for text in ws:
                frame = json.loads(text)
                kind = frame.get("type")
                if kind == "push":
                    self.pushes.append((frame["id"], frame["data"], self.node))
                    self.last_id = frame["id"]
                elif kind == "reset":
                    self.resets.append(frame)
                elif kind == "error":
                    self.errors.append(frame)
        finally:
            heart.cancel()

    async def _heart(self, ws):
        while True:
            await asyncio.sleep(20)
            await ws.send(json.dumps({"type": "heart"}))

    async def _graphql_ws(self, ws):
        await ws.send(json.dumps({"type": "connection_init", "payload": {"token": self.token}}))
        ack = json.loads(await ws.recv())
        assert ack["type"] == "connection_ack", ack
        query = "subscription($l: String) { myEvents(lastEventId: $l) { id data } }"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": {"l": self.last_id}}}))
        self.nodes.append("?")
        self.connected.set()
        async for text in ws:
            frame = json.loads(text)
            kind = frame.get("type")
            if kind == "next":
                if frame["payload"].get("errors"):
                    self.errors.append(frame["payload"]["errors"])
                    continue
                event = frame["payload"]["data"]["myEvents"]
                data = event["data"]
                if isinstance(data, dict) and data.get("type") == "reset":
                    self.resets.append(data)
                    continue
                self.pushes.append((event["id"], data, "?"))
                self.last_id = event["id"]
            elif kind == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif kind in ("error", "complete"):
                self.errors.append(frame)
                await ws.close()

    async def stop(self):
        self.stopping = True
        if self.ws is not None:
            await self.ws.close()
