/* Unit tests of sp_met and sp_disperse against independent formulas: the one-sector
 * plume 2.03 Q/(sigma_z u x), the crosswind line source 2q/(sqrt(2 pi) sigma_z u), the
 * well-mixed limit Q f/(R dtheta zi u), isotropy under a uniform rose, linearity, FFT =
 * direct summation, 50 m vs 100 m grids; STAR frequencies, calms and stabilities of a
 * hand-made met file; STAR file round trip and its errors. */
#include "check.h"
#include "disperse/sp_disperse.h"
#include "disperse/sp_disperse_design.h"
#include "disperse/sp_profile.h"
#include "io/sp_ctx_io.h"

#include <stdlib.h>

static void one_cell(sp_star *s, int sector, int speed, int stab)
{
    memset(s, 0, sizeof *s);
    s->f[sector][speed][stab] = 1;
}

/* Briggs urban D and the 1.5 m/s class, written out here, not taken from the code */
static double sz_d(double x) { return 0.14 * x / sqrt(1 + 0.0003 * x); }
/* the lid's images for a ground source and receptor under zi = 1000 m, relative to the
 * ground reflection alone: sum_n exp(-2 n^2 zi^2 / sz^2), n from -inf to inf (ISC3 eq. 1-50) */
static double lid(double sz)
{
    double f = 1;
    for (int n = 1; n < 20; n++)
        f += 2 * exp(-2.0 * n * n * 1000 * 1000 / (sz * sz));
    return f;
}

static void test_plume(void)
{
    sp_star s;
    one_cell(&s, 0, 0, 3); /* wind from N, 1.5 m/s, D: the plume goes south */
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    c.sz0 = 0;
    c.rmax = 20000;
    for (double x = 1000; x <= 10000; x += 3000) {
        double want = 1e6 * 2.0318 / (sz_d(x) * 1.5 * x) * lid(sz_d(x)); /* 32/(2 pi)^1.5 */
        CHECK_REL(sp_disperse_point(&s, &c, 0, -x), want, 0.01 * want);
        CHECK(sp_disperse_point(&s, &c, 0, x) == 0); /* upwind */
        /* off the sector's centre by a quarter sector: 3/4 of the centre-line value (ISC's
         * linear smoothing between sector centres) */
        double a = 22.5 / 4 * M_PI / 180;
        CHECK_REL(sp_disperse_point(&s, &c, -x * sin(a), -x * cos(a)), 0.75 * want, 0.01 * want);
    }
    /* stability C (Briggs urban 0.20 x) at 2.5 m/s, from the east: the plume goes west */
    sp_star sc;
    one_cell(&sc, 4, 1, 2);
    for (double xc = 1000; xc <= 5000; xc += 2000) {
        double want = 1e6 * 2.0318 / (0.20 * xc * 2.5 * xc) * lid(0.20 * xc);
        CHECK_REL(sp_disperse_point(&sc, &c, -xc, 0), want, 0.01 * want);
    }
    /* a stack 50 m high: the ground-reflected Gaussian 2 exp(-H^2 / 2 sz^2) and the wind
     * at the stack from the urban D power law 0.25 */
    c.height = 50;
    double x = 2000, u = 1.5 * pow(5.0, 0.25);
    double want = 1e6 * 16 / (2 * M_PI * sqrt(2 * M_PI) * x) * 2 * exp(-2500 / (2 * sz_d(x) * sz_d(x))) / (u * sz_d(x));
    CHECK_REL(sp_disperse_point(&s, &c, 0, -x), want, 1e-9 * want);
    /* well mixed: sigma_z >= 1.6 zi gives sqrt(2 pi) sz / zi */
    c.height = 0;
    c.zi = 50;
    x = 5000; /* sz_d(5000) = 608 m > 80 m */
    want = 1e6 * 16 / (2 * M_PI * x) / (50 * 1.5);
    CHECK_REL(sp_disperse_point(&s, &c, 0, -x), want, 1e-9 * want);
}

static void test_line(sp_ctx *ctx)
{
    sp_star s;
    one_cell(&s, 0, 1, 3); /* from N, 2.5 m/s, D */
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    c.sz0 = 0;
    c.rmax = 12000;
    sp_kernel k;
    CHECK(sp_kernel_build(ctx, &s, &c, 50, &k) == SP_OK);
    /* an infinite east-west line of q = 1 g/s per m, x metres north of the receptor */
    for (double x = 500; x <= 3000; x += 500) {
        int dr = -(int)(x / 50), w = 2 * k.n + 1;
        double sum = 0;
        for (int dc = -k.n; dc <= k.n; dc++)
            sum += k.k[(size_t)(dr + k.n) * w + dc + k.n] * 50;
        double want = 1e6 * 2 / (sqrt(2 * M_PI) * sz_d(x) * 2.5);
        CHECK_REL(sum, want, 0.03 * want);
    }
    sp_kernel_free(&k);
}

static void test_kernel(sp_ctx *ctx)
{
    sp_star s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < SP_MET_NSEC; i++)
        s.f[i][2][3] = 0.5 / SP_MET_NSEC, s.f[i][1][5] = 0.5 / SP_MET_NSEC;
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    c.rmax = 1000;
    sp_kernel k;
    CHECK(sp_kernel_build(ctx, &s, &c, 100, &k) == SP_OK && k.n == 10);
    int w = 2 * k.n + 1;
