/* sp_disperse: the ISC3 long-term kernel and its FFT convolution. Formula, smoothing,
 * vertical term and wind profile: EPA-454/B-95-003b (ISC3 user's guide) vol. II,
 * eq. 2-1 and sections 1.1.3, 1.1.5.3, 2.2.1; urban sigma_z: Briggs' fits to McElroy &
 * Pooler (1968), as tabulated in the same guide (table 1-6). */
#include "disperse/sp_disperse.h"

#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define DTHETA (2 * M_PI / SP_MET_NSEC) /* sector width, radians */

void sp_disperse_class_init(sp_disperse_class *c)
{
    c->height = 0;
    c->sz0 = 2;
    c->zi = 1000;
    c->rmax = 10000;
    c->vd = 0;
}

double sp_settling_velocity(double d_um, double rho)
{
    const double mu = 1.81e-5, lambda = 0.065, g = 9.81;
    double cc = 1 + 2 * lambda / d_um * (1.257 + 0.4 * exp(-0.55 * d_um / lambda));
    double d = d_um * 1e-6;
    return rho * g * d * d * cc / (18 * mu);
}

/* Gauss-Legendre nodes and weights on [-1, 1] (Newton on P_n from the Chebyshev guess) */
static void gauss_legendre(int n, double *x, double *w)
{
    for (int i = 0; i < (n + 1) / 2; i++) {
        double z = cos(M_PI * (i + 0.75) / (n + 0.5)), dp = 1;
        for (int it = 0; it < 100; it++) {
            double p0 = 1, p1 = z;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (z * p1 - p0) / (z * z - 1);
            double dz = p1 / dp;
            z -= dz;
            if (fabs(dz) < 1e-15)
                break;
        }
        x[i] = -z;
        x[n - 1 - i] = z;
        w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
    }
}

static double depletion_integrand(int stab, double h, double sz0, double zi, double x)
{
    double szb = sp_disperse_sigma_z(stab, x), sz = sqrt(szb * szb + sz0 * sz0);
    return sp_disperse_vertical(h, sz, zi) / (sqrt(2 * M_PI) * sz);
}

enum { GL_N1 = 8, GL_N2 = 48 };
static double gl_x1[GL_N1], gl_w1[GL_N1], gl_x2[GL_N2], gl_w2[GL_N2];
static pthread_once_t gl_once = PTHREAD_ONCE_INIT;
static void gl_init(void)
{
    gauss_legendre(GL_N1, gl_x1, gl_w1);
    gauss_legendre(GL_N2, gl_x2, gl_w2);
}

double sp_disperse_depletion_integral(int stab, double h, double sz0, double zi, double x)
{
    enum { N1 = GL_N1, N2 = GL_N2 };
    const double *x1 = gl_x1, *w1 = gl_w1, *x2 = gl_x2, *w2 = gl_w2;
    pthread_once(&gl_once, gl_init);
    if (!(x > 0))
        return 0;
    double x0 = x < 1 ? x : 1, sum = 0;
    for (int i = 0; i < N1; i++) /* [0, x0], linear */
        sum += w1[i] * x0 / 2 * depletion_integrand(stab, h, sz0, zi, x0 / 2 * (x1[i] + 1));
    if (x > x0) { /* [x0, x], in u = ln x: dx = x du */
        double a = log(x0), b = log(x);
        for (int i = 0; i < N2; i++) {
            double xi = exp((b - a) / 2 * x2[i] + (a + b) / 2);
            sum += w2[i] * (b - a) / 2 * xi * depletion_integrand(stab, h, sz0, zi, xi);
        }
    }
    return sum;
}

double sp_disperse_sigma_z(int stab, double x)
{
    switch (stab) {
    case 0:
    case 1: return 0.24 * x * sqrt(1 + 0.001 * x);
    case 2: return 0.20 * x;
    case 3: return 0.14 * x / sqrt(1 + 0.0003 * x);
    default: return 0.08 * x / sqrt(1 + 0.0015 * x);
    }
}

