/* sp_inventory: activity data -> emissions (t/yr per source) with the factors of an
 * sp_factors table, and the "what if" measures that turn a baseline into a scenario.
 * This header holds the pure part (model, measures, one source at a time; no GDAL);
 * sp_inventory_run.h, the whole run: the registries read through OGR, the inventory
 * GeoPackage written. The formulas are in docs/methods.md, "sp-inventory". */
#ifndef SP_INVENTORY_H
#define SP_INVENTORY_H
#include "core/sp_factors.h"
#include "core/sp_coord.h"
#include "core/sp_geom.h"

#include <stdint.h>

typedef struct sp_inventory_model sp_inventory_model;

/* The sectors, one line each in inventory/sectors/sp_sectors.def (their order is the
 * order of the layers and of the totals). */
typedef enum {
#define SP_SECTOR(ID, name) SP_SEC_##ID,
#include "inventory/sectors/sp_sectors.def"
#undef SP_SECTOR
    SP_NSEC
} sp_sector;

/* The energy carriers of key energy-using units (重点用能单位), in this order, with the
 * unit of their annual use: natural gas m3, electricity kWh, purchased heat GJ, diesel,
 * coal and LPG in tonnes. */
enum { SP_CARRIER_GAS, SP_CARRIER_ELEC, SP_CARRIER_HEAT, SP_CARRIER_DIESEL, SP_CARRIER_COAL,
       SP_CARRIER_LPG, SP_NCARRIER };
extern const char *const SP_CARRIER_NAME[SP_NCARRIER]; /* "gas", "electricity", ... */
extern const char *const SP_CARRIER_UNIT[SP_NCARRIER]; /* "m3", "kWh", "GJ", "t"... */
/* The carrier called name, or -1. */
int sp_carrier_index(const char *name);
/* The sector called name (any case), as SP_SECTORS[].name; -1 when there is none. */
int sp_sector_index(const char *name);

/* ---- measures ------------------------------------------------------------------
 * A text file, one measure per line, '#' starts a comment:
 *   boiler retrofit [min_mw X] [to CLASS]       boilers of X MW or more -> CLASS (low)
 *   catering purifier [min_stoves N] [class C]  places with N+ stoves get purifier C
 *                                               (high) unless theirs removes more
 *   road remove VEHICLE STANDARD                that standard leaves the fleet mix; the
 *                                               other standards of VEHICLE take its share
 *   road nev VEHICLE SHARE                      new-energy share raised to SHARE (0.85
 *                                               or 85%), the others scaled down
 *   reduce SECTOR POLLUTANT|all PERCENT         end-of-pipe cut of a sector's emission
 *   facility efficiency PERCENT                 every carrier's use cut by PERCENT
 *   facility switch FROM TO                     FROM replaced by TO for the same energy
 *                                               (the table's ncv rows)
 *   facility electrify FROM COP [efficiency E]  FROM's useful heat (use x ncv x E,
 *                                               default 0.9) from heat pumps: kWh =
 *                                               heat / 0.0036 GJ / COP
 *   facility pv SHARE                           on-site PV covers SHARE of the electricity
 * Facility measures apply in the order written, each to what the previous left.
 *   petrol recovery CLASS [min_t X]             stations selling X t/yr or more get vapour
 *                                               recovery CLASS unless theirs emits less
 *   nonroad nev SHARE                           SHARE of every site's combustion machinery
 *                                               work done by electric machines instead
 *   autorepair upgrade CLASS [min_kg X]         shops using X kg/yr or more get the
 *                                               control CLASS unless theirs removes more
 *   area control NAME [min_m2 X]                sites of X m2 or more get the dust
 *                                               control NAME (a dustcontrol row)
 */
