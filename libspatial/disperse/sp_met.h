/* sp_met: hourly meteorology -> the joint frequency table (STAR: stability array) of
 * wind direction sector x wind speed class x Pasquill stability that the ISC3
 * long-term model uses (EPA-454/B-95-003b vol. II, section 2.2.1). Pasquill classes come
 * from Turner's method as EPA's Meteorological Monitoring Guidance gives it (EPA-454/R-99-005,
 * section 6.4.1, tables 6-4 to 6-6): a net radiation index from the solar altitude, the
 * total cloud cover and the ceiling, and the wind speed. Pure: parsing and arithmetic. */
#ifndef SP_MET_H
#define SP_MET_H

#include "core/sp_ctx.h"

#include <stdio.h>

#define SP_MET_NSEC 16  /* sectors the wind comes FROM, centred on 0, 22.5, ... 337.5 deg */
#define SP_MET_NSPEED 6 /* the ISC speed classes */
#define SP_MET_NSTAB 6  /* Pasquill A..F */
#define SP_MET_YEAR_MIN 1900
#define SP_MET_YEAR_MAX 2200
#define SP_MET_LINE_MAX 4096     /* bytes: an hourly row is a few dozen */
#define SP_MET_ROWS_MAX 1000000  /* a century of hours is 876,600 */
#define SP_MET_BYTES_MAX ((long long)256 << 20) /* a met file larger than this is refused */

/* ISC speed classes (m/s at 10 m): upper bounds of classes 1-5, and the representative
 * speed of each class (ISC-LT defaults, EPA-454/B-95-003b vol. II, table 2-1). */
extern const double SP_MET_SPEED_UPPER[SP_MET_NSPEED - 1];
extern const double SP_MET_SPEED_REP[SP_MET_NSPEED];

typedef struct {
    double f[SP_MET_NSEC][SP_MET_NSPEED][SP_MET_NSTAB]; /* frequencies, sum 1 */
    long hours;        /* hours used */
    long calm;         /* of which calm (spread over the sectors) */
    long missing;      /* hours skipped: speed missing */
    long cloud_assumed;/* hours whose cloud cover was missing (o->cloud assumed) */
    long urban_neutral;/* stable night hours taken as neutral by the urban option */
    double weight_sum; /* the hours' weights summed (== hours without a weight) */
    int year_first, year_last; /* the years of the hours used (0: from a STAR table) */
} sp_star;

typedef struct {
    double lat, lon;     /* where the sun is computed (the grid's centre), degrees */
    double utc_offset;   /* hours of the met file's clock ahead of UTC (Beijing: 8) */
    double cloud;        /* oktas assumed, day and night, where the file gives no cloud (4) */
    bool cloud_tenths;   /* the cloud column is in tenths (0-10), not oktas (0-8) */
    double urban_pop;    /* > 0: the urban option for a city of this population (below) */
    bool calm_uniform;   /* spread calms evenly over the 16 sectors instead of in proportion */
    int year;            /* only the rows of this year (0: every year; a file of several
                          * years is averaged, with a warning that names them) */
    int month;           /* only the hours of this month, 1-12 (0: every month) */
    /* optional: an hour's weight in the table, a source's time profile (month 1-12, day of
     * week 1 = Monday .. 7, hour 0-23): the table is then the joint frequency of the
     * weather the emission meets. NULL: every hour 1 */
    double (*weight)(void *user, int month, int dow, int hour);
    void *weight_user;
} sp_met_options;
/* Sets the defaults: Beijing's position, UTC+8 clock, 4 oktas where the cloud is missing
 * (an assumption: the middle of the range; the ensemble spans 0, 4 and 8), rural, calms
 * split over the sectors in proportion to their winds (calm_uniform: evenly). */
void sp_met_options_init(sp_met_options *o);

/* Day of week of a date, 1 = Monday .. 7 = Sunday (proleptic Gregorian). */
int sp_met_day_of_week(int year, int month, int day);
/* Solar altitude (degrees) at a local clock time (hour may be fractional): declination
 * and equation of time from Spencer (1971), hour angle from local solar time. */
double sp_met_solar_altitude(int year, int month, int day, double hour, double utc_offset,
                             double lat, double lon);
/* Whether an hour is "night" for Turner's method: from one hour before sunset to one hour
 * after sunrise, i.e. the sun at or below the horizon at the hour, an hour before or an hour
 * after (altitudes in degrees). */
