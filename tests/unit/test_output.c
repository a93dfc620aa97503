/* Unit tests of sp_output: atomic files and folders, the marker rule for folders,
 * outputs refused over inputs (also through a link, and at commit time), all-or-none
 * holds, the sweep of a dead process's temporaries, the signal-time cleanup, long
 * paths, and pinned .dbf dates. The oracle is the file system itself (stat, reads). */
#include "check.h"
#include "io/sp_output.h"
#include "io/sp_ctx_io.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int read_eq(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return strcmp(buf, text) == 0;
}

static int count_tmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ls -a %s | grep -c '\\.tmp-' > /dev/null", dir);
    return system(cmd) == 0;
}

static void test_files(sp_ctx *ctx)
{
    char dst[256], p[300];
    snprintf(dst, sizeof dst, "%s/a.txt", dir);
    sp_output o;
    CHECK(sp_output_begin(ctx, &o, dst) == SP_OK);
    char want[128];
    /* the name's dots become '_' in the folder's: GDAL's zip writers split a path at ".xlsx" */
    snprintf(want, sizeof want, "%s/.a_txt.tmp-%ld-", dir, (long)getpid());
    CHECK(strncmp(o.tmpdir, want, strlen(want)) == 0);
    put(o.path, "new");
    CHECK(!sp_path_exists(dst));
    CHECK(sp_output_commit(ctx, &o) == SP_OK && read_eq(dst, "new"));
    CHECK(!count_tmp());
    /* an input is never replaced: at begin, through a link, and at commit */
    sp_ctx_add_input(ctx, dst);
    CHECK(sp_output_begin(ctx, &o, dst) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "is an input of this run");
    snprintf(p, sizeof p, "%s/link.txt", dir);
    CHECK(symlink(dst, p) == 0);
    CHECK(sp_output_begin(ctx, &o, p) == SP_ERR_USAGE);
    snprintf(p, sizeof p, "%s/later.txt", dir);
    put(p, "old");
    CHECK(sp_output_begin(ctx, &o, p) == SP_OK);
    put(o.path, "new");
    sp_ctx_add_input(ctx, p); /* opened after the output began */
    CHECK(sp_output_commit(ctx, &o) == SP_ERR_USAGE && read_eq(p, "old"));
    CHECK(!count_tmp());
    /* .dbf dates are pinned to 2000-01-01 */
    snprintf(dst, sizeof dst, "%s/s.dbf", dir);
    CHECK(sp_output_begin(ctx, &o, dst) == SP_OK);
    put(o.path, "\x03\x7a\x0b\x14 rest of a header");
    CHECK(sp_output_commit(ctx, &o) == SP_OK);
    CHECK(read_eq(dst, "\x03\x64\x01\x01 rest of a header"));
    /* long destinations are refused before anything is written */
    char longp[700];
    snprintf(longp, sizeof longp, "%s/%0600d", dir, 0);
    CHECK(sp_output_begin(ctx, &o, longp) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "its path has");
}

static void test_folders(sp_ctx *ctx)
{
    char dst[256], p[300];
    snprintf(dst, sizeof dst, "%s/tree", dir);
    sp_output o;
    CHECK(sp_output_begin_folder(ctx, &o, dst) == SP_OK);
    snprintf(p, sizeof p, "%s/a.png", o.path);
    put(p, "A");
    CHECK(sp_output_commit(ctx, &o) == SP_OK);
    snprintf(p, sizeof p, "%s/%s", dst, SP_OUTPUT_MARKER);
    CHECK(sp_path_exists(p));
    /* a second run swaps the whole tree: a.png gone, b.png there */
    CHECK(sp_output_begin_folder(ctx, &o, dst) == SP_OK);
    snprintf(p, sizeof p, "%s/b.png", o.path);
    put(p, "B");
    CHECK(sp_output_commit(ctx, &o) == SP_OK);
    snprintf(p, sizeof p, "%s/a.png", dst);
    CHECK(!sp_path_exists(p));
    snprintf(p, sizeof p, "%s/b.png", dst);
    CHECK(read_eq(p, "B"));
    CHECK(!count_tmp());
    /* a tile tree (z/x/y: 3 x 40 second-level folders, past the threads' threshold)
     * replaced: the old tree is removed on several threads, every file of it */
    CHECK(sp_output_begin_folder(ctx, &o, dst) == SP_OK);
    for (int z = 0; z < 3; z++) {
        snprintf(p, sizeof p, "%s/%d", o.path, z);
        mkdir(p, 0777);
        for (int x = 0; x < 40; x++) {
            snprintf(p, sizeof p, "%s/%d/%d", o.path, z, x);
            mkdir(p, 0777);
            for (int y = 0; y < 3; y++) {
                snprintf(p, sizeof p, "%s/%d/%d/%d.png", o.path, z, x, y);
                put(p, "T");
            }
        }
    }
    CHECK(sp_output_commit(ctx, &o) == SP_OK);
    snprintf(p, sizeof p, "%s/2/39/2.png", dst);
    CHECK(read_eq(p, "T"));
    CHECK(sp_output_begin_folder(ctx, &o, dst) == SP_OK);
    snprintf(p, sizeof p, "%s/c.png", o.path);
    put(p, "C");
    CHECK(sp_output_commit(ctx, &o) == SP_OK);
    snprintf(p, sizeof p, "%s/2", dst);
    CHECK(!sp_path_exists(p));
    snprintf(p, sizeof p, "%s/c.png", dst);
    CHECK(read_eq(p, "C"));
    CHECK(!count_tmp());
    {
        char cmd[300]; /* nothing of the old tree anywhere in dir */
        snprintf(cmd, sizeof cmd, "test $(find %s -name '*.png' | wc -l) = 1", dir);
        CHECK(system(cmd) == 0);
    }
    /* a foreign folder with files is never replaced; an empty one is */
    snprintf(dst, sizeof dst, "%s/mine", dir);
    mkdir(dst, 0777);
    snprintf(p, sizeof p, "%s/notes.txt", dst);
    put(p, "keep");
    CHECK(sp_output_begin_folder(ctx, &o, dst) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "was not written by onemap");
    CHECK(read_eq(p, "keep"));
    snprintf(dst, sizeof dst, "%s/empty", dir);
    mkdir(dst, 0777);
    CHECK(sp_output_begin_folder(ctx, &o, dst) == SP_OK);
    CHECK(sp_output_commit(ctx, &o) == SP_OK);
    /* a folder holding an input */
    snprintf(p, sizeof p, "%s/in.tif", dst);
    put(p, "raster");
    sp_ctx_add_input(ctx, p);
    CHECK(sp_output_begin_folder(ctx, &o, dst) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "holds an input of this run");
    CHECK(read_eq(p, "raster"));
    const char *names[] = {".", "..", "/", "x/.."};
    for (int i = 0; i < 4; i++)
        CHECK(sp_output_begin_folder(ctx, &o, names[i]) == SP_ERR_USAGE);
}

