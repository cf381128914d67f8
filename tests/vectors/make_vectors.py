#!/usr/bin/env python3
"""Writes version-id.json: YAML in, plain data, RFC 8785 canonical JSON and
version id out. The canonical form and the hash are computed here, in Python,
independently of charter, so the vectors check charter's implementation."""
import hashlib, json, pathlib

CASES = [
    ("comments-and-layout", "# a comment\ntitle: Growth   # trailing\nn: 3\n", {"title": "Growth", "n": 3}),
    ("key-order-and-flow", "{n: 3, title: 'Growth'}\n", {"title": "Growth", "n": 3}),
    ("quoted-number-is-a-string", "title: Growth\nn: \"3\"\n", {"title": "Growth", "n": "3"}),
    ("core-schema-scalars", "a: yes\nb: True\nc: ~\nd: null\ne: 0x1F\nf: 0o17\ng: -0\nh: 2026-01-12\ni: on\nj:\n",
     {"a": "yes", "b": True, "c": None, "d": None, "e": 31, "f": 15, "g": 0, "h": "2026-01-12", "i": "on", "j": None}),
    ("largest-safe-integers", "max: 9007199254740991\nmin: -9007199254740991\n", {"max": 9007199254740991, "min": -9007199254740991}),
    ("block-scalars", "folded: >-\n  one\n  two\nliteral: |\n  line one\n  line two\n", {"folded": "one two", "literal": "line one\nline two\n"}),
    ("unicode-and-escapes", "s: \"caf\\u00e9 \\t tab \\\" quote \\\\ \\u0001\"\nk\u00e9y: \u65e5\u672c\n",
     {"s": "caf\u00e9 \t tab \" quote \\ \u0001", "k\u00e9y": "\u65e5\u672c"}),
    ("no-unicode-normalisation", "s: \"e\\u0301\"\n", {"s": "e\u0301"}),
    ("aliases-expand", "base: &b [x, y]\ncopy: *b\n", {"base": ["x", "y"], "copy": ["x", "y"]}),
    ("nested-goals", "goals:\n  - id: g1\n    due: 2026-04-30\n  - {id: g2, due: 2026-05-01}\n",
     {"goals": [{"id": "g1", "due": "2026-04-30"}, {"id": "g2", "due": "2026-05-01"}]}),
    ("empty-document", "# nothing\n", None),
    # YAML 1.2.2 §8.1.1.2: a block scalar keeps a final line break only when
    # the text has one, also at the very end of the input.
    ("literal-at-end-of-input", "v: |\n  a\n  b", {"v": "a\nb"}),
    ("keep-at-end-of-input", "v: |+\n  a\n  b", {"v": "a\nb"}),
    ("folded-at-end-of-input", "v: >\n  a\n  b", {"v": "a b"}),
    ("literal-in-list-at-end-of-input", "l:\n- |\n  x\n  y", {"l": ["x\ny"]}),
    ("literal-with-break-at-end-of-input", "v: |\n  a\n  b\n", {"v": "a\nb\n"}),
    # Only a plain `<<` can be a merge key; quoted, it is a string like any other.
    ("quoted-merge-key-is-a-string", "\"<<\": {a: 1}\n", {"<<": {"a": 1}}),
    ("yaml-1-2-directive", "%YAML 1.2\n---\na: 1\n", {"a": 1}),
]

# Cases a YAML 1.1 reader (PyYAML) reads the same way; checked when it is installed.
PYYAML_AGREES = {
    "literal-at-end-of-input", "keep-at-end-of-input", "folded-at-end-of-input",
    "literal-in-list-at-end-of-input", "literal-with-break-at-end-of-input",
    "quoted-merge-key-is-a-string", "aliases-expand", "block-scalars",
}

ERRORS = [
    ("tag", "a: !!str 1\n"),
    ("duplicate-key", "a: 1\na: 2\n"),
    ("merge-key", "x: &x {a: 1}\ny:\n  <<: *x\n"),
    ("float", "a: 1.5\n"),
    ("exponent", "a: 1e3\n"),
    ("infinity", "a: .inf\n"),
    ("integer-too-large", "a: 9007199254740992\n"),
    ("non-string-key", "1: a\n"),
    ("null-key", "~: a\n"),
    ("multi-document", "a: 1\n---\nb: 2\n"),
    ("unknown-yaml-major-version", "%YAML 2.0\n---\na: 1\n"),
]

def canonical(data):
    # RFC 8785 for data without floats: sorted keys (code points equal UTF-16
    # order for these keys), no whitespace, minimal escapes, raw UTF-8.
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

try:
    import yaml as pyyaml
except ImportError:
    pyyaml = None
if pyyaml is not None:
    for name, text, data in CASES:
        if name in PYYAML_AGREES:
            assert pyyaml.safe_load(text) == data, name
    for name, text in ERRORS:
        if name == "unknown-yaml-major-version":
            try:
                pyyaml.safe_load(text)
                raise AssertionError(name)
            except pyyaml.YAMLError:
                pass

out = {"description": __doc__, "vectors": [], "errors": []}
for name, yaml, data in CASES:
    c = canonical(data)
    out["vectors"].append({"name": name, "yaml": yaml, "data": data, "canonical": c,
                           "id": "sha256:" + hashlib.sha256(c.encode()).hexdigest()})
for name, yaml in ERRORS:
    out["errors"].append({"name": name, "yaml": yaml})
path = pathlib.Path(__file__).with_name("version-id.json")
path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
