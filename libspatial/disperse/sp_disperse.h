/* sp_disperse: annual-mean ground-level concentrations from an emission grid with the
 * ISC3 long-term sector-average Gaussian plume (EPA-454/B-95-003b vol. II, eq. 2-1),
 * a screening model: flat terrain, no street canyons, no chemistry. The whole wind and
 * stability climatology (an sp_star) sums into one kernel per source class; on flat
 * terrain the kernel is shift-invariant, so the field is the emission grid convolved
 * with it (FFTW, real-to-complex). No GDAL here: kernels and convolutions on arrays. */
#ifndef SP_DISPERSE_H
#define SP_DISPERSE_H

#include "disperse/sp_met.h"

/* 1 t/yr in g/s: 10^6 g over 365 days of 86,400 s */
#define SP_TPY_TO_GS (1e6 / 31536000.0)

typedef struct {
    double height; /* release height H, m (ground traffic and dust: 0) */
    double sz0;    /* initial vertical spread sigma_z0, m (default 2) */
    double zi;     /* mixing height, m (default 1000) */
    double rmax;   /* kernel radius, m (default 10,000) */
    double vd;     /* dry deposition velocity of the particles, m/s (default 0: none); the
                    * plume loses mass on its way (source depletion, below) */
} sp_disperse_class;
/* Defaults of a source class: ground-level release (0 m), sigma_z0 2 m, factor 1. */
void sp_disperse_class_init(sp_disperse_class *c);

/* Briggs (McElroy-Pooler) urban sigma_z (m) at downwind distance x (m), stability 0-5. */
double sp_disperse_sigma_z(int stab, double x);
/* Wind speed at the release height: the 10 m class speed times the ISC power law
 * (H/10)^p with the urban exponents 0.15 0.15 0.20 0.25 0.30 0.30 (A-F); below 10 m the
 * 10 m speed. */
double sp_disperse_wind(double u10, int stab, double height);
/* The vertical term V of a ground-level receptor for a release at height h (m), vertical
 * spread sz (m) and mixing height zi (m), ISC3 (EPA-454/B-95-003b vol. II eq. 1-50 with
 * zr = 0): the source and its ground image, 2 exp(-h^2 / 2 sz^2), plus the image series
 * of reflections between the ground and the lid, 2 sum_i [exp(-(2 i zi - h)^2 / 2 sz^2) +
 * exp(-(2 i zi + h)^2 / 2 sz^2)]; once sz >= 1.6 zi the well-mixed sqrt(2 pi) sz / zi (the
 * two agree there to 0.1 %). For h = 0 and sz = zi: 2 (1 + 2 e^-2 + 2 e^-8 + ...) = 2.5427. */
double sp_disperse_vertical(double h, double sz, double zi);

/* Gravitational settling velocity (m/s) of a particle of diameter d_um (micrometres) and
 * density rho (kg/m3) in air at 20 C: Stokes' law with the Cunningham slip correction,
 * vs = rho g d^2 Cc / (18 mu), Cc = 1 + (2 lambda / d)(1.257 + 0.4 exp(-0.55 d / lambda)),
 * mu = 1.81e-5 kg/(m s), lambda = 0.065 um, g = 9.81 m/s2 (Seinfeld and Pandis, Atmospheric
 * Chemistry and Physics, ch. 9; the form ISC3 uses, EPA-454/B-95-003b vol. II, 1.3.2). An
 * aerodynamic diameter is a unit-density sphere's: rho = 1000. */
double sp_settling_velocity(double d_um, double rho);
/* The source-depletion integral of ISC3 (EPA-454/B-95-003b vol. II, section 1.1.6.3,
 * after Horst 1977) for a ground-level receptor: I(x) = integral from 0 to x of
 * V(h, sz(x'), zi) / (sqrt(2 pi) sz(x')) dx', with sz the class's sigma_z (initial sz0
 * added in quadrature) and V the vertical term above; a plume at wind u keeps the fraction
 * FQ = exp(-vd I / u) of its mass at x. Needs sz0 > 0 for h = 0 (1/sz diverges at the
 * source otherwise). Gauss-Legendre: 8 points on [0, 1 m], 48 on [1 m, x] in log x. */
double sp_disperse_depletion_integral(int stab, double h, double sz0, double zi, double x);

