/* sp_met: hourly observations -> STAR joint frequencies for the ISC3 long-term model.
 * Speed classes: EPA-454/B-95-003b (ISC3 user's guide) vol. II, 2.2.1. Stability: the
 * Turner (1964) scheme as tabulated by Pasquill (1961) / Gifford (1961). Sun: Spencer
 * (1971) Fourier series for declination and equation of time. */
#include "disperse/sp_met.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const double SP_MET_SPEED_UPPER[SP_MET_NSPEED - 1] = {1.54, 3.09, 5.14, 8.23, 10.8};
const double SP_MET_SPEED_REP[SP_MET_NSPEED] = {1.5, 2.5, 4.3, 6.8, 9.5, 12.5};

static const char *const COMPASS[SP_MET_NSEC] = {"N", "NNE", "NE", "ENE", "E", "ESE",
                                                 "SE", "SSE", "S", "SSW", "SW", "WSW",
                                                 "W", "WNW", "NW", "NNW"};

void sp_met_options_init(sp_met_options *o)
{
    o->lat = 39.92; /* Beijing: replaced by the grid's centre in sp-disperse */
    o->lon = 116.44;
    o->utc_offset = 8;
    o->cloud = 4;
    o->cloud_tenths = false;
    o->urban_pop = 0;
    o->month = 0;
    o->weight = NULL;
    o->weight_user = NULL;
    o->calm_uniform = false;
    o->year = 0;
}

static int day_of_year(int y, int m, int d)
{
    static const int cum[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return cum[m - 1] + d + (leap && m > 2);
}

int sp_met_day_of_week(int y, int m, int d)
{
    /* days since 1 March 0 of a proleptic calendar starting in March (so leap days fall
     * at the end of its year); 1 March 0 was a Wednesday */
    if (m < 3) {
        y--;
        m += 12;
    }
    long days = 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
    return (int)((days + 2) % 7) + 1;
}

double sp_met_solar_altitude(int year, int month, int day, double hour, double utc_offset,
                             double lat, double lon)
{
    double g = 2 * M_PI / 365.0 * (day_of_year(year, month, day) - 1 + (hour - 12) / 24);
    double decl = 0.006918 - 0.399912 * cos(g) + 0.070257 * sin(g) - 0.006758 * cos(2 * g) +
                  0.000907 * sin(2 * g) - 0.002697 * cos(3 * g) + 0.00148 * sin(3 * g);
    double eot = 229.18 * (0.000075 + 0.001868 * cos(g) - 0.032077 * sin(g) -
                           0.014615 * cos(2 * g) - 0.040849 * sin(2 * g)); /* minutes */
    double solar = hour - utc_offset + lon / 15.0 + eot / 60.0;               /* hours */
    double ha = (solar - 12) * 15 * M_PI / 180, phi = lat * M_PI / 180;
    double s = sin(phi) * sin(decl) + cos(phi) * cos(decl) * cos(ha);
    return asin(fmax(-1, fmin(1, s))) * 180 / M_PI;
}

bool sp_met_is_night(double alt_before, double alt, double alt_after)
{
    return alt_before <= 0 || alt <= 0 || alt_after <= 0;
}

int sp_met_nri(bool night, double alt, double cloud_oktas, double ceiling_m)
{
    const double FT7000 = 7000 * 0.3048, FT16000 = 16000 * 0.3048;
    double tenths = cloud_oktas * 10 / 8;
    bool overcast = tenths >= 10 - 1e-9, known = !isnan(ceiling_m);
    /* 1: overcast under a low ceiling, day or night */
    if (overcast && (!known || ceiling_m < FT7000))
        return 0;
    if (night) /* 2 */
        return tenths <= 4 + 1e-9 ? -2 : -1;
    int icn = alt > 60 ? 4 : alt > 35 ? 3 : alt > 15 ? 2 : 1; /* 3a, table 6-5 */
    if (tenths <= 5 + 1e-9)                                     /* 3b */
        return icn;
    double ceil = known ? ceiling_m : 0.5 * (FT7000 + FT16000); /* 3c */
    icn -= ceil < FT7000 ? 2 : ceil < FT16000 ? 1 : 0;
    icn -= overcast;
    return icn < 1 ? 1 : icn;
}

int sp_met_turner(double u, int nri)
{
    enum { A, B, C, D, E, F };
    /* rows: the speed's range in m/s (to 0.1); columns NRI 4, 3, 2, 1, 0, -1, -2 (G = F) */
    static const double UPPER[8] = {0.7, 1.8, 2.8, 3.3, 3.8, 4.8, 5.4, 5.9};
    static const int KEY[9][7] = {
        {A, A, B, C, D, F, F}, {A, B, B, C, D, F, F}, {A, B, C, D, D, E, F},
        {B, B, C, D, D, E, F}, {B, B, C, D, D, D, E}, {B, C, C, D, D, D, E},
        {C, C, D, D, D, D, E}, {C, C, D, D, D, D, D}, {C, D, D, D, D, D, D}};
    double v = round(u * 10) / 10;
    int row = 0;
    while (row < 8 && v > UPPER[row] + 1e-9)
        row++;
    int col = 4 - (nri > 4 ? 4 : nri < -2 ? -2 : nri);
    return KEY[row][col];
}

int sp_met_stability(double u, double alt, bool night, double cloud, double ceiling)
{
    return sp_met_turner(u, sp_met_nri(night, alt, cloud, ceiling));
}

double sp_met_urban_height(double population)
{
    return population > 0 ? 400 * pow(population / 2e6, 0.25) : 0;
}

int sp_met_speed_class(double u)
{
    int k = 0;
    while (k < SP_MET_NSPEED - 1 && u >= SP_MET_SPEED_UPPER[k])
        k++;
    return k;
}

const char *sp_met_sector_name(int i) { return COMPASS[((i % SP_MET_NSEC) + SP_MET_NSEC) % SP_MET_NSEC]; }

int sp_met_sector(double deg)
{
    double d = fmod(deg, 360.0);
    if (d < 0)
        d += 360;
    return (int)floor((d + 11.25) / 22.5) % SP_MET_NSEC;
}

/* Splits a CSV line in place (quotes removed, "" inside quotes kept as one "); returns
 * the field count */
static int split_csv(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        while (*p == ' ')
            p++;
        char *o = p;
        f[n++] = o;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++; /* "" -> " */
                *o++ = *p++;
            }
            if (*p == '"')
                p++;
            while (*p && *p != ',')
                p++; /* text after the closing quote is dropped */
        } else {
            while (*p && *p != ',')
                *o++ = *p++;
        }
        bool more = *p == ',';
        *o = '\0'; /* o <= p: never past the separator we just read */
        while (o > f[n - 1] && (o[-1] == ' ' || o[-1] == '\r'))
            *--o = '\0';
        if (!more)
            break;
        p++;
    }
    return n;
}

