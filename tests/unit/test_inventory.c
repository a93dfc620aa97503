/* Unit tests of sp_factors and sp_inventory: hand-computed emissions of one source of
 * each sector and of each kind of measure, on a tiny factor table, and the wording of
 * the errors of bad tables and bad measures files. */
#include "check.h"
#include "inventory/sp_inventory.h"
#include "inventory/sp_inventory_run.h"
#include "inventory/sp_inventory_run_impl.h"
#include "io/sp_ctx_io.h"

#include <math.h>

#include <stdlib.h>

static const char *TABLE =
    "# a tiny table\n"
    "sector,class,pollutant,value,unit,source\n"
    "catering,chinese,PM2.5,20,g/stove-h,test\n"
    "catering,chinese,VOCs,10,g/stove-h,\"quoted, with a comma and \"\"quotes\"\"\"\n"
    "catering,removal:low,PM2.5,0.6,fraction,test\n"
    "catering,removal:high,PM2.5,0.85,fraction,test\n"
    "catering,gas,gas_use,2,m3/stove-h,test\n"
    "catering,combustion,NOx,1.5,g/m3,test\n"
    "catering,combustion,CO2,2000,g/m3,test\n"
    "\n"
    "boiler,low,NOx,0.3,g/m3,test\n"
    "boiler,conv,NOx,1.2,g/m3,test\n"
    "boiler,*,CO2,2160,g/m3,test\n"
    "boiler,conv,CO2,2000,g/m3,explicit beats *\n"
    "fleet,car/IV,share,0.5,fraction,t\n"
    "fleet,car/VI,share,0.3,fraction,t\n"
    "fleet,car/NEV,share,0.2,fraction,t\n"
    "fleet,taxi/VI,share,0.6,fraction,t\n"
    "fleet,taxi/NEV,share,0.4,fraction,t\n"
    "road,car/IV,NOx,0.2,g/km,t\n"
    "road,car/VI,NOx,0.05,g/km,t\n"
    "road,car/*,CO2,200,g/km,t\n"
    "road,car/nonexhaust,PM2.5,0.01,g/km,t\n"
    "road,taxi/VI,NOx,0.1,g/km,t\n"
    "road,taxi/*,CO2,180,g/km,t\n"
    "road,speed:0-30,*,1.5,factor,t\n"
    "road,speed:30-200,*,1,factor,t\n"
    "road,speed:0-30,CO2,1.2,factor,t\n"
    "area,*,PM10,1e-4,t/m2-month,t\n"
    "area,paved,PM10,2,t/source-yr,t\n"
    "facility,gas,NOx,0.8,g/m3,t\n"
    "facility,gas,CO2,2000,g/m3,t\n"
    "facility,gas,ncv,0.04,GJ/m3,t\n"
    "facility,electricity,CO2_scope2,500,g/kWh,t\n"
    "facility,heat,CO2_scope2,100000,g/GJ,t\n"
    "facility,diesel,CO2,3000,g/kg,t\n"
    "facility,diesel,ncv,40,GJ/t,t\n"
    "petrol,gasoline,density,0.75,t/m3,t\n"
    "petrol,stage1,VOCs,1500,mg/L,t\n"
    "petrol,stage2,VOCs,400,mg/L,t\n"
    "nonroad,load,factor,0.5,fraction,t\n"
    "nonroad,III,NOx,4,g/kWh,t\n"
    "nonroad,NEV,CO2_scope2,600,g/kWh,t\n"
    "autorepair,coating,voc_content,0.5,fraction,t\n"
    "autorepair,none,VOCs,0,fraction,t\n"
    "autorepair,center,VOCs,0.8,fraction,t\n";

static sp_factors *table(sp_ctx *ctx)
{
    sp_factors *f = NULL;
    CHECK(sp_factors_parse(ctx, TABLE, "t.csv", &f) == SP_OK);
    return f;
}

static sp_inventory_model *model(sp_ctx *ctx, const sp_factors *f, const char *measures,
                                 sp_measures **ms)
{
    sp_inventory_model *m = NULL;
    *ms = NULL;
    if (measures)
        CHECK(sp_measures_parse(ctx, measures, "m.txt", ms) == SP_OK);
    CHECK(sp_inventory_model_new(ctx, f, *ms, &m) == SP_OK);
    return m;
}