/* Concentration (ug/m3) at a ground receptor (east, north) metres from a point source of
 * 1 g/s, averaged over the climatology s (sector average with ISC's smoothing between
 * the two nearest sector centres). 0 at the source itself, and beyond rmax. The lid holds
 * for classes A-D only: E and F mix without limit, and a release above the lid gives no
 * ground-level concentration in A-D (ISC3, EPA-454/B-95-003b vol. II section 1.1.6.1).
 * With c->vd > 0 each wind speed and stability's term is multiplied by its source-
 * depletion factor FQ (above): the settling particles' plume thins with distance. */
double sp_disperse_point(const sp_star *s, const sp_disperse_class *c, double east, double north);

/* A kernel on square cells of side dx: k[(dr + n) * (2n + 1) + dc + n] is the
 * concentration (ug/m3) in a receptor cell's centre per g/s emitted uniformly over the
 * cell dr rows below (south) and dc columns right (east) of it; n = ceil(rmax / dx).
 * Cells within 5 of the receptor are integrated over the source cell (8x8 points; the
 * receptor's own cell 32x32): the point formula diverges at the source, and a cell is
 * not a point nearby. */
typedef struct {
    int n;
    double dx;
    double *k; /* owned */
} sp_kernel;
/* Builds the kernel of source class c (height, sigma_z0, mixing height, radius) over the
 * STAR table s for square cells of dx m into *out (out->k owned: sp_kernel_free). Errors
 * SP_ERR_NOMEM, SP_ERR_LIMIT; *out is empty after a failure. */
sp_status sp_kernel_build(sp_ctx *ctx, const sp_star *s, const sp_disperse_class *c, double dx,
                          sp_kernel *out);
/* The kernel's radius in cells for rmax metres on cells of dx: ceil(rmax / dx). */
int sp_kernel_radius(double rmax, double dx);
/* Frees the kernel's values (the struct is the caller's); accepts NULL. */
void sp_kernel_free(sp_kernel *k);

/* dst[r][c] += sum over (dr, dc) of src[r + dr][c + dc] * k(dr, dc) (nrows x ncols,
 * row-major; cells off the grid emit nothing), by FFT on zero-padded arrays (FFTW,
 * FFTW_ESTIMATE plans so that the same inputs give the same bytes; threads > 1 uses
 * FFTW's threads). scale multiplies src (e.g. SP_TPY_TO_GS). */
sp_status sp_convolve_fft(sp_ctx *ctx, const double *src, int nrows, int ncols, double scale,
                          const sp_kernel *k, double *dst, int threads);
/* The same for many bands over one grid and kernel: the kernel's transform and the
 * plans are made once. Free with sp_convolver_free (accepts NULL). */
typedef struct sp_convolver sp_convolver;
/* An FFT convolver for nrows x ncols grids and kernel k (FFTW plans made once, on
 * `threads` threads) into *out; k is not needed afterwards. Free with sp_convolver_free. */
sp_status sp_convolver_new(sp_ctx *ctx, int nrows, int ncols, const sp_kernel *k, int threads,
                           sp_convolver **out);
/* dst += scale x (src convolved with the kernel), both nrows x ncols: in fixed strips of
 * rows when the grid is tall (their transform bounded by the strip), only the rows of
 * sp_convolver_rows. Thread-safe for different convolvers. */
sp_status sp_convolver_apply(sp_ctx *ctx, sp_convolver *cv, const double *src, double scale,
                             double *dst);
/* The strip height of a convolver for a kernel of radius n cells (sp_disperse.c says
 * why): grids taller than this are convolved strip by strip. */
#define SP_STRIP_ROWS(n) ((n) * 8 > 1024 ? (n) * 8 : 1024)
/* Restricts sp_convolver_apply to rows [row0, row1) of dst (a shard's): the strips that
 * meet them are computed, with the bits of a whole run; other rows are not touched. */
void sp_convolver_rows(sp_convolver *cv, int row0, int row1);
/* Where the arrays of sp_convolver_apply lie in the grid: src holds rows [src_row0,
 * src_row1), dst starts at row dst_row0 (a shard's windows; default the whole grid). */
void sp_convolver_window(sp_convolver *cv, int src_row0, int src_row1, int dst_row0);
/* The input rows [*in0, *in1) that computing rows [row0, row1) of a grid of nrows rows
 * with a kernel of radius n reads (their strips and halos). */
void sp_strip_input_rows(int nrows, int n, int row0, int row1, int *in0, int *in1);
/* Frees the convolver and its plans; accepts NULL. */
void sp_convolver_free(sp_convolver *cv);
/* The same by direct summation: the oracle of the tests, O(cells x kernel). */
void sp_convolve_direct(const double *src, int nrows, int ncols, double scale,
                        const sp_kernel *k, double *dst);

#endif