typedef enum {
    SP_M_RETROFIT, SP_M_PURIFIER, SP_M_REMOVE, SP_M_NEV, SP_M_REDUCE, SP_M_FACILITY,
    SP_M_PETROL, SP_M_NONROAD_NEV, SP_M_AUTOREPAIR,
    SP_M_SECTOR /* a measure of a sector with no kind here: its sector reads `op` and the
                 * fields below as its parser filled them */
} sp_measure_kind;
typedef enum { SP_FAC_EFFICIENCY, SP_FAC_SWITCH, SP_FAC_ELECTRIFY, SP_FAC_PV } sp_facility_op;
typedef struct {
    sp_measure_kind kind;
    sp_sector sector; /* the sector it changes (reduce: the one it names) */
    int line;
    char *text;     /* the measure as written (trimmed), for the `measures` column */
    double min;     /* retrofit: min MW; purifier: min stoves */
    char *cls;      /* retrofit: target NOx class; purifier: purifier class */
    char *vehicle;  /* remove/nev */
    char *standard; /* remove */
    double share;   /* nev: target share in [0,1] */
    int pollutant;    /* reduce: index, or -1 for all */
    double percent;   /* reduce, facility efficiency: 0..100 */
    int op;             /* facility: an sp_facility_op; SP_M_SECTOR: the sector's own */
    int from, to;       /* facility switch/electrify: carriers */
    double cop, eff;    /* facility electrify */
    double cost;        /* `... cost X yuan/source` or `cost X yuan/t POL`: the user's unit
                         * cost (0: none given) */
    int cost_pol;       /* per tonne of this pollutant's cut; -1: per source it changes */
    double reach;       /* `... reach X%`: the share of its eligible sources it reaches,
                         * its change scaled by it (1: all) */
    int since;          /* `... from YYYY-MM-DD` (or YYYY-MM): the day it takes effect as
                         * yyyymmdd (0: in effect all along) */
} sp_measure;
enum { SP_MAX_MEASURES = 64 }; /* one bit each in the per-source "applied" mask */
typedef struct {
    char *path;
    sp_measure *m;
    int n;
} sp_measures;
/* Parses the text of a measures file; errors say "NAME:LINE: ...". Names of classes and
 * vehicles are checked later, against the factor table (sp_inventory_model_new). */
sp_status sp_measures_parse(sp_ctx *ctx, const char *text, const char *name, sp_measures **out);
sp_status sp_measures_read(sp_ctx *ctx, const char *path, sp_measures **out);
void sp_measures_free(sp_measures *m);
/* The share of year y a measure is in effect: 1 undated or from before the year, 0 from a
 * later year, else its days from the date to 31 December (inclusive) over the year's. */
double sp_measure_year_share(const sp_measure *m, int y);
/* What a measure counts in year y (0: no year): its reach x its share of the year. */
double sp_measure_share(const sp_measure *m, int y);

/* ---- model: the factor table resolved for fast per-source computation --------- */
typedef struct {
    char *name;
    double v[SP_NPOL];  /* factor per pollutant (0 when the table has no row) */
    int unit[SP_NPOL];  /* area classes: SP_AREA_PER_M2_MONTH... */
    bool has[SP_NPOL];  /* the table has a row (else '*' fills it in) */
} sp_inv_class;
enum { SP_AREA_NONE, SP_AREA_PER_M2_MONTH, SP_AREA_PER_M2_YR, SP_AREA_PER_SOURCE_YR };
/* ---- climate: the 2014 national road-vehicle inventory guideline's corrections of
 * exhaust for ambient temperature and humidity (道路机动车大气污染物排放清单编制技术指南,
 * as coded in VEIN's R/ef_china.R). A row road,VEHICLE/climate:COND,POLLUTANT|*,X,factor
 * multiplies the vehicle's exhaust in the hours of COND:
 *   cold  T < 10 C        hot  T > 25 C         dry  RH < 50 %       humid  RH > 50 %
 *   hot_dry  T > 24 C and RH < 50 %             hot_humid  T > 24 C and RH > 50 %
 * (an hour may meet several: their factors multiply). Over a year of hours (sp-inventory
 * -climate MET.csv) a vehicle's exhaust is multiplied by the mean of the hours' products,
 * so only the share of hours in each cell below matters. Without -climate: no correction. */
enum { SP_CLIM_COLD, SP_CLIM_HOT, SP_CLIM_DRY, SP_CLIM_HUMID, SP_CLIM_HOT_DRY,
       SP_CLIM_HOT_HUMID, SP_CLIM_NCOND };
