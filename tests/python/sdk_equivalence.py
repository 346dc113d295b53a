"""Requests of the official Telnyx Python SDK, for the equivalence test.

Run by tests/tests/sdk_equivalence.rs: reads one JSON request on stdin,
writes one JSON answer on stdout.

  {"cases": [{"chain": "calls.actions.answer",
              "inputs": [{"at": "path" | "query" | "header" | "field" | "body",
                          "name": "<the spec's name>", "rust": "<the crate's>",
                          "value": <JSON>}, ...],
              "files": ["file"],        # body properties sent as files
              "fallback": [<inputs>]}]} # the operation's every-input case
    -> {"results": [{"request": {"method", "url", "content_type", "body_base64", "count"},
                     "unmapped": ["query.x", ...], "added": ["field.to", ...],
                     "error": str | null}, ...]}

The driver calls the SDK method found by `getattr` down the client, as a
user would: path values positionally (in the order the method's path
template names them; keyword-only ones by name), every other input as a
keyword argument under the SDK's spelling of the spec's name: the name
itself, with `_` for a Python keyword (`from_`), in snake case (`FallbackUrl`
→ `fallback_url`), with other characters as `_` (`filter[tag]` →
`filter_tag`), the crate's own name (which follows the SDK's renames), or
an object spread over `<name>_<key>` arguments (`page` → `page_number`).
Properties of a body the SDK takes whole go in that one argument (`body`,
or its only required one). Nested values keep the spec's names; the SDK
sends keys it does not know as they are. An input with no SDK parameter
is left out and listed in `unmapped`; a parameter the SDK requires and the
case does not set is taken from `fallback` and listed in `added`.

Each call goes through an httpx `MockTransport` that records the request
and answers 200 `{}`: what the SDK would have sent, without a network.
An exception after the request was recorded (decoding the stub) is
harmless; one before is reported.
"""

import ast
import base64
import inspect
import json
import keyword
import re
import sys
import textwrap

import httpx
import telnyx

EXTRA = {"extra_headers", "extra_query", "extra_body", "timeout"}


def snake(name):
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


def spellings(name, rust=None):
    """The SDK's possible names for a spec name, most literal first."""
    flat = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")
    out = []
    for candidate in (name, flat, snake(flat), rust):
        for form in (candidate, f"{candidate}_"):
            if candidate and form not in out:
                out.append(form)
    return out


