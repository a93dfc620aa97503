/* sp_output: temporary-folder-then-rename writes (house style rule 10). The temporary
 * folder is beside the destination, hence on its file system, so each rename is atomic.
 * The one mutable global of the library lives here: the list of this process's
 * uncommitted temporary folders, which a signal handler must be able to reach. */
#include "io/sp_output.h"
#include "io/sp_journal.h"
#include "core/sp_pool.h"
#include "core/sp_text.h"

#include <cpl_conv.h>
#include <gdal.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- removing trees with system calls only (async-signal-safe) ---- */

struct dirent64_raw {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static bool dot_or_dotdot(const char *s)
{
    return s[0] == '.' && (s[1] == '\0' || (s[1] == '.' && s[2] == '\0'));
}

static int remove_at(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
        return 0;
    if ((errno != EISDIR && errno != EPERM) || depth > 64)
        return -1;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[2048] __attribute__((aligned(8)));
    /* entries removed while reading can hide others on some file systems: read again
     * from the start until the folder is empty (or a pass removes nothing) */
    for (int pass = 0; pass < 8; pass++) {
        bool removed = false, failed = false;
        lseek(fd, 0, SEEK_SET);
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
            for (long off = 0; off < n;) {
                struct dirent64_raw *e = (struct dirent64_raw *)(buf + off);
                off += e->d_reclen;
                if (dot_or_dotdot(e->d_name))
                    continue;
                if (remove_at(fd, e->d_name, depth + 1) == 0)
                    removed = true;
                else
                    failed = true;
            }
        if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT) {
            close(fd);
            return 0;
        }
        if (!removed || (failed && errno != ENOTEMPTY))
            break;
    }
    close(fd);
    return -1;
}

int sp_remove_tree(const char *path) { return remove_at(AT_FDCWD, path, 0); }

/* A replaced output's tree, its second-level folders (a tile tree's {z}/{x}) removed by
 * four threads: removing files already on disk waits on the disk at each unlink (here
 * ~0.3 ms), and four at once take about two thirds of the time (10,000 tiles: 3.1 s ->
 * 2.0-2.5 s). */
typedef struct {
    int fd;       /* the tree's top folder */
    char **names; /* "a/b", relative to fd */
    size_t n, cap;
    atomic_size_t next;
} remove_job;

static void *remove_worker(void *arg)
{
    remove_job *j = arg;
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;)
        remove_at(j->fd, j->names[i], 2);
    return NULL;
}

static bool remove_list_add(remove_job *j, const char *a, const char *b)
{
    if (j->n == j->cap) {
        size_t nc = j->cap ? 2 * j->cap : 256;
        char **nn = realloc(j->names, nc * sizeof *nn);
        if (!nn)
            return false;
        j->names = nn;
        j->cap = nc;
    }
    if (asprintf(&j->names[j->n], "%s/%s", a, b) < 0)
        return false;
    j->n++;
    return true;
}

/* the second-level entries of the tree open as j->fd */
static void remove_list(remove_job *j)
{
    DIR *top = fdopendir(dup(j->fd));
    for (struct dirent *e; top && (e = readdir(top));) {
        if (dot_or_dotdot(e->d_name) || e->d_type != DT_DIR)
            continue;
        int sub = openat(j->fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d = sub >= 0 ? fdopendir(sub) : NULL;
        if (!d && sub >= 0)
            close(sub);
        bool ok = true;
        for (struct dirent *f; ok && d && (f = readdir(d));)
            ok = dot_or_dotdot(f->d_name) || remove_list_add(j, e->d_name, f->d_name);
        if (d)
            closedir(d);
        if (!ok)
            break;
    }
    if (top)
        closedir(top);
}

static int remove_tree_threads(const char *path)
{
    remove_job j = {.fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)};
    if (j.fd >= 0) {
        remove_list(&j);
        if (j.n > 64)
            sp_pool_run(4, remove_worker, &j, 0);
        close(j.fd);
    }
    for (size_t i = 0; i < j.n; i++)
        free(j.names[i]);
    free(j.names);
    return sp_remove_tree(path); /* the rest, and whatever the threads left */
}

