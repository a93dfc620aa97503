#!/usr/bin/env python3
"""make docs: the generated parts of the tool pages (docs/sp-*.md) from the tools' own
--help, which the flag tables print, so that --help and the docs cannot disagree.

A page holds two generated regions, each between its markers:
  <!-- synopsis: generated from --help by make docs -->     the Usage line(s)
  <!-- options: generated from --help by make docs -->      the options, examples, exit codes
and ends each with <!-- end of generated text -->. Everything else is written by hand.
Usage: gen_docs.py BINDIR [--check] [--root DIR] (DIR: the tree whose docs/ and tools/ are
read; default this file's tree). --check changes nothing: it lists the pages whose
generated text differs from the tools' --help (exit 1), for make test."""
import glob, os, re, subprocess, sys

bindir = sys.argv[1]
check = "--check" in sys.argv[2:]
END = "<!-- end of generated text -->"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if "--root" in sys.argv:
    root = sys.argv[sys.argv.index("--root") + 1]

def split_help(text):
    """(synopsis, options-and-after) of a --help text: the Usage paragraph, and everything
    from the first option section (a line ending in ':' followed by an indented '-')."""
    lines = text.rstrip("\n").split("\n")
    syn_end = next(i for i, l in enumerate(lines) if not l.strip())
    start = next(i for i in range(syn_end, len(lines) - 1)
                 if re.match(r"^\S.*:$", lines[i]) and lines[i + 1].startswith("  -"))
    return "\n".join(lines[:syn_end]), "\n".join(lines[start:])

def region(body, fence=True):
    return ("```text\n" + body + "\n```" if fence else body) + "\n"

def render(page, tool):
    out = subprocess.run([os.path.join(bindir, tool), "--help"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"gen_docs: {tool} --help exited {out.returncode}")
    syn, opts = split_help(out.stdout)
    parts = {"synopsis": region(syn), "options": region(opts)}
    text = open(page, encoding="utf-8").read()
    for name, body in parts.items():
        marker = f"<!-- {name}: generated from --help by make docs -->"
        pat = re.compile(re.escape(marker) + r"\n.*?" + re.escape(END), re.S)
        if not pat.search(text):
            sys.exit(f"gen_docs: {page} has no '{marker}' ... '{END}' region")
        text = pat.sub(lambda m: marker + "\n" + body + END, text, count=1)
    return text

bad = []
pages = sorted(glob.glob(os.path.join(root, "docs", "sp-*.md")))
tools = sorted(os.path.basename(t)[:-2] for t in glob.glob(os.path.join(root, "tools", "sp-*.c")))
for t in tools:
    if os.path.join(root, "docs", t + ".md") not in pages:
        bad.append(f"docs/{t}.md: missing (every tool has a page)")
for page in pages:
    tool = os.path.basename(page)[:-3]
    new = render(page, tool)
    if check:
        if new != open(page, encoding="utf-8").read():
            bad.append(f"docs/{tool}.md: differs from {tool} --help (run make docs)")
    else:
        with open(page, "w", encoding="utf-8") as fh:
            fh.write(new)
for b in bad:
    print(b)
if check:
    print(f"{len(pages)} pages checked against --help: {len(bad)} differ")
sys.exit(1 if bad else 0)
