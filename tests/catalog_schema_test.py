#!/usr/bin/env python3
"""Validates every assessment framework catalog (catalog/*.json whose "type" is
"assessment-framework") and every reference catalog ("type" "reference-catalog":
the DIME toolbox, policy risks, cross-cutting considerations, military
approaches, policy frame) against its JSON Schema
catalog/schema/<id>.schema.json (draft 2020-12), and checks that the schemas
reject damaged copies.

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
EXPECTED_REFERENCE = {"dime", "dime-risks", "cross-cutting", "military-approaches", "policy-frame"}

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


def validator_for(schema_dir, fname, cid):
    """The draft 2020-12 validator of catalog/schema/<cid>.schema.json, or None."""
    schema_path = os.path.join(schema_dir, f"{cid}.schema.json")
    if not os.path.exists(schema_path):
        fail(f"catalog/{fname}: no schema catalog/schema/{cid}.schema.json")
        return None
    schema = load(schema_path)
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        fail(f"catalog/schema/{cid}.schema.json: not a valid draft 2020-12 schema: {e.message}")
        return None
    return Draft202012Validator(schema)


def check_reference(schema_dir, fname, doc):
    """Validates one reference catalog and checks its schema rejects damage."""
    cid = doc.get("id")
    v = validator_for(schema_dir, fname, cid)
    if v is None:
        return
    errs = errors(v, doc)
    for e in errs:
        where = "/".join(str(p) for p in e.absolute_path) or "(top)"
        fail(f"catalog/{fname}: {where}: {e.message}")
    if not errs:
        print(f"ok: catalog/{fname} v{doc['version']}: {len(doc['entries'])} entries")
    d = copy.deepcopy(doc)
    d["entries"][0]["titel"] = d["entries"][0].pop("title")
    must_reject(v, d, "a misspelt entry field", fname)
    d = copy.deepcopy(doc)
    d["entries"][0]["id"] = "Bad Id"
    must_reject(v, d, "an invalid entry id", fname)
    d = copy.deepcopy(doc)
    d["entries"][0]["description"] = " "
    must_reject(v, d, "a blank description", fname)
    if cid == "dime":
        d = copy.deepcopy(doc)
        d["entries"][0]["approach"] = "persuasion"
        must_reject(v, d, "an unknown approach", fname)
        d = copy.deepcopy(doc)
        d["entries"][0]["targets"] = ["villains"]
        must_reject(v, d, "an unknown target actor category", fname)
        d = copy.deepcopy(doc)
        d["entries"][0].pop("requires_host_consent")
        must_reject(v, d, "a tool without requires_host_consent", fname)
        d = copy.deepcopy(doc)
        d["entries"] = [e for e in d["entries"] if e["instrument"] != "economic"]
        must_reject(v, d, "no economic tools", fname)
        ids = [e["id"] for e in doc["entries"]]
        if len(ids) != len(set(ids)):
            fail(f"catalog/{fname}: a tool id is listed twice")
    else:
        d = copy.deepcopy(doc)
        d["entries"].pop()
        must_reject(v, d, "one entry fewer", fname)
    if cid == "dime-risks":
        d = copy.deepcopy(doc)
        d["entries"] = [e for e in d["entries"] if e["id"] != "inaction"] + [copy.deepcopy(d["entries"][0])]
        d["entries"][-1]["id"] = "another"
        must_reject(v, d, "no risk of inaction", fname)
    if cid == "policy-frame":
        d = copy.deepcopy(doc)
        next(e for e in d["entries"] if e["group"] == "variable").pop("values")
        must_reject(v, d, "a variable without values", fname)
        d = copy.deepcopy(doc)
        next(e for e in d["entries"] if e["group"] == "role")["group"] = "guideline"
        must_reject(v, d, "three roles and seven guidelines", fname)


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
        if isinstance(doc, dict) and doc.get("type") == "reference-catalog":
            cid = doc.get("id")
            found.add(cid)
            if fname != f"{cid}.json":
                fail(f"catalog/{fname}: id '{cid}' does not match the file name")
            check_reference(schema_dir, fname, doc)
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
    missing = (EXPECTED | EXPECTED_REFERENCE) - found
    if missing:
        fail(f"catalogs missing: {', '.join(sorted(missing))}")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"all {len(found)} framework and reference catalogs match their schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