double sp_disperse_wind(double u10, int stab, double height)
{
    static const double P[SP_MET_NSTAB] = {0.15, 0.15, 0.20, 0.25, 0.30, 0.30};
    return height > 10 ? u10 * pow(height / 10, P[stab]) : u10;
}

double sp_disperse_vertical(double h, double sz, double zi)
{
    if (sz >= 1.6 * zi) /* well mixed below the lid */
        return sqrt(2 * M_PI) * sz / zi;
    double a = 1 / (2 * sz * sz);
    double v = 2 * exp(-h * h * a); /* the source and its ground image */
    for (int i = 1; i <= 100; i++) { /* the images in the lid and the ground, ISC3 eq. 1-50 */
        double t = 2 * (exp(-(2 * i * zi - h) * (2 * i * zi - h) * a) +
                        exp(-(2 * i * zi + h) * (2 * i * zi + h) * a));
        v += t;
        if (t < 1e-16 * v)
            break;
    }
    return v;
}

double sp_disperse_point(const sp_star *s, const sp_disperse_class *c, double east, double north)
{
    double r = hypot(east, north);
    if (r <= 0 || r > c->rmax)
        return 0;
    /* the wind must come FROM the source's side: the direction from the receptor to the
     * source, clockwise from north */
    double from = atan2(-east, -north) * 180 / M_PI;
    if (from < 0)
        from += 360;
    int i0 = (int)floor(from / 22.5) % SP_MET_NSEC, i1 = (i0 + 1) % SP_MET_NSEC;
    double w1 = from / 22.5 - floor(from / 22.5), w0 = 1 - w1; /* ISC smoothing S */
    double sum = 0;
    for (int k = 0; k < SP_MET_NSTAB; k++) {
        /* ISC3 takes the stable classes E and F as unlimited in the vertical, and gives no
         * ground-level concentration from a release above the lid (vol. II, 1.1.6.1) */
        double zi = k >= 4 ? INFINITY : c->zi;
        if (c->height > zi)
            continue;
        double szb = sp_disperse_sigma_z(k, r);
        double sz = sqrt(szb * szb + c->sz0 * c->sz0);
        double v = sp_disperse_vertical(c->height, sz, zi);
        double dep = c->vd > 0 ? c->vd * sp_disperse_depletion_integral(k, c->height, c->sz0,
                                                                          zi, r) : 0;
        for (int j = 0; j < SP_MET_NSPEED; j++) {
            double f = w0 * s->f[i0][j][k] + w1 * s->f[i1][j][k];
            double u = sp_disperse_wind(SP_MET_SPEED_REP[j], k, c->height);
            if (f > 0)
                sum += f * v / (u * sz) * (dep > 0 ? exp(-dep / u) : 1);
        }
    }
    return 1e6 * sum / (sqrt(2 * M_PI) * r * DTHETA); /* K = 10^6 ug/g */
}

int sp_kernel_radius(double rmax, double dx) { return (int)ceil(rmax / dx - 1e-9); }

