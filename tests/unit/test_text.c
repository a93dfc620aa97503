/* Unit tests of sp_text: UTF-8 validity against the RFC 3629 table on hand-picked byte
 * sequences, cuts on character boundaries, printable messages, byte-order marks, and
 * the text-file reader's refusals. */
#include "check.h"
#include "core/sp_text.h"
#include "core/sp_secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_utf8(void)
{
    struct { const char *s; int valid; } cases[] = {
        {"ascii", 1},
        {"\xe5\xbb\xba\xe5\xa4\x96", 1},         /* 建外 */
        {"\xf0\x9f\x98\x80", 1},                 /* U+1F600, 4 bytes */
        {"\xd6\xd0\xce\xc4", 0},                 /* 中文 in GBK */
        {"\xc0\xaf", 0},                         /* overlong '/' */
        {"\xe0\x80\xaf", 0},                     /* overlong, 3 bytes */
        {"\xed\xa0\x80", 0},                     /* a UTF-16 surrogate */
        {"\xf4\x90\x80\x80", 0},                 /* above U+10FFFF */
        {"\xe5\xbb", 0},                         /* cut mid-character */
        {"\x80", 0},                             /* a lone continuation byte */
        {"\xff", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(sp_utf8_valid(cases[i].s, strlen(cases[i].s)) == cases[i].valid);
    CHECK(sp_utf8_invalid_at("ab\xd6\xd0", 4) == 2);
    CHECK(sp_utf8_invalid_at("abc", 3) == 3);
    /* 建外街道 is 12 bytes; a cut at 7 keeps 2 characters (6 bytes), never 7 */
    CHECK(sp_utf8_cut("\xe5\xbb\xba\xe5\xa4\x96\xe8\xa1\x97\xe9\x81\x93", 7) == 6);
    CHECK(sp_utf8_cut("\xe5\xbb\xba\xe5\xa4\x96\xe8\xa1\x97\xe9\x81\x93", 9) == 9);
    CHECK(sp_utf8_cut("abc", 10) == 3);
    CHECK_STR(sp_utf8_skip_bom("\xef\xbb\xbfid x"), "id x");
    CHECK_STR(sp_utf8_skip_bom("id x"), "id x");
}

static void test_sanitize(void)
{
    char a[64] = "bad \x01\x02\xff\xfe bytes\n\xe5\xbb\xba ok";
    sp_utf8_sanitize(a, 60);
    CHECK_STR(a, "bad ? bytes?\xe5\xbb\xba ok");
    char b[64] = "\xe5\xbb\xba\xe5\xa4\x96\xe8\xa1\x97\xe9\x81\x93";
    sp_utf8_sanitize(b, 7); /* room for 2 characters, then "..." */
    CHECK_STR(b, "\xe5\xbb\xba\xe5\xa4\x96...");
    char c[8] = "short";
    sp_utf8_sanitize(c, 5);
    CHECK_STR(c, "short");
}

static void test_read(sp_ctx *ctx)
{
    char dir[] = "/tmp/sp-test-text-XXXXXX", p[128];
    if (!mkdtemp(dir))
        return;
    struct { const char *bytes; size_t n; sp_status rc; const char *msg; const char *text; } cases[] = {
        {"\xef\xbb\xbfsector,x\n", 12, SP_OK, NULL, "sector,x\n"},
        {"a\nb\xd6\xd0\n", 6, SP_ERR_DATA, "/t', line 2: not UTF-8 text", NULL},
        {"a\0b\n", 4, SP_ERR_DATA, "is not a text file", NULL},
        {"", 0, SP_OK, NULL, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(p, sizeof p, "%s/t", dir);
        FILE *f = fopen(p, "wb");
        fwrite(cases[i].bytes, 1, cases[i].n, f);
        fclose(f);
        char *text = NULL;
        sp_status rc = sp_text_read_file(ctx, p, "spec", &text);
        CHECK(rc == cases[i].rc);
        if (cases[i].msg)
            CHECK_HAS(sp_ctx_message(ctx), cases[i].msg);
        if (cases[i].text)
            CHECK_STR(text, cases[i].text);
        free(text);
        unlink(p);
    }
    char *text = NULL;
    CHECK(sp_text_read_file(ctx, "/nonexistent/x", "spec", &text) == SP_ERR_IO);
    CHECK_HAS(sp_ctx_message(ctx), "cannot open spec '/nonexistent/x': No such file");
    rmdir(dir);
}

static void test_tokenize(void)
{
    char line[] = "target \"NOx -3,000 t\" NOx -3000 t  # a comment";
    char *tok[8];
    CHECK(sp_text_tokenize(line, tok, 8) == 5);
    CHECK_STR(tok[1], "NOx -3,000 t");
    CHECK_STR(tok[4], "t");
    char blank[] = "   # only a comment";
    CHECK(sp_text_tokenize(blank, tok, 8) == 0);
    char open[] = "name \"unterminated";
    CHECK(sp_text_tokenize(open, tok, 8) == -1);
    char many[] = "a b c d";
    CHECK(sp_text_tokenize(many, tok, 3) == -2);
}

/* Passwords in every form libpq takes (keyword/value, URI user info, URI query), masked;
 * names without one left alone; and the context masks its messages and warnings. */
static void test_secret(sp_ctx *ctx)
{
    static const char *cases[][2] = {
        {"PG:\"dbname=eco password=s3cret user=gis\"", "PG:\"dbname=eco password=*** user=gis\""},
        {"PG:postgresql://gis:s3cret@db.local/eco", "PG:postgresql://gis:***@db.local/eco"},
        {"postgres://u:p%40ss@h:5432/d?sslmode=require", "postgres://u:***@h:5432/d?sslmode=require"},
        {"PG:postgresql://h/d?user=u&password=s3cret&sslmode=x", "PG:postgresql://h/d?user=u&password=***&sslmode=x"},
        {"PG:password = 'a b\\' c' host=x", "PG:password = *** host=x"},
        {"PG:PASSWORD=abc dbname=d", "PG:PASSWORD=*** dbname=d"},
        {"PG:dbname=d password=", "PG:dbname=d password=***"},
        {"/vsicurl/https://example.com/a.tif", "/vsicurl/https://example.com/a.tif"},
        {"https://user@host/x", "https://user@host/x"},
        {"roads.gpkg", "roads.gpkg"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", cases[i][0]);
        sp_secret_mask(buf, sizeof buf);
        CHECK_STR(buf, cases[i][1]);
    }
    char small[16] = "password=x y"; /* the mask is longer than the value: cut to size */
    sp_secret_mask(small, sizeof small);
    CHECK_STR(small, "password=*** y");
    sp_error(ctx, SP_ERR_IO, "cannot open '%s': %s", "PG:postgresql://gis:s3cret@h/eco",
             "could not connect (password=s3cret)");
    CHECK(!strstr(sp_ctx_message(ctx), "s3cret") && strstr(sp_ctx_message(ctx), "gis:***@h"));
    sp_warn(ctx, "layer of 'PG:dbname=e password=s3cret' is empty");
    CHECK(!strstr(sp_ctx_warning(ctx, sp_ctx_warning_count(ctx) - 1), "s3cret"));
    sp_ctx_clear(ctx);
}

int main(void)
{
    test_tokenize();
    sp_ctx *ctx = sp_ctx_new_core();
    test_utf8();
    test_sanitize();
    test_read(ctx);
    test_secret(ctx);
    /* messages recorded in the context are made printable and bounded */
    char junk[3000];
    memset(junk, '\xff', sizeof junk - 1);
    junk[sizeof junk - 1] = 0;
    sp_error(ctx, SP_ERR_IO, "cannot read 'x': %s", junk);
    CHECK_STR(sp_ctx_message(ctx), "cannot read 'x': ?");
    for (int i = 0; i < 2000; i++)
        junk[i] = 'a' + i % 26;
    junk[2000] = 0;
    sp_error(ctx, SP_ERR_IO, "%s", junk);
    CHECK(strlen(sp_ctx_message(ctx)) <= 1003 && strstr(sp_ctx_message(ctx), "..."));
    sp_ctx_free(ctx);
    return check_done();
}
