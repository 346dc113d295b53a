"""The official Telnyx Python SDK making the request benchmark's two calls.

Run by `cargo xtask bench` against its loopback server: reads one JSON
request on stdin, writes one JSON answer on stdout.

  {"base_url": str, "api_key": str, "calls": int, "warmup": int,
   "answer": {kwargs of client.calls.actions.answer},
   "list": {kwargs of client.conferences.list}}
    -> {"sdk_version": str,
        "answer": {"calls": int, "median_ns": int, "min_ns": int, "max_ns": int},
        "list": {...}}

One client, no retries, so every call after the warm-up reuses the kept-alive
connection, as the Rust benches do. Each call is timed on its own with
`time.perf_counter_ns()`, from the method call until the response is
decoded into the SDK's models. A response that does not decode as expected
fails the run: a figure for a call that did not work would mean nothing.
"""

import json
import os
import statistics
import sys
import time

import telnyx


def answer(client, kwargs):
    response = client.calls.actions.answer(**kwargs)
    return lambda: response.data.result == "ok"


def list_conferences(client, kwargs):
    page = client.conferences.list(**kwargs)
    return lambda: len(page.data) == 2 and page.data[0].record_type == "conference"


def timed(client, call, kwargs, calls, warmup):
    samples = []
    for n in range(warmup + calls):
        started = time.perf_counter_ns()
        check = call(client, kwargs)
        elapsed = time.perf_counter_ns() - started
        if not check():
            raise SystemExit(f"{call.__name__}: unexpected response")
        if n >= warmup:
            samples.append(elapsed)
    return {
        "calls": len(samples),
        "median_ns": int(statistics.median(samples)),
        "min_ns": min(samples),
        "max_ns": max(samples),
    }


def main():
    request = json.load(sys.stdin)
    # The Rust benches run their client and the loopback server's threads
    # on this one core; the SDK gets the same placement.
    if "client_cpu" in request and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {request["client_cpu"]})
    client = telnyx.Telnyx(
        api_key=request["api_key"], base_url=request["base_url"], max_retries=0
    )
    try:
        figures = {
            name: timed(client, call, request[name], request["calls"], request["warmup"])
            for name, call in (("answer", answer), ("list", list_conferences))
        }
    finally:
        client.close()
    json.dump({"sdk_version": telnyx.__version__, **figures}, sys.stdout)


if __name__ == "__main__":
    main()
