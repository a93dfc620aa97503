/* sp_text: reading text: a whole file as UTF-8 (recorded as an input of the run) and
 * directive files, one tokenized line at a time. The UTF-8 rules themselves are
 * sp_utf8's (included here for the callers that use both). Pure functions. */
#ifndef SP_TEXT_H
#define SP_TEXT_H

#include "core/sp_ctx.h"
#include "core/sp_utf8.h"

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole text file (what names it in messages: "factor table", "spec"...) into
 * *out (NUL-terminated, caller frees), without its byte-order mark, recording path as
 * an input of the run. Errors: cannot open or read (SP_ERR_IO), a NUL byte or text that
 * is not UTF-8 (SP_ERR_DATA, with the line). */
sp_status sp_text_read_file(sp_ctx *ctx, const char *path, const char *what, char **out);

/* Splits one line of a directive file into at most max tokens, in place: blanks separate
 * them, "double quotes" keep blanks in one (the quotes are removed), '#' starts a
 * comment. Returns the count, -1 for an unterminated quote, -2 for more than max. */
int sp_text_tokenize(char *line, char **tok, int max);

/* One directive line's tokens (n >= 1) for sp_text_directives: returns false with a
 * message in err (no "NAME:LINE: ", which the caller adds) when the line is wrong. */
typedef bool (*sp_text_line_fn)(void *user, char **tok, int n, char *err, size_t size);
/* Splits text into lines, tokenizes each (at most max tokens, see sp_text_tokenize) and
 * calls fn for every line that is not blank or a comment; stops at the first error:
 * SP_ERR_DATA "NAME:LINE: message" (an unterminated quote, too many values, fn's err). */
sp_status sp_text_directives(sp_ctx *ctx, const char *text, const char *name, int max,
                             sp_text_line_fn fn, void *user);

/* The street-name fields registries use, in the order they are tried when a tool's
 * default "name" is absent: a shapefile's "Name"/"NAME", Chinese "名称", "街道名称",
 * "乡镇街道", "street_name" (NULL-terminated). */
extern const char *const SP_NAME_FIELDS[];

#endif