bool sp_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- this process's uncommitted temporary folders ---- */

#define LIVE_MAX 64
static struct {
    volatile sig_atomic_t used;
    char path[SP_OUTPUT_PATH_MAX + 1];
} live[LIVE_MAX];
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

static void live_add(const char *path)
{
    pthread_mutex_lock(&live_lock);
    for (int i = 0; i < LIVE_MAX; i++)
        if (!live[i].used) {
            snprintf(live[i].path, sizeof live[i].path, "%s", path);
            live[i].used = 1;
            break;
        } /* more than LIVE_MAX at once: the extra ones are left to the next run's sweep */
    pthread_mutex_unlock(&live_lock);
}

static void live_remove(const char *path)
{
    pthread_mutex_lock(&live_lock);
    for (int i = 0; i < LIVE_MAX; i++)
        if (live[i].used && !strcmp(live[i].path, path)) {
            live[i].used = 0;
            break;
        }
    pthread_mutex_unlock(&live_lock);
}

void sp_output_remove_temporaries(void)
{
    /* renamed first (".X.tmp-PID-abcdef" -> ".X.tmp-PID-zzzzzz", still a name the sweep
     * knows): threads still writing by the old path then fail instead of making entries
     * in a folder being removed. rename and unlink are async-signal-safe. */
    static char moved[SP_OUTPUT_PATH_MAX + 1];
    for (int i = 0; i < LIVE_MAX; i++) {
        if (!live[i].used)
            continue;
        const char *from = live[i].path, *gone = from;
        size_t n = strlen(from);
        if (n >= 6 && n < sizeof moved) {
            memcpy(moved, from, n + 1);
            memcpy(moved + n - 6, "zzzzzz", 6);
            if (rename(from, moved) == 0)
                gone = moved;
        }
        remove_at(AT_FDCWD, gone, 0);
    }
}

/* ---- begin ---- */

static void output_free(sp_output *out)
{
    free(out->dst);
    free(out->tmpdir);
    free(out->path);
    memset(out, 0, sizeof *out);
}

/* the process id in a temporary folder's name ".X.tmp-PID-XXXXXX", or 0 */
static long temp_owner(const char *name)
{
    const char *t = strstr(name, ".tmp-"), *last = NULL;
    while (t) {
        last = t;
        t = strstr(t + 1, ".tmp-");
    }
    if (name[0] != '.' || !last)
        return 0;
    char *end;
    long pid = strtol(last + 5, &end, 10);
    return (pid > 0 && *end == '-' && strlen(end) == 7) ? pid : 0;
}

/* removes the temporary folders in dir whose process is gone (killed runs) */
static void sweep_stale(sp_ctx *ctx, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = temp_owner(e->d_name);
        if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char p[SP_OUTPUT_PATH_MAX * 2 + 8];
        struct stat st;
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < sizeof p &&
            lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (sp_remove_tree(p) == 0)
                sp_warn(ctx, "removed '%s', left by process %ld that was stopped", p, pid);
            else
                sp_warn(ctx, "cannot remove '%s', left by process %ld", p, pid);
        }
    }
    closedir(d);
}

static bool is_empty_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)))
        empty = dot_or_dotdot(e->d_name);
    closedir(d);
    return empty;
}

/* May the existing folder dst be replaced? Only an empty one or one onemap wrote. */
static sp_status check_replaceable(sp_ctx *ctx, const char *dst)
{
    struct stat st;
    if (stat(dst, &st) != 0)
        return SP_OK;
    if (!S_ISDIR(st.st_mode))
        return sp_error(ctx, SP_ERR_IO, "cannot write folder '%s': a file has that name", dst);
    char m[SP_OUTPUT_PATH_MAX * 2 + 32];
    snprintf(m, sizeof m, "%s/%s", dst, SP_OUTPUT_MARKER);
    if (!sp_path_exists(m) && !is_empty_dir(dst))
        return sp_error(ctx, SP_ERR_USAGE, "folder '%s' exists and was not written by onemap "
                        "(it has no %s file): give a new or empty folder", dst,
                        SP_OUTPUT_MARKER);
    return sp_ctx_check_not_input(ctx, dst, true);
}

