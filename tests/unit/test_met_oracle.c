/* The weather physics against an independent oracle: tests/oracle/met_oracle.py computes,
 * from the published methods and not from this code, the sun's altitude hour by hour
 * across a year (the Astronomical Almanac's solar coordinates, not Spencer's series),
 * Pasquill classes by Turner's method at every row of its key, insolation class, cloud and
 * ceiling boundary, day and night,
 * Briggs' urban sigma_z and the ISC3 urban wind-profile exponents of every class, the
 * settling velocity and the source-depletion integral of dry deposition; its
 * values are committed in tests/unit/met_oracle.csv (test_oracles.sh regenerates and
 * compares them). Altitudes agree to the accuracy of Spencer's series (0.15 degree). */
#include "check.h"
#include "disperse/sp_disperse.h"
#include "disperse/sp_met.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    FILE *fp = fopen("tests/unit/met_oracle.csv", "r");
    CHECK(fp != NULL);
    if (!fp)
        return check_done();
    char line[256];
    int n[6] = {0}, row = 0;
    double worst_alt = 0, worst_dep = 0;
    CHECK(fgets(line, sizeof line, fp) && !strncmp(line, "kind,", 5));
    while (fgets(line, sizeof line, fp)) {
        row++;
        char kind[8];
        double a, b, c, d, e, f, want;
        if (sscanf(line, "%7[a-z],%lf,%lf,%lf,%lf,%lf,%lf,%lf", kind, &a, &b, &c, &d, &e, &f,
                   &want) != 8) {
            CHECK(!"a row of the oracle that does not parse");
            continue;
        }
        if (!strcmp(kind, "alt")) {
            double got = sp_met_solar_altitude((int)a, (int)b, (int)c, d, 8, e, f);
            worst_alt = fmax(worst_alt, fabs(got - want));
            if (fabs(got - want) > 0.15)
                printf("row %d: %s -> altitude %.4f, the oracle %.4f\n", row, line, got, want);
            CHECK(fabs(got - want) <= 0.15);
            n[0]++;
        } else if (!strcmp(kind, "stab")) {
            int got = sp_met_stability(a, b, c != 0, d, e < 0 ? NAN : e);
            if (got != (int)want)
                printf("row %d: u %g alt %g night %g cloud %g ceiling %g -> %c, the oracle %c\n",
                       row, a, b, c, d, e, 'A' + got, 'A' + (int)want);
            CHECK(got == (int)want);
            n[1]++;
        } else if (!strcmp(kind, "sz")) {
            CHECK_REL(sp_disperse_sigma_z((int)a, b), want, 1e-9);
            n[2]++;
        } else if (!strcmp(kind, "wind")) {
            CHECK_REL(sp_disperse_wind(b, (int)a, c), want, 1e-9);
            n[3]++;
        } else if (!strcmp(kind, "vs")) {
            CHECK(fabs(sp_settling_velocity(a, b) / want - 1) < 1e-12);
            n[4]++;
        } else if (!strcmp(kind, "dep")) { /* Gauss-Legendre against Simpson's 7,000 steps */
            double got = sp_disperse_depletion_integral((int)a, b, c, d, e);
            worst_dep = fmax(worst_dep, fabs(got / want - 1));
            CHECK(fabs(got / want - 1) < 1e-6);
            n[5]++;
        }
    }
    fclose(fp);
    /* every kind was there: 240 altitudes, 7560 classes, 42 sigma_z, 36 winds, 6 settling
     * velocities, 90 depletion integrals */
    CHECK(n[0] == 240 && n[1] == 7560 && n[2] == 42 && n[3] == 36 && n[4] == 6 && n[5] == 90);
    printf("depletion integral: worst relative difference %.2e\n", worst_dep);
    printf("altitude: worst difference %.4f degree over %d hours\n", worst_alt, n[0]);
    return check_done();
}
