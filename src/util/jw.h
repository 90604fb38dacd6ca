/*
 * dmasim -- private: a small streaming JSON writer (commas and escaping
 * handled here, so that callers only say what they write).
 */
#ifndef DMASIM_UTIL_JW_H
#define DMASIM_UTIL_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 32

struct jw {
	FILE *f;
	int depth;
	bool first[JW_MAX_DEPTH];
	bool after_key;
	bool pretty;
};

void dmasim__jw_init(struct jw *w, FILE *f, bool pretty);
void dmasim__jw_obj_begin(struct jw *w);
void dmasim__jw_obj_end(struct jw *w);
void dmasim__jw_arr_begin(struct jw *w);
void dmasim__jw_arr_end(struct jw *w);
void dmasim__jw_key(struct jw *w, const char *key);
void dmasim__jw_str(struct jw *w, const char *s);     /* NULL writes null */
void dmasim__jw_int(struct jw *w, long long v);
void dmasim__jw_u64(struct jw *w, uint64_t v);
void dmasim__jw_hex(struct jw *w, uint64_t v);        /* "0x..." as a string */
void dmasim__jw_bool(struct jw *w, bool v);
void dmasim__jw_null(struct jw *w);
/* key + value shorthands */
void dmasim__jw_kstr(struct jw *w, const char *k, const char *s);
void dmasim__jw_kint(struct jw *w, const char *k, long long v);
void dmasim__jw_khex(struct jw *w, const char *k, uint64_t v);
void dmasim__jw_kbool(struct jw *w, const char *k, bool v);
/* The length of the valid UTF-8 sequence that starts at @s (1 for ASCII,
 * NUL included), or 0 when the byte there starts none. */
size_t dmasim__utf8_len(const char *s);
/* Finish the document with a newline. */
void dmasim__jw_end(struct jw *w);

#endif
