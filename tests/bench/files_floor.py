"""The floor of an XYZ tree on this disk: reads every {z}/{x}/{y}.png of SRC into memory,
then creates the same folders and files with the same bytes under DST, and prints the
seconds the writing took (best of 3). No rendering or encoding: what any XYZ writer
pays the kernel. Usage: files_floor.py SRC DST"""
import os
import shutil
import sys
import time

src, dst = sys.argv[1], sys.argv[2]
tiles = []
for z in sorted(os.listdir(src)):
    if not z.isdigit():
        continue
    for x in os.listdir(os.path.join(src, z)):
        for name in os.listdir(os.path.join(src, z, x)):
            with open(os.path.join(src, z, x, name), 'rb') as f:
                tiles.append((z, x, name, f.read()))
best = None
for _ in range(3):
    shutil.rmtree(dst, ignore_errors=True)
    os.sync()
    t0 = time.perf_counter()
    made = set()
    for z, x, name, data in tiles:
        d = os.path.join(dst, z, x)
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
    el = time.perf_counter() - t0
    best = el if best is None else min(best, el)
shutil.rmtree(dst, ignore_errors=True)
print('%.3f %d' % (best, len(tiles)))