static bool num(const char *s, double *out)
{
    char *end;
    if (!*s)
        return false;
    *out = strtod(s, &end);
    return *end == '\0' && isfinite(*out);
}

static bool missing(const char *s) { return !*s || !strcasecmp(s, "NA") || !strcasecmp(s, "NaN"); }

enum { C_YEAR, C_MONTH, C_DAY, C_HOUR, C_WD, C_WS, C_CLOUD, C_CEILING, NCOLS };
static const char *const COLNAME[NCOLS] = {"year", "month", "day", "hour", "wd", "WSPM", "cloud",
                                           "ceiling"};

/* counts[sector][speed][stab], then calms[stab] spread in proportion */
static void finish(sp_star *out, double counts[SP_MET_NSEC][SP_MET_NSPEED][SP_MET_NSTAB],
                   const double calm[SP_MET_NSTAB], bool uniform)
{
    for (int k = 0; k < SP_MET_NSTAB; k++) {
        double tot = 0, all = 0;
        for (int i = 0; i < SP_MET_NSEC; i++) {
            tot += counts[i][0][k];
            for (int j = 0; j < SP_MET_NSPEED; j++)
                all += counts[i][j][k];
        }
        for (int i = 0; i < SP_MET_NSEC; i++) {
            /* in proportion to the lowest class's sectors; failing those, all speeds';
             * failing those, evenly */
            double w;
            if (uniform)
                w = 1.0 / SP_MET_NSEC;
            else if (tot > 0)
                w = counts[i][0][k] / tot;
            else if (all > 0) {
                w = 0;
                for (int j = 0; j < SP_MET_NSPEED; j++)
                    w += counts[i][j][k];
                w /= all;
            } else
                w = 1.0 / SP_MET_NSEC;
            counts[i][0][k] += calm[k] * w;
        }
    }
    double sum = 0;
    for (int i = 0; i < SP_MET_NSEC; i++)
        for (int j = 0; j < SP_MET_NSPEED; j++)
            for (int k = 0; k < SP_MET_NSTAB; k++)
                sum += counts[i][j][k];
    for (int i = 0; i < SP_MET_NSEC; i++)
        for (int j = 0; j < SP_MET_NSPEED; j++)
            for (int k = 0; k < SP_MET_NSTAB; k++)
                out->f[i][j][k] = sum > 0 ? counts[i][j][k] / sum : 0;
}

