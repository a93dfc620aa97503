/* sp_park: a circular-economy park's emissions for one year, with the IPCC 2006
 * Guidelines vol. 5 (waste) methods: incineration fossil CO2 from the waste's
 * composition, CH4 and N2O per tonne burnt, stack pollutants from the flue gas,
 * anaerobic digestion, biogas flaring, landfill CH4 by first-order decay, leachate CH4
 * from COD; and the credit of the green power it exports. Gross emissions, credits and
 * net are kept apart, never netted silently. Pure: no GDAL. The file format is in
 * docs/methods.md (sp-ledger) and samples/park_2023.txt. */
#ifndef SP_PARK_H
#define SP_PARK_H

#include "core/sp_ctx.h"
#include "core/sp_factors.h"

enum { SP_PARK_MAX_FRACTIONS = 16, SP_PARK_MAX_DEPOSITS = 64 };

typedef struct {
    char name[32];
    double share, dm, cf, fcf; /* of the wet waste; dry matter; carbon in dry matter;
                                * fossil share of that carbon */
} sp_park_fraction;

typedef struct {
    int year;
    double t, doc, k, docf, mcf, f, ox; /* tonnes deposited that year, IPCC FOD values */
} sp_park_deposit;

typedef struct {
    char *name;
    int year;                /* the year the file describes */
    int gwp;                 /* GWP set: SP_GWP_AR6 (CH4 27.0 non-fossil, N2O 273), AR5 (28,
                              * 265) or SAR (21, 310: China's enterprise GHG guidelines) */
    double received, incinerated;           /* t/yr (wet) */
    double composted, comp_ch4, comp_n2o;   /* t/yr wet; g CH4 and N2O per kg wet */
    double landfilled;                       /* t/yr landfilled: this year's deposit, which
                                             * decays from next year (list it as 'landfill'
                                             * in later years' files) */
    double stock_drawn;                      /* t/yr taken from storage (the mass balance) */
    sp_park_fraction frac[SP_PARK_MAX_FRACTIONS];
    int nfrac;
    double oxidation;                        /* OF (default 1) */
    double inc_ch4, inc_n2o;                 /* g per t wet burnt */
    double flue_gas;                         /* Nm3 dry flue gas per t */
    double stack[SP_NPOL];                   /* mg/Nm3 */
    double digested, dig_ch4;                /* t wet; g CH4 per kg */
    double biogas_m3, biogas_ch4, biogas_de; /* m3/yr, CH4 volume share, destruction */
    sp_park_deposit dep[SP_PARK_MAX_DEPOSITS];
    int ndep;
    double landfill_recovered;               /* share of generated CH4 recovered */
    double leachate_cod, leachate_b0, leachate_mcf; /* t COD; kg CH4/kg COD; MCF */
    double exported_mwh, grid_kg_kwh;        /* green power exported; its credit factor */
    char grid_basis[128];                    /* grid_basis "TEXT": the factor's source */
    double capacity_gwh;                     /* capacity GWH: what the plant can supply a
                                              * year (绿色电力供应能力); NaN: not given */
    bool slip_included;                      /* biogas_slip included: the digestion default
                                              * already holds the biogas's CH4 not destroyed,
                                              * which is then reported, not added */
} sp_park;

enum { SP_GWP_AR6 = 0, SP_GWP_AR5, SP_GWP_SAR };

/* What one year of the park emits, in tonnes. */
typedef struct {
    double co2_fossil, ch4, n2o;      /* incineration fossil CO2; CH4 and N2O of all steps */
    double ch4_inc, ch4_dig, ch4_comp, ch4_biogas, ch4_landfill, ch4_leachate;
    double ch4_legacy;                /* of ch4_landfill: waste in place before the base year */
    double gwp_ch4, gwp_n2o;
    double gross;                     /* t CO2e: CO2 + GWP x CH4 + GWP x N2O */
    double gross_sar;                 /* the same with SAR's GWPs (21, 310), side by side */
    double legacy;                    /* t CO2e of gross: the legacy landfill's CH4 */
    double credit;                    /* t CO2: exported MWh x grid factor */
    double net;                       /* gross - credit */
    double treated;                   /* incinerated + digested + composted + landfilled */
    double per_t_treated;             /* gross t CO2e per t treated (NaN: none treated) */
    double per_t_treated_ops;         /* the same without the legacy landfill */
    double per_t_received, per_t_incinerated; /* gross t CO2e per t (NaN: no tonnes) */
    double power_gwh;                 /* exported */
    double capacity_gwh;              /* green power supply capacity (NaN: not given) */
    char grid_basis[128];             /* the credit factor's source, as the file gives it */
    bool slip_included;               /* ch4_biogas reported, not in ch4 */
    double E[SP_NPOL];                /* stack pollutants, t */
} sp_park_result;

/* Parses a park file's text (errors "NAME:LINE: ..."): shares of the fractions must sum
 * to 1 within 0.01, values in their ranges, and no more treated than received plus the
 * stock drawn (the mass balance, when 'received' is given). Free with sp_park_free. */
sp_status sp_park_parse(sp_ctx *ctx, const char *text, const char *name, sp_park **out);
sp_status sp_park_read(sp_ctx *ctx, const char *path, sp_park **out);
void sp_park_free(sp_park *p);

/* First-order decay (IPCC 2006 vol. 5 ch. 3): CH4 generated in year T by a deposit
 * made in year x < T: W x DOC x DOCf x MCF x e^(-k (T - x - 1)) x (1 - e^-k) x F x 16/12
 * (decay from the year after deposition); 0 when T <= x. */
double sp_park_fod_ch4(const sp_park_deposit *d, int year);

/* Computes the year the file describes; the landfill's deposits made before base_year
 * are its legacy (reported apart; 0: none is). */
void sp_park_compute(const sp_park *p, int base_year, sp_park_result *r);

/* The change of the gross emission per tonne treated from year a to year b, split
 * exactly into its drivers: the tonnes treated (a's gross over b's tonnes against a's),
 * the current operations and the legacy landfill's decay (their changes over b's tonnes);
 * the three sum to b's per_t_treated - a's. */
void sp_park_per_t_drivers(const sp_park_result *a, const sp_park_result *b, double *tonnes,
                           double *operations, double *legacy);

#endif