static sp_status write_marker(sp_ctx *ctx, const char *folder)
{
    char m[SP_OUTPUT_PATH_MAX * 2 + 32];
    snprintf(m, sizeof m, "%s/%s", folder, SP_OUTPUT_MARKER);
    FILE *fp = fopen(m, "w");
    if (!fp || fputs("This folder was written by onemap; the next run that writes here "
                     "replaces it as a whole.\n", fp) < 0 || fclose(fp) != 0) {
        int e = errno;
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", m, strerror(e));
    }
    return SP_OK;
}

static sp_status begin(sp_ctx *ctx, sp_output *out, const char *dst, bool folder)
{
    memset(out, 0, sizeof *out);
    if (strlen(dst) + 32 > SP_OUTPUT_PATH_MAX)
        return sp_error(ctx, SP_ERR_USAGE, "cannot write '%.60s...': its path has %zu bytes; "
                        "outputs are written through a temporary path of at most %d bytes "
                        "(SQLite's limit), so give a path of at most %d", dst, strlen(dst),
                        SP_OUTPUT_PATH_MAX, SP_OUTPUT_PATH_MAX - 32 - 40);
    char d1[SP_OUTPUT_PATH_MAX + 1], d2[SP_OUTPUT_PATH_MAX + 1];
    snprintf(d1, sizeof d1, "%s", dst);
    snprintf(d2, sizeof d2, "%s", dst);
    const char *dir = dirname(d1), *base = basename(d2);
    if (!strcmp(base, ".") || !strcmp(base, "..") || !strcmp(base, "/") || !base[0])
        return sp_error(ctx, SP_ERR_USAGE, "cannot write '%s': name a new %s, not '%s'", dst,
                        folder ? "folder" : "file", base);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s': folder '%s' does not exist", dst, dir);
    sp_status rc;
    if (folder) {
        if ((rc = check_replaceable(ctx, dst)))
            return rc;
    } else {
        if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode))
            return sp_error(ctx, SP_ERR_IO, "cannot write '%s': it is a folder", dst);
        if ((rc = sp_ctx_check_not_input(ctx, dst, false)))
            return rc;
    }
    sweep_stale(ctx, dir);
    sp_ctx_set_output_dir(ctx, dir);
    /* the base name is shortened in the folder's name: the path must stay short */
    size_t blen = sp_utf8_valid(base, strlen(base)) ? sp_utf8_cut(base, 40) : 0;
    size_t n = strlen(dir) + blen + strlen(base) + 48;
    out->tmpdir = malloc(n);
    out->path = malloc(n);
    out->dst = strdup(dst);
    out->folder = folder;
    if (!out->tmpdir || !out->path || !out->dst) {
        output_free(out);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    /* the name's dots become '_' in the folder's name: GDAL's zip-based writers (XLSX, ODS)
     * split a path at the first ".xlsx" / ".ods" in it, which must be the file's own */
    char stem[64];
    snprintf(stem, sizeof stem, "%.*s", (int)blen, base);
    for (char *c = stem; *c; c++)
        *c = *c == '.' ? '_' : *c;
    snprintf(out->tmpdir, n, "%s/.%s.tmp-%ld-XXXXXX", dir, stem, (long)getpid());
    if (!mkdtemp(out->tmpdir)) {
        int e = errno;
        output_free(out);
        return sp_error(ctx, SP_ERR_IO, "cannot write in folder '%s': %s", dir, strerror(e));
    }
    live_add(out->tmpdir);
    snprintf(out->path, n, "%s/%s", out->tmpdir, base);
    if (strlen(out->path) > SP_OUTPUT_PATH_MAX) {
        sp_output_abort(out);
        return sp_error(ctx, SP_ERR_USAGE, "cannot write '%s': its temporary path is longer "
                        "than %d bytes (SQLite's limit): give a shorter path", dst,
                        SP_OUTPUT_PATH_MAX);
    }
    if (folder && mkdir(out->path, 0777) != 0) {
        rc = sp_error(ctx, SP_ERR_IO, "cannot write in folder '%s': %s", out->tmpdir,
                      strerror(errno));
        sp_output_abort(out);
        return rc;
    }
    if (folder && (rc = write_marker(ctx, out->path))) { /* its message names the marker */
        sp_output_abort(out);
        return rc;
    }
    return SP_OK;
}