/* days in month m of year y (Gregorian) */
static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

/* The hours already given, per year (allocated when the year first appears): the line of
 * each, so that a repeated hour names both lines. */
typedef struct {
    int *line[SP_MET_YEAR_MAX - SP_MET_YEAR_MIN + 1];
    int ymin, ymax;
} hour_book;

/* 0 when (y, doy, h) is new (recorded at line), the earlier line when it was given, -1
 * when out of memory */
static int book_hour(hour_book *b, int y, int doy, int h, int line)
{
    int **slot = &b->line[y - SP_MET_YEAR_MIN];
    if (!*slot && !(*slot = calloc(367 * 25, sizeof **slot)))
        return -1;
    int *at = &(*slot)[doy * 25 + h];
    if (*at)
        return *at;
    *at = line;
    b->ymin = b->ymin && b->ymin < y ? b->ymin : y;
    b->ymax = b->ymax > y ? b->ymax : y;
    return 0;
}

static void book_free(hour_book *b)
{
    for (size_t i = 0; i < sizeof b->line / sizeof b->line[0]; i++)
        free(b->line[i]);
}

/* The row's date and hour, checked: a real calendar date (no 30 February, no 29 February
 * of a common year), a whole hour 0-24, each hour once. */
static sp_status check_hour(sp_ctx *ctx, const char *name, int line, double y, double m, double d,
                            double h, hour_book *b)
{
    if (y < SP_MET_YEAR_MIN || y > SP_MET_YEAR_MAX || m < 1 || m > 12 || d < 1 || d > 31 ||
        h < 0 || h > 24 || m != floor(m) || d != floor(d) || y != floor(y) || h != floor(h))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: the date or hour is not valid", name, line);
    if (d > month_days((int)y, (int)m))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: %04d-%02d-%02d is not a date (%d days in that "
                        "month)", name, line, (int)y, (int)m, (int)d, month_days((int)y, (int)m));
    int first = book_hour(b, (int)y, day_of_year((int)y, (int)m, (int)d), (int)h, line);
    if (first < 0)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (first)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: %04d-%02d-%02d hour %d was already given at "
                        "line %d (each hour once)", name, line, (int)y, (int)m, (int)d, (int)h,
                        first);
    return SP_OK;
}

/* the header's columns into col[] (-1: absent); every one but cloud and ceiling is
 * required */
