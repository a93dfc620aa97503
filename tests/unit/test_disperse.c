/* Unit tests of sp_met and sp_disperse against independent formulas: the one-sector
 * plume 2.03 Q/(sigma_z u x), the crosswind line source 2q/(sqrt(2 pi) sigma_z u), the
 * well-mixed limit Q f/(R dtheta zi u), isotropy under a uniform rose, linearity, FFT =
 * direct summation, 50 m vs 100 m grids; STAR frequencies, calms and stabilities of a
 * hand-made met file; STAR file round trip and its errors. */
#include "check.h"
#include "disperse/sp_disperse.h"
#include "disperse/sp_disperse_design.h"
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
    /* Turner: by hand from the table */
    CHECK(sp_met_stability(1.5, 70, NAN) == 0);  /* strong sun, < 2 m/s: A */
    CHECK(sp_met_stability(2.5, 45, NAN) == 1);  /* moderate, 2-3: B */
    CHECK(sp_met_stability(4.0, 20, NAN) == 2);  /* slight, 3-5: C */
    CHECK(sp_met_stability(4.0, 10, NAN) == 3);  /* low sun: D */
    CHECK(sp_met_stability(2.5, -10, 0) == 5);   /* clear night, 2-3: F */
    CHECK(sp_met_stability(2.5, -10, 6) == 4);   /* overcast night: E */
    CHECK(sp_met_stability(7.0, -10, 0) == 3);   /* windy night: D */
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
    /* 6 hours: noon N 1.5 (A), 13:00 S 4 m/s on 21 Jun (B: strong sun, 3-5), midnight E
     * 2.5 (F), a calm at 1:00 (F), NA direction at 11:00 1.2 (calm, sun ~67 deg: A), a
     * missing speed */
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
    CHECK(s.hours == 5 && s.calm == 2 && s.missing == 1 && s.night_assumed == 2);
    /* A: N 1.5 m/s (1 hour) + the NA calm (spread over A's sectors: all N) = 2/5 */
    CHECK_REL(s.f[0][0][0], 2.0 / 5, 1e-12);
    CHECK_REL(s.f[8][2][1], 1.0 / 5, 1e-12);  /* S, 4 m/s (class 3), B */
    /* F: E 2.5 m/s is class 2 (index 1); the F calm goes to the lowest class of F's
     * sectors, which has none: spread over all of F's sectors = E */
    CHECK_REL(s.f[4][1][5], 1.0 / 5, 1e-12);
    CHECK_REL(s.f[4][0][5], 1.0 / 5, 1e-12);
    /* calms spread evenly: A's calm hour puts 1/16 in every sector of the lowest class */
    o.calm_uniform = true;
    CHECK(sp_met_parse(ctx, met, "m.csv", &o, &s) == SP_OK);
    CHECK_REL(s.f[0][0][0], (1 + 1.0 / 16) / 5, 1e-12);
    CHECK_REL(s.f[7][0][0], (1.0 / 16) / 5, 1e-12);
    o.calm_uniform = false;
    /* errors name the line */
    struct { const char *text, *msg; } bad[] = {
        {"year,month,day,hour,WSPM\n2016,1,1,0,1\n", "m.csv:1: no column 'wd'"},
        {"year,month,day,hour,wd,WSPM\n2016,1,1,0,NNE,1\n2016,1,1,1,NORTH,1\n", "m.csv:3: wd 'NORTH'"},
        {"year,month,day,hour,wd,WSPM\n2016,1,1,0,N,-2\n", "m.csv:2: WSPM '-2' is not a wind speed"},
        {"year,month,day,hour,wd,WSPM\n2016,13,1,0,N,2\n", "m.csv:2: the date or hour"},
        /* found by fuzzing: a year of 2e17 was cast to int (UBSan) */
        {"year,month,day,hour,wd,WSPM\n2e17,1,1,0,N,2\n", "m.csv:2: the date or hour"},
        {"year,month,day,hour,wd,WSPM\n2016,1,1,0,N\n", "m.csv:2: 5 fields, the header has 6"},
        {"year,month,day,hour,wd,WSPM\n", "no hour with a wind speed"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(sp_met_parse(ctx, bad[i].text, "m.csv", &o, &s) == SP_ERR_DATA);
        CHECK_HAS(sp_ctx_message(ctx), bad[i].msg);
    }
    /* STAR round trip */
    sp_met_parse(ctx, met, "m.csv", &o, &s);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    CHECK(sp_star_write(fp, &s) == 0);
    fclose(fp);
    sp_star t;
    CHECK(sp_star_parse(ctx, buf, "s.csv", &t) == SP_OK);
    CHECK(memcmp(&s.f, &t.f, sizeof s.f) == 0 || fabs(t.f[0][0][0] - s.f[0][0][0]) < 1e-12);
    free(buf);
    CHECK(sp_star_parse(ctx, "sector_from_deg,speed_ms,stability,freq\n0,1.5,A,0.5\n", "s.csv", &t) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "sum to 0.5");
    CHECK(sp_star_parse(ctx, "sector_from_deg,speed_ms,stability,freq\n10,1.5,A,1\n", "s.csv", &t) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "s.csv:2: sector 10");
    CHECK(sp_star_parse(ctx, "sector_from_deg,speed_ms,stability,freq\n0,1.5,G,1\n", "s.csv", &t) == SP_ERR_DATA);
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

/* The ensemble's design, by hand: m05 (index 4) is the central member; the 36 members are
 * every combination once; the secondary factor is balanced (12 members each); a STAR run
 * takes the first 9, which all have clear nights and calms in proportion. */
static void test_ensemble_design(void)
{
    sp_ensemble_member c = sp_ensemble_member_of(4);
    CHECK(c.night_cloud == 0 && c.zi == 1000 && c.sz0_factor == 1 && c.beta_factor == 1 &&
          !c.calm_uniform);
    sp_ensemble_member last = sp_ensemble_member_of(35);
    CHECK(last.night_cloud == 8 && last.zi == 1500 && last.sz0_factor == 2 && last.calm_uniform);
    int seen[2][2][3][3] = {{{{0}}}}, beta[3] = {0};
    for (int m = 0; m < SP_ENSEMBLE_MEMBERS; m++) {
        sp_ensemble_member e = sp_ensemble_member_of(m);
        int zi = e.zi == 500 ? 0 : e.zi == 1000 ? 1 : 2;
        int sz = e.sz0_factor == 0.5 ? 0 : e.sz0_factor == 1 ? 1 : 2;
        seen[e.night_cloud > 0][e.calm_uniform][zi][sz]++;
        beta[e.beta_factor == 0.5 ? 0 : e.beta_factor == 1 ? 1 : 2]++;
        if (m < 9)
            CHECK(e.night_cloud == 0 && !e.calm_uniform);
    }
    int once = 0;
    for (int a = 0; a < 36; a++)
        once += ((int *)seen)[a] == 1;
    CHECK(once == 36);
    CHECK(beta[0] == 12 && beta[1] == 12 && beta[2] == 12);
    CHECK(sp_ensemble_count(false, true) == 0 && sp_ensemble_count(true, true) == 36 &&
          sp_ensemble_count(true, false) == 9);
}

/* Chang & Hanna's measures on three stations by hand: observed 1, 2, 3 and modelled 2, 4,
 * 7: means 2 and 13/3, FB = (2 - 13/3) / (19/6) = -14/19, NMSE = mean(1, 4, 16) / (26/3) =
 * 21/26, FAC2 = 2/3 (7/3 is past 2), R = cov / sd sd = (5/3) / sqrt(2/3 x 38/9). */
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

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    test_plume();
    test_line(ctx);
    test_kernel(ctx);
    test_resolution(ctx);
    test_met(ctx);
    test_met_checks(ctx);
    test_mixing_lid();
    test_ensemble_design();
    test_eval_stats();
    sp_ctx_free(ctx);
    return check_done();
}
