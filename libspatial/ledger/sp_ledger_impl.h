/* sp_ledger_impl: what the targets and park parsers share. Private to libspatial: not
 * installed. */
#ifndef SP_LEDGER_IMPL_H
#define SP_LEDGER_IMPL_H

#include <stdbool.h>
#include <stddef.h>

/* The directives of a file given so far: each is given once, since a second would silently
 * replace the first. Start from a zeroed set; free with sp_ledger_once_free. */
typedef struct {
    char **key;
    int n, cap;
} sp_ledger_once;
/* Records "directive key" (key may be NULL for a directive given once in all); false with
 * "'directive key' is given twice ..." in err when it was given before, or "out of memory". */
bool sp_ledger_once_add(sp_ledger_once *s, const char *directive, const char *key, char *err,
                        size_t en);
/* Frees the set's keys. Accepts a zeroed set. */
void sp_ledger_once_free(sp_ledger_once *s);

#endif