extern const char *const SP_CLIM_NAME[SP_CLIM_NCOND]; /* "cold", "hot", ... */
/* temperature cells: < 10, 10-24, (24, 25], > 25; humidity: < 50, 50, > 50 */
enum { SP_CLIM_NT = 4, SP_CLIM_NRH = 3 };
typedef struct {
    double hours[SP_CLIM_NT][SP_CLIM_NRH]; /* hours in each cell */
    long used, skipped;   /* hours counted; hours without a temperature or humidity */
} sp_inv_climate;
/* Counts one hour (degrees C, % relative humidity); a NaN skips it. */
void sp_inv_climate_add(sp_inv_climate *c, double t_c, double rh_pct);
/* Relative humidity (%) from the temperature and the dew point (C): the Magnus form with
 * Alduchov and Eskridge's (1996) coefficients 17.625 and 243.04 C, capped at 100. */
double sp_inv_rh_from_dewpoint(double t_c, double td_c);
/* The condition called name, or -1. */
int sp_inv_climate_cond(const char *name);
/* The mean over c's hours of the product of the factors f[cond] of the conditions each
 * hour meets (1 when c has no hours). */
double sp_inv_climate_mean(const sp_inv_climate *c, const double f[SP_CLIM_NCOND]);

typedef struct {
    char *name;       /* car, taxi... (the fleet rows of the table) */
    int nstd;
    char **std;       /* III, IV, V, VI, NEV... */
    double *mix;      /* share of each standard (sums to 1; measures applied) */
    double (*ef)[SP_NPOL];  /* exhaust g/km per standard */
    double ne[SP_NPOL];     /* non-exhaust g/km (tyres, brakes, road wear: EVs too) */
    double in_use[SP_NPOL]; /* real-world multiplier of the type-approval limit rows
                             * (VEHICLE/in_use; NAN: no row) */
    unsigned in_use_set;    /* bit p: a row names pollutant p (a '*' row does not override) */
    double work;            /* engine kWh per km (VEHICLE/work) for g/kWh limits; NAN: none */
    double clim[SP_CLIM_NCOND][SP_NPOL]; /* VEHICLE/climate:COND rows (1: none) */
    double clim_mult[SP_NPOL];           /* their hour-weighted mean over -climate (1) */
} sp_inv_vehicle;
/* A road class of the factor table's roadclass rows (OSM highway=..., 快速路 ...): what a
 * link of that class carries when its own fields do not say. NAN: not given. */
typedef struct {
    char *name;
    double aadt, speed;   /* veh/day, km/h */
    double *share;        /* model->nveh vehicle shares (NULL: not given) */
} sp_inv_roadclass;
typedef struct {
    double lo, hi;         /* lo <= speed < hi, km/h */
    double f[SP_NPOL];     /* exhaust correction factor */
} sp_inv_speed;

struct sp_inventory_model {
    const sp_factors *factors; /* the table with its TSP rows (tsp below) */
    sp_factors tsp;            /* the borrowed table plus a TSP row for each PM10 row whose
                                * sector and class have none (its rows array owned) */
    const sp_measures *measures; /* borrowed; NULL for a baseline */
    sp_inv_class *cuisine;  int ncuisine;  /* g/stove-h, uncontrolled */
    sp_inv_class *removal;  int nremoval;  /* purifier classes, removal fraction */
    double stove_gas;                       /* m3 of gas per stove-hour (0: none) */
    double stove_util;                      /* share of open hours a stove burns (0: 1) */
    double comb[SP_NPOL];                   /* g per m3 of gas burnt in kitchens */
    sp_inv_class *boiler;   int nboiler;   /* NOx classes, g/m3 of gas */
    double boiler_gas_rate;                 /* m3 per MW-h (0: not in the table) */
    sp_inv_vehicle *veh;    int nveh;
    const sp_inv_climate *climate;          /* borrowed; NULL: no climate correction */
    bool climate_rows;                      /* the table has VEHICLE/climate:COND rows */
    sp_inv_speed *speed;    int nspeed;    /* empty: no correction */
    sp_inv_roadclass *rclass; int nrclass; /* road classes (roadclass rows); '*': a link
                                            * without a class */
    double (*fleet)[SP_NPOL]; /* per speed bin (or 1 when none) x vehicle: g/km */
    sp_inv_class *area;     int narea;     /* t per m2-month / m2-yr / source-yr */
    double fac[SP_NCARRIER][SP_NPOL];       /* g per unit of each carrier (t: per kg
                                             * in the table, per t here) */
    double ncv[SP_NCARRIER];                /* GJ per unit (electricity 0.0036, heat 1;
                                             * others from the table, 0 when absent) */
    bool fac_rows;                          /* the table has facility rows */
    sp_inv_class *petrol;   int npetrol;   /* vapour-recovery classes: VOCs mg per litre */
    double petrol_density;                  /* t/m3 of gasoline (0: not in the table) */
    sp_inv_class *nonroad;  int nnonroad;  /* machinery stages (II, III, IV, NEV): g/kWh */
    double nonroad_load;                    /* default load factor (0: not in the table) */
    sp_inv_class *repair;   int nrepair;   /* VOC control classes: net removal of VOCs */
    double repair_voc;                      /* default VOC mass fraction of the coatings */
    double keep[SP_NSEC][SP_NPOL];          /* product of (1 - reduce%) */
    uint64_t fleet_active;                  /* fleet measures that changed a mix */
    void *state[SP_NSEC];                   /* a sector's own model, freed by its
                                             * state_free (NULL: none) */
};

