#!/usr/bin/env python3
"""An automation bot for Signoff's `it-access` tickets (权限申请).

It claims `it-access` jobs with its API token, "creates" the account the
ticket asks for in a small local store (a JSON file standing in for the
system that grants access), and completes the job with what it did. A
system the store marks as down fails the job: retryable, so Signoff tries
again after the task's backoff and, out of attempts, alarms the
administrators, who retry or skip it.

Standard library only. Usage:

    python3 examples/access_bot.py --url http://127.0.0.1:8080 --token sgf_... \
        --store accounts.json [--until-idle]

Without --until-idle it runs until interrupted, polling every few seconds
(a bot that keeps a WebSocket open can follow the tag `jobs:it-access`
instead and claim as soon as a job is queued).
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request

CLAIM = """mutation($kinds: [String!]!, $max: Int!, $lease: Int!) {
  claimJobs(kinds: $kinds, max: $max, leaseSeconds: $lease) {
    id attempts params ticket { number applicant { username } }
  }
}"""
COMPLETE = """mutation($id: ID!, $attempt: Int, $output: JSON) {
  completeJob(jobId: $id, attempt: $attempt, output: $output) { status }
}"""
FAIL = """mutation($id: ID!, $attempt: Int, $error: String!, $retryable: Boolean!) {
  failJob(jobId: $id, attempt: $attempt, error: $error, retryable: $retryable) { status }
}"""


class SignoffError(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code


def call(url, token, query, variables):
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        url.rstrip("/") + "/graphql",
        data=body,
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    if answer.get("errors"):
        error = answer["errors"][0]
        raise SignoffError(error.get("extensions", {}).get("code", "error"), error.get("message", ""))
    return answer["data"]


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {"accounts": {}, "down": []}


def save(path, store):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(store, f, ensure_ascii=False, indent=2)


def grant(store, system, username, level):
    """Creates (or changes) the account; returns what the job reports."""
    if system in store.get("down", []):
        raise ConnectionError(f"{system} is not answering")
    accounts = store.setdefault("accounts", {}).setdefault(system, {})
    created = username not in accounts
    accounts[username] = level
    return {"system": system, "account": username, "level": level, "created": created}


def run_once(args):
    jobs = call(args.url, args.token, CLAIM, {"kinds": ["it-access"], "max": 10, "lease": 60})["claimJobs"]
    for job in jobs:
        params, ticket = job["params"] or {}, job["ticket"]
        username = ticket["applicant"]["username"]
        store = load(args.store)
        try:
            output = grant(store, params.get("system"), username, params.get("level"))
        except ConnectionError as e:
            variables = {"id": job["id"], "attempt": job["attempts"], "error": str(e), "retryable": True}
            status = call(args.url, args.token, FAIL, variables)["failJob"]["status"]
            print(f"{ticket['number']}: failed ({e}); job now {status}", flush=True)
            continue
        save(args.store, store)
        try:
            call(args.url, args.token, COMPLETE, {"id": job["id"], "attempt": job["attempts"], "output": output})
        except SignoffError as e:
            # Our lease lapsed (we were too slow): the job runs again elsewhere;
            # granting is idempotent, so a second run does no harm.
            print(f"{ticket['number']}: not recorded ({e})", flush=True)
            continue
        print(f"{ticket['number']}: granted {output['level']} on {output['system']} to {username}", flush=True)
    return len(jobs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--store", required=True, help="the JSON file of accounts")
    parser.add_argument("--until-idle", action="store_true", help="stop when no job is due")
    parser.add_argument("--poll", type=float, default=3.0, help="seconds between idle polls")
    args = parser.parse_args()
    while True:
        try:
            ran = run_once(args)
        except (urllib.error.URLError, SignoffError) as e:
            print(f"claim failed: {e}", file=sys.stderr, flush=True)
            if args.until_idle:
                return 1
            ran = 0
        if ran == 0:
            if args.until_idle:
                return 0
            time.sleep(args.poll)


if __name__ == "__main__":
    sys.exit(main())