bool sp_met_is_night(double alt_before, double alt, double alt_after);
/* Turner's net radiation index (EPA-454/R-99-005 table 6-6), -2 .. 4: total cloud in oktas
 * (converted to tenths, x 10/8), the ceiling in metres (NAN: not known). Overcast (10/10)
 * below 7,000 ft: 0, day or night. Night: -2 with cloud <= 4/10, else -1. Day: the
 * insolation class of the altitude (table 6-5: > 60 deg 4, > 35 3, > 15 2, else 1); with
 * cloud above 5/10 it is lowered by 2 under a ceiling below 7,000 ft, by 1 under one below
 * 16,000 ft, and by 1 more for a 10/10 sky, never below 1. An unknown ceiling is taken as
 * below 7,000 ft for a 10/10 sky and 7,000-16,000 ft otherwise (an assumption). */
int sp_met_nri(bool night, double sun_alt, double cloud_oktas, double ceiling_m);
/* Pasquill class (0 = A ... 5 = F) from Turner's key (table 6-4): the 10 m wind speed
 * (m/s, the table's rows 0-0.7, 0.8-1.8, 1.9-2.8, 2.9-3.3, 3.4-3.8, 3.9-4.8, 4.9-5.4,
 * 5.5-5.9, >= 6.0 on the speed rounded to 0.1) and the net radiation index; class G is
 * taken as F, as EPA's regulatory practice does. */
int sp_met_turner(double speed, int nri);
/* Both: the class of an hour. */
int sp_met_stability(double speed, double sun_alt, bool night, double cloud_oktas,
                     double ceiling_m);
/* The urban option: AERMOD's nocturnal urban boundary layer (Cimorelli et al. 2004,
 * EPA-454/R-03-004 section 5.8) is neutral below z_iu = 400 m x (P / 2,000,000)^(1/4);
 * with a population it turns the stable night classes (E, F) into D. Its height, m. */
double sp_met_urban_height(double population);
/* Speed class (0-5) of a 10 m speed. */
int sp_met_speed_class(double speed);
/* The 16-point compass name of sector i (0 = "N" ... 15 = "NNW"). Static string. */
const char *sp_met_sector_name(int i);
/* Sector index (0-15) of a direction the wind comes from, in degrees. */
int sp_met_sector(double deg);

/* Parses hourly observations: a CSV whose header names year, month, day, hour, wd (16-point
 * compass FROM: N, NNE, ... NNW; NA or empty = missing) and WSPM (m/s), optionally cloud
 * (total cover, oktas or with o->cloud_tenths tenths) and ceiling (m); any other columns
 * are ignored, fields may be quoted. Dates must exist (30
 * February, 31 April and 29 February of a common year are errors), hours are whole 0-24
 * and each is given once (a repeated hour names both lines); lines are at most
 * SP_MET_LINE_MAX bytes and rows at most SP_MET_ROWS_MAX. With o->year, only that year's
 * rows count; a file of several years is averaged with a warning, and one whose hours are
 * mostly calm is warned about. An hour is calm when wd is
 * missing or the speed is under 0.5 m/s; calms are spread over the sectors in proportion
 * to the non-calm hours of the same stability in the lowest speed class (ISC practice);
 * speeds under 1 m/s count as 1 m/s. Errors name the file and line (SP_ERR_DATA). */
sp_status sp_met_parse(sp_ctx *ctx, const char *text, const char *name, const sp_met_options *o,
                       sp_star *out);

/* Reads/writes the STAR table as CSV "sector_from_deg,speed_ms,stability,freq" (speed_ms
 * = the class's representative speed, stability A-F). Reading checks that every row is
 * on the grid of sectors, classes and stabilities and that the frequencies sum to 1
 * (within 1e-6, then rescaled exactly). */
sp_status sp_star_parse(sp_ctx *ctx, const char *text, const char *name, sp_star *out);
int sp_star_write(FILE *fp, const sp_star *s);
/* Frequency of each stability class (out[6]) and of each sector (sec[16]). */
void sp_star_marginals(const sp_star *s, double stab[SP_MET_NSTAB], double sec[SP_MET_NSEC]);
/* The wind rose as an SVG document (malloc'd; NULL when out of memory). */
char *sp_star_rose_svg(const sp_star *s, const char *title);

#endif
