/* sp_page: what the web pages written beside tiles share: text and file helpers, JSON
 * and XML escaping, and Leaflet copied next to a page (from -leaflet, $ONEMAP_LEAFLET,
 * the installed copy or the build tree's, which make fetches from npm). */
#ifndef SP_PAGE_H
#define SP_PAGE_H

#include "core/sp_ctx.h"

#include <stdbool.h>

/* mkdir that accepts an existing folder. */
sp_status sp_page_mkdir(sp_ctx *ctx, const char *path);
/* Writes text to path (created or truncated). */
sp_status sp_page_write(sp_ctx *ctx, const char *path, const char *text);
/* Copies the file from to the file to (bytes as they are). */
sp_status sp_page_copy(sp_ctx *ctx, const char *from, const char *to);
/* JSON string content (" and \ escaped, control characters dropped; apostrophes too with
 * js, for a single-quoted JavaScript string); malloc'd, never cut: NULL when out of memory. */
char *sp_page_json(const char *s, bool js);
/* XML/HTML text (& < > " escaped); malloc'd, NULL when out of memory. */
char *sp_page_xml(const char *s);
/* Copies leaflet.js, leaflet.css and its images into dir/leaflet. leaflet: the -leaflet
 * folder (NULL: $ONEMAP_LEAFLET, the installed copy, the build tree's). *copied is false,
 * with a warning naming what, when no Leaflet was found and none was asked for (the
 * caller then writes no page); an explicit folder without leaflet.js is a usage error. */
sp_status sp_page_leaflet(sp_ctx *ctx, const char *dir, const char *leaflet, const char *what,
                          bool *copied);

#endif