/* Builds the model from a factor table and, for a scenario, measures (both borrowed
 * for the model's lifetime). Checks units, removal fractions in [0,1], fleet mixes
 * summing to 1 per vehicle, road rows naming a vehicle without fleet rows, speed bins,
 * and the names the measures use (unknown ones are listed with the known ones).
 * Free with sp_inventory_model_free. */
sp_status sp_inventory_model_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *m,
                                 sp_inventory_model **out);
/* The same with a year of hours for the climate rows (NULL: as sp_inventory_model_new).
 * The hours must outlive the model. */
sp_status sp_inventory_model_new_climate(sp_ctx *ctx, const sp_factors *f,
                                         const sp_measures *m, const sp_inv_climate *climate,
                                         sp_inventory_model **out);
/* A scenario whose measures count part of a year (sp_measure_year_share < 1 for -year):
 * model k has the first k + 1 measures in full, so that a source's scenario emission is
 * its baseline plus sum_k share_k x (E_k - E_k-1), each measure's own change pro rata
 * (exact when measures touch different sources or add up; otherwise the table's order
 * decides what each adds, as for the marginal changes). n = 0: none needed. */
typedef struct {
    sp_inventory_model **step;
    double *share;
    sp_measures *sub; /* the prefixes' lists (their measures borrowed) */
    int n;
} sp_inv_dated;
/* Builds d for year y (no model when every measure counts in full). Free with
 * sp_inv_dated_free. */
sp_status sp_inv_dated_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *ms,
                           const sp_inv_climate *climate, int y, sp_inv_dated *d);
void sp_inv_dated_free(sp_inv_dated *d);
struct sp_sector_desc;
/* es: the source's scenario emission for the year, from its baseline eb (d->n > 0). */
void sp_inv_dated_emit(const sp_inv_dated *d, const struct sp_sector_desc *desc,
                       const void *src, const double eb[SP_NPOL], double es[SP_NPOL]);

/* "car NOx x1.031, ..." : each vehicle's climate multiplier where it is not 1, into buf
 * ("" when none). */
void sp_inventory_model_climate_note(const sp_inventory_model *m, char *buf, size_t size);
void sp_inventory_model_free(sp_inventory_model *model);

/* ---- sectors: one file each (inventory/sectors/) --------------------------------
 * A sector is one file exporting one sp_sector_desc, named in sp_sectors.def:
 *   SP_SECTOR(ID, name)   ->  SP_SEC_ID, and the descriptor sp_sector_name.
 * sp_inventory_check_sectors (run by every model_new, and by the unit tests) names the
 * piece a descriptor lacks; nothing falls back to another sector's behaviour. The helpers a
 * sector file uses (its reader, its factor rows, classes) are in sp_inventory_impl.h. */
