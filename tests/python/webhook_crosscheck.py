"""Webhook cross-check against the official Telnyx Python SDK.

Run by tests/tests/webhook_crosscheck.rs: reads one JSON request on stdin,
writes one JSON answer on stdout.

  {"mode": "sign", "bodies": [str, ...]}
    -> {"public_key": b64, "deliveries": [{"timestamp": str, "signature": str}, ...]}
    Signs each body with a fresh key at the current time, the way Telnyx
    signs webhooks: Ed25519 over "{timestamp}|{body}" (UTF-8), base64.

  {"mode": "verify",
   "cases": [{"public_key": b64, "body": str, "headers": {name: value}, "now": int | null}, ...]}
    -> {"results": [{"ok": bool, "error": str | null, "event_type": str | null}, ...]}
    Runs telnyx.Telnyx(...).webhooks.unwrap on each case; "now" pins the
    SDK's clock for cases signed at a fixed time.
"""

import base64
import json
import sys
import time
from unittest import mock

from nacl.signing import SigningKey


def sign(request):
    key = SigningKey.generate()
    deliveries = []
    for body in request["bodies"]:
        timestamp = str(int(time.time()))
        signed = key.sign(f"{timestamp}|{body}".encode("utf-8"))
        deliveries.append(
            {"timestamp": timestamp, "signature": base64.b64encode(signed.signature).decode("ascii")}
        )
    public_key = base64.b64encode(bytes(key.verify_key)).decode("ascii")
    return {"public_key": public_key, "deliveries": deliveries}


def verify(request):
    # Imported only here: the SDK takes seconds to import, signing needs none of it.
    import telnyx

    clients = {}
    results = []
    for case in request["cases"]:
        public_key = case["public_key"]
        if public_key not in clients:
            clients[public_key] = telnyx.Telnyx(api_key="x", public_key=public_key)
        client = clients[public_key]
        try:
            if case.get("now") is None:
                event = client.webhooks.unwrap(case["body"], headers=case["headers"], key=public_key)
            else:
                with mock.patch.object(time, "time", return_value=float(case["now"])):
                    event = client.webhooks.unwrap(case["body"], headers=case["headers"], key=public_key)
        except Exception as error:  # the SDK raises ValueError; report anything
            results.append({"ok": False, "error": f"{type(error).__name__}: {error}", "event_type": None})
            continue
        data = getattr(event, "data", None)
        event_type = getattr(data, "event_type", None)
        if event_type is not None and not isinstance(event_type, str):
            event_type = str(event_type)
        results.append({"ok": True, "error": None, "event_type": event_type})
    return {"results": results}


def main():
    # Bytes, so the locale cannot change how UTF-8 bodies are read.
    request = json.loads(sys.stdin.buffer.read())
    handlers = {"sign": sign, "verify": verify}
    answer = handlers[request["mode"]](request)
    json.dump(answer, sys.stdout, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
