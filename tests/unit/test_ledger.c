/* Unit tests of sp_park and sp_ledger on hand-worked cases: incineration fossil CO2 of a
 * given composition (IPCC 2006 vol. 5 eq. 5.1), landfill first-order decay over three
 * years against its closed form, the park's gross / credit / net with each GWP set, the
 * coupling coordination degree, the elasticity and its guard, the ledger's cumulative
 * sums, shares and remainders, and the errors of bad targets and park files. */
#include "check.h"
#include "ledger/sp_ledger.h"
#include "io/sp_ctx_io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static sp_park *park(sp_ctx *ctx, const char *text)
{
    sp_park *p = NULL;
    CHECK(sp_park_parse(ctx, text, "p.txt", &p) == SP_OK);
    return p;
}

static void test_incineration(sp_ctx *ctx)
{
    /* 1000 t: 40 % plastics (dm 1, cf 0.75, fcf 1) and 60 % food (fossil 0):
     * 1000 x 0.4 x 1 x 0.75 x 1 x 1 x 44/12 = 1100 t fossil CO2 */
    sp_park *p = park(ctx, "year 2024\ngwp AR5\nincinerated 1000\n"
                           "fraction plastics 0.4 dm 1 cf 0.75 fcf 1\n"
                           "fraction food 0.6 dm 0.4 cf 0.38 fcf 0\n"
                           "incineration_n2o 50\nincineration_ch4 0.2\nflue_gas 5000\n"
                           "stack NOx 200\nreceived 2000\nexported 400 grid 0.5\n");
    sp_park_result r;
    sp_park_compute(p, 0, &r);
    CHECK_REL(r.co2_fossil, 1100, 1e-12);
    CHECK_REL(r.n2o, 0.05, 1e-12);      /* 1000 t x 50 g */
    CHECK_REL(r.ch4, 0.0002, 1e-12);    /* 1000 t x 0.2 g */
    /* AR5: 1100 + 28 x 0.0002 + 265 x 0.05 = 1113.2556 t CO2e */
    CHECK_REL(r.gross, 1113.2556, 1e-12);
    CHECK_REL(r.credit, 200, 1e-12);    /* 400 MWh x 0.5 kg/kWh */
    CHECK_REL(r.net, 913.2556, 1e-12);
    CHECK_REL(r.per_t_received, 1113.2556 / 2000, 1e-12);
    CHECK_REL(r.per_t_incinerated, 1113.2556 / 1000, 1e-12);
    /* stack: 1000 t x 5000 Nm3 x 200 mg = 10^9 mg = 1 t */
    CHECK_REL(r.E[SP_NOX], 1, 1e-12);
    sp_park_free(p);
    p = park(ctx, "year 2024\ngwp AR6\nincinerated 1000\nfraction plastics 1 dm 1 cf 0.75 fcf 1\n"
                  "incineration_n2o 50\n");
    sp_park_compute(p, 0, &r);
    CHECK_REL(r.gross, 2750 + 273 * 0.05, 1e-12); /* AR6 N2O 273 */
    CHECK(r.gwp_ch4 == 27.0 && isnan(r.per_t_received)); /* no 'received': no indicator */
    sp_park_free(p);
}

static void test_fod(sp_ctx *ctx)
{
    /* 1000 t deposited in 2020, DOC 0.2, DOCf 0.5, MCF 1, F 0.5, k 0.1: DDOCm = 100 t;
     * CH4 in year 2020 + n = 100 x e^(-0.1 (n - 1)) x (1 - e^-0.1) x 0.5 x 16/12, and the
     * three years 2021-2023 together 100 x (1 - e^-0.3) x 0.5 x 16/12 */
    sp_park_deposit d = {2020, 1000, 0.2, 0.1, 0.5, 1, 0.5, 0};
    double sum = 0;
    for (int y = 2021; y <= 2023; y++)
        sum += sp_park_fod_ch4(&d, y);
    CHECK_REL(sum, 100 * (1 - exp(-0.3)) * 0.5 * 16 / 12, 1e-12);
    CHECK_REL(sp_park_fod_ch4(&d, 2021), 100 * (1 - exp(-0.1)) * 0.5 * 16 / 12, 1e-12);
    CHECK(sp_park_fod_ch4(&d, 2020) == 0 && sp_park_fod_ch4(&d, 2019) == 0);
    /* in a park file: recovery 25 % and OX 0.1 take their shares off */
    sp_park *p = park(ctx, "year 2022\nlandfill 2020 1000 doc 0.2 k 0.1 ox 0.1\n"
                           "landfill_recovered 0.25\nleachate 10\n"
                           "digested 1000 ch4 0.8\nbiogas 1000 ch4 0.5 destroyed 0.9\n");
    sp_park_result r;
    sp_park_compute(p, 0, &r);
    CHECK_REL(r.ch4_landfill, 100 * exp(-0.1) * (1 - exp(-0.1)) * 0.5 * 16 / 12 * 0.75 * 0.9, 1e-12);
    CHECK_REL(r.ch4_leachate, 10 * 0.25 * 0.8, 1e-12); /* COD x B0 x MCF */
    CHECK_REL(r.ch4_dig, 0.8, 1e-12);                  /* 1000 t x 0.8 kg/t */
    CHECK_REL(r.ch4_biogas, 1000 * 0.5 * 0.716 * 0.1 / 1000, 1e-12);
    sp_park_free(p);
}