static sp_status header(sp_ctx *ctx, char **f, int n, const char *name, int line, int col[NCOLS])
{
    for (int i = 0; i < n; i++)
        for (int c = 0; c < NCOLS; c++)
            if (!strcasecmp(f[i], COLNAME[c]))
                col[c] = i;
    for (int c = 0; c < C_CLOUD; c++)
        if (col[c] < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: no column '%s' (the met file needs year, "
                            "month, day, hour, wd, WSPM; cloud and ceiling are optional)", name, line,
                            COLNAME[c]);
    return SP_OK;
}

/* what a user must know of the hours used: several years averaged, mostly calms */
static void warn_years_calms(sp_ctx *ctx, const char *name, const sp_star *out)
{
    if (out->year_last > out->year_first)
        sp_warn(ctx, "%s spans %d-%d (%d years): the table is their average; -met_year Y takes "
                "one", name, out->year_first, out->year_last, out->year_last - out->year_first + 1);
    if (2 * out->calm >= out->hours)
        sp_warn(ctx, "%s: %.0f %% of the hours are calm (wd missing or under 0.5 m/s): the field "
                "rests on how calms are spread", name, 100.0 * (double)out->calm / (double)out->hours);
}

/* The row's wind (speed present), direction sector (-1: calm or missing), cloud in oktas
 * and ceiling in m (NAN: missing), each checked. */
static sp_status read_wind(sp_ctx *ctx, const char *name, int line, char **f, const int col[NCOLS],
                           bool tenths, double *ws, int *sec, double *cloud, double *ceiling)
{
    const char *ws_s = f[col[C_WS]], *wd_s = f[col[C_WD]];
    if (!num(ws_s, ws) || *ws < 0 || *ws > 75)
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: WSPM '%s' is not a wind speed (0-75 m/s)", name,
                        line, ws_s);
    *sec = -1;
    if (!missing(wd_s)) {
        for (int i = 0; i < SP_MET_NSEC; i++)
            if (!strcasecmp(wd_s, COMPASS[i]))
                *sec = i;
        if (*sec < 0)
            return sp_error(ctx, SP_ERR_DATA, "%s:%d: wd '%s' is not a 16-point compass direction "
                            "(N, NNE, NE, ... NNW) or NA", name, line, wd_s);
    }
    *cloud = *ceiling = NAN;
    double top = tenths ? 10 : 8;
    if (col[C_CLOUD] >= 0 && !missing(f[col[C_CLOUD]]) &&
        (!num(f[col[C_CLOUD]], cloud) || *cloud < 0 || *cloud > top))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: cloud '%s' is not 0-%g %s", name, line,
                        f[col[C_CLOUD]], top, tenths ? "tenths" : "oktas (or give -cloud_unit "
                        "tenths)");
    if (tenths && !isnan(*cloud))
        *cloud *= 0.8;
    if (col[C_CEILING] >= 0 && !missing(f[col[C_CEILING]]) &&
        (!num(f[col[C_CEILING]], ceiling) || *ceiling < 0 || *ceiling > 30000))
        return sp_error(ctx, SP_ERR_DATA, "%s:%d: ceiling '%s' is not a height in metres "
                        "(0-30000)", name, line, f[col[C_CEILING]]);
    return SP_OK;
}

/* One valid hour into the counts: its stability (Turner, the urban option), its weight
 * (o->weight: a time profile) and its sector and speed class, or a calm. */
static void count_hour(const sp_met_options *o, sp_star *out,
                       double (*cnt)[SP_MET_NSPEED][SP_MET_NSTAB], double calm[SP_MET_NSTAB],
                       int yi, int mi, int di, double h, double ws, int sec, double cloud,
                       double ceiling)
{
    double alt = sp_met_solar_altitude(yi, mi, di, h, o->utc_offset, o->lat, o->lon);
    bool night = sp_met_is_night(
        sp_met_solar_altitude(yi, mi, di, h - 1, o->utc_offset, o->lat, o->lon), alt,
        sp_met_solar_altitude(yi, mi, di, h + 1, o->utc_offset, o->lat, o->lon));
    if (isnan(cloud)) {
        cloud = o->cloud;
        out->cloud_assumed++;
    }
    int k = sp_met_stability(ws, alt, night, cloud, ceiling);
    if (o->urban_pop > 0 && night && k >= 4) { /* the urban night layer: neutral */
        k = 3;
        out->urban_neutral++;
    }
    double u = ws < 1 ? 1 : ws;
    double w = o->weight ? o->weight(o->weight_user, mi, sp_met_day_of_week(yi, mi, di),
                                     (int)h % 24)
                         : 1;
    out->hours++;
    out->weight_sum += w;
    if (sec < 0 || ws < 0.5) {
        calm[k] += w;
        out->calm++;
    } else
        cnt[sec][sp_met_speed_class(u)][k] += w;
}

