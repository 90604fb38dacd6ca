/*
 * dmasim -- private: a scanner for the subset of YAML that dmasim files use,
 * producing the events libyaml's parser would (same kinds, same scalar text,
 * same start marks), without an allocation per event.
 *
 * The subset: block mappings and sequences by indentation (also a sequence
 * at its mapping's indentation), `- key: value` entries, flow mappings and
 * sequences on one line, plain scalars on one line, quoted scalars on one
 * line without escapes, comments, one `---` before the root.  Anything else
 * (anchors, aliases, tags, block scalars, multi-line scalars or flow
 * collections, escapes, tabs, CR, non-ASCII, empty values, syntax errors,
 * anything doubtful) makes the scanner give up; the caller then reads the
 * text again with libyaml, which decides what it means or reports the error.
 * So the scanner never reports an error of its own.
 *
 * Marks: a scalar's is its first character (a quoted one's: the quote), a
 * block mapping's its first key, a block sequence's its first '-', a flow
 * collection's its bracket; the end of a flow collection is at its closing
 * bracket, the end of a block collection where libyaml's BLOCK-END (or, for
 * a sequence at its mapping's indentation, the next token) is: the first
 * character of the line that ends it, or the end of the stream.
 */
#ifndef DMASIM_LOAD_YFAST_H
#define DMASIM_LOAD_YFAST_H

#include <stdbool.h>
#include <stddef.h>

#include "load/ynode.h"

/* Deeper nesting gives up (libyaml has no limit; dmasim files need ~140). */
#define YF_MAXDEPTH 256

struct yf_frame {
	unsigned char kind, state;
	unsigned indent;           /* block collections: their column */
};

struct yfast {
	const char *buf, *end;     /* the text (or the window of a file) */
	const char *p;             /* the cursor */
	const char *ls;            /* the start of the cursor's line */
	unsigned line;             /* the cursor's line, from 0 */
	bool at_content;           /* p is at the first character of a line's
				      content (or at the end: eof) */
	bool eof;
	bool started, done, gave_up;
	size_t n;                  /* open collections */
	struct yf_frame st[YF_MAXDEPTH];
	char *text;                /* the current scalar, NUL-terminated */
	size_t cap_text;

	/* Reading a file through a window: [buf, end) holds whole lines
	 * from ls on (up to last_nl), refilled at line starts. */
	int fd;                    /* -1: the whole text is in memory */
	char *win;
	size_t cap_win;
	const char *last_nl;       /* the last '\n' in the window, or NULL */
	bool file_done;
	struct yflow *flow;        /* NULL, or fed every byte read: gives up
				      when the flow nesting is over its max */
};

/* Scan @len bytes at @text (borrowed; no NUL needed). */
void dmasim__yfast_init(struct yfast *f, const char *text, size_t len);
/* Scan a regular file, read through a window.  -1 (and nothing to free)
 * when it cannot be opened or is not a regular file: use libyaml. */
int dmasim__yfast_open(struct yfast *f, const char *path);
/* The next event (its text valid until the next call); -1: gave up (or
 * out of memory), now and for every later call. */
int dmasim__yfast_next(struct yfast *f, struct yval *ev);
/* After the root's last event: 0 when the whole text was read and is in
 * the subset (nothing but blank lines and comments after the root). */
int dmasim__yfast_finish(struct yfast *f);
void dmasim__yfast_fini(struct yfast *f);

#endif
