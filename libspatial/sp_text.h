/* sp_text: the text rules every input and output follows: valid UTF-8 only (a GBK
 * field that reached an output unconverted is an error that suggests -enc), a UTF-8
 * byte-order mark accepted at the start of any text file, and messages made printable
 * (a corrupt file must not put raw binary on a user's terminal). Pure functions. */
#ifndef SP_TEXT_H
#define SP_TEXT_H

#include "sp_ctx.h"

#include <stdbool.h>
#include <stddef.h>

/* True when the n bytes at s are well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF). NUL bytes count as valid. */
bool sp_utf8_valid(const char *s, size_t n);
/* Offset of the first byte that does not start a valid sequence, or n. */
size_t sp_utf8_invalid_at(const char *s, size_t n);
/* Length in bytes of the longest prefix of s (at most max bytes) that ends on a
 * character boundary, so that a cut never splits a character. s must be valid UTF-8. */
size_t sp_utf8_cut(const char *s, size_t max);
/* The text after a UTF-8 byte-order mark, or s itself when it has none. Borrowed. */
const char *sp_text_skip_bom(const char *s);
/* Rewrites the NUL-terminated s in place so that it is printable UTF-8: every byte of
 * an invalid sequence and every control character (tab and newline included) becomes
 * one '?', runs of them one '?'; text past max bytes (cut on a character boundary) is
 * replaced by "...". s must have room for max + 4 bytes when it is longer than max. */
void sp_text_sanitize(char *s, size_t max);

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

#endif