sp_status sp_output_begin(sp_ctx *ctx, sp_output *out, const char *dst)
{
    return begin(ctx, out, dst, false);
}

sp_status sp_output_begin_folder(sp_ctx *ctx, sp_output *out, const char *dst)
{
    return begin(ctx, out, dst, true);
}

/* ---- commit ---- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcasecmp(s + n - k, suffix);
}

/* sets a .dbf header's date of last update (bytes 1-3: years since 1900, month, day) */
static sp_status pin_dbf_date(sp_ctx *ctx, const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    static const unsigned char date[3] = {100, 1, 1};
    if (fd < 0 || pwrite(fd, date, 3, 1) != 3) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return close(fd) == 0 ? SP_OK : sp_error(ctx, SP_ERR_IO, "cannot write '%s'", path);
}

sp_status sp_output_pin_dbf_dates(sp_ctx *ctx, const char *folder)
{
    DIR *d = opendir(folder);
    if (!d)
        return sp_error(ctx, SP_ERR_IO, "cannot read '%s': %s", folder, strerror(errno));
    struct dirent *e;
    sp_status rc = SP_OK;
    while (!rc && (e = readdir(d))) {
        char p[SP_OUTPUT_PATH_MAX * 2 + 8];
        if (ends_with(e->d_name, ".dbf") &&
            (size_t)snprintf(p, sizeof p, "%s/%s", folder, e->d_name) < sizeof p)
            rc = pin_dbf_date(ctx, p);
    }
    closedir(d);
    return rc;
}

/* the entries of the temporary folder, in name order (a shapefile's set commits in a
 * fixed order) */
static int list_entries(const char *dir, struct dirent ***list)
{
    return scandir(dir, list, NULL, alphasort);
}

static sp_status move_folder(sp_ctx *ctx, const char *from, const char *to)
{
    sp_status rc;
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return SP_OK;
    if (errno != EEXIST && errno != ENOTEMPTY && errno != EINVAL && errno != ENOSYS)
        return sp_error(ctx, SP_ERR_IO, "cannot move '%s' to '%s': %s", from, to, strerror(errno));
    /* the destination exists (or this file system has no RENAME_NOREPLACE): check
     * it again, under the lock, then swap the two names at once */
    if ((rc = check_replaceable(ctx, to)))
        return rc;
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) == 0)
        return SP_OK; /* the old tree is now under 'from', removed with the tmp folder */
    if (errno != EINVAL && errno != ENOSYS)
        return sp_error(ctx, SP_ERR_IO, "cannot move '%s' to '%s': %s", from, to, strerror(errno));
    /* no exchange on this file system: old aside, new in (dst is missing for an
     * instant, never half-written) */
    char aside[SP_OUTPUT_PATH_MAX * 2 + 16];
    snprintf(aside, sizeof aside, "%s.old", from);
    if (rename(to, aside) != 0 && errno != ENOENT)
        return sp_error(ctx, SP_ERR_IO, "cannot move '%s' aside: %s", to, strerror(errno));
    if (rename(from, to) != 0) {
        int e = errno;
        rename(aside, to);
        return sp_error(ctx, SP_ERR_IO, "cannot move '%s' to '%s': %s", from, to, strerror(e));
    }
    return SP_OK;
}

