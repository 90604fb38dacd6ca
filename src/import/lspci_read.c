/*
 * dmasim -- read the `lspci -x` / `-xxx` / `-xxxx` hex-dump format.
 *
 * A function starts with a header line "BB:DD.F text" or "DDDD:BB:DD.F
 * text", followed by lines "OFF: xx xx ... xx" of 16 bytes each, offsets
 * counting up from 0.  Blank lines end a function; lines starting with
 * white space are lspci's decoded text (`lspci -vvvxxxx`) and are skipped.
 * Every other deviation is an error with its line and column.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmasim/import.h"
#include "import/imp_int.h"
#include "util/input.h"

struct reader {
	struct imp *im;
	const char *line;   /* current line, not NUL-terminated */
	size_t len;
	unsigned no;        /* 1-based line number */
	struct imp_dev *cur;
};

static int syntax(struct reader *r, size_t col0, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int syntax(struct reader *r, size_t col0, const char *fmt, ...)
{
	char msg[sizeof(r->im->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dmasim_error_set(r->im->err, DMASIM_ESYNTAX, r->im->file, r->no,
				(unsigned)col0 + 1, "%s", msg);
}

static size_t hexrun(const char *s, size_t len, size_t at)
{
	size_t n = 0;

	while (at + n < len && isxdigit((unsigned char)s[at + n]))
		n++;
	return n;
}

static unsigned hexval(const char *s, size_t n)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 16 + (unsigned)(isdigit((unsigned char)s[i])
				? s[i] - '0' : tolower((unsigned char)s[i]) - 'a' + 10);
	return v;
}

/* A function ends: it must hold 64, 256 or 4096 bytes. */
static int end_function(struct reader *r)
{
	struct imp_dev *d = r->cur;

	r->cur = NULL;
	if (!d)
		return DMASIM_OK;
	if (d->len != 64 && d->len != 256 && d->len != 4096)
		return dmasim_error_set(r->im->err, DMASIM_ESYNTAX, r->im->file,
			d->line, 1,
			"%04x:%02x:%02x.%x has %u bytes of configuration space; a dump holds 64, 256 or 4096 per function (truncated?)",
			d->seg, d->bus, d->devfn >> 3, d->devfn & 7, d->len);
	dmasim__imp_dev_done(r->im, d);
	return DMASIM_OK;
}

static int header(struct reader *r)
{
	const char *s = r->line;
	size_t n = r->len, at = 0, k;
	unsigned seg = 0, bus, dev, fn;
	const struct imp_dev *o;
	struct imp_dev *d;
	char text[160];
	int rc;

	k = hexrun(s, n, 0);
	if (k == 4 && at + k < n && s[k] == ':') {
		seg = hexval(s, 4);
		at = 5;
		k = hexrun(s, n, at);
	} else if (k > 2 && k != 4 && k < n && s[k] == ':') {
		return syntax(r, 0, "'%.*s' is not a PCI domain; expected 4 hex digits",
			      (int)k, s);
	}
	if (k != 2 || at + 2 >= n || s[at + 2] != ':')
		return syntax(r, at, "expected a bus number of 2 hex digits and ':'");
	bus = hexval(s + at, 2);
	at += 3;
	k = hexrun(s, n, at);
	if (k != 2 || at + 2 >= n || s[at + 2] != '.')
		return syntax(r, at, "expected a device number of 2 hex digits and '.'");
	dev = hexval(s + at, 2);
	if (dev > 0x1f)
		return syntax(r, at, "device number %02x is above 1f", dev);
	at += 3;
	if (at >= n || s[at] < '0' || s[at] > '7')
		return syntax(r, at, "expected a function number 0-7");
	fn = (unsigned)(s[at] - '0');
	at++;
	if (at < n && s[at] != ' ' && s[at] != '\t')
		return syntax(r, at, "expected a space after the BDF");
	o = dmasim__imp_find_bdf(r->im, (uint16_t)seg, (uint8_t)bus,
				 (uint8_t)(dev << 3 | fn));
	if (o)
		return dmasim_error_set(r->im->err, DMASIM_ETOPO, r->im->file,
			r->no, 1, "%04x:%02x:%02x.%x is already in the dump at line %u",
			seg, bus, dev, fn, o->line);
	if ((rc = dmasim__imp_new_dev(r->im, (uint16_t)seg, (uint8_t)bus,
				      (uint8_t)(dev << 3 | fn), r->no, &d)))
		return rc;
	while (at < n && (s[at] == ' ' || s[at] == '\t'))
		at++;
	k = n - at < sizeof(text) - 1 ? n - at : sizeof(text) - 1;
	memcpy(text, s + at, k);
	text[k] = '\0';
	dmasim__imp_printable(text);
	if (text[0])
		d->text = dmasim__imp_str(r->im, "%s", text);
	r->cur = d;
	return DMASIM_OK;
}

static int data(struct reader *r, size_t k)
{
	const char *s = r->line;
	size_t n = r->len, at;
	unsigned off = hexval(s, k), nbytes = 0;
	struct imp_dev *d = r->cur;

	if (!d)
		return syntax(r, 0, "a hex line before any device header ('BB:DD.F ...')");
	if (k > 8 || off != d->len)
		return syntax(r, 0, "expected offset %x here (hex lines count up in steps of 16), found '%.*s'",
			      d->len, (int)k, s);
	at = k + 2;   /* after ": " */
	while (at < n) {
		if (nbytes == 16)
			return syntax(r, at, "more than 16 bytes on one line");
		if (at + 1 >= n || !isxdigit((unsigned char)s[at]) ||
		    !isxdigit((unsigned char)s[at + 1]) ||
		    (at + 2 < n && s[at + 2] != ' ')) {
			size_t tok = 0;
			while (at + tok < n && s[at + tok] != ' ' && tok < 8)
				tok++;
			return syntax(r, at, "'%.*s' is not a hex byte (two hex digits)",
				      (int)tok, s + at);
		}
		if (d->len + nbytes >= IMP_CFG_MAX)
			return syntax(r, at, "configuration space ends at offset 0x%x", IMP_CFG_MAX);
		r->im->cfg[d->len + nbytes++] = (uint8_t)hexval(s + at, 2);
		at += 3;
	}
	if (nbytes != 16)
		return syntax(r, n, "truncated line: %u of 16 bytes", nbytes);
	d->len += nbytes;
	return DMASIM_OK;
}

static int read_line(struct reader *r)
{
	const char *s = r->line;
	size_t n = r->len, k;

	if (n == 0)
		return end_function(r);
	if (s[0] == ' ' || s[0] == '\t')
		return DMASIM_OK;
	k = hexrun(s, n, 0);
	if (k > 0 && k < n && s[k] == ':' && (k + 1 == n || s[k + 1] == ' ')) {
		if (k + 1 == n)
			return syntax(r, k + 1, "truncated line: 0 of 16 bytes");
		return data(r, k);
	}
	/* "NN:" and then neither a space nor the rest of a BDF: a hex line
	 * with a bad separator, blamed here rather than on the function. */
	if (k > 0 && k < n && s[k] == ':' && !isxdigit((unsigned char)s[k + 1]))
		return syntax(r, k + 1, "expected a space after the offset '%.*s:' (hex lines read 'NN: xx xx ...')",
			      (int)(k > 8 ? 8 : k), s);
	if (k > 0 && k < n && s[k] == ':') {
		int rc = end_function(r);
		return rc ? rc : header(r);
	}
	return syntax(r, 0, "expected a device header 'BB:DD.F ...' or a hex line 'NN: xx ...'");
}

static int read_dump(struct imp *im, const char *text, size_t len)
{
	struct reader r = { im, NULL, 0, 0, NULL };
	size_t at = 0;
	int rc;

	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;

		r.line = text + at;
		r.len = end - at;
		if (r.len && r.line[r.len - 1] == '\r')
			r.len--;
		r.no++;
		if (memchr(r.line, '\0', r.len))
			return syntax(&r, (size_t)((const char *)memchr(r.line, '\0', r.len) - r.line),
				      "a NUL byte: this is not a text dump");
		if ((rc = read_line(&r)))
			return rc;
		at = end + 1;
	}
	r.no++;
	if ((rc = end_function(&r)))
		return rc;
	if (im->ndev == 0)
		return dmasim_error_set(im->err, DMASIM_ESYNTAX, im->file, 0, 0,
					"no device in the dump (expected 'BB:DD.F ...' header lines)");
	return DMASIM_OK;
}

int dmasim_import_lspci(const char *text, size_t len, const char *file,
			const struct dmasim_import_opts *opts, char **yaml,
			size_t *yaml_len, struct dmasim_error *err)
{
	struct imp im;
	int rc;

	if (!text || !yaml || !yaml_len)
		return dmasim_error_set(err, DMASIM_EINVAL, file, 0, 0,
					"no dump text or no output given");
	dmasim__imp_init(&im, file ? file : "<dump>", opts, err, "lspci");
	if (len > im.lim.file_bytes)
		rc = dmasim__input_too_large(im.file, im.lim.file_bytes, err);
	else
		rc = read_dump(&im, text, len);
	if (rc == DMASIM_OK && im.opts.iomem)
		rc = dmasim__imp_iomem_parse(&im, im.opts.iomem, im.opts.iomem_len,
				     im.opts.iomem_name ? im.opts.iomem_name : "<iomem>");
	if (rc == DMASIM_OK)
		rc = dmasim__imp_finish(&im, yaml, yaml_len);
	dmasim__imp_fini(&im);
	return rc;
}