#define K(dr, dc) k.k[(size_t)((dr) + k.n) * w + (dc) + k.n]
    /* a uniform rose is isotropic: equal at equal distances, (6,8) and (10,0) (cells
     * beyond the sub-sampled ring, evaluated at their centres) */
    CHECK_REL(K(6, 8), K(10, 0), 1e-12 * K(10, 0));
    CHECK_REL(K(-8, 6), K(0, -10), 1e-12 * K(10, 0));
    CHECK(K(0, 0) > K(0, 1) && K(0, 1) > K(0, 5) && K(0, 5) > 0);
    CHECK(K(10, 1) == 0 && K(0, 10) > 0); /* truncated at rmax */
    /* FFT == direct summation, linearity and superposition, on a 23 x 17 grid */
    int nr = 23, nc = 17;
    size_t n = (size_t)nr * nc;
    double *e1 = calloc(n, 8), *e2 = calloc(n, 8), *a = calloc(n, 8), *b = calloc(n, 8),
           *d = calloc(n, 8);
    unsigned long long seed = 7;
    for (size_t i = 0; i < n; i++) {
        e1[i] = check_rand(&seed, 0, 1) < 0.3 ? check_rand(&seed, 0, 5) : 0;
        e2[i] = check_rand(&seed, 0, 1);
    }
    sp_convolve_direct(e1, nr, nc, 2.0, &k, d);
    CHECK(sp_convolve_fft(ctx, e1, nr, nc, 2.0, &k, a, 1) == SP_OK);
    double worst = 0, big = 0;
    for (size_t i = 0; i < n; i++) {
        worst = fmax(worst, fabs(a[i] - d[i]));
        big = fmax(big, fabs(d[i]));
    }
    CHECK(worst <= 1e-9 * big);
    /* two threads: the same field */
    memset(b, 0, n * 8);
    CHECK(sp_convolve_fft(ctx, e1, nr, nc, 2.0, &k, b, 2) == SP_OK);
    worst = 0;
    for (size_t i = 0; i < n; i++)
        worst = fmax(worst, fabs(a[i] - b[i]));
    CHECK(worst <= 1e-12 * big);
    /* superposition: conv(e1) + conv(e2) accumulated == conv(e1 + e2) */
    memset(a, 0, n * 8);
    sp_convolve_fft(ctx, e1, nr, nc, 1.0, &k, a, 1);
    sp_convolve_fft(ctx, e2, nr, nc, 1.0, &k, a, 1);
    for (size_t i = 0; i < n; i++)
        e2[i] += e1[i];
    memset(b, 0, n * 8);
    sp_convolve_direct(e2, nr, nc, 1.0, &k, b);
    worst = 0;
    for (size_t i = 0; i < n; i++)
        worst = fmax(worst, fabs(a[i] - b[i]) / fmax(1e-300, fabs(b[i])));
    CHECK(worst <= 1e-9);
    free(e1), free(e2), free(a), free(b), free(d);
    sp_kernel_free(&k);
#undef K
    /* FFT = direct summation with a one-sided rose (all wind from the north-east): the
     * kernel is not symmetric, so a mirrored or shifted kernel in the FFT shows */
    sp_star ne;
    one_cell(&ne, 2, 1, 3);
    sp_kernel kn;
    CHECK(sp_kernel_build(ctx, &ne, &c, 100, &kn) == SP_OK);
    double *s1 = calloc(n, 8), *f1 = calloc(n, 8), *g1 = calloc(n, 8);
    s1[5 * nc + 4] = 3;
    s1[17 * nc + 12] = 1;
    sp_convolve_direct(s1, nr, nc, 1.0, &kn, g1);
    sp_convolve_fft(ctx, s1, nr, nc, 1.0, &kn, f1, 1);
    double w2 = 0, big2 = 0;
    for (size_t i = 0; i < n; i++) {
        w2 = fmax(w2, fabs(f1[i] - g1[i]));
        big2 = fmax(big2, fabs(g1[i]));
    }
    CHECK(big2 > 0 && w2 <= 1e-9 * big2);
    /* and the direct sum itself: downwind of a north-east wind is south-west */
    CHECK(g1[8 * nc + 1] > 0 && g1[2 * nc + 7] == 0);
    free(s1), free(f1), free(g1);
    sp_kernel_free(&kn);
}

/* 1 g/s in one 100 m cell vs the same over four 50 m cells: receptors >= 300 m away */
static void test_resolution(sp_ctx *ctx)
{
    sp_star s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < SP_MET_NSEC; i++)
        s.f[i][1][3] = i % 4 == 0 ? 2.0 : 1.0; /* not uniform (normalised below) */
    double tot = 0;
    for (int i = 0; i < SP_MET_NSEC; i++)
        tot += s.f[i][1][3];
    for (int i = 0; i < SP_MET_NSEC; i++)
        s.f[i][1][3] /= tot;
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    c.rmax = 3000;
    sp_kernel k100, k50;
    sp_kernel_build(ctx, &s, &c, 100, &k100);
    sp_kernel_build(ctx, &s, &c, 50, &k50);
    int n1 = 41, n2 = 82;
    double *e1 = calloc((size_t)n1 * n1, 8), *c1 = calloc((size_t)n1 * n1, 8);
    double *e2 = calloc((size_t)n2 * n2, 8), *c2 = calloc((size_t)n2 * n2, 8);
    e1[20 * n1 + 20] = 1;
    /* the 50 m grid is shifted by half a cell, so that its cell centres 2i+1 sit on the
     * 100 m centres i; the same 100 m square source covers its cells 40-42 by 1/2, 1, 1/2 */
    static const double wt[3] = {0.5, 1, 0.5};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            e2[(40 + a) * n2 + 40 + b] = 0.25 * wt[a] * wt[b];
    sp_convolve_fft(ctx, e1, n1, n1, 1, &k100, c1, 1);
    sp_convolve_fft(ctx, e2, n2, n2, 1, &k50, c2, 1);
    double worst = 0;
    for (int r = 0; r < n1; r++)
        for (int q = 0; q < n1; q++) {
            double dist = 100 * hypot(r - 20, q - 20);
            if (dist < 300 || dist > 2500)
                continue;
            double m = c2[(2 * r + 1) * n2 + 2 * q + 1]; /* the same receptor point */
            worst = fmax(worst, fabs(m - c1[r * n1 + q]) / c1[r * n1 + q]);
        }
    CHECK(worst < 0.05);
    if (worst >= 0.05)
        fprintf(stderr, "50 m vs 100 m: worst %.4f\n", worst);
    free(e1), free(c1), free(e2), free(c2);
    sp_kernel_free(&k100);
    sp_kernel_free(&k50);
}