/* Per tonne treated, the legacy landfill apart, SAR's GWPs, composting, the drivers. */
static void test_treated(sp_ctx *ctx)
{
    /* 2026 with the base year 2023: the 2019 deposit is legacy, the 2023 one is not;
     * treated = 100 digested + 50 composted + 20 landfilled = 170 t; composting 4 g CH4
     * and 0.24 g N2O per kg: 0.2 t CH4, 0.012 t N2O */
    const char *text = "year 2026\ngwp AR5\nreceived 200\ndigested 100 ch4 0.8\n"
                       "composted 50 ch4 4 n2o 0.24\nlandfilled 20\n"
                       "landfill 2019 1000 doc 0.2 k 0.1\nlandfill 2023 1000 doc 0.2 k 0.1\n";
    sp_park *p = park(ctx, text);
    sp_park_result r;
    sp_park_compute(p, 2023, &r);
    double l19 = 100 * exp(-0.1 * 6) * (1 - exp(-0.1)) * 0.5 * 16 / 12,
           l23 = 100 * exp(-0.1 * 2) * (1 - exp(-0.1)) * 0.5 * 16 / 12;
    CHECK_REL(r.ch4_landfill, l19 + l23, 1e-12);
    CHECK_REL(r.ch4_legacy, l19, 1e-12);
    CHECK_REL(r.ch4_comp, 0.2, 1e-12);
    CHECK_REL(r.n2o, 0.012, 1e-12);
    double ch4 = 0.08 + 0.2 + l19 + l23;
    CHECK_REL(r.gross, 28 * ch4 + 265 * 0.012, 1e-12);
    CHECK_REL(r.gross_sar, 21 * ch4 + 310 * 0.012, 1e-12);
    CHECK_REL(r.legacy, 28 * l19, 1e-12);
    CHECK_REL(r.treated, 170, 1e-12);
    CHECK_REL(r.per_t_treated, r.gross / 170, 1e-12);
    CHECK_REL(r.per_t_treated_ops, (r.gross - 28 * l19) / 170, 1e-12);
    /* base year 0: nothing is legacy */
    sp_park_result r0;
    sp_park_compute(p, 0, &r0);
    CHECK(r0.ch4_legacy == 0 && r0.legacy == 0);
    sp_park_free(p);
    /* the drivers, by hand: a = 100 t CO2e (10 legacy) over 100 t; b = 90 (6 legacy) over
     * 120 t. Tonnes: 100/120 - 1; operations: (84 - 90)/120; legacy: (6 - 10)/120; the
     * three sum to 90/120 - 100/100 */
    sp_park_result a = {.gross = 100, .legacy = 10, .treated = 100},
                   b = {.gross = 90, .legacy = 6, .treated = 120};
    double dt, dop, dl;
    sp_park_per_t_drivers(&a, &b, &dt, &dop, &dl);
    CHECK_REL(dt, 100.0 / 120 - 1, 1e-12);
    CHECK_REL(dop, -6.0 / 120, 1e-12);
    CHECK_REL(dl, -4.0 / 120, 1e-12);
    CHECK_REL(dt + dop + dl, 90.0 / 120 - 1, 1e-12);
    /* the mass balance: 170 t treated of 160 received is refused; 10 t from stock mend it */
    sp_park *q = NULL;
    CHECK(sp_park_parse(ctx, "year 2026\nreceived 160\ndigested 100 ch4 0.8\n"
                             "composted 50\nlandfilled 20\n", "m.txt", &q) == SP_ERR_DATA);
    CHECK(strstr(sp_ctx_message(ctx), "m.txt: 170 t treated") != NULL);
    CHECK(sp_park_parse(ctx, "year 2026\nreceived 160\nstock_drawn 10\ndigested 100 ch4 0.8\n"
                             "composted 50\nlandfilled 20\n", "m.txt", &q) == SP_OK);
    sp_park_free(q);
    /* SAR as the declared set */
    q = park(ctx, "year 2026\ngwp SAR\ndigested 100 ch4 0.8\n");
    sp_park_compute(q, 0, &r);
    CHECK(r.gwp_ch4 == 21 && r.gwp_n2o == 310 && r.gross == r.gross_sar);
    sp_park_free(q);
}