enum { SP_SECTOR_MAX_ROWS = 3 };
typedef struct sp_inv_reader sp_inv_reader; /* one registry being read (io side) */
typedef struct {
    const char *key;  /* "catering.stoves": the -map / -values / -default key */
    const char *def;  /* default field name: "stoves" */
} sp_inv_field_desc;
typedef struct sp_sector_desc {
    const char *name;    /* "catering": the layer name, -catering, `reduce catering` */
    sp_geom_kind geom;   /* what its sources are */
    const char *help;    /* what its input holds, for --help */
    const char *rows[SP_SECTOR_MAX_ROWS]; /* factor-table sector names it owns ("road",
                                           * "fleet"); NULL-terminated */
    const sp_inv_field_desc *fields; /* its activity fields (keys "NAME.x") */
    int nfields;
    /* optional: its measure lines (w[0] is its name): fills m; `measures` names them for
     * "known: ..." ("boiler retrofit") */
    sp_status (*measure)(sp_ctx *ctx, char **w, int nw, sp_measure *m, const char *where);
    const char *measures;
    /* optional first pass over the whole table (road: the fleet rows) */
    sp_status (*begin)(sp_ctx *ctx, const sp_factors *f, sp_inventory_model *m);
    /* one row of a sector it owns: checks it (errors "FILE:LINE: ...") and fills m */
    sp_status (*row)(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                     sp_inventory_model *m);
    /* optional, after every row: defaults ('*' classes), the measures that change the
     * model and the names they use (ms NULL for a baseline) */
    sp_status (*end)(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m);
    void (*state_free)(void *state); /* optional: frees m->state[its index] */
    /* one source (the struct its reader fills, src_size bytes): E in t/yr */
    void (*emit)(const sp_inventory_model *m, const void *src, double E[SP_NPOL],
                 uint64_t *applied);
    size_t src_size;
    /* optional: the source struct points at per-feature doubles (road: the vehicle
     * shares): the offset of that `const double *` member, and how many there are */
    size_t ext_offset;
    int (*ext_count)(const sp_inventory_model *m);
    /* the reader: finds its fields once per registry, then fills a source per feature */
    sp_status (*prepare)(sp_inv_reader *r);
    sp_status (*read)(sp_inv_reader *r, void *src);
} sp_sector_desc;
extern const sp_sector_desc *const SP_SECTORS[SP_NSEC];
/* Checks a sector table (NULL: SP_SECTORS): SP_ERR_INTERNAL naming the sector and the
 * missing piece, or SP_OK. */
sp_status sp_inventory_check_sectors(sp_ctx *ctx, const sp_sector_desc *const *table);
/* The activity fields of every sector are numbered in table order (the options' arrays
 * are indexed so), at most SP_INV_MAX_FIELDS of them. */
enum { SP_INV_MAX_FIELDS = 96 };
/* How many fields there are. */
int sp_inv_nfields(void);
/* The k-th field, its sector into *sec unless NULL; NULL past the end. */
const sp_inv_field_desc *sp_inv_field(int k, int *sec);
/* The number of sector s's first field. */
int sp_inv_field_base(int s);
/* The row's pollutant index into *p, checked: known, or '*' when star (then -1); and a
 * non-negative value. For the sectors' row parsers. */
sp_status sp_inv_row_check(sp_ctx *ctx, const sp_factors *f, const sp_factor *r, bool star,
                           int *p);

/* Index of a class by name in a list, or -1. */
int sp_inv_class_find(const sp_inv_class *c, int n, const char *name);
/* "a, b, c" of a class list into buf (for "known: ..." messages). */
const char *sp_inv_class_list(const sp_inv_class *c, int n, char *buf, size_t size);
/* Speed bin of speed (km/h), -1 when no bin holds it; 0 when the table has no bins. */
int sp_inventory_speed_bin(const sp_inventory_model *m, double speed);

/* One source each. Values are already checked (finite, non-negative, classes found).
 * E receives t/yr per pollutant; *applied gets the bit of each measure that changed
 * this source (bit i = measures->m[i]). */