static void test_table(sp_ctx *ctx)
{
    sp_factors *f = table(ctx);
    CHECK(f && f->n == 43);
    const sp_factor *r = sp_factors_find(f, "catering", "chinese", "VOCs");
    CHECK_STR(r ? r->source : NULL, "quoted, with a comma and \"quotes\"");
    CHECK(r && r->line == 4);
    CHECK(sp_factors_get(ctx, f, "boiler", "low", "NOx", "g/m3", &r) == SP_OK && r);
    CHECK(sp_factors_get(ctx, f, "boiler", "low", "NOx", "mg/m3", &r) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "t.csv:11: boiler/low/NOx has unit 'g/m3', expected 'mg/m3'");
    CHECK(sp_pollutant_index("pm25") == SP_PM25 && sp_pollutant_index("PM2.5") == SP_PM25);
    CHECK(sp_pollutant_index("O3") == -1);
    sp_factors_free(f);

    static const struct {
        const char *text, *msg;
    } BAD[] = {
        {"a,b,c\n", "x.csv:1: the header must be"},
        {"", "empty factor table"},
        {"sector,class,pollutant,value,unit,source\nboiler,low,NOx,0.3,g/m3,\n",
         "x.csv:2: the source is empty (every factor needs its source"},
        {"sector,class,pollutant,value,unit,source\nboiler,low,NOx,abc,g/m3,s\n",
         "x.csv:2: value 'abc' is not a number"},
        {"sector,class,pollutant,value,unit,source\nboiler,low,NOx,1,g/m3,s\n"
         "boiler,low,NOx,2,g/m3,s\n",
         "x.csv:3: boiler/low/NOx is already given on line 2"},
        {"sector,class,pollutant,value,unit,source\nboiler,low,NOx,1,g/m3,\"s\n",
         "x.csv:2: unterminated quoted field"},
        {"sector,class,pollutant,value,unit,source\nboiler,low,NOx,1,g/m3,s,t,u\n",
         "x.csv:2: more than 7 fields"},
        {"sector,class,pollutant,value,unit,source\nboiler,low,NOx,1,g/m3,s,40%\n",
         "x.csv:2: 7 field(s), expected 6 (sector"},
        {"sector,class,pollutant,value,unit,source,uncertainty\nboiler,low,NOx,1,g/m3,s,40\n",
         "x.csv:2: uncertainty '40' is not a percentage"},
        {"sector,class,pollutant,value,unit,source,uncertainty\nboiler,low,NOx,1,g/m3,s,-5%\n",
         "x.csv:2: uncertainty '-5%' is not a percentage"},
        {"sector,class,pollutant,value,unit,source\nboiler,low\n",
         "x.csv:2: 2 field(s), expected 6"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        sp_factors *b = (sp_factors *)1;
        CHECK(sp_factors_parse(ctx, BAD[i].text, "x.csv", &b) == SP_ERR_DATA && !b);
        CHECK_HAS(sp_ctx_message(ctx), BAD[i].msg);
    }

    /* tables that parse but cannot make a model */
    static const struct {
        const char *row, *msg;
    } BADM[] = {
        {"boiler,low,NOx,0.3,mg/m3,s", "x.csv:2: boiler rows are in g/m3"},
        {"boiler,low,O3,0.3,g/m3,s", "x.csv:2: unknown pollutant 'O3'"},
        {"boiler,low,NOx,-1,g/m3,s", "x.csv:2: a factor cannot be negative"},
        {"fleet,car/IV,share,0.9,fraction,s", "the fleet shares of 'car' sum to 0.9, not 1"},
        {"road,bike/IV,NOx,1,g/km,s", "x.csv:2: road rows are 'road,VEHICLE/STANDARD"},
        {"catering,removal:low,PM2.5,1.5,fraction,s", "a removal fraction must be between 0 and 1"},
        {"catering,chinese,PM2.5,1,g/h,s", "catering/chinese rows are in g/stove-h, not 'g/h'"},
        {"road,speed:30-10,*,1,factor,s", "a speed bin is 'speed:LOW-HIGH'"},
        {"area,x,PM10,1,t/yr,s", "area rows are in t/m2-month, t/m2-yr or t/source-yr"},
        {"ships,x,PM10,1,t,s", "unknown sector 'ships' (known: catering, boiler, road, fleet, roadclass, "
                               "area, dustcontrol, facility, petrol, nonroad, autorepair)"},
    };
    for (size_t i = 0; i < sizeof BADM / sizeof *BADM; i++) {
        char text[512];
        snprintf(text, sizeof text, "sector,class,pollutant,value,unit,source\n%s\n", BADM[i].row);
        sp_factors *b = NULL;
        CHECK(sp_factors_parse(ctx, text, "x.csv", &b) == SP_OK);
        sp_inventory_model *m = (sp_inventory_model *)1;
        CHECK(sp_inventory_model_new(ctx, b, NULL, &m) == SP_ERR_DATA && !m);
        CHECK_HAS(sp_ctx_message(ctx), BADM[i].msg);
        sp_factors_free(b);
    }
}

static void test_catering(sp_ctx *ctx, const sp_factors *f)
{
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    int chinese = sp_inv_class_find(m->cuisine, m->ncuisine, "chinese");
    int low = sp_inv_class_find(m->removal, m->nremoval, "low");
    CHECK(chinese == 0 && low >= 0);
    /* 3 stoves x 10 h x 300 days = 9000 stove-hours */
    sp_catering_src s = {3, 10, 300, chinese, -1};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_catering(m, &s, E, &ap);
    CHECK_REL(E[SP_PM25], 9000 * 20 / 1e6, 1e-15); /* 0.18 t */
    CHECK_REL(E[SP_VOCS], 0.09, 1e-15);
    CHECK_REL(E[SP_NOX], 9000 * 2 * 1.5 / 1e6, 1e-15); /* kitchen gas */
    CHECK_REL(E[SP_CO2], 36, 1e-15);
    CHECK(E[SP_SO2] == 0 && ap == 0);
    s.removal = low; /* 60 % of PM2.5 removed, nothing of VOCs (no row) */
    sp_inventory_catering(m, &s, E, &ap);
    CHECK_REL(E[SP_PM25], 0.072, 1e-15);
    CHECK_REL(E[SP_VOCS], 0.09, 1e-15);
    sp_inventory_model_free(m);

    m = model(ctx, f, "catering purifier min_stoves 3 class high\n", &ms);
    int high = sp_inv_class_find(m->removal, m->nremoval, "high");
    s.removal = -1;
    sp_inventory_catering(m, &s, E, &ap);
    CHECK_REL(E[SP_PM25], 0.18 * 0.15, 1e-15);
    CHECK(ap == 1);
    s.removal = low; /* upgraded: low removes less than high */
    sp_inventory_catering(m, &s, E, &ap);
    CHECK_REL(E[SP_PM25], 0.027, 1e-15);
    CHECK(ap == 1);
    s.removal = high; /* already there: unchanged, not tagged */
    sp_inventory_catering(m, &s, E, &ap);
    CHECK(ap == 0);
    s.stoves = 2; /* below the threshold */
    s.removal = -1;
    sp_inventory_catering(m, &s, E, &ap);
    CHECK_REL(E[SP_PM25], 0.12, 1e-15);
    CHECK(ap == 0);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
}

/* Tables (the header, then head, then rows[i]) that parse but make no model: each fails
 * with its message msgs[i]. */
static void bad_models(sp_ctx *ctx, const char *path, const char *head,
                       const char *const *rows, const char *const *msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char t[512];
        snprintf(t, sizeof t, "sector,class,pollutant,value,unit,source\n%s%s\n", head,
                 rows[i]);
        sp_factors *f = NULL;
        CHECK(sp_factors_parse(ctx, t, path, &f) == SP_OK);
        sp_inventory_model *m = (sp_inventory_model *)1;
        CHECK(sp_inventory_model_new(ctx, f, NULL, &m) == SP_ERR_DATA && !m);
        CHECK_HAS(sp_ctx_message(ctx), msgs[i]);
        sp_factors_free(f);
    }
}

/* The stoves' utilisation: the share of the opening hours a stove burns scales both the
 * cooking and the kitchen gas; an absent row counts every open hour (above). */
static void test_catering_utilisation(sp_ctx *ctx)
{
    const char *text = "sector,class,pollutant,value,unit,source\n"
                       "catering,roast_duck,PM2.5,12.62,g/stove-h,t\n"
                       "catering,gas,gas_use,2,m3/stove-h,t\n"
                       "catering,combustion,NOx,1.5,g/m3,t\n"
                       "catering,activity,utilisation,0.4,fraction,t\n";
    sp_factors *f = NULL;
    CHECK(sp_factors_parse(ctx, text, "u.csv", &f) == SP_OK);
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    int duck = sp_inv_class_find(m->cuisine, m->ncuisine, "roast_duck");
    CHECK(duck == 0);
    /* 2 stoves x 12 h x 350 days x 0.4 = 3360 stove-hours in use */
    sp_catering_src s = {2, 12, 350, duck, -1};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_catering(m, &s, E, &ap);
    CHECK_REL(E[SP_PM25] / (3360 * 12.62 / 1e6), 1, 1e-14);  /* 0.0424 t */
    CHECK_REL(E[SP_NOX] / (3360 * 2 * 1.5 / 1e6), 1, 1e-14); /* the gas burns only in use */
    sp_inventory_model_free(m);
    sp_factors_free(f);
    static const char *BAD[] = {"catering,activity,utilisation,0,fraction,t",
                                "catering,activity,utilisation,1.2,fraction,t",
                                "catering,activity,utilisation,0.5,h/h,t",
                                "catering,activity,hours,0.5,fraction,t"};
    static const char *MSG[] = {"must be in (0, 1]", "must be in (0, 1]",
                                "expected 'catering,activity,utilisation,VALUE,fraction",
                                "expected 'catering,activity,utilisation,VALUE,fraction"};
    bad_models(ctx, "u.csv", "", BAD, MSG, 4);
}