/* A degree with fixed bounds, by hand: pev NOx 1 kg, NOx 0.5 t = 500 equivalents, bounds
 * 1000 -> 0: u1 = 0.5; CO2 37.5 t, bounds 40 -> 20: u2 = 0.125; C = 2 sqrt(0.0625) /
 * 0.625 = 0.8, T = 0.3125, D = sqrt(0.25) = 0.5. Past the worst bound u is 0, so D is 0;
 * a target on it counts the change of D in %; a bounds file holds degree lines only. */
static void test_degree(sp_ctx *ctx)
{
    sp_targets *tg = NULL;
    CHECK(sp_targets_parse_with(ctx, "degree d apeq 1000 0 CO2 40 20\n", "b.txt",
                                "baseline 2023\npev NOx 1\ntarget x degree(d) 5 %\n", "t.txt",
                                &tg) == SP_OK);
    if (!tg)
        return;
    sp_ledger_year y = {.year = 2023};
    y.E[SP_NOX] = 0.5;
    y.E[SP_CO2] = 37.5;
    double u[2], c, t;
    const char *why;
    CHECK_REL(sp_ledger_degree(tg, 0, &y, u, &c, &t, &why), 0.5, 1e-12);
    CHECK_REL(u[0], 0.5, 1e-12);
    CHECK_REL(u[1], 0.125, 1e-12);
    CHECK_REL(c, 0.8, 1e-12);
    CHECK_REL(t, 0.3125, 1e-12);
    sp_ledger_year y2 = y;
    y2.year = 2026;
    y2.E[SP_CO2] = 50; /* past the worst bound */
    CHECK(sp_ledger_degree(tg, 0, &y2, u, &c, &t, &why) == 0 && u[1] == 0);
    y2.E[SP_CO2] = 35; /* u2 0.25: C = 2 sqrt(0.125) / 0.75, T 0.375 */
    sp_ledger_year ys[2] = {y, y2};
    sp_target_row r;
    sp_ledger_rows(tg, ys, 2, &r);
    double d2 = sqrt(2 * sqrt(0.125) / 0.75 * 0.375);
    CHECK_REL(r.cumulative, 100 * (d2 / 0.5 - 1), 1e-12);
    sp_targets_free(tg);
    tg = NULL;
    CHECK(sp_targets_parse_with(ctx, "baseline 2023\n", "b.txt", "baseline 2023\n", "t.txt", &tg) ==
          SP_ERR_DATA && !tg);
    CHECK(strstr(sp_ctx_message(ctx), "b.txt:1: a bounds file holds 'degree' lines only") != NULL);
}

