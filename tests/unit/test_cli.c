/* sp_cli_parse and sp_cli_help: a flag table parses what it documents, and only that. */
#include "check.h"
#include "cli/sp_cli.h"

#include <cpl_string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sp_tool_desc TOOL = {
    .synopsis = "[options] SRC DST",
    .about = "A test tool.\n",
    .examples = "sp-test -tr 10 20 a b\nsp-test -a x,y a b",
    .npos_min = 2,
    .npos_max = 2,
    .pos_error = "need SRC and DST",
};

typedef struct {
    double tr[2];
    bool has_tr, sw;
    int j;
    const char *of;
    char **co, **fields;
    sp_vector_options a, b;
    const char *bsrc;
} vals;

static int parse(vals *v, int argc, char **argv, const char **pos, bool two_inputs)
{
    memset(v, 0, sizeof *v);
    sp_vector_options_init(&v->a);
    sp_vector_options_init(&v->b);
    const sp_opt opts[] = {
        SP_SECTION("Grid:"),
        SP_OPT(SP_OPT_DOUBLE, "-tr", "XRES YRES", v->tr, "cell size", .seen = &v->has_tr),
        SP_OPT(SP_OPT_SWITCH, "-x", NULL, &v->sw, "a switch"),
        SP_OPT(SP_OPT_INT, "-j", "N", &v->j, "threads", .min = 1, .max = 64),
        SP_OPT(SP_OPT_STR, "-of|-f", "FORMAT", &v->of, "format"),
        SP_OPT(SP_OPT_STRS, "-co", "NAME=VALUE", &v->co, "creation option"),
        SP_OPT(SP_OPT_LIST, "-a", "F[,F]", &v->fields, "fields"),
        SP_OPT(SP_OPT_STR, "-v", "B", &v->bsrc, "the second input"),
    };
    static sp_cli cli; /* kept lists live until the next parse */
    static bool have;
    if (have)
        sp_cli_free(&cli);
    sp_cli_init(&cli, "sp-test");
    have = true;
    sp_cli_add_input(&cli, "first", &v->a, NULL);
    if (two_inputs)
        sp_cli_add_input(&cli, "second", &v->b, &v->bsrc);
    return sp_cli_parse(&cli, &TOOL, opts, sizeof opts / sizeof *opts, argc, argv, pos);
}

#define ARGS(...) (char *[]){"sp-test", __VA_ARGS__, NULL}
#define NARGS(...) (int)(sizeof((char *[]){"sp-test", __VA_ARGS__}) / sizeof(char *))