static void test_boiler(sp_ctx *ctx, const sp_factors *f)
{
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    int conv = sp_inv_class_find(m->boiler, m->nboiler, "conv");
    int low = sp_inv_class_find(m->boiler, m->nboiler, "low");
    sp_boiler_src b = {1e5, 3, conv}; /* 10 x 10^4 m3 */
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_boiler(m, &b, E, &ap);
    CHECK_REL(E[SP_NOX], 0.12, 1e-15);
    CHECK_REL(E[SP_CO2], 200, 1e-15); /* the class's own row beats '*' */
    b.cls = low;
    sp_inventory_boiler(m, &b, E, &ap);
    CHECK_REL(E[SP_NOX], 0.03, 1e-15);
    CHECK_REL(E[SP_CO2], 216, 1e-15); /* from '*' */
    sp_inventory_model_free(m);

    m = model(ctx, f, "boiler retrofit min_mw 2\n", &ms);
    b.cls = conv;
    sp_inventory_boiler(m, &b, E, &ap);
    CHECK_REL(E[SP_NOX], 0.03, 1e-15);
    CHECK(ap == 1);
    b.cap_mw = 2; /* exactly min_mw: retrofitted (X MW or more) */
    sp_inventory_boiler(m, &b, E, &ap);
    CHECK_REL(E[SP_NOX], 0.03, 1e-15);
    CHECK(ap == 1);
    b.cap_mw = 1.999999;
    sp_inventory_boiler(m, &b, E, &ap);
    CHECK_REL(E[SP_NOX], 0.12, 1e-15);
    CHECK(ap == 0);
    b.cap_mw = 1;
    sp_inventory_boiler(m, &b, E, &ap);
    CHECK_REL(E[SP_NOX], 0.12, 1e-15);
    CHECK(ap == 0);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
}

/* type-approval limits: g/km-limit x the vehicle's in-use multiplier (a pollutant's own
 * row wins over '*', before or after it); g/kWh-limit x work (kWh/km) x in-use */
/* Road classes by hand: a class's AADT, speed and mix parsed; a vehicle missing from a
 * class's rows has share 0; a class without AADT, shares that do not sum to 1, a vehicle
 * the fleet rows lack and a malformed row are refused with the file and what is wrong. */
