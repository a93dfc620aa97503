#!/usr/bin/env python3
"""The code's shape, checked on every `make test` (tests/cli/test_structure.sh):
- no function over 100 lines, no file over 800 lines (libspatial/, tools/);
(the layers and the purity of files: tests/layers.py)
- every function a public header declares has a comment right above it.
Prints one line per finding and the counts; exit 1 when anything is found."""
import glob, re, sys

MAX_FN, MAX_FILE = 100, 800
root = sys.argv[1] if len(sys.argv) > 1 else "."
bad = []

def functions(path):
    """(name, first line, length) of each top-level function body."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = re.match(r"^(?:static\s+|inline\s+)*[A-Za-z_][\w\s\*]*?\b(\w+)\s*\(", lines[i])
        if m and not lines[i].startswith(("typedef", "#", "struct", "enum")) and \
                not lines[i].rstrip().endswith(";"):
            j = i
            while j < len(lines) and not lines[j].startswith("{") and ";" not in lines[j]:
                j += 1
            if j < len(lines) and lines[j].startswith("{"):
                k = j
                while k < len(lines) and not lines[k].startswith("}"):
                    k += 1
                out.append((m.group(1), i + 1, k - i + 1))
                i = k
        i += 1
    return out

nfn = 0
for f in sorted(glob.glob(root + "/libspatial/**/*.c", recursive=True) + glob.glob(root + "/tools/**/*.c", recursive=True)):
    n = sum(1 for _ in open(f, encoding="utf-8"))
    if n > MAX_FILE:
        bad.append(f"{f}: {n} lines (max {MAX_FILE})")
    for name, line, length in functions(f):
        nfn += 1
        if length > MAX_FN:
            bad.append(f"{f}:{line}: {name} is {length} lines (max {MAX_FN})")
ndecl = 0
for h in sorted(glob.glob(root + "/libspatial/**/*.h", recursive=True)):
    if h.endswith("_impl.h"):
        continue
    lines = open(h, encoding="utf-8").read().split("\n")
    for i, l in enumerate(lines):
        m = re.match(r"^(?!typedef|static|#|extern|\s)[A-Za-z_][\w\s\*]*?\b(\w+)\s*\(", l)
        if not m:
            continue
        ndecl += 1
        j = i - 1  # the declaration may follow another one it shares a comment with
        while j >= 0 and re.match(r"^(?!typedef|static|#|extern|\s)[A-Za-z_][\w\s\*]*?\b\w+\s*\(.*", lines[j]) or \
                (j >= 0 and lines[j].startswith(" ") and not lines[j].strip().startswith(("*", "/*"))):
            j -= 1
        if j < 0 or not lines[j].rstrip().endswith("*/"):
            bad.append(f"{h}:{i + 1}: {m.group(1)} has no comment")
for b in bad:
    print(b)
print(f"{nfn} functions, {ndecl} public declarations checked: {len(bad)} finding(s)")
sys.exit(1 if bad else 0)
