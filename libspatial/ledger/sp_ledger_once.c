/* sp_ledger_once: a directive file's keys given so far (sp_ledger_impl.h), for the targets
 * and the park parsers alike. */
#include "ledger/sp_ledger_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool sp_ledger_once_add(sp_ledger_once *s, const char *directive, const char *key, char *err,
                        size_t en)
{
    char k[256];
    snprintf(k, sizeof k, "%s%s%s", directive, key ? " " : "", key ? key : "");
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->key[i], k)) {
            snprintf(err, en, "'%s' is given twice (each once: a second would replace the "
                     "first)", k);
            return false;
        }
    if (s->n == s->cap) {
        int nc = s->cap ? 2 * s->cap : 32;
        char **nk = realloc(s->key, (size_t)nc * sizeof *nk);
        if (!nk)
            return snprintf(err, en, "out of memory"), false;
        s->key = nk;
        s->cap = nc;
    }
    if (!(s->key[s->n] = strdup(k)))
        return snprintf(err, en, "out of memory"), false;
    s->n++;
    return true;
}

void sp_ledger_once_free(sp_ledger_once *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->key[i]);
    free(s->key);
    memset(s, 0, sizeof *s);
}