static sp_status do_commit(sp_ctx *ctx, sp_output *out)
{
    char d1[SP_OUTPUT_PATH_MAX + 1];
    snprintf(d1, sizeof d1, "%s", out->dst);
    const char *dir = dirname(d1);
    struct dirent **list = NULL;
    int n = list_entries(out->tmpdir, &list);
    if (n < 0)
        return sp_error(ctx, SP_ERR_IO, "cannot read '%s': %s", out->tmpdir, strerror(errno));
    sp_status rc = SP_OK;
    if (!out->folder)
        rc = sp_output_pin_dbf_dates(ctx, out->tmpdir);
    /* one commit at a time in a folder: the files of two runs never mix */
    int lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock >= 0)
        flock(lock, LOCK_EX);
    char from[SP_OUTPUT_PATH_MAX * 2 + 8], to[SP_OUTPUT_PATH_MAX * 2 + 8];
    /* first every check, then the renames */
    for (int i = 0; i < n && !rc; i++) {
        if (dot_or_dotdot(list[i]->d_name))
            continue;
        snprintf(to, sizeof to, "%s/%s", dir, list[i]->d_name);
        struct stat st;
        if (!out->folder && stat(to, &st) == 0 && S_ISDIR(st.st_mode))
            rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s': it is a folder", to);
        else if (!rc)
            rc = out->folder ? check_replaceable(ctx, to) : sp_ctx_check_not_input(ctx, to, false);
        if (!rc && !out->folder) /* no SQLite journal may apply to the new file */
            rc = sp_journal_settle(ctx, to);
    }
    for (int i = 0; i < n && !rc; i++) {
        if (dot_or_dotdot(list[i]->d_name))
            continue;
        snprintf(from, sizeof from, "%s/%s", out->tmpdir, list[i]->d_name);
        snprintf(to, sizeof to, "%s/%s", dir, list[i]->d_name);
        if (out->folder)
            rc = move_folder(ctx, from, to);
        else if (rename(from, to) != 0)
            rc = sp_error(ctx, SP_ERR_IO, "cannot move '%s' to '%s': %s", from, to,
                          strerror(errno));
    }
    if (lock >= 0)
        close(lock); /* releases the lock */
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return rc;
}

typedef struct {
    sp_output *v;
    size_t n, cap;
} held;

static void held_release(void *p)
{
    held *h = p;
    for (size_t i = 0; i < h->n; i++)
        sp_output_abort(&h->v[i]);
    free(h->v);
    free(h);
}

void sp_output_hold(sp_ctx *ctx)
{
    if (!sp_ctx_pending(ctx)) {
        held *h = calloc(1, sizeof *h);
        if (h)
            sp_ctx_set_pending(ctx, h, held_release);
    }
}

sp_status sp_output_release(sp_ctx *ctx, bool commit)
{
    held *h = sp_ctx_pending(ctx);
    if (!h)
        return SP_OK;
    sp_ctx_set_pending(ctx, NULL, NULL);
    sp_status rc = SP_OK;
    for (size_t i = 0; i < h->n; i++) {
        if (commit && !rc)
            rc = do_commit(ctx, &h->v[i]);
        sp_output_abort(&h->v[i]);
    }
    free(h->v);
    free(h);
    return rc;
}

sp_status sp_output_commit(sp_ctx *ctx, sp_output *out)
{
    held *h = sp_ctx_pending(ctx);
    if (h) {
        if (h->n == h->cap) {
            size_t cap = h->cap ? 2 * h->cap : 4;
            sp_output *v = realloc(h->v, cap * sizeof *v);
            if (!v) {
                sp_output_abort(out);
                return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            }
            h->v = v;
            h->cap = cap;
        }
        h->v[h->n++] = *out;
        memset(out, 0, sizeof *out);
        return SP_OK;
    }
    sp_status rc = do_commit(ctx, out);
    sp_output_abort(out);
    return rc;
}

void sp_output_abort(sp_output *out)
{
    if (out->tmpdir) {
        remove_tree_threads(out->tmpdir);
        live_remove(out->tmpdir);
    }
    output_free(out);
}

sp_status sp_output_close(sp_ctx *ctx, void *ds, const char *dst, sp_status rc)
{
    if (!ds)
        return rc;
    CPLErrorReset();
    GDALClose((GDALDatasetH)ds); /* GDAL 3.6's returns nothing: a failed flush is an error */
    if (!rc && CPLGetLastErrorType() >= CE_Failure)
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot write '%s'", dst);
    return rc;
}

bool sp_output_pin_date(void)
{
    if (CPLGetConfigOption("OGR_CURRENT_DATE", NULL))
        return false; /* the user's own date wins */
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    return true;
}

void sp_output_unpin_date(bool pinned)
{
    if (pinned)
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
}
