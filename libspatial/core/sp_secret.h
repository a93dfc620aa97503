/* sp_secret: passwords kept out of messages. A dataset name can carry one (PostgreSQL's
 * PG:"... password=x", PG:postgresql://user:x@host/db, ?password=x in a URI), and every
 * message that names a dataset, or quotes GDAL's text about it, passes through here. */
#ifndef SP_SECRET_H
#define SP_SECRET_H

#include <stddef.h>

/* Rewrites the NUL-terminated s (in a buffer of size bytes) with every password shown as
 * ***: the keyword form password=VALUE (any case, spaces around '=' allowed; VALUE quoted
 * '...' with \' escapes, or up to a blank, '&' or a quote), and the user:VALUE@ of a URI's
 * authority (scheme://user:VALUE@host). The result is cut to size - 1 bytes if the masks
 * make it longer. */
void sp_secret_mask(char *s, size_t size);

#endif