static void test_park_errors(sp_ctx *ctx)
{
    static const struct { const char *text, *msg; } BAD[] = {
        {"year 2024\nincinerated 10\nfraction a 0.5 dm 1 cf 1 fcf 1\nfraction b 0.3 dm 1 cf 1 fcf 1\n",
         "p.txt: the waste fractions' shares sum to 0.8, not 1"},
        {"year 2024\nfraction a 1.5 dm 1 cf 1 fcf 1\n", "p.txt:2: share, dm, cf and fcf are fractions 0-1"},
        {"incinerated 5\n", "no 'year YYYY' line"},
        {"year 2024\nincinerated 5\n", "no 'fraction' line gives its composition"},
        {"year 2024\nlandfill 2024 10 doc 0.1 k 0.05\n", "decays from the next year"},
        {"year 2024\nburn 5\n", "p.txt:2: unknown directive 'burn'"},
        {"year 2024\ngwp AR4\n", "p.txt:2: expected 'gwp AR6|AR5|SAR'"},
        {"year 2024\nstack NOx -1\n", "p.txt:2: a concentration cannot be negative"},
        /* each directive once; tonnes a park can have */
        {"year 2024\nreceived 10\nreceived 20\n", "p.txt:3: 'received' is given twice"},
        {"year 2024\nstack NOx 1\nstack NOx 2\n", "p.txt:3: 'stack NOx' is given twice"},
        {"year 2024\nincinerated 1\nfraction a 1 dm 1 cf 1 fcf 1\nfraction a 1 dm 1 cf 1 fcf 1\n",
         "p.txt:4: 'fraction a' is given twice"},
        {"year 2024\nreceived 1e300\n", "p.txt:2: tonnes are 0 to 10^9 a year"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        sp_park *p = NULL;
        CHECK(sp_park_parse(ctx, BAD[i].text, "p.txt", &p) == SP_ERR_DATA && !p);
        CHECK_HAS(sp_ctx_message(ctx), BAD[i].msg);
    }
}

static const char *TARGETS =
    "baseline 2023\n"
    "pev NOx 1\npev VOCs 2 \"a stated weight\"\n"
    "target nox NOx -300 t\n"
    "target vocs VOCs -10 %\n"
    "target int intensity(CO2+CO2_scope2) -20 %\n"
    "gdp 2023 100\ngdp 2025 125\n"
    "els_threshold 1%\n"
    "ccd pollution nox vocs\nccd carbon int\n";

static void test_ledger(sp_ctx *ctx)
{
    sp_targets *tg = NULL;
    CHECK(sp_targets_parse(ctx, TARGETS, "t.txt", &tg) == SP_OK);
    if (!tg)
        return;
    /* 2023: NOx 1000, VOCs 500, CO2 800 + scope 2 200; 2024: NOx 900, CO2 unchanged;
     * 2025: NOx 850, VOCs 450, CO2 700 + 200 */
    sp_ledger_year ys[3] = {{.year = 2023}, {.year = 2024}, {.year = 2025}};
    double nox[] = {1000, 900, 850}, voc[] = {500, 500, 450}, co2[] = {800, 795, 700};
    for (int i = 0; i < 3; i++) {
        ys[i].E[SP_NOX] = nox[i];
        ys[i].E[SP_VOCS] = voc[i];
        ys[i].E[SP_CO2] = co2[i];
        ys[i].E[SP_CO2_S2] = 200;
    }
    sp_target_row rows[3];
    sp_ledger_rows(tg, ys, 3, rows);
    CHECK_REL(rows[0].base, 1000, 0);
    CHECK_REL(rows[0].cumulative, -150, 1e-12); /* 850 - 1000 */
    CHECK_REL(rows[0].share, 0.5, 1e-12);       /* -150 / -300 */
    CHECK_REL(rows[0].remaining, -150, 1e-12);
    CHECK(rows[0].last_year == 2025);
    CHECK_REL(rows[1].cumulative, -10, 1e-12);  /* 450 / 500 - 1 = -10 % */
    CHECK_REL(rows[1].share, 1, 1e-12);
    /* intensity: 1000 / 100 = 10 in 2023, 900 / 125 = 7.2 in 2025: -28 %; 2024 has no GDP */
    CHECK_REL(rows[2].cumulative, -28, 1e-12);
    CHECK_REL(rows[2].share, 1.4, 1e-12);
    CHECK(isnan(rows[2].value[1]));
    sp_synergy s[3];
    int n = sp_ledger_synergy(tg, ys, 3, rows, s);
    CHECK(n == 2);
    /* APeq = NOx kg / 1 + VOCs kg / 2: 2023 1.25e6, 2024 1.15e6; CO2 995 vs 1000: -0.5 %,
     * under the 1 % threshold: no elasticity */
    CHECK_REL(s[0].apeq0, 1.25e6, 1e-12);
    CHECK_REL(s[0].d_apeq, -0.08, 1e-12);
    CHECK(isnan(s[0].els));
    CHECK_HAS(s[0].els_note, "carbon-neutral measure");
    /* 2025: APeq 1.075e6 (-14 %), CO2 900 (-10 %): Els 1.4, both fall */
    CHECK_REL(s[1].els, 1.4, 1e-12);
    CHECK_HAS(s[1].els_note, "synergy");
    /* coordination 2025: U1 = mean(0.5, 1) = 0.75; U2 = min(1, 1.4) = 1;
     * C = 2 sqrt(0.75) / 1.75, T = 0.875, D = sqrt(C T) */
    double c = 2 * sqrt(0.75) / 1.75;
    CHECK_REL(s[1].u1, 0.75, 1e-12);
    CHECK_REL(s[1].u2, 1, 1e-12);
    CHECK_REL(s[1].c, c, 1e-12);
    CHECK_REL(s[1].d, sqrt(c * 0.875), 1e-12);
    CHECK(isnan(s[0].d)); /* 2024: no GDP, no carbon subsystem */
    /* intervals: three draws of each year; NOx 2023 {1000, 1100, 900}, 2025 {900, 950,
     * 700}: changes -100, -150, -200; type-7 quantiles 2.5 % = -200 + 0.05 x 50 = -197.5,
     * 97.5 % = -150 + 0.95 x 50 = -102.5 */
    double d23[3 * SP_NPOL] = {0}, d25[3 * SP_NPOL] = {0};
    double a[] = {1000, 1100, 900}, z[] = {900, 950, 700};
    for (int d = 0; d < 3; d++) {
        d23[d * SP_NPOL + SP_NOX] = a[d];
        d25[d * SP_NPOL + SP_NOX] = z[d];
    }
    ys[0].ndraws = ys[2].ndraws = 3;
    ys[0].draws = d23;
    ys[2].draws = d25;
    sp_ledger_intervals(tg, ys, 3, rows);
    CHECK_REL(rows[0].cum_lo, -197.5, 1e-12);
    CHECK_REL(rows[0].cum_hi, -102.5, 1e-12);
    CHECK(isnan(rows[2].cum_lo)); /* the draws carry no CO2: 0 / 0, no interval */
    sp_targets_free(tg);
    /* the CCD by hand: U1 0.2, U2 0.8: C = 2 x 0.4 / 1 = 0.8, T 0.5, D = sqrt(0.4) */
    double C, T, D;
    sp_ledger_ccd(0.2, 0.8, 0.5, &C, &T, &D);
    CHECK_REL(C, 0.8, 1e-12);
    CHECK_REL(D, sqrt(0.4), 1e-12);
    sp_ledger_ccd(0, 0, 0.5, &C, &T, &D);
    CHECK(C == 0 && D == 0);
}

static void test_target_errors(sp_ctx *ctx)
{
    static const struct { const char *text, *msg; } BAD[] = {
        {"baseline 2023\ntarget x NOz -3 t\n", "t.txt:2: unknown pollutant 'NOz'"},
        {"baseline 2023\ntarget x NOx -3 kg\n", "the goal of NOx is in t or %, not 'kg'"},
        {"baseline 2023\ntarget x intensity(CO2) -3 t\n", "the goal of intensity(CO2) is in %, not 't'"},
        {"baseline 2023\ntarget x NOx 0 t\n", "goal '0' is not a signed non-zero number"},
        {"baseline 2023\ntarget x NOx -3 t\ntarget x VOCs -3 t\n", "two targets are called 'x'"},
        {"baseline 2023\ntarget x NOx -3 t\nccd pollution y\n", "ccd: unknown target 'y'"},
        {"target x NOx -3 t\n", "no 'baseline YEAR' line"},
        {"baseline 2023\n", "no 'target' line"},
        {"baseline 2023\npev NOx 0\n", "t.txt:2: expected 'pev POLLUTANT KG"},
        {"baseline 2023\ngoal x\n", "t.txt:2: unknown directive 'goal'"},
        /* a second directive would silently replace the first */
        {"baseline 2023\nbaseline 2020\ntarget x NOx -3 t\n", "t.txt:2: 'baseline' is given twice"},
        {"baseline 2023\ngdp 2023 10\ngdp 2023 12\n", "t.txt:3: 'gdp 2023' is given twice"},
        {"baseline 2023\npev NOx 1\npev NOx 2\n", "t.txt:3: 'pev NOx' is given twice"},
        {"baseline 2023\ntarget x NOx -3 t\nccd alpha 0.5\nccd alpha 0.4\n", "t.txt:4: 'ccd alpha' is given twice"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        sp_targets *t = NULL;
        CHECK(sp_targets_parse(ctx, BAD[i].text, "t.txt", &t) == SP_ERR_DATA && !t);
        CHECK_HAS(sp_ctx_message(ctx), BAD[i].msg);
    }
}

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    test_incineration(ctx);
    test_fod(ctx);
    test_treated(ctx);
    test_degree(ctx);
    test_park_errors(ctx);
    test_ledger(ctx);
    test_target_errors(ctx);
    sp_ctx_free(ctx);
    return check_done();
}
