/* sp_utf8: the text rules every input and output follows: valid UTF-8 only (a GBK field
 * that reached an output unconverted is an error that suggests -enc), a UTF-8 byte-order
 * mark accepted at the start of any text file, and messages made printable (a corrupt
 * file must not put raw binary on a user's terminal). Pure, no context. */
#ifndef SP_UTF8_H
#define SP_UTF8_H

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
const char *sp_utf8_skip_bom(const char *s);
/* Rewrites the NUL-terminated s in place so that it is printable UTF-8: every byte of
 * an invalid sequence and every control character (tab and newline included) becomes
 * one '?', runs of them one '?'; text past max bytes (cut on a character boundary) is
 * replaced by "...". s must have room for max + 4 bytes when it is longer than max. */
void sp_utf8_sanitize(char *s, size_t max);

#endif
