#!/usr/bin/env python3
"""make mutate: a small mutation run over the computing modules. Each mutant changes one
line of the library (a constant, a comparison, a formula), rebuilds the unit tests in
build-mutate/ and runs them; a mutant is killed when a test fails. Prints each mutant's
fate and the kill rate. A surviving mutant is a behaviour no unit test checks."""
import os, shutil, subprocess, sys

MUTANTS = [
    # (file, original text, mutated text, what it breaks)
    ("sp_disperse.c", "return 1e6 * sum / (sqrt(2 * M_PI) * r * DTHETA);",
     "return 1e6 * sum / (sqrt(M_PI) * r * DTHETA);", "plume normalisation"),
    ("sp_disperse.c", "w0 = 1 - w1; /* ISC smoothing S */", "w0 = 1; /* ISC smoothing S */",
     "sector smoothing"),
    ("sp_disperse.c", "case 2: return 0.20 * x;", "case 2: return 0.22 * x;", "Briggs C"),
    ("sp_disperse.c", "double v = 2 * exp(-h * h * a);", "double v = exp(-h * h * a);", "ground reflection"),
    ("sp_disperse.c", "        v += t;", "        v += 0 * t;", "the lid's images"),
    ("sp_disperse.c", "int r = ((-dr) % cv->pr + cv->pr) % cv->pr",
     "int r = ((dr) % cv->pr + cv->pr) % cv->pr", "kernel mirror in the FFT"),
    ("sp_disperse.c", "return height > 10 ? u10 * pow(height / 10, P[stab]) : u10;",
     "return height > 1e30 ? u10 * P[stab] : u10;", "wind profile at the stack"),
    ("sp_met.c", "int icn = alt > 60 ? 4 : alt > 35 ? 3 : alt > 15 ? 2 : 1;",
     "int icn = alt > 60 ? 4 : alt > 35 ? 3 : alt > 15 ? 2 : 0;", "low-sun insolation class"),
    ("sp_met.c", "if (sec < 0 || ws < 0.5) {", "if (sec < 0 || ws < 0.3) {", "calm threshold"),
    ("sp_met.c", "while (k < SP_MET_NSPEED - 1 && u >= SP_MET_SPEED_UPPER[k])",
     "while (k < SP_MET_NSPEED - 1 && u > SP_MET_SPEED_UPPER[k])", "speed class boundary"),
    ("sp_met.c", "w = counts[i][0][k] / tot;", "w = 1.0 / SP_MET_NSEC;", "calms in proportion"),
    ("sp_score.c", "hit += v[i] >= threshold;", "hit += v[i] > threshold;", "p_1ug at the threshold"),
    ("sp_stats.c", "double pos = q * (n - 1);", "double pos = q * n;", "ensemble percentiles"),
    ("sp_score.c", "t += out[i] = gamma_draw(state, kappa * w[i] / tw);",
     "t += out[i] = gamma_draw(state, kappa / n);", "Dirichlet around the weights"),
    ("sp_utf8.c", "lo = 0xA0; /* overlong */", "lo = 0x80; /* overlong */", "UTF-8 overlongs"),
    ("sp_utf8.c", "if (!junk)\n                s[o++] = '?';", "if (1 || !junk)\n                s[o++] = '?';",
     "sanitised runs"),
    ("sp_valid.c", "fabs(x) > SP_COORD_MAX || fabs(y) > SP_COORD_MAX",
     "fabs(x) > 10 * SP_COORD_MAX || fabs(y) > SP_COORD_MAX", "coordinate bound"),
    ("sp_zonal.c", "if (wsum > bestw * (1 + 1e-12)) {", "if (wsum >= bestw) {", "majority ties"),
    ("sp_zonal.c", "FIN(fin_mean, a->W > 0 ? a->S / a->W : NAN)",
     "FIN(fin_mean, a->W > 0 ? a->S / a->W * 1.001 : NAN)", "mean"),
    ("sp_zonal.h", "    a->W += w * cnt;", "    a->W += w;", "run-sum weights"),
    ("sp_gridding.c", "a->values, amount * a->scale, a->placed);",
     "a->values, amount * a->scale * 0.5, a->placed);", "shares of lines and polygons"),
    ("sp_gridding.c", "double frac = 1.0 / geom->npoints;", "double frac = 1.0;",
     "multi-points split"),
    ("sectors/sp_sector_catering.c", "double act = s->stoves * s->hours * s->days *",
     "double act = s->stoves * s->hours *", "stove-hours per year"),
    ("sectors/sp_sector_road.c", "double vkt = s->length_m / 1000 * s->aadt * 365;",
     "double vkt = s->length_m / 1000 * s->aadt * 366;", "vehicle-km per year"),
    ("sp_inventory_classes.c", "    if (r->value < 0)\n        return sp_error(ctx, SP_ERR_DATA, \"%s:%d: a factor cannot",
     "    if (r->value < -1)\n        return sp_error(ctx, SP_ERR_DATA, \"%s:%d: a factor cannot",
     "negative factors"),
    ("sp_tiles_sink_mbtiles.c", "if (index == s->next) { /* its turn: straight in */",
     "if (1) { /* its turn: straight in */", "MBTiles in tile order"),
    # the sun, Turner's table, the met file's checks (test_met_oracle.c, test_disperse.c)
    ("sp_met.c", "- 0.032077 * sin(g)", "+ 0.032077 * sin(g)", "equation of time"),
    ("sp_met.c", "double solar = hour - utc_offset + lon / 15.0", "double solar = hour + utc_offset + lon / 15.0",
     "the clock's offset from UTC"),
    ("sp_met.c", "int icn = alt > 60 ? 4 : alt > 35 ? 3 : alt > 15 ? 2 : 1;",
     "int icn = alt > 60 ? 4 : alt > 30 ? 3 : alt > 15 ? 2 : 1;", "moderate insolation bound"),
    ("sp_met.c", "return tenths <= 4 + 1e-9 ? -2 : -1;", "return tenths < 4 - 1e-9 ? -2 : -1;",
     "the night cloud boundary"),
    ("sp_met.c", "icn -= overcast;", "icn -= 0;", "a 10/10 day sky"),
    ("sp_met.c", "return alt_before <= 0 || alt <= 0 || alt_after <= 0;",
     "return alt <= 0 || (alt_before > 1e9 && alt_after > 1e9);",
     "Turner's night from an hour before sunset"),
    ("sp_met.c", "if (o->urban_pop > 0 && night && k >= 4) {", "if (o->urban_pop > 0 && night && k >= 5) {",
     "the urban option's E"),
    ("sp_disperse.c", "double zi = k >= 4 ? INFINITY : c->zi;", "double zi = c->zi;",
     "E and F unlimited in the vertical"),
    ("sp_disperse_design.c", "        obs_inc[i] = obs[i] - ob;", "        obs_inc[i] = obs[i] - 0 * ob;",
     "urban minus background"),
    ("sp_disperse_design.c", "double x = nox_ugm3 / 1.88, r = 0;", "double x = nox_ugm3, r = 0;",
     "ARM2 in ppb"),
    ("sp_disperse_design.c", "u[i] = (perm[i] + sp_rng_uniform(state)) / n;",
     "u[i] = sp_rng_uniform(state);", "Latin hypercube strata"),
    ("sp_score.c", "between += gn[g] * (gs[g] / gn[g] - mean) * (gs[g] / gn[g] - mean);",
     "between += (gs[g] / gn[g] - mean) * (gs[g] / gn[g] - mean);", "correlation ratio weights"),
    ("sp_score.c", "        if (constant) {\n            n = 0;", "        if (constant) {\n            n = 0.5;",
     "a constant indicator scores nothing"),
    ("sp_met.c", "return days[m - 1] + (m == 2 && leap);", "return days[m - 1] + (m == 2 && !leap);", "29 February"),
    ("sp_met.c", "    if (*at)\n        return *at;", "    if (0)\n        return *at;", "a repeated hour"),
    ("sp_disperse.c", "case 2: return 0.20 * x;", "case 2: return 0.21 * x;", "Briggs C (the oracle)"),
    ("sp_disperse_design.c", "s->fb = (mo - mp) / (0.5 * (mo + mp));", "s->fb = (mp - mo) / (0.5 * (mo + mp));",
     "the sign of FB"),
    ("sp_tiles_plan.c", "cnt >= 8LL * threads", "cnt >= 4LL * threads", "the pyramid's reduced zooms"),
    ("sp_secret.c", "return colon + 1;", "return NULL;", "a URI's password"),
    ("sp_raster.c", "bool ok = GDALGetRasterCount(ds) == r->nbands &&", "bool ok = GDALGetRasterCount(ds) == r->nbands + 1 &&",
     "a raster read back"),
    ("sp_cli_opts.c", "if (o->min < o->max && (x < o->min || x > o->max))",
     "if (o->min < o->max && (x < o->min))", "flag ranges"),
    ("sp_output.c", "if (!sp_path_exists(m) && !is_empty_dir(dst))",
     "if (!sp_path_exists(m) && !is_empty_dir(dst) && 0)", "marker rule"),
    ("sp_ctx.c", "if (ctx->inputs[i].dev == st.st_dev && ctx->inputs[i].ino == st.st_ino)\n            return sp_error(ctx, SP_ERR_USAGE, \"'%s' is an input",
     "if (0)\n            return sp_error(ctx, SP_ERR_USAGE, \"'%s' is an input", "output over an input"),
]