int main(void)
{
    vals v;
    const char *pos[2];
    char **a1 = ARGS("-tr", "10", "20.5", "-x", "-j", "4", "-f", "GPKG", "-co", "A=1", "-co",
                     "B=2", "-a", "x,y", "in", "out");
    CHECK(parse(&v, NARGS("-tr", "10", "20.5", "-x", "-j", "4", "-f", "GPKG", "-co", "A=1",
                          "-co", "B=2", "-a", "x,y", "in", "out"), a1, pos, false) == 0);
    CHECK(v.tr[0] == 10 && v.tr[1] == 20.5 && v.has_tr && v.sw && v.j == 4);
    CHECK_STR(v.of, "GPKG");
    CHECK(CSLCount(v.co) == 2 && !strcmp(v.co[1], "B=2"));
    CHECK(CSLCount(v.fields) == 2 && !strcmp(v.fields[1], "y"));
    CHECK_STR(pos[0], "in");
    CHECK_STR(pos[1], "out");

    /* errors: exit code 2 */
    CHECK(parse(&v, NARGS("-j", "0", "a", "b"), ARGS("-j", "0", "a", "b"), pos, false) == 2);
    CHECK(parse(&v, NARGS("-j", "65", "a", "b"), ARGS("-j", "65", "a", "b"), pos, false) == 2);
    CHECK(parse(&v, NARGS("-j", "64", "a", "b"), ARGS("-j", "64", "a", "b"), pos, false) == 0 &&
          v.j == 64); /* the bounds themselves are in range */
    CHECK(parse(&v, NARGS("-tr", "10"), ARGS("-tr", "10"), pos, false) == 2); /* 1 of 2 values */
    CHECK(parse(&v, NARGS("-tr", "x", "1", "a", "b"), ARGS("-tr", "x", "1", "a", "b"), pos,
                false) == 2);
    CHECK(parse(&v, NARGS("-nope", "a", "b"), ARGS("-nope", "a", "b"), pos, false) == 2);
    CHECK(parse(&v, NARGS("a"), ARGS("a"), pos, false) == 2);            /* too few */
    CHECK(parse(&v, NARGS("a", "b", "c"), ARGS("a", "b", "c"), pos, false) == 2); /* many */
    CHECK(parse(&v, NARGS("--help"), ARGS("--help"), pos, false) == 3);
    CHECK(!v.has_tr); /* a flag not given is not seen */

    /* one input: the input flags are its own */
    CHECK(parse(&v, NARGS("-l", "L1", "-l", "L2", "-enc", "GBK", "-oo", "HEADERS=FORCE",
                          "-where", "x=1", "a", "b"),
                ARGS("-l", "L1", "-l", "L2", "-enc", "GBK", "-oo", "HEADERS=FORCE", "-where",
                     "x=1", "a", "b"), pos, false) == 0);
    CHECK(v.a.nlayers == 2 && !strcmp(v.a.layers[1], "L2"));
    CHECK_STR(v.a.encoding, "GBK");
    CHECK_STR(v.a.where, "x=1"); /* no input is called x: the whole value */
    CHECK(v.a.open_options && !strcmp(v.a.open_options[0], "HEADERS=FORCE"));

    /* two inputs: NAME=VALUE for one; unnamed -enc for both; unnamed -l needs a name
     * when both are read, not when only one is */
    CHECK(parse(&v, NARGS("-v", "B", "-enc", "GBK", "-l", "second=L", "-s_coord",
                          "first=gcj02", "a", "b"),
                ARGS("-v", "B", "-enc", "GBK", "-l", "second=L", "-s_coord", "first=gcj02",
                     "a", "b"), pos, true) == 0);
    CHECK(v.a.nlayers == 0 && v.b.nlayers == 1 && !strcmp(v.b.layers[0], "L"));
    CHECK_STR(v.a.encoding, "GBK");
    CHECK_STR(v.b.encoding, "GBK");
    CHECK(v.a.s_coord == SP_COORD_GCJ02 && v.b.s_coord == SP_COORD_WGS84);
    CHECK(parse(&v, NARGS("-v", "B", "-l", "L", "a", "b"), ARGS("-v", "B", "-l", "L", "a", "b"),
                pos, true) == 2);
    CHECK(parse(&v, NARGS("-l", "L", "a", "b"), ARGS("-l", "L", "a", "b"), pos, true) == 0);
    CHECK(v.a.nlayers == 1 && v.b.nlayers == 0);
    CHECK(parse(&v, NARGS("-l", "second=L", "a", "b"), ARGS("-l", "second=L", "a", "b"), pos,
                true) == 2); /* the second input is not read in this run */

    /* --help lists every flag of the table, the input flags and the examples */
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    sp_cli c;
    sp_cli_init(&c, "sp-test");
    sp_vector_options vo;
    sp_vector_options_init(&vo);
    sp_cli_add_input(&c, "first", &vo, NULL);
    const sp_opt opts[] = {
        SP_OPT(SP_OPT_DOUBLE, "-tr", "XRES YRES", v.tr, "cell size"),
        SP_OPT(SP_OPT_STR, "-of|-f", "FORMAT", &v.of, "format\nsecond line"),
    };
    sp_cli_help(&c, &TOOL, opts, 2, fp);
    fclose(fp);
    CHECK_HAS(buf, "Usage: sp-test [options] SRC DST");
    CHECK_HAS(buf, "  -tr XRES YRES          cell size\n");
    CHECK_HAS(buf, "  -of/-f FORMAT          format\n                         second line\n");
    CHECK_HAS(buf, "  -enc ENCODING");
    CHECK_HAS(buf, "  -oo NAME=VALUE");
    CHECK_HAS(buf, "Examples:\n  sp-test -tr 10 20 a b\n  sp-test -a x,y a b\n");
    CHECK_HAS(buf, "Exit codes: 0 ok, 1 failure, 2 usage error.");
    free(buf);
    sp_cli_free(&c);
    return check_done();
}