sp_status sp_met_parse(sp_ctx *ctx, const char *text, const char *name, const sp_met_options *o,
                       sp_star *out)
{
    memset(out, 0, sizeof *out);
    char *buf = strdup(text);
    if (!buf)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    double (*cnt)[SP_MET_NSPEED][SP_MET_NSTAB] = calloc(SP_MET_NSEC, sizeof *cnt);
    double calm[SP_MET_NSTAB] = {0};
    int col[NCOLS];
    for (int c = 0; c < NCOLS; c++)
        col[c] = -1;
    sp_status rc = SP_OK;
    int line = 0, ncol = 0;
    char *f[256], *next;
    hour_book book = {0};
    if (!cnt) {
        free(buf);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    for (char *l = buf; l && !rc; l = next) {
        if ((next = strchr(l, '\n')))
            *next++ = '\0';
        line++;
        if (!*l || *l == '\r' || *l == '#')
            continue;
        if ((next ? (size_t)(next - l) : strlen(l)) > SP_MET_LINE_MAX || line > SP_MET_ROWS_MAX) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %s: not an hourly met file", name, line,
                          line > SP_MET_ROWS_MAX ? "more rows than a century of hours"
                                                 : "a line of more than 4096 bytes");
            break;
        }
        int n = split_csv(l, f, 256);
        if (ncol == 0) {
            ncol = n;
            rc = header(ctx, f, n, name, line, col);
            continue;
        }
        if (n != ncol) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: %d fields, the header has %d", name, line,
                          n, ncol);
            break;
        }
        double y, m, d, h, ws = 0, cloud = NAN, ceiling = NAN;
        if (!num(f[col[C_YEAR]], &y) || !num(f[col[C_MONTH]], &m) || !num(f[col[C_DAY]], &d) ||
            !num(f[col[C_HOUR]], &h)) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: the date or hour is not valid", name, line);
            break;
        }
        if ((o->year && y != o->year) || (o->month && m != o->month))
            continue;
        if ((rc = check_hour(ctx, name, line, y, m, d, h, &book)))
            break;
        if (missing(f[col[C_WS]])) {
            out->missing++;
            continue;
        }
        int sec = -1;
        if ((rc = read_wind(ctx, name, line, f, col, o->cloud_tenths, &ws, &sec, &cloud,
                            &ceiling)))
            break;
        count_hour(o, out, cnt, calm, (int)y, (int)m, (int)d, h, ws, sec, cloud, ceiling);
    }
    if (!rc && out->hours > 0 && !(out->weight_sum > 0))
        rc = sp_error(ctx, SP_ERR_DATA, "%s: the time profile gives every hour%s weight 0",
                      name, o->month ? " of the month" : "");
    if (!rc && out->hours == 0 && o->month)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: no hour of month %d with a wind speed", name, o->month);
    else if (!rc && out->hours == 0)
        rc = o->year ? sp_error(ctx, SP_ERR_DATA, "%s: no hour of %d with a wind speed", name, o->year)
                     : sp_error(ctx, SP_ERR_DATA, "%s: no hour with a wind speed", name);
    out->year_first = book.ymin;
    out->year_last = book.ymax;
    if (!rc)
        warn_years_calms(ctx, name, out);
    book_free(&book);
    if (!rc)
        finish(out, cnt, calm, o->calm_uniform);
    free(cnt);
    free(buf);
    return rc;
}

sp_status sp_star_parse(sp_ctx *ctx, const char *text, const char *name, sp_star *out)
{
    memset(out, 0, sizeof *out);
    char *buf = strdup(text);
    if (!buf)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = SP_OK;
    int line = 0;
    bool header = false;
    double sum = 0;
    char *f[8], *next;
    for (char *l = buf; l && !rc; l = next) {
        if ((next = strchr(l, '\n')))
            *next++ = '\0';
        line++;
        if (!*l || *l == '\r' || *l == '#')
            continue;
        int n = split_csv(l, f, 8);
        if (!header) {
            header = true;
            if (n != 4 || strcmp(f[0], "sector_from_deg") || strcmp(f[1], "speed_ms") ||
                strcmp(f[2], "stability") || strcmp(f[3], "freq"))
                rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: the header must be "
                              "sector_from_deg,speed_ms,stability,freq", name, line);
            continue;
        }
        double deg, spd, fr;
        if (n != 4 || !num(f[0], &deg) || !num(f[1], &spd) || !num(f[3], &fr) || fr < 0 ||
            strlen(f[2]) != 1 || toupper((unsigned char)f[2][0]) < 'A' ||
            toupper((unsigned char)f[2][0]) > 'F') {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: want DEG,SPEED,A-F,FREQ (FREQ >= 0)", name,
                          line);
            break;
        }
        int i = (int)lround(deg / 22.5), j = -1;
        for (int k = 0; k < SP_MET_NSPEED; k++)
            if (fabs(spd - SP_MET_SPEED_REP[k]) < 1e-9)
                j = k;
        if (fabs(deg - 22.5 * i) > 1e-9 || i < 0 || i >= SP_MET_NSEC || j < 0) {
            rc = sp_error(ctx, SP_ERR_DATA, "%s:%d: sector %s / speed %s is not on the ISC grid "
                          "(0, 22.5 ... 337.5 deg; 1.5, 2.5, 4.3, 6.8, 9.5, 12.5 m/s)", name,
                          line, f[0], f[1]);
            break;
        }
        out->f[i][j][toupper((unsigned char)f[2][0]) - 'A'] += fr;
        sum += fr;
    }
    free(buf);
    if (!rc && fabs(sum - 1) > 1e-6)
        rc = sp_error(ctx, SP_ERR_DATA, "%s: the frequencies sum to %.9g, not 1", name, sum);
    if (rc)
        return rc;
    for (int i = 0; i < SP_MET_NSEC; i++)
        for (int j = 0; j < SP_MET_NSPEED; j++)
            for (int k = 0; k < SP_MET_NSTAB; k++)
                out->f[i][j][k] /= sum;
    return SP_OK;
}