sp_status sp_kernel_build(sp_ctx *ctx, const sp_star *s, const sp_disperse_class *c, double dx,
                          sp_kernel *out)
{
    memset(out, 0, sizeof *out);
    if (!(dx > 0) || !(c->rmax >= dx) || c->rmax / dx > 5000)
        return sp_error(ctx, SP_ERR_USAGE, "kernel radius %g m on %g m cells: want a radius "
                        "of 1 to 5,000 cells", c->rmax, dx);
    int n = sp_kernel_radius(c->rmax, dx), w = 2 * n + 1;
    double *k = calloc((size_t)w * w, sizeof *k);
    if (!k)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory (kernel of %d x %d)", w, w);
    for (int dr = -n; dr <= n; dr++)
        for (int dc = -n; dc <= n; dc++) {
            if (hypot(dr, dc) * dx > c->rmax + 1e-9 * dx)
                continue;
            /* the source cell's centre relative to the receptor: (dc dx east, -dr dx north);
             * the receptor relative to the source is the opposite */
            int m = (dr == 0 && dc == 0) ? 32 : (abs(dr) <= 5 && abs(dc) <= 5) ? 8 : 1;
            double acc = 0;
            for (int a = 0; a < m; a++)
                for (int b = 0; b < m; b++) {
                    double ox = ((b + 0.5) / m - 0.5) * dx, oy = ((a + 0.5) / m - 0.5) * dx;
                    acc += sp_disperse_point(s, c, -(dc * dx + ox), dr * dx + oy);
                }
            k[(size_t)(dr + n) * w + dc + n] = acc / ((double)m * m);
        }
    out->n = n;
    out->dx = dx;
    out->k = k;
    return SP_OK;
}

void sp_kernel_free(sp_kernel *k)
{
    if (k) {
        free(k->k);
        k->k = NULL;
    }
}

void sp_convolve_direct(const double *src, int nrows, int ncols, double scale,
                        const sp_kernel *k, double *dst)
{
    int n = k->n, w = 2 * n + 1;
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++) {
            double acc = 0;
            for (int dr = -n; dr <= n; dr++) {
                int rr = r + dr;
                if (rr < 0 || rr >= nrows)
                    continue;
                for (int dc = -n; dc <= n; dc++) {
                    int cc = c + dc;
                    if (cc >= 0 && cc < ncols)
                        acc += src[(size_t)rr * ncols + cc] * k->k[(size_t)(dr + n) * w + dc + n];
                }
            }
            dst[(size_t)r * ncols + c] += scale * acc;
        }
}

/* the smallest size >= n whose factors are 2, 3, 5 and 7 (FFTW is fastest there) */
static int fft_size(int n)
{
    for (int m = n;; m++) {
        int x = m;
        for (int p = 2; p <= 7; p++)
            while (x % p == 0)
                x /= p;
        if (x == 1)
            return m;
    }
}

/* Strips: a grid taller than SP_STRIP_ROWS(n) rows is convolved in strips of that many
 * output rows, each from its input rows and n rows of halo each side, on a transform of
 * fft_size(h + 2n) rows. The strips are fixed by the grid and the kernel alone, so a
 * shard that computes some of them gets the bits of the whole run for its rows; and the
 * transform's memory is bounded by the strip, not the grid. A grid of at most one strip
 * is done whole, as before strips existed (fft_size(nrows + n) rows). Strips of at least
 * 1,024 rows and 8 kernel radii keep the halo's extra work under ~25 % (measured on the
 * 4000 x 4000 benchmark: docs/benchmarks.md). */

static int strip_rows(int nrows, int n)
{
    return nrows > SP_STRIP_ROWS(n) ? SP_STRIP_ROWS(n) : nrows;
}

struct sp_convolver {
    int nrows, ncols, pr, pc;
    int n, h;         /* kernel radius; strip rows (nrows: one strip, the whole grid) */
    int row0, row1;   /* the rows computed (sp_convolver_rows) */
    int src0, src1, dst0; /* src holds rows [src0, src1), dst starts at row dst0 */
    double *real;
    fftw_complex *spec, *kspec;
    fftw_plan fwd, inv;
};

/* FFTW's planner is not thread-safe: plans are made under one lock */
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

void sp_convolver_free(sp_convolver *cv)
{
    if (!cv)
        return;
    pthread_mutex_lock(&plan_lock);
    if (cv->fwd)
        fftw_destroy_plan(cv->fwd);
    if (cv->inv)
        fftw_destroy_plan(cv->inv);
    pthread_mutex_unlock(&plan_lock);
    fftw_free(cv->real);
    fftw_free(cv->spec);
    fftw_free(cv->kspec);
    free(cv);
}