static void test_met(sp_ctx *ctx)
{
    /* Turner's method by hand from EPA-454/R-99-005 tables 6-4 to 6-6 (A = 0 ... F = 5) */
    CHECK(sp_met_stability(1.5, 70, false, 0, NAN) == 0);  /* strong sun, 0.8-1.8 m/s: A */
    CHECK(sp_met_stability(2.5, 45, false, 0, NAN) == 1);  /* ICN 3, 1.9-2.8: B */
    CHECK(sp_met_stability(4.0, 20, false, 0, NAN) == 2);  /* ICN 2, 3.9-4.8: C */
    CHECK(sp_met_stability(4.0, 10, false, 0, NAN) == 3);  /* low sun, ICN 1: D */
    CHECK(sp_met_stability(2.5, -10, true, 0, NAN) == 5);  /* clear night, NRI -2: F */
    CHECK(sp_met_stability(0.5, -10, true, 0, NAN) == 5);  /* G, taken as F */
    CHECK(sp_met_stability(2.5, -10, true, 6, NAN) == 4);  /* 7.5/10 > 4/10: NRI -1, E */
    CHECK(sp_met_stability(2.5, -10, true, 8, NAN) == 3);  /* overcast, ceiling unknown: D */
    CHECK(sp_met_stability(2.5, -10, true, 8, 6000) == 4); /* overcast, high ceiling: -1, E */
    CHECK(sp_met_stability(7.0, -10, true, 0, NAN) == 3);  /* windy night (>= 6 m/s): D */
    /* the index itself: cloud lowers the insolation class by the ceiling, never below 1 */
    CHECK(sp_met_nri(false, 70, 4, NAN) == 4);    /* 5/10: unchanged */
    CHECK(sp_met_nri(false, 70, 6, 1000) == 2);   /* 7.5/10 under 7,000 ft: -2 */
    CHECK(sp_met_nri(false, 70, 6, 3000) == 3);   /* 7,000-16,000 ft: -1 */
    CHECK(sp_met_nri(false, 70, 6, NAN) == 3);    /* unknown ceiling: taken as mid */
    CHECK(sp_met_nri(false, 70, 6, 6000) == 4);   /* above 16,000 ft: unchanged */
    CHECK(sp_met_nri(false, 70, 8, 6000) == 3);   /* 10/10 above 16,000 ft: -1 */
    CHECK(sp_met_nri(false, 70, 8, 3000) == 2);   /* 10/10 at 7,000-16,000 ft: -1 -1 */
    CHECK(sp_met_nri(false, 70, 8, 1000) == 0);   /* 10/10 under 7,000 ft: 0 */
    CHECK(sp_met_nri(false, 10, 6, 500) == 1);    /* 1 - 2, floored at 1 */
    CHECK(sp_met_nri(true, -5, 3, NAN) == -2 && sp_met_nri(true, -5, 3.3, NAN) == -1);
    CHECK(sp_met_turner(5.95, 1) == 3 && sp_met_turner(6.0, 4) == 2 && sp_met_turner(0.7, 2) == 1);
    /* night: from an hour before sunset to an hour after sunrise */
    CHECK(sp_met_is_night(-5, 3, 10) && sp_met_is_night(5, 3, -1) && !sp_met_is_night(5, 10, 15));
    CHECK(sp_met_urban_height(0) == 0 && sp_met_urban_height(2e6) == 400);
    CHECK_REL(sp_met_urban_height(32e6), 800, 1e-12);
    /* the sun: Beijing (39.92N 116.44E), 21 June 2016 12:00 Beijing time: solar noon is
     * at ~12:15, altitude 90 - 39.92 + 23.44 = 73.5 degrees; midnight far below */
    double alt = sp_met_solar_altitude(2016, 6, 21, 12.25, 8, 39.92, 116.44);
    CHECK(fabs(alt - 73.5) < 0.5);
    CHECK(sp_met_solar_altitude(2016, 12, 21, 0, 8, 39.92, 116.44) < -60);
    CHECK_STR(sp_met_sector_name(0), "N");
    CHECK_STR(sp_met_sector_name(15), "NNW");
    CHECK(sp_met_sector(0) == 0 && sp_met_sector(11.2) == 0 && sp_met_sector(11.3) == 1 &&
          sp_met_sector(350) == 0 && sp_met_sector(-22.5) == 15);
    CHECK(sp_met_speed_class(1.53) == 0 && sp_met_speed_class(1.54) == 1 &&
          sp_met_speed_class(11) == 5);
    /* 6 hours of 21 June (sunrise ~4:46, sunset ~19:47), no cloud column: 4 oktas (5/10)
     * assumed. Noon N 1.5 (A), 13:00 S 4 m/s (row 3.9-4.8, NRI 4: B), midnight E 2.5 (5/10
     * > 4/10: NRI -1, E), a calm at 1:00 (0.3: row 0, NRI -1: F), NA direction at 11:00
     * 1.2 (calm, sun ~67 deg: A), a missing speed */
    const char *met =
        "\"No\",\"year\",\"month\",\"day\",\"hour\",\"wd\",\"WSPM\",\"station\"\n"
        "1,2016,6,21,12,\"N\",1.5,\"x\"\n"
        "2,2016,6,21,13,\"S\",4,\"x\"\n"
        "3,2016,6,21,0,\"E\",2.5,\"x\"\n"
        "4,2016,6,21,1,\"E\",0.3,\"x\"\n"
        "5,2016,6,21,11,NA,1.2,\"x\"\n"
        "6,2016,6,21,14,\"W\",NA,\"x\"\n";
    sp_met_options o;
    sp_met_options_init(&o);
    sp_star s;
    CHECK(sp_met_parse(ctx, met, "m.csv", &o, &s) == SP_OK);
    CHECK(s.hours == 5 && s.calm == 2 && s.missing == 1 && s.cloud_assumed == 5 &&
          s.urban_neutral == 0);
    /* A: N 1.5 m/s (1 hour) + the NA calm (spread over A's sectors: all N) = 2/5 */
    CHECK_REL(s.f[0][0][0], 2.0 / 5, 1e-12);
    CHECK_REL(s.f[8][2][1], 1.0 / 5, 1e-12);  /* S, 4 m/s (class 3), B */
    CHECK_REL(s.f[4][1][4], 1.0 / 5, 1e-12);  /* E, 2.5 m/s (class 2), E */
    /* F: only the calm, and F has no sector: spread evenly over the 16 */
    CHECK_REL(s.f[0][0][5], 1.0 / 80, 1e-12);
    CHECK_REL(s.f[15][0][5], 1.0 / 80, 1e-12);
    /* a cloud column (tenths) and a ceiling; the urban option turns the stable night hours
     * into D: midnight clear (F) -> D, 20:00 (sunset ~19:47: night) 10/10 at 6,000 m (E) ->
     * D; noon 10/10 under 1,000 m: NRI 0, D anyway */
    const char *met2 = "year,month,day,hour,wd,WSPM,cloud,ceiling\n"
                       "2016,6,21,0,E,2.5,0,NA\n"
                       "2016,6,21,20,E,2.5,10,6000\n"
                       "2016,6,21,12,N,1.5,10,1000\n";
    o.cloud_tenths = true;
    CHECK(sp_met_parse(ctx, met2, "m2.csv", &o, &s) == SP_OK);
    CHECK(s.hours == 3 && s.cloud_assumed == 0);
    CHECK_REL(s.f[4][1][5], 1.0 / 3, 1e-12);
    CHECK_REL(s.f[4][1][4], 1.0 / 3, 1e-12);
    CHECK_REL(s.f[0][0][3], 1.0 / 3, 1e-12);
    o.urban_pop = 21.9e6;
    CHECK(sp_met_parse(ctx, met2, "m2.csv", &o, &s) == SP_OK);
    CHECK(s.urban_neutral == 2);
    CHECK_REL(s.f[4][1][3], 2.0 / 3, 1e-12);
    /* oktas (the default) refuses 10 */
    o.cloud_tenths = false;
    CHECK(sp_met_parse(ctx, met2, "m2.csv", &o, &s) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "m2.csv:3: cloud '10' is not 0-8 oktas");
    CHECK(sp_met_parse(ctx, "year,month,day,hour,wd,WSPM,ceiling\n2016,1,1,0,N,2,low\n", "m3.csv",
                       &o, &s) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "m3.csv:2: ceiling 'low' is not a height in metres");
}