def path_names(function):
    """The method's path placeholders, in the order its template has them."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self"):
            continue
        if node.func.attr not in ("_get", "_post", "_put", "_patch", "_delete", "_get_api_list"):
            continue
        first = node.args[0]
        if isinstance(first, ast.IfExp):
            first = first.body
        if isinstance(first, ast.Call) and getattr(first.func, "id", None) == "path_template":
            return re.findall(r"\{([^}]+)\}", first.args[0].value)
        if isinstance(first, ast.JoinedStr):
            return [ast.unparse(v.value) for v in first.values if isinstance(v, ast.FormattedValue)]
        return []
    return []


class Call:
    """Arguments for one SDK method, built input by input."""

    def __init__(self, method):
        self.parameters = {
            name: p
            for name, p in inspect.signature(method).parameters.items()
            if name not in EXTRA
        }
        self.values = {}
        self.unmapped = []
        self.added = []

    def target(self, name, rust=None):
        for candidate in spellings(name, rust):
            if candidate in self.parameters and candidate not in self.values:
                return candidate
        return None

    def put(self, at, name, value, rust=None):
        target = self.target(name, rust)
        if target:
            self.values[target] = value
        elif isinstance(value, dict) and value and any(self.target(f"{name}_{k}") for k in value):
            for key, inner in value.items():
                if self.target(f"{name}_{key}"):
                    self.put(at, f"{name}_{key}", inner)
                else:
                    self.unmapped.append(f"{at}.{name}[{key}]")
        else:
            self.unmapped.append(f"{at}.{name}")

    def whole_body_target(self):
        """`body`, else the one required parameter left: a body taken whole."""
        if "body" in self.parameters and "body" not in self.values:
            return "body"
        unset = [n for n, p in self.parameters.items() if n not in self.values and p.default is p.empty]
        return unset[0] if len(unset) == 1 else None

    def arguments(self):
        """Leading positional-or-keyword parameters positionally, the rest by name."""
        args, kwargs = [], dict(self.values)
        for name, p in self.parameters.items():
            if p.kind is not p.POSITIONAL_OR_KEYWORD or name not in kwargs:
                break
            args.append(kwargs.pop(name))
        return args, kwargs


def as_file(value):
    return value.encode() if isinstance(value, str) else value


def with_files(value, files):
    if isinstance(value, dict):
        return {k: as_file(v) if k in files else v for k, v in value.items()}
    return value


def prepare(case, client):
    """The method the chain names, and its arguments for the case."""
    method = client
    for name in case["chain"].split("."):
        method = getattr(method, name)
    arguments = Call(method)
    inputs = case["inputs"]
    paths = [i["value"] for i in inputs if i["at"] == "path"]
    for name, value in zip(path_names(method), paths):
        arguments.put("path", name, value)
    for i in inputs:
        if i["at"] == "query":
            arguments.put(i["at"], i["name"], i["value"], i["rust"])
    files = set(case["files"])
    fields = [(i["name"], i["rust"], i["value"]) for i in inputs if i["at"] == "field"]
    for i in (i for i in inputs if i["at"] == "body"):
        whole = with_files(i["value"], files)
        if isinstance(whole, dict) and any(arguments.target(k) for k in whole):
            fields += [(k, None, v) for k, v in whole.items()]
        elif arguments.whole_body_target():
            arguments.values[arguments.whole_body_target()] = as_file(whole)
        else:
            arguments.unmapped.append("body")
    fields = [(n, r, as_file(v) if n in files else v) for n, r, v in fields]
    # A property named `body` is the SDK's `body` argument; otherwise that
    # argument takes the body whole.
    one_by_one = any(
        arguments.target(n, r) not in (None, "body") or n == "body" for n, r, _ in fields
    )
    if fields and not one_by_one and arguments.whole_body_target():
        arguments.values[arguments.whole_body_target()] = {n: v for n, _, v in fields}
    else:
        for name, rust, value in fields:
            arguments.put("field", name, value, rust)
    # Headers last: an SDK argument named like one (`payment_signature`)
    # is more likely the body property of that name.
    for i in inputs:
        if i["at"] == "header":
            arguments.put(i["at"], i["name"], i["value"], i["rust"])
    require(arguments, case["fallback"], files)
    return method, arguments


def require(arguments, fallback, files):
    """Sets what the SDK requires and the case leaves unset (the spec makes
    it optional) from the operation's every-input case, listed in `added`."""
    inputs = []
    for i in fallback:
        if i["at"] == "body" and isinstance(i["value"], dict):
            inputs += [{"at": "field", "name": k, "rust": None, "value": v} for k, v in i["value"].items()]
        else:
            inputs.append(i)
    fields = [i for i in inputs if i["at"] == "field"]
    for name, p in arguments.parameters.items():
        if p.default is not p.empty or name in arguments.values:
            continue
        found = [i for i in inputs if name in spellings(i["name"], i["rust"])]
        if found:
            i = found[0]
            arguments.values[name] = as_file(i["value"]) if i["name"] in files else i["value"]
            arguments.added.append(f'{i["at"]}.{i["name"]}')
        elif name == arguments.whole_body_target() and fields:
            arguments.values[name] = {i["name"]: with_files(i["value"], files) for i in fields}
            arguments.added += [f'field.{i["name"]}' for i in fields]


def run(case):
    recorded = []

    def answer(request):
        request.read()
        recorded.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = telnyx.Telnyx(
        api_key="sdk-equivalence", base_url="http://sdk.test", http_client=http, max_retries=0
    )
    arguments, error = None, None
    try:
        method, arguments = prepare(case, client)
        args, kwargs = arguments.arguments()
        method(*args, **kwargs)
    except Exception as exception:  # noqa: BLE001 - reported, not raised
        error = f"{type(exception).__name__}: {exception}"
    finally:
        client.close()
    result = {
        "unmapped": arguments.unmapped if arguments else [],
        "added": arguments.added if arguments else [],
        "error": error,
        "request": None,
    }
    if recorded:
        request = recorded[0]
        result["error"] = None
        result["request"] = {
            "method": request.method,
            "url": str(request.url),
            "content_type": request.headers.get("content-type"),
            "body_base64": base64.b64encode(request.content).decode(),
            "count": len(recorded),
        }
    return result


def main():
    request = json.load(sys.stdin)
    json.dump({"results": [run(case) for case in request["cases"]]}, sys.stdout)


if __name__ == "__main__":
    main()