static void test_roadclasses(sp_ctx *ctx)
{
    const char *head = "sector,class,pollutant,value,unit,source\n"
                       "fleet,car/VI,share,1,fraction,t\nfleet,bus/VI,share,1,fraction,t\n"
                       "road,car/VI,NOx,0.1,g/km,t\nroad,bus/VI,NOx,1,g/km,t\n";
    char text[2048];
    snprintf(text, sizeof text, "%sroadclass,primary,aadt,30000,veh/day,a\n"
             "roadclass,primary,speed,35,km/h,a\nroadclass,primary/car,share,0.9,fraction,a\n"
             "roadclass,primary/bus,share,0.1,fraction,a\nroadclass,*,aadt,2000,veh/day,a\n"
             "roadclass,*/car,share,1,fraction,a\n", head);
    sp_factors *f = NULL;
    sp_inventory_model *m = NULL;
    CHECK(sp_factors_parse(ctx, text, "rc.csv", &f) == SP_OK);
    CHECK(sp_inventory_model_new(ctx, f, NULL, &m) == SP_OK && m->nrclass == 2);
    if (m && m->nrclass == 2) {
        const sp_inv_roadclass *p = &m->rclass[0], *star = &m->rclass[1];
        CHECK(!strcmp(p->name, "primary") && p->aadt == 30000 && p->speed == 35 &&
              p->share[0] == 0.9 && p->share[1] == 0.1);
        CHECK(!strcmp(star->name, "*") && star->aadt == 2000 && isnan(star->speed) &&
              star->share[0] == 1 && star->share[1] == 0);
    }
    sp_inventory_model_free(m);
    sp_factors_free(f);
    static const char *BAD[][2] = {
        {"roadclass,x,speed,30,km/h,a\n", "rc.csv: road class 'x' has no 'roadclass,x,aadt,V,veh/day' row"},
        {"roadclass,x,aadt,9,veh/day,a\nroadclass,x/car,share,0.5,fraction,a\n",
         "rc.csv: the vehicle shares of road class 'x' sum to 0.5, not 1"},
        {"roadclass,x,aadt,9,veh/day,a\nroadclass,x/tram,share,1,fraction,a\n",
         "rc.csv:7: 'tram' is not a vehicle of the fleet rows (known: car, bus)"},
        {"roadclass,x,aadt,9,veh/hour,a\n", "rc.csv:6: roadclass rows are 'roadclass,CLASS,aadt,V,veh/day'"},
        {"roadclass,x,aadt,-9,veh/day,a\n", "rc.csv:6: roadclass rows are"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        snprintf(text, sizeof text, "%s%s", head, BAD[i][0]);
        f = NULL;
        m = (sp_inventory_model *)1;
        CHECK(sp_factors_parse(ctx, text, "rc.csv", &f) == SP_OK);
        CHECK(sp_inventory_model_new(ctx, f, NULL, &m) == SP_ERR_DATA && !m);
        CHECK_HAS(sp_ctx_message(ctx), BAD[i][1]);
        sp_factors_free(f);
    }
}

/* Climate rows over four hand-made hours: the mean of each hour's product of factors */
static void test_climate(sp_ctx *ctx)
{
    /* RH from the dew point: T = 20, Td = 10 -> 100 exp(17.625 (10/253.04 - 20/263.04)) */
    CHECK_REL(sp_inv_rh_from_dewpoint(20, 10), 52.54133, 1e-6); /* Python: 52.5413255810659 */
    CHECK(sp_inv_rh_from_dewpoint(5, 5) == 100 && sp_inv_rh_from_dewpoint(5, 6) == 100);
    sp_inv_climate c = {0};
    sp_inv_climate_add(&c, -5, 30);  /* cold, dry */
    sp_inv_climate_add(&c, 12, 50);  /* neither: exactly 50 % */
    sp_inv_climate_add(&c, 24.5, 40); /* dry, hot_dry (above 24), not hot (not above 25) */
    sp_inv_climate_add(&c, 30, 70);  /* hot, humid, hot_humid */
    sp_inv_climate_add(&c, NAN, 70); /* skipped */
    CHECK(c.used == 4 && c.skipped == 1);
    double f[SP_CLIM_NCOND] = {2, 3, 5, 7, 11, 13}; /* cold hot dry humid hot_dry hot_humid */
    CHECK_REL(sp_inv_climate_mean(&c, f), (2 * 5 + 1 + 5 * 11 + 3 * 7 * 13) / 4.0, 1e-15);
    const char *text = "sector,class,pollutant,value,unit,source\n"
                       "fleet,car/IV,share,1,fraction,t\n"
                       "road,car/IV,NOx,0.1,g/km,t\n"
                       "road,car/nonexhaust,PM2.5,0.01,g/km,t\n"
                       "road,car/IV,PM2.5,0.003,g/km,t\n"
                       "road,car/climate:cold,*,2,factor,t\n"
                       "road,car/climate:cold,NOx,4,factor,t\n";
    sp_factors *t = NULL;
    CHECK(sp_factors_parse(ctx, text, "c.csv", &t) == SP_OK);
    sp_inventory_model *m = NULL;
    CHECK(sp_inventory_model_new_climate(ctx, t, NULL, &c, &m) == SP_OK && m);
    double share[1] = {1};
    sp_road_src r = {1000, 1000, 0, share};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_road(m, &r, E, &ap);
    /* one cold hour of four: NOx x (4 + 3) / 4 (its own row wins over '*'); PM2.5 exhaust
     * x (2 + 3) / 4, the non-exhaust untouched */
    CHECK_REL(E[SP_NOX], 365000 * 0.1 * 7 / 4 / 1e6, 1e-14);
    CHECK_REL(E[SP_PM25], 365000 * (0.003 * 5 / 4 + 0.01) / 1e6, 1e-14);
    sp_inventory_model_free(m);
    CHECK(sp_inventory_model_new(ctx, t, NULL, &m) == SP_OK); /* no hours: no correction */
    sp_inventory_road(m, &r, E, &ap);
    CHECK_REL(E[SP_NOX], 365000 * 0.1 / 1e6, 1e-14);
    sp_inventory_model_free(m);
    sp_factors_free(t);
}

static void test_road_limits(sp_ctx *ctx)
{
    const char *text = "sector,class,pollutant,value,unit,source\n"
                       "fleet,car/IV,share,1,fraction,t\n"
                       "fleet,bus/VI,share,0.5,fraction,t\n"
                       "fleet,bus/NEV,share,0.5,fraction,t\n"
                       "road,car/IV,NOx,0.08,g/km-limit,t\n"
                       "road,car/IV,CO,1.0,g/km-limit,t\n"
                       "road,car/IV,PM2.5,0.003,g/km,t\n"
                       "road,car/in_use,NOx,3,factor,t\n"
                       "road,car/in_use,*,1.5,factor,t\n"
                       "road,bus/*,CO,1.5,g/kWh-limit,t\n"
                       "road,bus/VI,NOx,1.42,g/km,t\n"
                       "road,bus/in_use,*,2,factor,t\n"
                       "road,bus/work,*,1.2,kWh/km,t\n";
    sp_factors *f = NULL;
    CHECK(sp_factors_parse(ctx, text, "l.csv", &f) == SP_OK);
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    double share[2] = {0.5, 0.5}; /* car, bus */
    /* 1 km x 1000 veh/day x 365 = 365,000 veh-km */
    sp_road_src r = {1000, 1000, 0, share}; /* no speed rows: one bin */
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_road(m, &r, E, &ap);
    /* car NOx 0.08 x 3 (its own row) = 0.24; bus NOx 1.42 (measured: as given) x 0.5 VI */
    CHECK_REL(E[SP_NOX] / (365000 * (0.5 * 0.24 + 0.5 * 0.5 * 1.42) / 1e6), 1, 1e-14);
    /* car CO 1.0 x 1.5 ('*'); bus CO 1.5 g/kWh x 1.2 kWh/km x 2 = 3.6 on the VI half */
    CHECK_REL(E[SP_CO] / (365000 * (0.5 * 1.5 + 0.5 * 0.5 * 3.6) / 1e6), 1, 1e-14);
    CHECK_REL(E[SP_PM25] / (365000 * 0.5 * 0.003 / 1e6), 1, 1e-14); /* g/km: as given */
    sp_inventory_model_free(m);
    sp_factors_free(f);
    static const char *BAD[] = {
        "road,car/IV,NOx,0.08,g/km-limit,t",
        "road,car/in_use,*,1.5,factor,t\nroad,car/IV,CO,1,g/kWh-limit,t",
        "road,car/work,NOx,1,kWh/km,t",
        "road,car/work,*,0,kWh/km,t",
        "road,car/in_use,*,1.5,g/km,t",
        "road,van/in_use,*,1.5,factor,t",
        "road,car/nonexhaust,PM10,1,g/km-limit,t",
        "fleet,car/in_use,share,0,fraction,t",
        "road,car/IV,NOx,1,mg/km,t",
    };
    static const char *MSG[] = {
        "l.csv:3: a type-approval limit (g/km-limit) needs the in-use multiplier of 'car': a "
        "row 'road,car/in_use,NOx|*,VALUE,factor,SOURCE'",
        "l.csv:4: an engine limit in g/kWh needs the work per km of 'car': a row "
        "'road,car/work,*,VALUE,kWh/km,SOURCE'",
        "l.csv:3: expected 'road,car/work,*,VALUE,kWh/km,SOURCE' with a value above 0",
        "l.csv:3: expected 'road,car/work,*,VALUE,kWh/km,SOURCE' with a value above 0",
        "l.csv:3: in-use multipliers are in 'factor', not 'g/km'",
        "l.csv:3: 'van' is not a vehicle of the fleet rows (known: car)",
        "l.csv:3: non-exhaust rows are in g/km, not 'g/km-limit'",
        "l.csv:3: 'in_use' is not a standard",
        "l.csv:3: road rows are in g/km, g/km-limit or g/kWh-limit, not 'mg/km'",
    };
    bad_models(ctx, "l.csv", "fleet,car/IV,share,1,fraction,t\n", BAD, MSG,
               sizeof BAD / sizeof *BAD);
}

static void test_road(sp_ctx *ctx, const sp_factors *f)
{
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    CHECK(m->nveh == 2 && m->nspeed == 2);
    CHECK(sp_inventory_speed_bin(m, 50) == 1 && sp_inventory_speed_bin(m, 20) == 0);
    CHECK(sp_inventory_speed_bin(m, 30) == 1 && sp_inventory_speed_bin(m, 250) == -1);
    double share[2] = {0.75, 0.25}; /* car, taxi */
    /* 2 km x 1000 veh/day x 365 = 730,000 veh-km */
    sp_road_src r = {2000, 1000, 1, share};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_road(m, &r, E, &ap);
    /* car NOx 0.5*0.2 + 0.3*0.05 = 0.115; taxi 0.6*0.1 = 0.06 */
    CHECK_REL(E[SP_NOX], 730000 * (0.75 * 0.115 + 0.25 * 0.06) / 1e6, 1e-14);
    /* CO2: '*' rows cover the combustion standards, never NEV */
    CHECK_REL(E[SP_CO2], 730000 * (0.75 * 0.8 * 200 + 0.25 * 0.6 * 180) / 1e6, 1e-14);
    /* non-exhaust PM counts every car, the electric ones too */
    CHECK_REL(E[SP_PM25], 730000 * 0.75 * 0.01 / 1e6, 1e-14);
    r.speed_bin = 0; /* congested: exhaust x1.5, CO2 x1.2; non-exhaust unchanged */
    sp_inventory_road(m, &r, E, &ap);
    CHECK_REL(E[SP_NOX], 1.5 * 0.0739125, 1e-14);
    CHECK_REL(E[SP_CO2], 1.2 * 107.31, 1e-14);
    CHECK_REL(E[SP_PM25], 0.005475, 1e-14);
    sp_inventory_model_free(m);

    m = model(ctx, f, "road remove car IV\nroad nev taxi 70%\n", &ms);
    CHECK_REL(m->veh[0].mix[1], 0.6, 1e-15); /* car VI takes IV's share: 0.3/0.5 */
    CHECK_REL(m->veh[0].mix[2], 0.4, 1e-15);
    CHECK_REL(m->veh[1].mix[0], 0.3, 1e-15); /* taxi VI scaled to 0.3 */
    r.speed_bin = 1;
    sp_inventory_road(m, &r, E, &ap);
    CHECK_REL(E[SP_NOX], 730000 * (0.75 * 0.6 * 0.05 + 0.25 * 0.3 * 0.1) / 1e6, 1e-14);
    CHECK_REL(E[SP_CO2], 730000 * (0.75 * 0.6 * 200 + 0.25 * 0.3 * 180) / 1e6, 1e-14);
    CHECK(ap == 3);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
    /* a lower new-energy target than today's is left alone, with a warning */
    size_t w = sp_ctx_warning_count(ctx);
    m = model(ctx, f, "road nev taxi 0.2\n", &ms);
    CHECK(sp_ctx_warning_count(ctx) == w + 1);
    CHECK_HAS(sp_ctx_warning(ctx, w), "already 0.4, above 0.2");
    CHECK_REL(m->veh[1].mix[1], 0.4, 1e-15);
    sp_inventory_road(m, &r, E, &ap);
    CHECK(ap == 0); /* nothing changed: the roads are not tagged */
    sp_inventory_model_free(m);
    sp_measures_free(ms);
    /* removing twice: the second changes nothing and tags nothing */
    m = model(ctx, f, "road remove car IV\nroad remove car IV\n", &ms);
    sp_inventory_road(m, &r, E, &ap);
    CHECK(ap == 1);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
}

static void test_area(sp_ctx *ctx, const sp_factors *f)
{
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    int star = sp_inv_class_find(m->area, m->narea, "*");
    int paved = sp_inv_class_find(m->area, m->narea, "paved");
    sp_area_src a = {1000, 6, star, 0};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_area(m, &a, E, &ap);
    CHECK_REL(E[SP_PM10], 1000 * 6 * 1e-4, 1e-15);
    CHECK(E[SP_PM25] == 0);
    a.cls = paved; /* a total per source, whatever the area */
    sp_inventory_area(m, &a, E, &ap);
    CHECK_REL(E[SP_PM10], 2, 1e-15);
    sp_inventory_model_free(m);

    m = model(ctx, f, "reduce area PM10 30\nreduce boiler all 10%\n", &ms);
    a.cls = star;
    sp_inventory_area(m, &a, E, &ap);
    CHECK_REL(E[SP_PM10], 0.6 * 0.7, 1e-15);
    CHECK(ap == 1);
    sp_boiler_src b = {1e5, 3, sp_inv_class_find(m->boiler, m->nboiler, "low")};
    sp_inventory_boiler(m, &b, E, &ap);
    CHECK_REL(E[SP_NOX], 0.03 * 0.9, 1e-15);
    CHECK_REL(E[SP_CO2], 216 * 0.9, 1e-15);
    CHECK(ap == 2);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
}

/* Dust controls by hand: a site of 1000 m2 for 6 months at 1e-4 (PM10) and 1e-5 (PM2.5)
 * t/m2-month emits 0.6 and 0.06 t; control a (50 % of PM) keeps half of both, control b
 * (20 % of PM10 only) 0.8 of PM10: both, 0.24 and 0.03. 'area control b min_m2 500' adds
 * b to the sites of 500 m2 or more that lack it, and says so in the applied mask. */
static void test_area_controls(sp_ctx *ctx)
{
    const char *text = "sector,class,pollutant,value,unit,source\n"
                       "area,*,PM10,1e-4,t/m2-month,s\narea,*,PM2.5,1e-5,t/m2-month,s\n"
                       "dustcontrol,a,*,0.5,fraction,s\ndustcontrol,a,required,1,flag,s\n"
                       "dustcontrol,b,PM10,0.2,fraction,s\ndustcontrol,b,required,0,flag,s\n";
    sp_factors *f = NULL;
    CHECK(sp_factors_parse(ctx, text, "d.csv", &f) == SP_OK);
    if (!f)
        return;
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    sp_area_src s = {1000, 6, sp_inv_class_find(m->area, m->narea, "*"), 0};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_area(m, &s, E, &ap);
    CHECK_REL(E[SP_PM10], 0.6, 1e-15);
    CHECK_REL(E[SP_PM25], 0.06, 1e-15);
    s.controls = 1; /* a */
    sp_inventory_area(m, &s, E, &ap);
    CHECK_REL(E[SP_PM10], 0.3, 1e-15);
    CHECK_REL(E[SP_PM25], 0.03, 1e-15);
    s.controls = 3; /* a and b */
    sp_inventory_area(m, &s, E, &ap);
    CHECK_REL(E[SP_PM10], 0.24, 1e-15);
    CHECK_REL(E[SP_PM25], 0.03, 1e-15);
    sp_inventory_model_free(m);
    m = model(ctx, f, "area control b min_m2 500\n", &ms);
    s.controls = 1;
    sp_inventory_area(m, &s, E, &ap);
    CHECK_REL(E[SP_PM10], 0.24, 1e-15);
    CHECK(ap == 1);
    s.area_m2 = 400; /* too small for the measure: 400 x 6 x 1e-4 x 0.5 */
    sp_inventory_area(m, &s, E, &ap);
    CHECK_REL(E[SP_PM10], 0.12, 1e-15);
    CHECK(ap == 0);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
    /* a measure naming a control the table lacks */
    sp_measures_parse(ctx, "area control shield\n", "m.txt", &ms);
    sp_inventory_model *bad = NULL;
    CHECK(sp_inventory_model_new(ctx, f, ms, &bad) == SP_ERR_DATA && !bad);
    CHECK(strstr(sp_ctx_message(ctx), "m.txt:1: unknown dust control 'shield' (known: a, b") != NULL);
    sp_measures_free(ms);
    sp_factors_free(f);
}

/* One key energy-using unit: gas 10^6 m3, electricity 10^7 kWh, heat 10^4 GJ, diesel
 * 10 t; every number below worked by hand from the tiny table. */
static void facility_case(sp_ctx *ctx, const sp_factors *f, const char *measures,
                          double nox, double co2, double s2, uint64_t applied)
{
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, measures, &ms);
    sp_facility_src s = {{1e6, 1e7, 1e4, 10, 0, 0}};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_facility(m, &s, E, &ap);
    CHECK_REL(E[SP_NOX], nox, 1e-12);
    CHECK_REL(E[SP_CO2], co2, 1e-12);
    CHECK_REL(E[SP_CO2_S2], s2, 1e-12);
    CHECK(ap == applied);
    CHECK(E[SP_PM25] == 0); /* no row: nothing, not another carrier's factor */
    sp_inventory_model_free(m);
    sp_measures_free(ms);
}