/* Meteorology that cannot be: dates that do not exist, a repeated hour, an overlong line
 * are refused with the line; several years are averaged with a warning, or one is taken
 * with o.year; a year of calms is warned about. */
static void test_met_checks(sp_ctx *ctx)
{
    sp_met_options o;
    sp_met_options_init(&o);
    sp_star s;
    const char *head = "year,month,day,hour,wd,WSPM\n";
    static const char *bad[][2] = {
        {"2016,2,30,1,N,2\n", "m.csv:2: 2016-02-30 is not a date (29 days in that month)"},
        {"2015,2,29,1,N,2\n", "m.csv:2: 2015-02-29 is not a date (28 days in that month)"},
        {"2016,4,31,1,N,2\n", "m.csv:2: 2016-04-31 is not a date (30 days in that month)"},
        {"2016,1,1,1,N,2\n2016,1,1,2,N,2\n2016,1,1,1,S,3\n",
         "m.csv:4: 2016-01-01 hour 1 was already given at line 2"},
        {"2016,1,1,1.5,N,2\n", "m.csv:2: the date or hour is not valid"},
        /* found by the met fuzzer: a day past any int was cast before it was bounded */
        {"2016,1,1e98,1,N,2\n", "m.csv:2: the date or hour is not valid"},
    };
    char text[8192];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "%s%s", head, bad[i][0]);
        CHECK(sp_met_parse(ctx, text, "m.csv", &o, &s) == SP_ERR_DATA);
        CHECK_HAS(sp_ctx_message(ctx), bad[i][1]);
    }
    snprintf(text, sizeof text, "%s2016,2,29,1,N,2\n", head); /* a leap day is a date */
    CHECK(sp_met_parse(ctx, text, "m.csv", &o, &s) == SP_OK && s.hours == 1);
    char *l = text + snprintf(text, sizeof text, "%s2016,1,1,1,N,", head);
    memset(l, '2', 5000);
    l[5000] = 0;
    CHECK(sp_met_parse(ctx, text, "m.csv", &o, &s) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "m.csv:2: a line of more than 4096 bytes");
    /* two years: averaged with a warning; -met_year takes one */
    snprintf(text, sizeof text, "%s2015,7,1,1,N,2\n2016,7,1,1,S,2\n2016,7,1,2,S,2\n", head);
    size_t w0 = sp_ctx_warning_count(ctx);
    CHECK(sp_met_parse(ctx, text, "m.csv", &o, &s) == SP_OK && s.hours == 3 &&
          s.year_first == 2015 && s.year_last == 2016);
    CHECK(sp_ctx_warning_count(ctx) == w0 + 1 &&
          strstr(sp_ctx_warning(ctx, w0), "m.csv spans 2015-2016 (2 years)"));
    o.year = 2016;
    CHECK(sp_met_parse(ctx, text, "m.csv", &o, &s) == SP_OK && s.hours == 2 &&
          s.year_first == 2016 && s.year_last == 2016);
    o.year = 2014;
    CHECK(sp_met_parse(ctx, text, "m.csv", &o, &s) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "no hour of 2014");
    o.year = 0;
    /* calms */
    snprintf(text, sizeof text, "%s2016,7,1,1,NA,0.2\n2016,7,1,2,N,0.1\n2016,7,1,3,N,2\n", head);
    w0 = sp_ctx_warning_count(ctx);
    CHECK(sp_met_parse(ctx, text, "m.csv", &o, &s) == SP_OK && s.calm == 2);
    CHECK(sp_ctx_warning_count(ctx) == w0 + 1 && strstr(sp_ctx_warning(ctx, w0), "67 % of the hours are calm"));
    sp_ctx_clear(ctx);
}

