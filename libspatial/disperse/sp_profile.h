/* sp_profile: emission time profiles per sector (month of year, day of week, hour of day),
 * the way HERMES, emiproc and SMOKE allocate annual inventories in time: an hour's weight is
 * month x day-of-week x hour-of-day factor, and a source emits its annual total x weight /
 * (the weights' mean over the year). Pure: parsing and arithmetic. */
#ifndef SP_PROFILE_H
#define SP_PROFILE_H

#include "core/sp_ctx.h"

typedef struct {
    char sector[32];
    double month[12]; /* January .. December */
    double dow[7];    /* Monday .. Sunday */
    double hour[24];  /* 0 .. 23 (the hour starting at the clock's hour) */
} sp_profile;
typedef struct {
    sp_profile *p;
    int n;
} sp_profiles;

/* Parses CSV text "sector,kind,index,factor[,basis]": kind month (index 1-12), dow (1-7,
 * Monday = 1) or hour (0-23); factors >= 0; what a sector does not give is 1. A sector's
 * rows may come in any order; one given twice is an error. Errors "NAME:LINE: ...". */
sp_status sp_profiles_parse(sp_ctx *ctx, const char *text, const char *name, sp_profiles *out);
void sp_profiles_free(sp_profiles *p);
/* The profile of sector (NULL when it has none). */
const sp_profile *sp_profile_of(const sp_profiles *p, const char *sector);
/* An hour's weight: month (1-12), day of week (1-7), hour (0-23). */
double sp_profile_weight(const sp_profile *p, int month, int dow, int hour);
/* The hourly emission of an annual total over year y (8,760 or 8,784 hours into out, which
 * must hold them; hour index = (day of year - 1) x 24 + hour): total x w / sum(w), so the
 * hours add up to the total. Returns the number of hours, or -1 when every weight is 0. */
int sp_profile_hourly(const sp_profile *p, int year, double total, double *out);

#endif