def run(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True)

def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    build = "build-mutate"
    killed = survived = invalid = 0
    only = sys.argv[1:]  # mutate.py WHAT...: only the mutants whose description names one
    for f, old, new, what in MUTANTS:
        if only and not any(w in what for w in only):
            continue
        found = [p for p in (os.path.join(d, f) for d in
                 [os.path.join("libspatial", x) for x in sorted(os.listdir("libspatial"))] + ["tools/cli"])
                 if os.path.isfile(p)]
        path = found[0] if found else os.path.join("libspatial", f)
        src = open(path).read()
        if src.count(old) < 1:
            print("  INVALID  %-14s %s (text not found)" % (f, what)); invalid += 1; continue
        shutil.copy(path, path + ".orig")
        try:
            open(path, "w").write(src.replace(old, new, 1))
            b = run("make -s BUILD=%s -j2 units > /dev/null 2>&1" % build)
            out = run("BUILD=%s sh tests/run.sh --unit-only %s/tests/test_* 2>&1 | tail -n 1" % (build, build))
            line = out.stdout.strip()
            if b.returncode != 0 or "passed" not in line:  # a mutant that does not build
                print("  INVALID  %-14s %s (no build)" % (f, what)); invalid += 1
            elif line.endswith(" 0 failed"):
                print("  SURVIVED %-14s %s" % (f, what)); survived += 1
            else:
                print("  killed   %-14s %s (%s)" % (f, what, line)); killed += 1
        finally:
            shutil.move(path + ".orig", path)
            os.utime(path, None)  # rebuild the original next time
    total = killed + survived
    print("mutants: %d killed, %d survived, %d invalid; kill rate %.0f %%" %
          (killed, survived, invalid, 100.0 * killed / total if total else 0))
    # the last line in the suite's form, for tools that read it
    print("%d passed, %d failed" % (killed, survived))
    return 0

if __name__ == "__main__":
    sys.exit(main())