/* ISC3's vertical term with the image series under the mixing lid, by hand: for a ground
 * source and receptor V = 2 sum_n exp(-2 n^2 zi^2 / sz^2); at sz = zi that is
 * 2 (1 + 2 e^-2 + 2 e^-8 + 2 e^-18 + 2 e^-32) = 2.5427 (V = 2 without the images); just
 * below 1.6 zi it meets the well-mixed sqrt(2 pi) sz / zi = 4.0106 (the old code jumped
 * from 2 to 4.01 there); a release at 200 m under sz = 300 m is the plain reflection. */
static void test_mixing_lid(void)
{
    double want = 2 * (1 + 2 * exp(-2.0) + 2 * exp(-8.0) + 2 * exp(-18.0) + 2 * exp(-32.0));
    CHECK_REL(sp_disperse_vertical(0, 1000, 1000), want, 1e-12);
    double below = sp_disperse_vertical(0, 1600 - 1e-6, 1000), at = sp_disperse_vertical(0, 1600, 1000);
    CHECK_REL(at, sqrt(2 * M_PI) * 1.6, 1e-12);
    CHECK(fabs(below - at) < 1e-4 * at);
    CHECK_REL(sp_disperse_vertical(200, 300, 1000), 2 * exp(-200.0 * 200 / (2 * 300.0 * 300)), 1e-6);
    /* a raised source between ground and lid: the four images of eq. 1-50 for i = 1 */
    double h = 300, sz = 900, zi = 1000, a = 1 / (2 * sz * sz);
    double i1 = 2 * (exp(-(2 * zi - h) * (2 * zi - h) * a) + exp(-(2 * zi + h) * (2 * zi + h) * a));
    double i2 = 2 * (exp(-(4 * zi - h) * (4 * zi - h) * a) + exp(-(4 * zi + h) * (4 * zi + h) * a));
    CHECK_REL(sp_disperse_vertical(h, sz, zi), 2 * exp(-h * h * a) + i1 + i2, 1e-6);
}

/* ISC3 takes E and F as unlimited in the vertical: their value does not move with zi,
 * and a release above the lid still reaches the ground in them (and never in A-D). At
 * 8 km under D the lid's images add to the plain reflection. */
static void test_stable_unlimited(void)
{
    sp_star s;
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    c.rmax = 20000;
    for (int k = 3; k <= 5; k++) {
        one_cell(&s, 8, 1, k); /* wind from the south: the receptor is north */
        c.height = 0;
        c.zi = 500;
        double lo = sp_disperse_point(&s, &c, 0, 8000);
        c.zi = 1500;
        double hi = sp_disperse_point(&s, &c, 0, 8000);
        c.height = 600, c.zi = 500; /* above the lid */
        double above = sp_disperse_point(&s, &c, 0, 8000);
        if (k == 3) {
            CHECK(lo > hi * 1.05 && above == 0);
        } else {
            CHECK_REL(lo, hi, 1e-12);
            CHECK(above > 0);
        }
    }
}

/* The ensemble's design, by hand: m23 (index 22) is the central member; the 54 members are
 * every combination once; the secondary factor is balanced (18 members each); a STAR run
 * takes 9, which sp_disperse_run picks as 18 + k: half cloud and calms in proportion. */
static void test_ensemble_design(void)
{
    sp_ensemble_member c = sp_ensemble_member_of(SP_ENSEMBLE_CENTRAL);
    CHECK(c.cloud == 4 && c.zi == 1000 && c.sz0_factor == 1 && !c.calm_uniform);
    sp_ensemble_member last = sp_ensemble_member_of(53);
    CHECK(last.cloud == 8 && last.zi == 1500 && last.sz0_factor == 2 && last.calm_uniform);
    int seen[3][2][3][3] = {{{{0}}}}, beta[3] = {0};
    for (int m = 0; m < SP_ENSEMBLE_MEMBERS; m++) {
        sp_ensemble_member e = sp_ensemble_member_of(m);
        int zi = e.zi == 500 ? 0 : e.zi == 1000 ? 1 : 2;
        int sz = e.sz0_factor == 0.5 ? 0 : e.sz0_factor == 1 ? 1 : 2;
        seen[e.cloud == 0 ? 0 : e.cloud == 4 ? 1 : 2][e.calm_uniform][zi][sz]++;
        beta[e.beta_factor == 0.5 ? 0 : e.beta_factor == 1 ? 1 : 2]++;
        if (m >= 18 && m < 27)
            CHECK(e.cloud == 4 && !e.calm_uniform);
    }
    int once = 0;
    for (int a = 0; a < 54; a++)
        once += ((int *)seen)[a] == 1;
    CHECK(once == 54);
    CHECK(beta[0] == 18 && beta[1] == 18 && beta[2] == 18);
    CHECK(sp_ensemble_count(false, true) == 0 && sp_ensemble_count(true, true) == 54 &&
          sp_ensemble_count(true, false) == 9);
}

