"""Requests of the official Telnyx Python SDK, for the equivalence test.

Run by tests/tests/sdk_equivalence.rs: reads one JSON request on stdin,
writes one JSON answer on stdout.

  {"api_key": str,
   "cases": [{"method": "calls.actions.answer", "base_url": str, "kwargs": {...}}, ...]}
    -> {"results": [{"error": str | null}, ...]}   (one per case, in order)

Each case gets its own client, `telnyx.Telnyx(api_key=..., base_url=...)`
without retries, and calls the method found by `getattr` down the client
(`client.calls.actions.answer(**kwargs)`). The kwargs are the SDK's own
names (`from_`, `loop`, ...) with nested values as plain dicts and lists.
An exception is reported, not raised: the Rust test decides from the
captured requests whether it came before the request was sent (a failure)
or from decoding the capture server's stub response (harmless).
"""

import json
import sys

import telnyx


def run(api_key, case):
    client = telnyx.Telnyx(api_key=api_key, base_url=case["base_url"], max_retries=0)
    try:
        method = client
        for name in case["method"].split("."):
            method = getattr(method, name)
        method(**case["kwargs"])
        return {"error": None}
    except Exception as error:  # noqa: BLE001 - every failure is reported
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        client.close()


def main():
    request = json.load(sys.stdin)
    results = [run(request["api_key"], case) for case in request["cases"]]
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
