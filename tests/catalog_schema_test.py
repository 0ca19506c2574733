#!/usr/bin/env python3
"""Validates every assessment framework catalog (catalog/*.json whose "type" is
"assessment-framework") against its JSON Schema catalog/schema/<id>.schema.json
(draft 2020-12), and checks that the schemas reject damaged copies.

Usage: catalog_schema_test.py [CATALOG_DIR]   (default: ../catalog beside this file)
Exit 0 on success, 1 on failure, 77 (ctest SKIP_RETURN_CODE) when the python3
jsonschema module is missing (Debian package python3-jsonschema).
"""
import copy
import json
import os
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("SKIP: the python3 jsonschema module is not installed "
          "(apt-get install python3-jsonschema, or run scripts/setup.sh)")
    sys.exit(77)

EXPECTED = {"osapg", "un2014", "stanton", "pmesii", "civilian-risks"}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def errors(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


def must_reject(validator, doc, what, name):
    if not list(validator.iter_errors(doc)):
        fail(f"{name}: schema accepts a copy with {what}")


def main():
    catalog_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "catalog")
    schema_dir = os.path.join(catalog_dir, "schema")
    found = set()
    for fname in sorted(os.listdir(catalog_dir)):
        if not fname.endswith(".json"):
            continue
        path = os.path.join(catalog_dir, fname)
        try:
            doc = load(path)
        except (OSError, ValueError) as e:
            fail(f"catalog/{fname}: not valid JSON: {e}")
            continue
        if not isinstance(doc, dict) or doc.get("type") != "assessment-framework":
            continue  # another kind of catalog (risk model, detectors)
        cid = doc.get("id")
        found.add(cid)
        if fname != f"{cid}.json":
            fail(f"catalog/{fname}: id '{cid}' does not match the file name")
        schema_path = os.path.join(schema_dir, f"{cid}.schema.json")
        if not os.path.exists(schema_path):
            fail(f"catalog/{fname}: no schema catalog/schema/{cid}.schema.json")
            continue
        schema = load(schema_path)
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            fail(f"catalog/schema/{cid}.schema.json: not a valid draft 2020-12 schema: {e.message}")
            continue
        v = Draft202012Validator(schema)
        errs = errors(v, doc)
        for e in errs:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            fail(f"catalog/{fname}: {where}: {e.message}")
        if not errs:
            n_top = len(doc["items"])
            n_child = sum(len(i.get(k, [])) for i in doc["items"]
                          for k in ("issues", "indicators", "questions"))
            print(f"ok: catalog/{fname} v{doc['version']}: {n_top} items, {n_child} children")

        # The schema must catch damage, or this test could not fail.
        d = copy.deepcopy(doc)
        d["items"][0]["titel"] = d["items"][0].pop("title")
        must_reject(v, d, "a misspelt item field", fname)
        d = copy.deepcopy(doc)
        d["scale"]["levels"] = d["scale"]["levels"][:1]
        must_reject(v, d, "a one-level scale", fname)
        d = copy.deepcopy(doc)
        d["items"][0]["id"] = "Bad Id"
        must_reject(v, d, "an invalid item id", fname)
        if cid in ("osapg", "un2014", "stanton", "pmesii"):
            d = copy.deepcopy(doc)
            d["items"].pop()
            must_reject(v, d, "one item fewer", fname)
        if cid == "un2014":
            d = copy.deepcopy(doc)
            d["items"][8]["crime"] = "war-crimes"
            must_reject(v, d, "factor 9 tagged as a war crime", fname)
        if cid == "civilian-risks":
            d = copy.deepcopy(doc)
            d["items"] = [i for i in d["items"] if i["id"] != "abduction"]
            must_reject(v, d, "no abduction of children", fname)

    for schema_name in sorted(os.listdir(schema_dir)):
        cid = schema_name[: -len(".schema.json")]
        if schema_name.endswith(".schema.json") and cid not in found:
            fail(f"catalog/schema/{schema_name}: no catalog/{cid}.json")
    missing = EXPECTED - found
    if missing:
        fail(f"catalogs missing: {', '.join(sorted(missing))}")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"all {len(found)} framework catalogs match their schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
