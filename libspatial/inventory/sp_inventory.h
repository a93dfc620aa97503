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

typedef enum {
    SP_SEC_CATERING, SP_SEC_BOILER, SP_SEC_ROAD, SP_SEC_AREA, SP_SEC_FACILITY, SP_SEC_PETROL,
    SP_SEC_NONROAD, SP_SEC_AUTOREPAIR, SP_NSEC
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
 */
typedef enum {
    SP_M_RETROFIT, SP_M_PURIFIER, SP_M_REMOVE, SP_M_NEV, SP_M_REDUCE, SP_M_FACILITY,
    SP_M_PETROL, SP_M_NONROAD_NEV, SP_M_AUTOREPAIR
} sp_measure_kind;
typedef enum { SP_FAC_EFFICIENCY, SP_FAC_SWITCH, SP_FAC_ELECTRIFY, SP_FAC_PV } sp_facility_op;
typedef struct {
    sp_measure_kind kind;
    int line;
    char *text;     /* the measure as written (trimmed), for the `measures` column */
    double min;     /* retrofit: min MW; purifier: min stoves */
    char *cls;      /* retrofit: target NOx class; purifier: purifier class */
    char *vehicle;  /* remove/nev */
    char *standard; /* remove */
    double share;   /* nev: target share in [0,1] */
    sp_sector sector; /* reduce */
    int pollutant;    /* reduce: index, or -1 for all */
    double percent;   /* reduce, facility efficiency: 0..100 */
    sp_facility_op op;  /* facility */
    int from, to;       /* facility switch/electrify: carriers */
    double cop, eff;    /* facility electrify */
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

/* ---- model: the factor table resolved for fast per-source computation --------- */
typedef struct {
    char *name;
    double v[SP_NPOL];  /* factor per pollutant (0 when the table has no row) */
    int unit[SP_NPOL];  /* area classes: SP_AREA_PER_M2_MONTH... */
    bool has[SP_NPOL];  /* the table has a row (else '*' fills it in) */
} sp_inv_class;
enum { SP_AREA_NONE, SP_AREA_PER_M2_MONTH, SP_AREA_PER_M2_YR, SP_AREA_PER_SOURCE_YR };
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
} sp_inv_vehicle;
typedef struct {
    double lo, hi;         /* lo <= speed < hi, km/h */
    double f[SP_NPOL];     /* exhaust correction factor */
} sp_inv_speed;

struct sp_inventory_model {
    const sp_factors *factors; /* borrowed */
    const sp_measures *measures; /* borrowed; NULL for a baseline */
    sp_inv_class *cuisine;  int ncuisine;  /* g/stove-h, uncontrolled */
    sp_inv_class *removal;  int nremoval;  /* purifier classes, removal fraction */
    double stove_gas;                       /* m3 of gas per stove-hour (0: none) */
    double stove_util;                      /* share of open hours a stove burns (0: 1) */
    double comb[SP_NPOL];                   /* g per m3 of gas burnt in kitchens */
    sp_inv_class *boiler;   int nboiler;   /* NOx classes, g/m3 of gas */
    double boiler_gas_rate;                 /* m3 per MW-h (0: not in the table) */
    sp_inv_vehicle *veh;    int nveh;
    sp_inv_speed *speed;    int nspeed;    /* empty: no correction */
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
};

/* Builds the model from a factor table and, for a scenario, measures (both borrowed
 * for the model's lifetime). Checks units, removal fractions in [0,1], fleet mixes
 * summing to 1 per vehicle, road rows naming a vehicle without fleet rows, speed bins,
 * and the names the measures use (unknown ones are listed with the known ones).
 * Free with sp_inventory_model_free. */
sp_status sp_inventory_model_new(sp_ctx *ctx, const sp_factors *f, const sp_measures *m,
                                 sp_inventory_model **out);
void sp_inventory_model_free(sp_inventory_model *model);

/* ---- sectors: one table entry each (sp_inventory_sectors.c) ------------------------
 * Adding a sector: an SP_SEC_ value, an entry in SP_SECTORS, its activity fields in
 * SP_INV_FIELDS (sp_inventory_run.c), its reader in READERS there, and its factor rows
 * in the table. sp_inventory_check_sectors (run by every model_new, and by the unit
 * tests) names the piece left out; nothing falls back to another sector's behaviour. */
enum { SP_SECTOR_MAX_ROWS = 3 };
typedef struct sp_sector_desc {
    const char *name;    /* "catering": the layer name, -catering, `reduce catering` */
    sp_geom_kind geom;   /* what its sources are */
    const char *help;    /* what its input holds, for --help */
    const char *rows[SP_SECTOR_MAX_ROWS]; /* factor-table sector names it owns ("road",
                                           * "fleet"); NULL-terminated */
    /* optional first pass over the whole table (road: the fleet rows) */
    sp_status (*begin)(sp_ctx *ctx, const sp_factors *f, sp_inventory_model *m);
    /* one row of a sector it owns: checks it (errors "FILE:LINE: ...") and fills m */
    sp_status (*row)(sp_ctx *ctx, const sp_factors *f, const sp_factor *r,
                     sp_inventory_model *m);
    /* optional, after every row: defaults ('*' classes), the measures that change the
     * model (ms NULL for a baseline) */
    sp_status (*end)(sp_ctx *ctx, const sp_measures *ms, sp_inventory_model *m);
    /* one source (the struct its reader fills, src_size bytes): E in t/yr */
    void (*emit)(const sp_inventory_model *m, const void *src, double E[SP_NPOL],
                 uint64_t *applied);
    size_t src_size;
} sp_sector_desc;
extern const sp_sector_desc SP_SECTORS[SP_NSEC];
/* Checks a sector table (NULL: SP_SECTORS) and SP_INV_FIELDS: SP_ERR_INTERNAL naming the
 * sector and the missing piece, or SP_OK. */
sp_status sp_inventory_check_sectors(sp_ctx *ctx, const sp_sector_desc *table);
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

/* ---- the whole run (sp_inventory_run.c; OGR in, GeoPackage out) ---------------- */
/* Activity fields, by key; defaults match the samples (see sp_inventory_options_init). */
typedef enum {
    SP_F_STOVES, SP_F_CUISINE, SP_F_HOURS, SP_F_DAYS, SP_F_PURIFIER, SP_F_PUR_CLASS,
    SP_F_GAS, SP_F_CAP_MW, SP_F_BOILER_HOURS, SP_F_NOX_CLASS, SP_F_FUEL,
    SP_F_AADT, SP_F_SPEED, SP_F_SHARE_PREFIX,
    SP_F_AREA_CLASS, SP_F_MONTHS,
    SP_F_FAC_GAS, SP_F_FAC_ELEC, SP_F_FAC_HEAT, SP_F_FAC_DIESEL, SP_F_FAC_COAL, SP_F_FAC_LPG,
    SP_F_PET_GASOLINE, SP_F_PET_CLASS,
    SP_F_NR_KW, SP_F_NR_HOURS, SP_F_NR_LOAD, SP_F_NR_STAGE,
    SP_F_AR_KG, SP_F_AR_VOC, SP_F_AR_CLASS,
    SP_NFIELDS
} sp_inv_field;
typedef struct {
    sp_sector sector;
    const char *key;  /* "catering.stoves": the -map key */
    const char *def;  /* default field name: "stoves" */
} sp_inv_field_desc;
extern const sp_inv_field_desc SP_INV_FIELDS[SP_NFIELDS];

#endif