typedef struct {
    double stoves, hours, days; /* stove count, h/day, days/yr */
    int cuisine;                /* index into model->cuisine */
    int removal;                /* index into model->removal, -1: no purifier */
} sp_catering_src;
/* Emissions of one restaurant, t/yr: stove-hours x (cuisine factor x (1 - purifier
 * removal) + kitchen gas combustion); purifier measures applied, then reductions. */
void sp_inventory_catering(const sp_inventory_model *m, const sp_catering_src *s,
                           double E[SP_NPOL], uint64_t *applied);

typedef struct {
    double gas_m3;  /* annual gas use, m3 */
    double cap_mw;  /* capacity (for retrofit thresholds); <0 unknown */
    int cls;        /* index into model->boiler */
} sp_boiler_src;
/* Emissions of one boiler, t/yr: gas use x its class's g/m3; retrofit measures applied,
 * then reductions. */
void sp_inventory_boiler(const sp_inventory_model *m, const sp_boiler_src *s,
                         double E[SP_NPOL], uint64_t *applied);

typedef struct {
    double length_m, aadt;
    int speed_bin;        /* sp_inventory_speed_bin */
    const double *share;  /* model->nveh vehicle shares summing to 1 */
} sp_road_src;
/* Emissions of one road link, t/yr: vehicle-km x the fleet's g/km at its speed bin;
 * fleet measures are already in the model. */
void sp_inventory_road(const sp_inventory_model *m, const sp_road_src *s, double E[SP_NPOL],
                       uint64_t *applied);

typedef struct {
    double area_m2, months;
    int cls; /* index into model->area */
    uint32_t controls; /* bit k: the site has dust control k (the table's dustcontrol rows) */
} sp_area_src;
/* Emissions of one area source, t/yr, by its class's unit (per m2-month, per m2-yr or
 * per source). */
void sp_inventory_area(const sp_inventory_model *m, const sp_area_src *s, double E[SP_NPOL],
                       uint64_t *applied);

typedef struct {
    double use[SP_NCARRIER]; /* annual use per carrier, in SP_CARRIER_UNIT */
} sp_facility_src;
/* Emissions of one key energy-using unit, t/yr: each carrier's use (after the facility
 * measures, in order) x its factors; electricity and heat give CO2_scope2 only. */
void sp_inventory_facility(const sp_inventory_model *m, const sp_facility_src *s,
                           double E[SP_NPOL], uint64_t *applied);
/* The carriers' use after the facility measures of m (in the order written); bit i of
 * *applied set for each measure that changed it. */
void sp_inventory_facility_use(const sp_inventory_model *m, const sp_facility_src *s,
                               double use[SP_NCARRIER], uint64_t *applied);

typedef struct {
    double gasoline_t; /* gasoline sold per year, t */
    int cls;           /* index into model->petrol (vapour-recovery class) */
} sp_petrol_src;
/* Evaporative VOCs of one petrol station, t/yr: litres sold (t / density) x its class's
 * mg/L (unloading, tank breathing, refuelling, spillage); recovery measures applied. */
void sp_inventory_petrol(const sp_inventory_model *m, const sp_petrol_src *s,
                         double E[SP_NPOL], uint64_t *applied);

typedef struct {
    double kw, hours, load; /* rated power, hours/yr, load factor (0-1) */
    int cls;                /* index into model->nonroad (emission stage, or NEV) */
} sp_nonroad_src;
/* Emissions of non-road machinery at one site, t/yr: kW x hours x load x the stage's
 * g/kWh; the nev measure moves a share of the work to the NEV class. */
void sp_inventory_nonroad(const sp_inventory_model *m, const sp_nonroad_src *s,
                          double E[SP_NPOL], uint64_t *applied);

typedef struct {
    double coating_kg;  /* paints, thinners and cleaning solvents used per year, kg */
    double voc;         /* their VOC mass fraction (0-1) */
    int cls;            /* index into model->repair (VOC control class) */
} sp_autorepair_src;
/* VOCs of one auto-repair shop (汽修), t/yr: kg used x VOC fraction x (1 - net removal of
 * its control class) / 1000; upgrade measures applied. */
void sp_inventory_autorepair(const sp_inventory_model *m, const sp_autorepair_src *s,
                             double E[SP_NPOL], uint64_t *applied);

#endif