static void test_facility(sp_ctx *ctx, const sp_factors *f)
{
    /* scope 1: NOx 10^6 x 0.8 g = 0.8 t; CO2 10^6 x 2000 g + 10 t x 3000 g/kg = 2030 t;
     * scope 2: 10^7 kWh x 500 g + 10^4 GJ x 100 kg = 6000 t, never added to CO2 */
    facility_case(ctx, f, NULL, 0.8, 2030, 6000, 0);
    /* heat pumps at COP 4: 10^6 m3 x 0.04 GJ x 0.9 = 36,000 GJ of heat = 10^7 kWh of
     * heat / 4 = 2.5 x 10^6 kWh more: scope 2 7250 t, gas gone (NOx 0, CO2 30 t) */
    facility_case(ctx, f, "facility electrify gas 4\n", 0, 30, 7250, 1);
    facility_case(ctx, f, "facility electrify gas 4 efficiency 0.8\n", 0, 30,
                  (1e7 + 1e6 * 0.04 * 0.8 / 0.0036 / 4) * 500 / 1e6 + 1000, 1);
    /* diesel -> gas for the same energy: 10 t x 40 GJ/t / 0.04 GJ/m3 = 10^4 m3 more gas */
    facility_case(ctx, f, "facility switch diesel gas\n", 0.808, 2020, 6000, 1);
    facility_case(ctx, f, "facility efficiency 10%\n", 0.72, 1827, 5400, 1);
    facility_case(ctx, f, "facility pv 20%\n", 0.8, 2030, 5000, 1); /* 8 x 10^6 kWh */
    /* in the order written: PV on the old electricity, then the heat pumps' (4750 t);
     * the other way round PV covers both (4125 t) */
    facility_case(ctx, f, "facility pv 0.5\nfacility electrify gas 4\n", 0, 30, 4750, 3);
    facility_case(ctx, f, "facility electrify gas 4\nfacility pv 0.5\n", 0, 30, 4125, 3);
    facility_case(ctx, f, "reduce facility NOx 50\n", 0.4, 2030, 6000, 1);
    facility_case(ctx, f, "facility switch gas gas\n", 0.8, 2030, 6000, 0); /* no change */

    /* bad rows and measures: the reason and the line */
    static const struct { const char *row, *msg; } BAD[] = {
        {"facility,electricity,NOx,1,g/kWh,t", "purchased electricity has only CO2_scope2 rows"},
        {"facility,gas,CO2_scope2,1,g/m3,t", "write the row as CO2"},
        {"facility,steam,CO2,1,g/t,t", "unknown carrier 'steam'"},
        {"facility,diesel,CO2,1,g/t,t", "diesel factors are in g/kg"},
        {"facility,heat,ncv,1,GJ/GJ,t", "fixed (0.0036 GJ/kWh, 1 GJ/GJ)"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        char text[256];
        snprintf(text, sizeof text, "sector,class,pollutant,value,unit,source\n%s\n", BAD[i].row);
        sp_factors *b = NULL;
        sp_inventory_model *m = NULL;
        CHECK(sp_factors_parse(ctx, text, "x.csv", &b) == SP_OK);
        CHECK(sp_inventory_model_new(ctx, b, NULL, &m) == SP_ERR_DATA && !m);
        CHECK_HAS(sp_ctx_message(ctx), BAD[i].msg);
        sp_factors_free(b);
    }
    sp_measures *ms = NULL;
    sp_inventory_model *m = NULL;
    CHECK(sp_measures_parse(ctx, "facility switch lpg gas\n", "m.txt", &ms) == SP_OK);
    CHECK(sp_inventory_model_new(ctx, f, ms, &m) == SP_ERR_DATA && !m);
    CHECK_HAS(sp_ctx_message(ctx), "m.txt:1: converting lpg needs its energy content");
    sp_measures_free(ms);
    static const struct { const char *text, *msg; } BADM[] = {
        {"facility electrify electricity 3\n", "already electric"},
        {"facility electrify gas 0\n", "COP '0' must be a number above 0"},
        {"facility switch gas steam\n", "unknown carrier 'steam'"},
        {"facility pv 120%\n", "share '120%' must be between 0 and 1"},
        {"facility efficiency\n", "expected 'facility efficiency PERCENT'"},
    };
    for (size_t i = 0; i < sizeof BADM / sizeof *BADM; i++) {
        ms = NULL;
        CHECK(sp_measures_parse(ctx, BADM[i].text, "m.txt", &ms) == SP_ERR_DATA && !ms);
        CHECK_HAS(sp_ctx_message(ctx), BADM[i].msg);
    }
}

/* A station selling 3,000 t of gasoline: 3000 / 0.75 t/m3 = 4 x 10^6 L; stage1 1500 mg/L
 * = 6 t VOCs, stage2 400 mg/L = 1.6 t. */
static void test_petrol(sp_ctx *ctx, const sp_factors *f)
{
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    int s1 = sp_inv_class_find(m->petrol, m->npetrol, "stage1");
    sp_petrol_src s = {3000, s1};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_petrol(m, &s, E, &ap);
    CHECK_REL(E[SP_VOCS], 6, 1e-12);
    CHECK(E[SP_NOX] == 0 && ap == 0);
    sp_inventory_model_free(m);
    m = model(ctx, f, "petrol recovery stage2 min_t 2000\n", &ms);
    sp_inventory_petrol(m, &s, E, &ap);
    CHECK_REL(E[SP_VOCS], 1.6, 1e-12);
    CHECK(ap == 1);
    s.gasoline_t = 1999; /* under min_t: unchanged, 1999 / 0.75 x 1500 mg */
    sp_inventory_petrol(m, &s, E, &ap);
    CHECK_REL(E[SP_VOCS], 1999 / 0.75 * 1000 * 1500 / 1e9, 1e-12);
    CHECK(ap == 0);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
    CHECK(sp_measures_parse(ctx, "petrol recovery stage9\n", "m.txt", &ms) == SP_OK);
    m = NULL;
    CHECK(sp_inventory_model_new(ctx, f, ms, &m) == SP_ERR_DATA && !m);
    CHECK_HAS(sp_ctx_message(ctx), "m.txt:1: unknown vapour-recovery class 'stage9' (known: stage1, stage2)");
    sp_measures_free(ms);
    ms = NULL;
    CHECK(sp_measures_parse(ctx, "petrol recovery\n", "m.txt", &ms) == SP_ERR_DATA && !ms);
    CHECK_HAS(sp_ctx_message(ctx), "expected 'petrol recovery CLASS [min_t X]'");
    static const char *BAD[][2] = {
        {"petrol,stage1,NOx,1,mg/L,t", "petrol rows are VOCs in mg/L"},
        {"petrol,stage1,VOCs,1,g/L,t", "petrol rows are VOCs in mg/L"},
        {"petrol,stage1,VOCs,1,mg/L,t", "petrol rows need 'petrol,gasoline,density"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        char text[256];
        snprintf(text, sizeof text, "sector,class,pollutant,value,unit,source\n%s\n", BAD[i][0]);
        sp_factors *b = NULL;
        CHECK(sp_factors_parse(ctx, text, "x.csv", &b) == SP_OK);
        m = NULL;
        CHECK(sp_inventory_model_new(ctx, b, NULL, &m) == SP_ERR_DATA && !m);
        CHECK_HAS(sp_ctx_message(ctx), BAD[i][1]);
        sp_factors_free(b);
    }
}

/* The Monte-Carlo of one factor against its closed form: a boiler burning 10^4 m3 with
 * NOx 1 g/m3 +-40 % is lognormal with median 0.01 t and its 2.5 % and 97.5 % quantiles
 * at 0.01 / 1.4 and 0.01 x 1.4 (sigma = ln 1.4 / 1.96); 20,000 draws give them within
 * ~1 %. CO2 without an uncertainty stays fixed; the same seed gives the same draws. */
static void test_mc(sp_ctx *ctx)
{
    static const char *T =
        "sector,class,pollutant,value,unit,source,uncertainty\n"
        "boiler,low,NOx,1,g/m3,t,40%\n"
        "boiler,low,CO2,2000,g/m3,t,\n"
        "boiler,conv,NOx,2,g/m3,t,40%\n";
    sp_factors *f = NULL;
    CHECK(sp_factors_parse(ctx, T, "mc.csv", &f) == SP_OK && f && f->has_uncertainty);
    if (!f)
        return;
    CHECK_REL(f->rows[0].uncertainty, 0.4, 1e-15);
    CHECK(f->rows[1].uncertainty == 0);
    sp_measures *ms = NULL;
    CHECK(sp_measures_parse(ctx, "boiler retrofit to low\n", "m.txt", &ms) == SP_OK);
    sp_inventory_model *m = NULL;
    CHECK(sp_inventory_model_new(ctx, f, NULL, &m) == SP_OK);
    sp_boiler_src b = {1e4, 5, sp_inv_class_find(m->boiler, m->nboiler, "low")};
    sp_inv_mc_set set = {0};
    CHECK(sp_inv_mc_add(&set, SP_SEC_BOILER, &b, sizeof b, NULL, 0));
    sp_inventory_totals t = {0};
    t.run[SP_SEC_BOILER] = true;
    t.scenario = true;
    CHECK(sp_inv_mc_run(ctx, f, ms, NULL, 0, &set, 20000, 7, &t) == SP_OK && t.mc == 20000);
    double med, lo, hi;
    sp_inventory_mc_interval(&t, SP_SEC_BOILER, SP_NOX, 0, &med, &lo, &hi);
    CHECK_REL(med / 0.01, 1, 0.01); /* as ratios: CHECK_REL is absolute under 1 */
    CHECK_REL(lo / (0.01 / 1.4), 1, 0.015);
    CHECK_REL(hi / (0.01 * 1.4), 1, 0.015);
    sp_inventory_mc_interval(&t, SP_NSEC, SP_CO2, 0, &med, &lo, &hi);
    CHECK(med == 20 && lo == 20 && hi == 20); /* no uncertainty: no spread */
    /* the scenario retrofits nothing (already low): the change is exactly 0 every draw */
    sp_inventory_mc_interval(&t, SP_SEC_BOILER, SP_NOX, 2, &med, &lo, &hi);
    CHECK(med == 0 && lo == 0 && hi == 0);
    double first = t.mc_base[SP_SEC_BOILER * SP_NPOL + SP_NOX];
    sp_inventory_totals_free(&t);
    t.run[SP_SEC_BOILER] = true;
    CHECK(sp_inv_mc_run(ctx, f, ms, NULL, 0, &set, 3, 7, &t) == SP_OK);
    CHECK(t.mc_base[SP_SEC_BOILER * SP_NPOL + SP_NOX] == first); /* same seed, same draw */
    sp_inventory_totals_free(&t);
    /* a conv boiler retrofitted: the paired change conv -> low per draw is drawn from the
     * two rows' independent draws; its median is near 0.01 - 0.02 = -0.01 t */
    b.cls = sp_inv_class_find(m->boiler, m->nboiler, "conv");
    sp_inv_mc_free(&set);
    CHECK(sp_inv_mc_add(&set, SP_SEC_BOILER, &b, sizeof b, NULL, 0));
    t.run[SP_SEC_BOILER] = true;
    CHECK(sp_inv_mc_run(ctx, f, ms, NULL, 0, &set, 20000, 7, &t) == SP_OK);
    sp_inventory_mc_interval(&t, SP_SEC_BOILER, SP_NOX, 2, &med, &lo, &hi);
    CHECK(fabs(med + 0.01) < 0.001 && lo < med && hi > med);
    sp_inventory_totals_free(&t);
    sp_inv_mc_free(&set);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
    sp_factors_free(f);
}

/* Machinery of 200 kW for 1,000 h at load 0.5: 10^5 kWh; stage III NOx 4 g/kWh = 0.4 t.
 * 'nonroad nev 60%': 40 % of the work stays (0.16 t NOx), 60 % is electric (6 x 10^4 kWh
 * x 600 g = 36 t scope-2 CO2). */
static void test_nonroad(sp_ctx *ctx, const sp_factors *f)
{
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    sp_nonroad_src s = {200, 1000, 0.5, sp_inv_class_find(m->nonroad, m->nnonroad, "III")};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_nonroad(m, &s, E, &ap);
    CHECK_REL(E[SP_NOX], 0.4, 1e-12);
    CHECK(E[SP_CO2_S2] == 0 && ap == 0);
    CHECK_REL(m->nonroad_load, 0.5, 0);
    sp_inventory_model_free(m);
    m = model(ctx, f, "nonroad nev 60%\nnonroad nev 0.5\n", &ms);
    sp_inventory_nonroad(m, &s, E, &ap);
    CHECK_REL(E[SP_NOX], 0.16, 1e-12); /* the larger share of the two */
    CHECK_REL(E[SP_CO2_S2], 36, 1e-12);
    CHECK(ap == 1);
    s.cls = sp_inv_class_find(m->nonroad, m->nnonroad, "NEV"); /* already electric */
    sp_inventory_nonroad(m, &s, E, &ap);
    CHECK_REL(E[SP_CO2_S2], 60, 1e-12);
    CHECK(ap == 0);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
    ms = NULL;
    CHECK(sp_measures_parse(ctx, "nonroad nev 1.5\n", "m.txt", &ms) == SP_ERR_DATA && !ms);
    CHECK_HAS(sp_ctx_message(ctx), "share '1.5' must be between 0 and 1");
    CHECK(sp_measures_parse(ctx, "nonroad electric 50%\n", "m.txt", &ms) == SP_ERR_DATA && !ms);
    CHECK_HAS(sp_ctx_message(ctx), "unknown measure 'nonroad electric' (known: ");
    CHECK_HAS(sp_ctx_message(ctx), "nonroad nev, ");
}

/* A shop using 2,000 kg of coatings at 50 % VOCs: 1 t uncontrolled; a spray centre
 * removing 80 %: 0.2 t. */
static void test_autorepair(sp_ctx *ctx, const sp_factors *f)
{
    sp_measures *ms;
    sp_inventory_model *m = model(ctx, f, NULL, &ms);
    sp_autorepair_src s = {2000, m->repair_voc, sp_inv_class_find(m->repair, m->nrepair, "none")};
    double E[SP_NPOL];
    uint64_t ap;
    sp_inventory_autorepair(m, &s, E, &ap);
    CHECK_REL(E[SP_VOCS], 1, 1e-12);
    CHECK(E[SP_NOX] == 0 && ap == 0);
    sp_inventory_model_free(m);
    m = model(ctx, f, "autorepair upgrade center min_kg 1500\n", &ms);
    sp_inventory_autorepair(m, &s, E, &ap);
    CHECK_REL(E[SP_VOCS], 0.2, 1e-12);
    CHECK(ap == 1);
    s.coating_kg = 1000; /* under min_kg: 1000 x 0.5 / 1000 = 0.5 t, unchanged */
    sp_inventory_autorepair(m, &s, E, &ap);
    CHECK_REL(E[SP_VOCS], 0.5, 1e-12);
    CHECK(ap == 0);
    sp_inventory_model_free(m);
    sp_measures_free(ms);
    CHECK(sp_measures_parse(ctx, "autorepair upgrade hepa\n", "m.txt", &ms) == SP_OK);
    m = NULL;
    CHECK(sp_inventory_model_new(ctx, f, ms, &m) == SP_ERR_DATA && !m);
    CHECK_HAS(sp_ctx_message(ctx), "m.txt:1: unknown VOC control class 'hepa' (known: none, center)");
    sp_measures_free(ms);
    ms = NULL;
    CHECK(sp_measures_parse(ctx, "autorepair paint\n", "m.txt", &ms) == SP_ERR_DATA && !ms);
    CHECK_HAS(sp_ctx_message(ctx), "unknown measure 'autorepair paint' (known: ");
    CHECK(sp_measures_parse(ctx, "autorepair upgrade\n", "m.txt", &ms) == SP_ERR_DATA && !ms);
    CHECK_HAS(sp_ctx_message(ctx), "expected 'autorepair upgrade CLASS [min_kg X]'");
}

static void test_measures(sp_ctx *ctx, const sp_factors *f)
{
    sp_measures *ms = NULL;
    CHECK(sp_measures_parse(ctx, "# c\n\n  boiler retrofit   # all\nroad nev taxi 85%\n", "m.txt",
                            &ms) == SP_OK);
    CHECK(ms && ms->n == 2 && ms->m[0].line == 3 && ms->m[1].line == 4);
    CHECK_STR(ms->m[0].text, "boiler retrofit");
    CHECK_STR(ms->m[0].cls, "low");
    CHECK(ms && ms->m[0].min == 0);
    CHECK_REL(ms->m[1].share, 0.85, 1e-15);
    sp_measures_free(ms);

    static const struct {
        const char *text, *msg;
    } BAD[] = {
        {"\n# nothing\n", "m.txt: no measures"},
        {"\nboiler paint\n", "m.txt:2: unknown measure 'boiler paint'"},
        {"road nev taxi 1.5\n", "m.txt:1: share '1.5' must be between 0 and 1"},
        {"road nev taxi\n", "m.txt:1: expected 'road nev VEHICLE SHARE'"},
        {"road remove car\n", "m.txt:1: expected 'road remove VEHICLE STANDARD'"},
        {"boiler retrofit min_mw -2\n", "m.txt:1: min_mw '-2' is not a non-negative number"},
        {"boiler retrofit min_mw\n", "m.txt:1: expected 'boiler retrofit [min_mw X] [to CLASS]'"},
        {"catering purifier size 3\n", "expected 'catering purifier [min_stoves N] [class CLASS]'"},
        {"reduce ships NOx 10\n", "m.txt:1: unknown sector 'ships'"},
        {"reduce road O3 10\n", "m.txt:1: unknown pollutant 'O3'"},
        {"reduce road NOx 120\n", "m.txt:1: percent '120' must be between 0 and 100"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        ms = (sp_measures *)1;
        CHECK(sp_measures_parse(ctx, BAD[i].text, "m.txt", &ms) == SP_ERR_DATA && !ms);
        CHECK_HAS(sp_ctx_message(ctx), BAD[i].msg);
    }
    /* names checked against the factor table */
    static const struct {
        const char *text, *msg;
    } BADN[] = {
        {"road nev bike 0.5\n", "m.txt:1: unknown vehicle class 'bike' (known: car, taxi)"},
        {"road remove car III\n", "m.txt:1: 'car' has no standard 'III' in the fleet rows "
                                  "(known: IV, VI, NEV)"},
        {"boiler retrofit to ultra\n", "m.txt:1: unknown boiler class 'ultra' (known: low, conv, *)"},
        {"catering purifier class mid\n", "m.txt:1: unknown purifier class 'mid' (known: low, high)"},
    };
    for (size_t i = 0; i < sizeof BADN / sizeof *BADN; i++) {
        CHECK(sp_measures_parse(ctx, BADN[i].text, "m.txt", &ms) == SP_OK);
        sp_inventory_model *m = (sp_inventory_model *)1;
        CHECK(sp_inventory_model_new(ctx, f, ms, &m) == SP_ERR_DATA && !m);
        CHECK_HAS(sp_ctx_message(ctx), BADN[i].msg);
        sp_measures_free(ms);
    }
}

/* The sector table: complete as shipped; a missing piece is named, not papered over. */
static void test_sector_table(sp_ctx *ctx)
{
    CHECK(sp_inventory_check_sectors(ctx, NULL) == SP_OK);
    for (int s = 0; s < SP_NSEC; s++) {
        CHECK(sp_sector_index(SP_SECTORS[s]->name) == s);
        CHECK(SP_SECTORS[s]->geom == (s == SP_SEC_ROAD ? SP_GEOM_LINE
                                     : s == SP_SEC_AREA ? SP_GEOM_POLYGON : SP_GEOM_POINT));
    }
    CHECK(sp_sector_index("ROAD") == SP_SEC_ROAD && sp_sector_index("ships") == -1);
    /* a copy of the table whose entries point at copies of the descriptors, one broken */
    sp_sector_desc d[SP_NSEC];
    const sp_sector_desc *t[SP_NSEC];
#define RESET()                                                                        \
    for (int s = 0; s < SP_NSEC; s++)                                                  \
        d[s] = *SP_SECTORS[s], t[s] = &d[s]
    RESET();
    CHECK(sp_inventory_check_sectors(ctx, t) == SP_OK);
    d[SP_SEC_ROAD].emit = NULL;
    CHECK(sp_inventory_check_sectors(ctx, t) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "sector 2 (road) lacks its emission function");
    RESET();
    d[SP_SEC_BOILER].row = NULL;
    CHECK(sp_inventory_check_sectors(ctx, t) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "(boiler) lacks its row parser");
    RESET();
    d[SP_SEC_PETROL].read = NULL;
    CHECK(sp_inventory_check_sectors(ctx, t) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "(petrol) lacks its reader");
    RESET();
    d[SP_SEC_NONROAD].measures = NULL; /* a measure parser whose lines have no name */
    CHECK(sp_inventory_check_sectors(ctx, t) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "(nonroad) lacks its measures' names");
    RESET();
    d[SP_SEC_ROAD].ext_count = NULL; /* the shares' pointer without their count */
    CHECK(sp_inventory_check_sectors(ctx, t) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "(road) lacks its per-feature data");
    RESET();
    d[SP_SEC_CATERING].nfields = 0;
    CHECK(sp_inventory_check_sectors(ctx, t) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "(catering) lacks its activity fields");
    RESET();
    d[SP_SEC_AREA].name = "polygons"; /* area.class no longer names its sector */
    CHECK(sp_inventory_check_sectors(ctx, t) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "is not 'polygons.name'");
#undef RESET
    /* the fields are numbered in table order: each sector's from its base, keys
     * SECTOR.name, and nothing past the end */
    int k = 0;
    for (int s = 0; s < SP_NSEC; s++) {
        CHECK(sp_inv_field_base(s) == k);
        for (int i = 0; i < SP_SECTORS[s]->nfields; i++, k++) {
            int sec = -1;
            const sp_inv_field_desc *fd = sp_inv_field(k, &sec);
            CHECK(fd == &SP_SECTORS[s]->fields[i] && sec == s);
            CHECK(!strncmp(fd->key, SP_SECTORS[s]->name, strlen(SP_SECTORS[s]->name)));
        }
    }
    CHECK(sp_inv_nfields() == k && k == 33 && !sp_inv_field(k, NULL) && !sp_inv_field(-1, NULL));
    CHECK(!strcmp(sp_inv_field(0, NULL)->key, "catering.stoves") &&
          !strcmp(sp_inv_field(14, NULL)->key, "road.class") &&
          !strcmp(sp_inv_field(32, NULL)->key, "autorepair.control"));
}

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    test_table(ctx);
    test_sector_table(ctx);
    test_roadclasses(ctx);
    sp_factors *f = table(ctx);
    test_catering(ctx, f);
    test_catering_utilisation(ctx);
    test_road_limits(ctx);
    test_climate(ctx);
    test_boiler(ctx, f);
    test_road(ctx, f);
    test_area(ctx, f);
    test_area_controls(ctx);
    test_measures(ctx, f);
    test_facility(ctx, f);
    test_petrol(ctx, f);
    test_nonroad(ctx, f);
    test_autorepair(ctx, f);
    test_mc(ctx);
    sp_factors_free(f);
    sp_ctx_free(ctx);
    return check_done();
}
