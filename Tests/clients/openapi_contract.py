"""Checks an OpenAPI 3.1 document is a contract, not a list of routes: every operation has a description,
schemas for its parameters, body and success answer, and examples; and every example is valid against its
own schema (checked by jsonschema, a validator that is not the server's). Prints one line per problem;
exits 1 if there is any.

usage: python3 openapi_contract.py DOCUMENT.json
"""
import json
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource


def main(path):
    document = json.load(open(path))
    # The document itself is the registry's one resource: a schema's "#/components/..." becomes "urn:doc#/...".
    registry = Registry().with_resource("urn:doc", Resource.opaque(document))
    problems = []

    def check_example(where, schema, example):
        validator = Draft202012Validator(schema, registry=registry)
        for error in validator.iter_errors(example):
            problems.append(f"{where}: example invalid at {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:160]}")

    def resolve_refs(node):
        """Rewrites local $refs so the validator finds them in the registry."""
        if isinstance(node, dict):
            return {k: ("urn:doc" + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else resolve_refs(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve_refs(item) for item in node]
        return node

    for route, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {route}"
            if not operation.get("description"):
                problems.append(f"{where}: no description")
            for parameter in operation.get("parameters", []):
                if "schema" not in parameter:
                    problems.append(f"{where}: parameter {parameter.get('name')} has no schema")
                elif "example" in parameter:
                    check_example(f"{where} parameter {parameter['name']}", resolve_refs(parameter["schema"]), parameter["example"])
            body = operation.get("requestBody")
            if body:
                for media, content in body.get("content", {}).items():
                    if "schema" not in content or "example" not in content:
                        problems.append(f"{where}: request body {media} lacks a schema or an example")
                    elif media.endswith("json"):
                        check_example(f"{where} request {media}", resolve_refs(content["schema"]), content["example"])
            successes = {status: answer for status, answer in operation.get("responses", {}).items() if status[:1] in ("2", "3") or status == "101"}
            if not successes:
                problems.append(f"{where}: no success response")
            for status, answer in successes.items():
                # No content and Not Modified answer without a body (RFC 9110 15.3.5, 15.4.5); Switching
                # Protocols hands the connection to another protocol (a WebSocket, RFC 6455).
                if status in ("101", "204", "304"):
                    continue
                content = answer.get("content")
                if not content:
                    if "Location" not in answer.get("headers", {}):
                        problems.append(f"{where}: {status} answer has no content")
                    continue
                for media, value in content.items():
                    if "schema" not in value:
                        problems.append(f"{where}: {status} {media} has no schema")
                    if media.endswith("json"):
                        if "example" not in value:
                            problems.append(f"{where}: {status} {media} has no example")
                        else:
                            check_example(f"{where} {status} {media}", resolve_refs(value["schema"]), value["example"])
    for line in problems:
        print(line)
    print(f"{sum(len(o) for o in document['paths'].values())} operations, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