static void test_hold_and_sweep(void)
{
    sp_ctx *ctx = sp_ctx_new();
    char d1[256], d2[256];
    snprintf(d1, sizeof d1, "%s/h1.csv", dir);
    snprintf(d2, sizeof d2, "%s/h2.csv", dir);
    sp_output o;
    for (int commit = 0; commit < 2; commit++) {
        sp_output_hold(ctx);
        CHECK(sp_output_begin(ctx, &o, d1) == SP_OK);
        put(o.path, "1");
        CHECK(sp_output_commit(ctx, &o) == SP_OK);
        CHECK(!sp_path_exists(d1)); /* held */
        CHECK(sp_output_begin(ctx, &o, d2) == SP_OK);
        put(o.path, "2");
        CHECK(sp_output_commit(ctx, &o) == SP_OK);
        CHECK(sp_output_release(ctx, commit) == SP_OK);
        CHECK(sp_path_exists(d1) == commit && sp_path_exists(d2) == commit);
    }
    /* freeing the context removes held outputs */
    sp_output_hold(ctx);
    snprintf(d1, sizeof d1, "%s/h3.csv", dir);
    CHECK(sp_output_begin(ctx, &o, d1) == SP_OK);
    CHECK(sp_output_commit(ctx, &o) == SP_OK);
    sp_ctx_free(ctx);
    CHECK(!sp_path_exists(d1) && !count_tmp());
    /* a temporary folder of a process that is gone is swept, with a warning */
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
    char stale[256], f[300];
    snprintf(stale, sizeof stale, "%s/.x.tif.tmp-%ld-AbCdEf", dir, (long)child);
    mkdir(stale, 0777);
    snprintf(f, sizeof f, "%s/x.tif", stale);
    put(f, "half");
    char live[256];
    snprintf(live, sizeof live, "%s/.y.tif.tmp-%ld-AbCdEf", dir, (long)getpid() == 1 ? 2L : 1L);
    mkdir(live, 0777); /* pid 1 is alive: kept */
    ctx = sp_ctx_new();
    snprintf(d1, sizeof d1, "%s/z.tif", dir);
    CHECK(sp_output_begin(ctx, &o, d1) == SP_OK);
    CHECK(!sp_path_exists(stale) && sp_path_exists(live));
    CHECK(sp_ctx_warning_count(ctx) == 1);
    CHECK_HAS(sp_ctx_warning(ctx, 0), "left by process");
    /* the signal-time cleanup removes what is not committed */
    put(o.path, "partial");
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", o.tmpdir);
    sp_output_remove_temporaries();
    CHECK(!sp_path_exists(tmp));
    sp_output_abort(&o);
    rmdir(live);
    sp_ctx_free(ctx);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/sp-test-output-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    sp_ctx *ctx = sp_ctx_new();
    test_files(ctx);
    test_folders(ctx);
    sp_ctx_free(ctx);
    test_hold_and_sweep();
    CHECK(sp_remove_tree(dir) == 0 && !sp_path_exists(dir));
    return check_done();
}
