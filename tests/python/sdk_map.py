"""The official Python SDK's call chain for every HTTP operation it has.

Run by `cargo xtask sdk-map` (which writes spec/sdk_map.yml) and by
tests/tests/sdk_map.rs (which checks the committed map against the pinned
SDK). Prints one JSON object on stdout:

  {"sdk": "telnyx 4.189.0",
   "methods": [{"chain": "calls.actions.answer",
                "method": "post",
                "path": "/calls/{}/actions/answer"}, ...]}

in the order a class defines its methods and accessors, which is the order
that decides between two methods of one endpoint.

The walk starts at `telnyx.Telnyx` and follows every `cached_property`
that yields an API resource, as a user's attribute access does. Each public
method's source names its HTTP verb and path in its one call of
`self._get`, `_post`, `_put`, `_patch`, `_delete` or `_get_api_list`; the
path is a string, an f-string or `path_template(...)`, and its placeholders
are written `{}`, since the SDK may name them differently from the spec.
Methods that send no request (`webhooks.unwrap`) are left out.
"""

import ast
import inspect
import json
import sys
import textwrap
from functools import cached_property

import telnyx
from telnyx._resource import SyncAPIResource

VERBS = {"_get": "get", "_post": "post", "_put": "put", "_patch": "patch", "_delete": "delete"}
SKIPPED = {"with_raw_response", "with_streaming_response"}


def template(node):
    """The path a call's first argument spells, with `{}` placeholders."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(value.value)
            else:
                parts.append("{}")
        return "".join(parts)
    if isinstance(node, ast.IfExp):
        # `"/x" if self._client._base_url_overridden else "https://…/v2/x"`:
        # an operation served from another host; the relative form is the path.
        return template(node.body)
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "path_template":
        text = template(node.args[0])
        out, depth = [], 0
        for char in text:
            if char == "{":
                depth += 1
                if depth == 1:
                    out.append("{}")
            elif char == "}":
                depth -= 1
            elif depth == 0:
                out.append(char)
        return "".join(out)
    raise ValueError(f"unrecognized path expression: {ast.unparse(node)}")


def request_of(function):
    """(verb, path) of the one request a resource method sends, else None."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner, name = node.func.value, node.func.attr
        if not (isinstance(owner, ast.Name) and owner.id == "self"):
            continue
        if name in VERBS:
            found.append((VERBS[name], template(node.args[0])))
        elif name == "_get_api_list":
            verb = "get"
            for keyword in node.keywords:
                if keyword.arg == "method":
                    verb = keyword.value.value
            found.append((verb, template(node.args[0])))
    if len(set(found)) > 1:
        raise ValueError(f"{function.__qualname__} sends several requests: {found}")
    return found[0] if found else None


def walk(owner_class, chain, out):
    for name, attribute in vars(owner_class).items():
        if name.startswith("_") or name in SKIPPED:
            continue
        if isinstance(attribute, cached_property):
            returned = inspect.signature(attribute.func).return_annotation
            resource = resolve(attribute.func, returned)
            if isinstance(resource, type) and issubclass(resource, SyncAPIResource):
                walk(resource, chain + [name], out)
        elif inspect.isfunction(attribute) and chain:
            request = request_of(attribute)
            if request:
                verb, path = request
                out.append({"chain": ".".join(chain + [name]), "method": verb, "path": path})


def resolve(function, annotation):
    """The class a `cached_property`'s return annotation names."""
    if not isinstance(annotation, str):
        return annotation
    module = sys.modules[function.__module__]
    if hasattr(module, annotation):
        return getattr(module, annotation)
    # The accessor imports its class in its body: `from .x import XResource`.
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(function)))):
        if isinstance(node, ast.ImportFrom) and any(a.name == annotation for a in node.names):
            package = function.__module__ if node.level == 0 else module.__package__
            target = __import__(
                resolve_relative(node.module, node.level, module.__name__, package),
                fromlist=[annotation],
            )
            return getattr(target, annotation)
    raise ValueError(f"cannot resolve {annotation} in {function.__qualname__}")


def resolve_relative(name, level, module_name, package):
    if level == 0:
        return name
    base = module_name.split(".")
    # A module's package is its name minus the last part; a package's is itself.
    parts = package.split(".") if package else base[:-1]
    parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts + ([name] if name else []))


def main():
    methods = []
    walk(telnyx.Telnyx, [], methods)
    json.dump({"sdk": f"telnyx {telnyx.__version__}", "methods": methods}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
