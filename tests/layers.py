#!/usr/bin/env python3
"""The library's layers, checked by `make check-layers` (and so by `make test`):

1. Includes: core/ includes only core/; io/ only core/ and io/; an operation folder only
   core/, io/ and itself; no operation includes another; tools/cli/ only core/, io/ and
   itself; a tool (tools/sp-*.c) only operation headers, tools/cli/ and core/. A private
   header (*_impl.h) is included only from its own folder. Every quoted include names a
   file of the tree.
2. Purity, proven by the compiler rather than by reading includes (a header's own
   includes count): every file of core/ compiles with no include path but libspatial/,
   and with every library header (GDAL, OGR, CPL, GEOS, PROJ, SQLite, libpng, cairo,
   FFTW, libdeflate) poisoned by an #error stand-in; every file of an operation that is
   not its I/O edge (named *_run.c or *_io.c) compiles with the GDAL/OGR/CPL/GEOS/PROJ
   headers poisoned (cairo, libpng, FFTW, SQLite and libdeflate are allowed there).
3. No cycle between object files: A -> B when A uses a symbol B defines (read with nm
   from the objects built from the tree's sources: OBJDIR/<folder>/<name>.o, the cli's in
   OBJDIR/cli/); every strongly connected set of more than one object is reported.
Usage: layers.py ROOT OBJDIR. Prints one line per finding and the counts; exit 1 on any."""
import glob, os, re, subprocess, sys, tempfile

root, objdir = sys.argv[1], sys.argv[2]
LIB = os.path.join(root, "libspatial")
OPS = ["convert", "inventory", "gridding", "disperse", "zonal", "score", "ledger", "tiles", "onemap", "merge"]
ALLOWED = {"core": {"core"}, "io": {"core", "io"}, "cli": {"core", "io", "cli"}}
for op in OPS:
    ALLOWED[op] = {"core", "io", op}
GDAL_LIKE = ["gdal.h", "gdal_alg.h", "gdal_utils.h", "gdalwarper.h", "ogr_api.h", "ogr_srs_api.h",
             "ogr_core.h", "cpl_conv.h", "cpl_error.h", "cpl_string.h", "cpl_multiproc.h",
             "cpl_vsi.h", "cpl_port.h", "geos_c.h", "proj.h"]
OTHER_LIBS = ["sqlite3.h", "png.h", "cairo.h", "fftw3.h", "libdeflate.h", "zlib.h"]
bad = []

def folder_of(path):
    rel = os.path.relpath(path, root).split(os.sep)
    if rel[0] == "libspatial":
        return rel[1]
    if rel[0] == "tools":
        return "cli" if rel[1] == "cli" else "tool"
    return None

def includes(path):
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
        if m:
            yield n, m.group(1)

files = sorted(glob.glob(LIB + "/*/*.[ch]") + glob.glob(LIB + "/*/*/*.[ch]") + glob.glob(root + "/tools/sp-*.c") +
               glob.glob(root + "/tools/cli/*.[ch]"))
for f in files:
    me = folder_of(f)
    if me not in ALLOWED and me != "tool":
        bad.append(f"{f}: folder '{me}' is not a layer (core, io, cli or one of {', '.join(OPS)})")
        continue
    for n, inc in includes(f):
        top = inc.split("/")[0] if "/" in inc else None
        if me == "cli" and top is None:
            target = os.path.join(root, "tools/cli", inc)
            top = "cli"
        elif top == "cli":
            target = os.path.join(root, "tools", inc)
        else:
            target = os.path.join(LIB, inc)
        if top is None or not os.path.exists(target):
            bad.append(f"{f}:{n}: includes \"{inc}\", which is no file of the tree (write it as \"folder/name.h\")")
            continue
        if me == "tool":
            ok = top in ("cli", "core") or (top in OPS and not inc.endswith("_impl.h"))
        else:
            ok = top in ALLOWED[me] and (not inc.endswith("_impl.h") or top == me)
        if not ok:
            bad.append(f"{f}:{n}: {me} includes \"{inc}\" ({top}): not allowed by the layers")

# 2. purity, by compiling
poison = tempfile.mkdtemp()
poison_all = os.path.join(poison, "all"); poison_gdal = os.path.join(poison, "gdal")
for d, names in ((poison_all, GDAL_LIKE + OTHER_LIBS), (poison_gdal, GDAL_LIKE)):
    os.makedirs(d)
    for h in names:
        with open(os.path.join(d, h), "w") as fh:
            fh.write(f'#error "{h}: a pure file may not use this library (tests/layers.py)"\n')
allowed_flags = subprocess.run(["pkg-config", "--cflags", "cairo", "libpng", "fftw3", "sqlite3", "libdeflate"],
                               capture_output=True, text=True).stdout.split()
cc = os.environ.get("CC", "cc")
def compiles(f, inc_dir, extra):
    r = subprocess.run([cc, "-std=c11", "-D_GNU_SOURCE", "-fsyntax-only", "-I" + inc_dir, "-I" + LIB] +
                       extra + [f], capture_output=True, text=True)
    return r.returncode == 0, r.stderr
npure = 0
for f in sorted(glob.glob(LIB + "/*/*.c") + glob.glob(LIB + "/*/*/*.c")):
    me = folder_of(f)
    if me == "core":
        ok, err = compiles(f, poison_all, [])
    elif me in OPS and not re.search(r"_(run|io)\.c$", f):
        ok, err = compiles(f, poison_gdal, allowed_flags)
    else:
        continue
    npure += 1
    if not ok:
        first = next((l for l in err.splitlines() if "error" in l), err.strip()[:200])
        bad.append(f"{f}: not pure ({'libc, libm, pthread only' if me == 'core' else 'no GDAL/OGR/GEOS/PROJ'}): {first}")
for d in (poison_all, poison_gdal):
    for h in os.listdir(d):
        os.unlink(os.path.join(d, h))
    os.rmdir(d)
os.rmdir(poison)

# 3. cycles between objects
defs, uses = {}, {}
objs = [os.path.join(objdir, os.path.relpath(c, LIB)[:-2] + ".o") for c in sorted(glob.glob(LIB + "/*/*.c") + glob.glob(LIB + "/*/*/*.c"))] + \
       [os.path.join(objdir, "cli", os.path.basename(c)[:-2] + ".o") for c in sorted(glob.glob(root + "/tools/cli/*.c"))]
for o in [o for o in objs if not os.path.exists(o)]:
    bad.append(f"{o}: not built (make first)")
objs = [o for o in objs if os.path.exists(o)]
for o in objs:
    name = os.path.relpath(o, objdir)[:-2]
    uses[name] = set()
    for line in subprocess.run(["nm", o], capture_output=True, text=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "TDBRC":
            defs[p[2]] = name
        elif len(p) == 2 and p[0] == "U":
            uses[name].add(p[1])
graph = {a: sorted({defs[s] for s in u if s in defs and defs[s] != a}) for a, u in uses.items()}
index, low, stack, on, count = {}, {}, [], set(), [0]
sys.setrecursionlimit(100000)
def strong(v):
    index[v] = low[v] = count[0]; count[0] += 1; stack.append(v); on.add(v)
    for w in graph[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            bad.append("cycle between objects: " + " ".join(sorted(comp)))
for v in sorted(graph):
    if v not in index:
        strong(v)

for b in bad:
    print(b)
print(f"{len(files)} files, {npure} pure files compiled, {len(objs)} objects: {len(bad)} finding(s)")
sys.exit(1 if bad else 0)