sp_status sp_convolver_new(sp_ctx *ctx, int nrows, int ncols, const sp_kernel *k, int threads,
                           sp_convolver **out)
{
    *out = NULL;
    sp_convolver *cv = calloc(1, sizeof *cv);
    if (!cv)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    cv->nrows = nrows;
    cv->ncols = ncols;
    cv->n = k->n;
    cv->h = strip_rows(nrows, k->n);
    cv->row0 = 0;
    cv->row1 = nrows;
    cv->src1 = nrows;
    cv->pr = cv->h == nrows ? fft_size(nrows + k->n) : fft_size(cv->h + 2 * k->n);
    cv->pc = fft_size(ncols + k->n);
    size_t nreal = (size_t)cv->pr * cv->pc, nspec = (size_t)cv->pr * (cv->pc / 2 + 1);
    cv->real = fftw_alloc_real(nreal);
    cv->spec = fftw_alloc_complex(nspec);
    cv->kspec = fftw_alloc_complex(nspec);
    if (!cv->real || !cv->spec || !cv->kspec) {
        sp_convolver_free(cv);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory (FFT arrays of %d x %d)", cv->pr, cv->pc);
    }
    pthread_mutex_lock(&plan_lock);
    static bool threads_ready;
    if (!threads_ready)
        threads_ready = fftw_init_threads() != 0;
    fftw_plan_with_nthreads(threads > 1 && threads_ready ? threads : 1);
    cv->fwd = fftw_plan_dft_r2c_2d(cv->pr, cv->pc, cv->real, cv->spec, FFTW_ESTIMATE);
    cv->inv = fftw_plan_dft_c2r_2d(cv->pr, cv->pc, cv->spec, cv->real, FFTW_ESTIMATE);
    pthread_mutex_unlock(&plan_lock);
    if (!cv->fwd || !cv->inv) {
        sp_convolver_free(cv);
        return sp_error(ctx, SP_ERR_INTERNAL, "FFTW could not plan a %d x %d transform", cv->pr,
                        cv->pc);
    }
    /* the kernel, mirrored and wrapped: position (-dr, -dc) mod P holds k(dr, dc), so that
     * the convolution gives the correlation sum over src[r + dr][c + dc] */
    memset(cv->real, 0, nreal * sizeof *cv->real);
    int n = k->n, w = 2 * n + 1;
    for (int dr = -n; dr <= n; dr++)
        for (int dc = -n; dc <= n; dc++) {
            int r = ((-dr) % cv->pr + cv->pr) % cv->pr, c = ((-dc) % cv->pc + cv->pc) % cv->pc;
            cv->real[(size_t)r * cv->pc + c] = k->k[(size_t)(dr + n) * w + dc + n];
        }
    fftw_execute_dft_r2c(cv->fwd, cv->real, cv->kspec);
    *out = cv;
    return SP_OK;
}

void sp_convolver_rows(sp_convolver *cv, int row0, int row1)
{
    cv->row0 = row0 < 0 ? 0 : row0;
    cv->row1 = row1 > cv->nrows ? cv->nrows : row1;
}