int sp_star_write(FILE *fp, const sp_star *s)
{
    int rc = fprintf(fp, "sector_from_deg,speed_ms,stability,freq\n") < 0;
    for (int i = 0; i < SP_MET_NSEC; i++)
        for (int j = 0; j < SP_MET_NSPEED; j++)
            for (int k = 0; k < SP_MET_NSTAB; k++)
                if (s->f[i][j][k] > 0)
                    rc |= fprintf(fp, "%.1f,%.1f,%c,%.12g\n", 22.5 * i, SP_MET_SPEED_REP[j],
                                  'A' + k, s->f[i][j][k]) < 0;
    return rc ? -1 : 0;
}

void sp_star_marginals(const sp_star *s, double stab[SP_MET_NSTAB], double sec[SP_MET_NSEC])
{
    for (int k = 0; k < SP_MET_NSTAB; k++)
        stab[k] = 0;
    for (int i = 0; i < SP_MET_NSEC; i++) {
        sec[i] = 0;
        for (int j = 0; j < SP_MET_NSPEED; j++)
            for (int k = 0; k < SP_MET_NSTAB; k++) {
                sec[i] += s->f[i][j][k];
                stab[k] += s->f[i][j][k];
            }
    }
}

char *sp_star_rose_svg(const sp_star *s, const char *title)
{
    double stab[SP_MET_NSTAB], sec[SP_MET_NSEC], mx = 0;
    sp_star_marginals(s, stab, sec);
    for (int i = 0; i < SP_MET_NSEC; i++)
        mx = fmax(mx, sec[i]);
    size_t cap = 8192;
    char *svg = malloc(cap);
    if (!svg)
        return NULL;
    const double cx = 160, cy = 170, r = 120;
    int k = snprintf(svg, cap, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" "
                     "height=\"330\" font-family=\"sans-serif\" font-size=\"11\">\n"
                     "<rect width=\"320\" height=\"330\" fill=\"white\"/>\n"
                     "<text x=\"10\" y=\"18\" font-weight=\"bold\">wind rose (from): %s</text>\n"
                     "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"none\" stroke=\"#ccc\"/>\n",
                     title ? title : "", cx, cy, r);
    for (int i = 0; i < SP_MET_NSEC && mx > 0; i++) {
        double a0 = (22.5 * i - 9) * M_PI / 180, a1 = (22.5 * i + 9) * M_PI / 180;
        double len = r * sec[i] / mx;
        k += snprintf(svg + k, cap - k, "<path d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f Z\" "
                      "fill=\"#4682b4\" fill-opacity=\"0.8\"><title>%s %.1f%%</title></path>\n",
                      cx, cy, cx + len * sin(a0), cy - len * cos(a0), cx + len * sin(a1),
                      cy - len * cos(a1), COMPASS[i], 100 * sec[i]);
    }
    k += snprintf(svg + k, cap - k, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">N</text>\n",
                  cx, cy - r - 4);
    k += snprintf(svg + k, cap - k, "<text x=\"10\" y=\"320\">stability A-F %%: ");
    for (int j = 0; j < SP_MET_NSTAB; j++)
        k += snprintf(svg + k, cap - k, "%c %.0f  ", 'A' + j, 100 * stab[j]);
    snprintf(svg + k, cap - k, "</text>\n</svg>\n");
    return svg;
}
