/* Unit tests of sp_shard and sp_hash: "I/N" accepted and refused; the units of every shard of every
 * N tile the range once, in order, with sizes within one of each other, as the oracle
 * (numpy's array_split rule, written out here: the first nunits % N shards get one more)
 * says; FNV-1a 64 against the published test vectors (Fowler, Noll & Vo: "" cbf29ce4
 * 84222325, "a" af63dc4c8601ec8c, "foobar" 85944171f73967e8). */
#include "check.h"
#include "core/sp_hash.h"
#include "core/sp_shard.h"

#include <string.h>

int main(void)
{
    sp_shard s;
    CHECK(sp_shard_parse("0/1", &s) && s.index == 0 && s.count == 1);
    CHECK(sp_shard_parse("3/4", &s) && s.index == 3 && s.count == 4);
    CHECK(sp_shard_parse("99999/100000", &s) && s.count == 100000);
    const char *bad[] = {"4/4", "1/0", "-1/4", "1/-4", " 1/4", "1/4 ", "1/4x", "1", "/4", "1/",
                         "1/100001", "a/b", "1//4", "+1/4", "", "1.0/4", "0/0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(!sp_shard_parse(bad[i], &s));
    CHECK(!sp_shard_parse(NULL, &s));
    bool tiles = true, oracle = true, even = true;
    for (int64_t nu = 1; nu <= 60; nu++)
        for (int n = 1; n <= nu; n++) {
            int64_t next = 0, small = nu, large = 0;
            for (int i = 0; i < n; i++) {
                sp_shard sh = {i, n};
                int64_t u0, u1;
                sp_shard_units(&sh, nu, &u0, &u1);
                tiles = tiles && u0 == next && u1 > u0;
                next = u1;
                int64_t q = nu / n, r = nu % n;
                int64_t o0 = i * q + (i < r ? i : r); /* array_split's start */
                oracle = oracle && u0 == o0 && u1 - u0 == q + (i < r);
                small = u1 - u0 < small ? u1 - u0 : small;
                large = u1 - u0 > large ? u1 - u0 : large;
            }
            tiles = tiles && next == nu;
            even = even && large - small <= 1;
        }
    CHECK(tiles);
    CHECK(oracle);
    CHECK(even);
    int64_t u0, u1;
    sp_shard_units(NULL, 7, &u0, &u1);
    CHECK(u0 == 0 && u1 == 7);
    CHECK(sp_fnv1a64(SP_FNV1A64_INIT, "", 0) == 0xcbf29ce484222325ULL);
    CHECK(sp_fnv1a64(SP_FNV1A64_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    CHECK(sp_fnv1a64(SP_FNV1A64_INIT, "foobar", 6) == 0x85944171f73967e8ULL);
    /* running: in two pieces == at once */
    CHECK(sp_fnv1a64(sp_fnv1a64(SP_FNV1A64_INIT, "foo", 3), "bar", 3) == 0x85944171f73967e8ULL);
    return check_done();
}