/* One strip: output rows [a, b) from input rows [ws, ws + pr) (ws < 0: zeros above). */
static void strip(sp_convolver *cv, const double *src, double norm, int a, int b, int ws,
                  double *dst)
{
    size_t nreal = (size_t)cv->pr * cv->pc, nspec = (size_t)cv->pr * (cv->pc / 2 + 1);
    memset(cv->real, 0, nreal * sizeof *cv->real);
    int r0 = ws < 0 ? 0 : ws, r1 = ws + cv->pr < cv->nrows ? ws + cv->pr : cv->nrows;
    if (cv->h < cv->nrows && b + cv->n < r1)
        r1 = b + cv->n; /* the halo, no more: the rest would wrap onto the strip */
    for (int r = r0; r < r1; r++)
        memcpy(cv->real + (size_t)(r - ws) * cv->pc, src + (size_t)(r - cv->src0) * cv->ncols,
               (size_t)cv->ncols * sizeof *src);
    fftw_execute_dft_r2c(cv->fwd, cv->real, cv->spec);
    for (size_t i = 0; i < nspec; i++) {
        double x = cv->spec[i][0], y = cv->spec[i][1];
        double c = cv->kspec[i][0], d = cv->kspec[i][1];
        cv->spec[i][0] = (x * c - y * d) * norm;
        cv->spec[i][1] = (x * d + y * c) * norm;
    }
    fftw_execute_dft_c2r(cv->inv, cv->spec, cv->real);
    int o0 = a > cv->row0 ? a : cv->row0, o1 = b < cv->row1 ? b : cv->row1;
    for (int r = o0; r < o1; r++) {
        const double *row = cv->real + (size_t)(r - ws) * cv->pc;
        double *o = dst + (size_t)(r - cv->dst0) * cv->ncols;
        for (int c = 0; c < cv->ncols; c++)
            o[c] += row[c];
    }
}

void sp_convolver_window(sp_convolver *cv, int src_row0, int src_row1, int dst_row0)
{
    cv->src0 = src_row0;
    cv->src1 = src_row1;
    cv->dst0 = dst_row0;
}

/* The input rows strip [a, b) of h rows reads: the whole grid for one strip, else a halo
 * of n rows each side. */
static void strip_input(int nrows, int n, int h, int a, int b, int *r0, int *r1)
{
    *r0 = h == nrows ? 0 : (a - n < 0 ? 0 : a - n);
    *r1 = h == nrows ? nrows : (b + n > nrows ? nrows : b + n);
}

void sp_strip_input_rows(int nrows, int n, int row0, int row1, int *in0, int *in1)
{
    int h = strip_rows(nrows, n);
    int a = row0 / h * h, last = (row1 - 1) / h * h;
    int x0, x1, y0, y1;
    strip_input(nrows, n, h, a, a + h < nrows ? a + h : nrows, &x0, &x1);
    strip_input(nrows, n, h, last, last + h < nrows ? last + h : nrows, &y0, &y1);
    *in0 = x0;
    *in1 = y1 > x1 ? y1 : x1;
}

sp_status sp_convolver_apply(sp_ctx *ctx, sp_convolver *cv, const double *src, double scale,
                             double *dst)
{
    int in0, in1;
    sp_strip_input_rows(cv->nrows, cv->n, cv->row0, cv->row1, &in0, &in1);
    if (in0 < cv->src0 || in1 > cv->src1 || cv->dst0 > cv->row0)
        return sp_error(ctx, SP_ERR_INTERNAL, "convolution of rows %d-%d needs input rows "
                        "%d-%d; given %d-%d", cv->row0, cv->row1, in0, in1, cv->src0, cv->src1);
    double norm = scale / ((double)cv->pr * cv->pc);
    if (cv->h == cv->nrows) { /* one strip: the whole grid, no halo above */
        strip(cv, src, norm, 0, cv->nrows, 0, dst);
        return SP_OK;
    }
    for (int a = 0; a < cv->nrows; a += cv->h) {
        int b = a + cv->h < cv->nrows ? a + cv->h : cv->nrows;
        if (b > cv->row0 && a < cv->row1)
            strip(cv, src, norm, a, b, a - cv->n, dst);
    }
    return SP_OK;
}

sp_status sp_convolve_fft(sp_ctx *ctx, const double *src, int nrows, int ncols, double scale,
                          const sp_kernel *k, double *dst, int threads)
{
    sp_convolver *cv;
    sp_status rc = sp_convolver_new(ctx, nrows, ncols, k, threads, &cv);
    if (!rc)
        rc = sp_convolver_apply(ctx, cv, src, scale, dst);
    sp_convolver_free(cv);
    return rc;
}