/* The joint ensemble's Latin hypercube: with 12 members each of zi's 12 strata of 500-1,500
 * m holds one member, the release-height factor's too (0.5-1.5), sigma_z0's on the log
 * scale, 3 met files 4 members each, 6 draws twice each, cloud 4/4/4; the urban option off
 * unless asked; the same seed the same members, another seed others. */
static void test_joint_design(void)
{
    sp_joint_member a[12], b[12], c[12];
    sp_joint_design(12, 3, 6, true, 7, a);
    sp_joint_design(12, 3, 6, true, 7, b);
    sp_joint_design(12, 3, 6, false, 8, c);
    int zi[12] = {0}, hf[12] = {0}, sz[12] = {0}, met[3] = {0}, draw[7] = {0}, cloud[3] = {0},
        urban = 0, same = 1, differ = 0;
    for (int i = 0; i < 12; i++) {
        CHECK(a[i].zi >= 500 && a[i].zi < 1500 && a[i].h_factor >= 0.5 && a[i].h_factor < 1.5 &&
              a[i].sz0_factor >= 0.5 && a[i].sz0_factor < 2 && a[i].beta_factor >= 0.5);
        zi[(int)((a[i].zi - 500) / (1000.0 / 12))]++;
        hf[(int)((a[i].h_factor - 0.5) * 12)]++;
        sz[(int)((log2(a[i].sz0_factor) + 1) / 2 * 12)]++;
        met[a[i].met]++;
        draw[a[i].draw]++;
        cloud[a[i].cloud == 0 ? 0 : a[i].cloud == 4 ? 1 : 2]++;
        urban += a[i].urban;
        same &= a[i].met == b[i].met && a[i].cloud == b[i].cloud && a[i].zi == b[i].zi &&
                a[i].calm_uniform == b[i].calm_uniform && a[i].urban == b[i].urban &&
                a[i].sz0_factor == b[i].sz0_factor && a[i].h_factor == b[i].h_factor &&
                a[i].draw == b[i].draw && a[i].beta_factor == b[i].beta_factor;
        differ |= a[i].zi != c[i].zi;
        CHECK(!c[i].urban);
    }
    for (int k = 0; k < 12; k++)
        CHECK(zi[k] == 1 && hf[k] == 1 && sz[k] == 1);
    CHECK(met[0] == 4 && met[1] == 4 && met[2] == 4 && draw[0] == 0);
    for (int k = 1; k <= 6; k++)
        CHECK(draw[k] == 2);
    CHECK(cloud[0] == 4 && cloud[1] == 4 && cloud[2] == 4 && urban == 6 && same && differ);
}

static double w_profile(void *user, int month, int dow, int hour)
{
    return sp_profile_weight(user, month, dow, hour);
}

/* Time profiles: parsed (what a sector does not give is 1), the hours of 2016 add up to the
 * annual total to 1e-12; a source on in January only meets January's weather: its table
 * is the January table; the annual table with a profile is the months' tables weighted by
 * their weights' sums. */
static void test_profiles(sp_ctx *ctx)
{
    sp_profiles pr;
    const char *text = "sector,kind,index,factor,basis\n"
                       "boiler,month,1,1,test\nboiler,month,2,0,x\nboiler,hour,3,2,\"a, b\"\n"
                       "road,dow,7,0.5,x\n";
    CHECK(sp_profiles_parse(ctx, text, "p.csv", &pr) == SP_OK && pr.n == 2);
    const sp_profile *b = sp_profile_of(&pr, "boiler");
    CHECK(b && b->month[0] == 1 && b->month[1] == 0 && b->month[2] == 1 && b->hour[3] == 2 &&
          b->dow[6] == 1 && !sp_profile_of(&pr, "area"));
    CHECK(sp_profile_weight(b, 1, 3, 3) == 2 && sp_profile_weight(b, 2, 3, 3) == 0);
    static double hourly[8784];
    CHECK(sp_profile_hourly(b, 2016, 123.456, hourly) == 8784);
    double sum = 0;
    for (int i = 0; i < 8784; i++)
        sum += hourly[i];
    CHECK_REL(sum, 123.456, 1e-12);
    CHECK(hourly[31 * 24 + 5] == 0 && hourly[3] == 2 * hourly[4]); /* 1 Feb off; 03:00 x2 */
    static const char *bad[][2] = {
        {"sector,kind,index\n", "p.csv:1: the header is not"},
        {"sector,kind,index,factor\nx,week,1,1\n", "p.csv:2: kind 'week' is not month, dow or hour"},
        {"sector,kind,index,factor\nx,month,13,1\n", "p.csv:2: month index '13' is not 1-12"},
        {"sector,kind,index,factor\nx,hour,24,1\n", "p.csv:2: hour index '24' is not 0-23"},
        {"sector,kind,index,factor\nx,dow,1,-1\n", "p.csv:2: factor '-1' is not a number >= 0"},
        {"sector,kind,index,factor\nx,dow,1,1\nx,dow,1,2\n", "p.csv:3: x dow 1 is given twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sp_profiles q;
        CHECK(sp_profiles_parse(ctx, bad[i][0], "p.csv", &q) == SP_ERR_DATA);
        CHECK_HAS(sp_ctx_message(ctx), bad[i][1]);
    }
    /* a winter's week of weather: January and February hours, varied */
    char met[16384];
    int k = snprintf(met, sizeof met, "year,month,day,hour,wd,WSPM\n");
    const char *wd[4] = {"N", "E", "S", "W"};
    for (int m = 1; m <= 2; m++)
        for (int d = 1; d <= 3; d++)
            for (int h = 0; h < 24; h++)
                k += snprintf(met + k, sizeof met - (size_t)k, "2016,%d,%d,%d,%s,%g\n", m, d, h,
                              wd[(h + d + m) % 4], 0.5 + (h * 7 + d * 3 + m) % 9);
    sp_met_options o;
    sp_met_options_init(&o);
    sp_star jan, prof, feb, all;
    o.month = 1;
    CHECK(sp_met_parse(ctx, met, "m.csv", &o, &jan) == SP_OK && jan.hours == 72);
    o.month = 0;
    sp_profile only_jan = *b;
    only_jan.hour[3] = 1; /* January only, every hour alike */
    o.weight = w_profile;
    o.weight_user = &only_jan;
    CHECK(sp_met_parse(ctx, met, "m.csv", &o, &prof) == SP_OK && prof.hours == 144 &&
          prof.weight_sum == 72);
    double worst = 0;
    for (int i = 0; i < SP_MET_NSEC; i++)
        for (int j = 0; j < SP_MET_NSPEED; j++)
            for (int s2 = 0; s2 < SP_MET_NSTAB; s2++)
                worst = fmax(worst, fabs(prof.f[i][j][s2] - jan.f[i][j][s2]));
    CHECK(worst < 1e-12);
    /* the annual table with a profile = the months' tables weighted by their weights' sums */
    sp_profile p3 = *b;
    p3.month[1] = 0.25; /* February a quarter */
    o.weight_user = &p3;
    CHECK(sp_met_parse(ctx, met, "m.csv", &o, &all) == SP_OK);
    o.month = 1;
    CHECK(sp_met_parse(ctx, met, "m.csv", &o, &jan) == SP_OK);
    o.month = 2;
    CHECK(sp_met_parse(ctx, met, "m.csv", &o, &feb) == SP_OK);
    worst = 0;
    double W = jan.weight_sum + feb.weight_sum;
    for (int i = 0; i < SP_MET_NSEC; i++)
        for (int j = 0; j < SP_MET_NSPEED; j++)
            for (int s2 = 0; s2 < SP_MET_NSTAB; s2++)
                worst = fmax(worst, fabs(all.f[i][j][s2] - (jan.weight_sum * jan.f[i][j][s2] +
                                                          feb.weight_sum * feb.f[i][j][s2]) / W));
    /* January: 3 days x (23 hours x 1 + 03:00 x 2) = 75; February a quarter of it */
    CHECK(worst < 1e-12 && jan.weight_sum == 75 && feb.weight_sum == 0.25 * 75);
    /* a profile that weighs every hour 0 */
    sp_profile zero = *b;
    zero.month[0] = zero.month[1] = 0;
    o.month = 0;
    o.weight_user = &zero;
    CHECK(sp_met_parse(ctx, met, "m.csv", &o, &all) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "the time profile gives every hour weight 0");
    CHECK(sp_met_day_of_week(2016, 6, 21) == 2 && sp_met_day_of_week(2024, 1, 1) == 1 &&
          sp_met_day_of_week(2000, 2, 29) == 2 && sp_met_day_of_week(2026, 12, 6) == 7);
    sp_profiles_free(&pr);
    sp_ctx_clear(ctx);
}

/* Chang & Hanna's measures on three stations by hand: observed 1, 2, 3 and modelled 2, 4,
 * 7: means 2 and 13/3, FB = (2 - 13/3) / (19/6) = -14/19, NMSE = mean(1, 4, 16) / (26/3) =
 * 21/26, FAC2 = 2/3 (7/3 is past 2), R = cov / sd sd = (5/3) / sqrt(2/3 x 38/9). */
/* ARM2 by hand: at NOx 0 the polynomial is 1.2441, bounded to 0.9; at 188 ug/m3 (100 ppb)
 * 1.2441 - 0.27383 - 0.056062 + 0.034555 - 0.0058345 + 0.00042795 - 0.000011723 = 0.943
 * (bounded: 0.9); at 376 ug/m3 (200 ppb) 0.66815; far above, 0.5. Increments by hand. */
static void test_arm2_increments(void)
{
    CHECK(sp_arm2_ratio(0) == SP_ARM2_MAX && sp_arm2_ratio(188) == SP_ARM2_MAX);
    double x = 200, want = 1.2441 - 2.7383e-3 * x - 5.6062e-6 * x * x + 3.4555e-8 * x * x * x -
                           5.8345e-11 * pow(x, 4) + 4.2795e-14 * pow(x, 5) - 1.1723e-17 * pow(x, 6);
    CHECK_REL(sp_arm2_ratio(376), want, 1e-12);
    CHECK(fabs(want - 0.66815) < 1e-4);
    CHECK(sp_arm2_ratio(2000) == SP_ARM2_MIN && sp_arm2_ratio(NAN) == SP_ARM2_MIN);
    double obs[3] = {52, 48, 25}, mod[3] = {3, 1.5, 0.25}, oi[3], mi[3];
    sp_eval_increments(obs, mod, 3, 2, oi, mi);
    CHECK(oi[0] == 27 && oi[1] == 23 && oi[2] == 0 && mi[0] == 2.75 && mi[1] == 1.25 && mi[2] == 0);
    sp_eval_increments(obs, mod, 3, -1, oi, mi);
    CHECK(oi[0] == 52 && mi[2] == 0.25);
}

static void test_eval_stats(void)
{
    sp_eval_acc a = {0};
    double o[3] = {1, 2, 3}, p[3] = {2, 4, 7};
    for (int i = 0; i < 3; i++)
        sp_eval_add(&a, o[i], p[i]);
    sp_eval_stats s;
    sp_eval_finish(&a, &s);
    CHECK(s.n == 3 && !s.why);
    CHECK_REL(s.fb, -14.0 / 19, 1e-12);
    CHECK_REL(s.nmse, 21.0 / 26, 1e-12);
    CHECK_REL(s.fac2, 2.0 / 3, 1e-12);
    CHECK_REL(s.r, (5.0 / 3) / sqrt(2.0 / 3 * 38.0 / 9), 1e-12);
    /* the model low: FB positive */
    sp_eval_acc low = {0};
    sp_eval_add(&low, 2, 1), sp_eval_add(&low, 4, 2), sp_eval_add(&low, 6, 3);
    sp_eval_finish(&low, &s);
    CHECK(s.fb > 0 && fabs(s.r - 1) < 1e-12);
    /* two stations: no R, said why */
    sp_eval_acc two = {0};
    sp_eval_add(&two, 1, 2), sp_eval_add(&two, 3, 1);
    sp_eval_finish(&two, &s);
    CHECK(isnan(s.r) && s.why && strstr(s.why, "fewer than 3") && !isnan(s.fb));
    /* a model of zeros: no FB or NMSE (not inf), said why */
    sp_eval_acc zero = {0};
    sp_eval_add(&zero, 1, 0), sp_eval_add(&zero, 2, 0), sp_eval_add(&zero, 3, 0);
    sp_eval_finish(&zero, &s);
    CHECK(isnan(s.fb) && isnan(s.nmse) && s.fac2 == 0 && s.why && strstr(s.why, "model's mean"));
}

/* Dry deposition: with one wind speed and stability, the term is the plain one times the
 * depletion factor exp(-vd I(x) / u) (ISC3 source depletion), I from the oracle-checked
 * integral (tests/oracle/met_oracle.py checks it against Simpson's rule) */
static void test_deposition(void)
{
    sp_star s;
    one_cell(&s, 0, 0, 3); /* from N, 1.5 m/s, D */
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    c.rmax = 20000;
    c.zi = 1e9;
    for (double x = 200; x <= 8000; x *= 3) {
        c.vd = 0;
        double plain = sp_disperse_point(&s, &c, 0, -x);
        c.vd = 0.012; /* a 20 um particle */
        double dep = sp_disperse_point(&s, &c, 0, -x);
        double in = sp_disperse_depletion_integral(3, 0, c.sz0, c.zi, x);
        CHECK_REL(dep, plain * exp(-0.012 * in / 1.5), 1e-12 * plain);
        CHECK(dep < plain && dep > 0);
    }
    /* Stokes: 10 um at unit density settles ~0.3 cm/s (3.06e-3 m/s with slip) */
    CHECK_REL(sp_settling_velocity(10, 1000), 1000 * 9.81 * 1e-10 / (18 * 1.81e-5) * 1.01634, 1e-5 * 3e-3); /* Cc = 1 + 0.013 x 1.257 */
}

/* A grid taller than one strip (1,024 rows for this 10-cell kernel): the strips, their
 * halos and a shard's rows against direct summation (the oracle), with a one-sided rose
 * (wind from the north-east) so that a strip's halo on the wrong side shows. Sources sit
 * on the strips' edges (rows 1023, 1024, 2047, 2048) and in the halos. */
static void test_strips(sp_ctx *ctx)
{
    sp_disperse_class c;
    sp_disperse_class_init(&c);
    c.rmax = 1000;
    sp_star ne;
    one_cell(&ne, 2, 1, 3);
    sp_kernel k;
    CHECK(sp_kernel_build(ctx, &ne, &c, 100, &k) == SP_OK && k.n == 10);
    int nr = 2500, nc = 9;
    size_t n = (size_t)nr * nc;
    double *e = calloc(n, 8), *d = calloc(n, 8), *a = calloc(n, 8), *b = calloc(n, 8);
    const int rows[] = {0, 5, 1013, 1023, 1024, 1030, 2040, 2047, 2048, 2499};
    for (int i = 0; i < 10; i++)
        e[(size_t)rows[i] * nc + i % nc] = 1 + i;
    sp_convolve_direct(e, nr, nc, 1.0, &k, d);
    sp_convolver *cv = NULL;
    CHECK(sp_convolver_new(ctx, nr, nc, &k, 1, &cv) == SP_OK);
    CHECK(cv && sp_convolver_apply(ctx, cv, e, 1.0, a) == SP_OK);
    double worst = 0, big = 0;
    for (size_t i = 0; i < n; i++) {
        worst = fmax(worst, fabs(a[i] - d[i]));
        big = fmax(big, fabs(d[i]));
    }
    CHECK(big > 0 && worst <= 1e-9 * big);
    /* a shard's rows 1000-1100 (two strips): its rows bit for bit, nothing elsewhere */
    sp_convolver_rows(cv, 1000, 1100);
    CHECK(sp_convolver_apply(ctx, cv, e, 1.0, b) == SP_OK);
    bool same = true, untouched = true;
    for (size_t i = 0; i < n; i++) {
        size_t r = i / nc;
        if (r >= 1000 && r < 1100)
            same = same && memcmp(&a[i], &b[i], 8) == 0;
        else
            untouched = untouched && b[i] == 0;
    }
    CHECK(same);
    CHECK(untouched);
    sp_convolver_free(cv);
    sp_kernel_free(&k);
    free(e), free(d), free(a), free(b);
}

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    test_plume();
    test_deposition();
    test_line(ctx);
    test_kernel(ctx);
    test_strips(ctx);
    test_resolution(ctx);
    test_met(ctx);
    test_met_checks(ctx);
    test_mixing_lid();
    test_stable_unlimited();
    test_arm2_increments();
    test_joint_design();
    test_profiles(ctx);
    test_ensemble_design();
    test_eval_stats();
    sp_ctx_free(ctx);
    return check_done();
}
