/* SPDX-License-Identifier: ISC */
/*
 * Prepared bodies: a body made once, its gzip form compressed once, and
 * a strong ETag for each (RFC 9110 8.8.3: two encodings of one resource
 * are two representations, so they need two tags).  Also the two header
 * readers that choose what to send: Accept-Encoding (RFC 9110 12.5.3)
 * and If-None-Match (13.1.2).  Pure functions and zlib; no locks: a
 * prepared body never changes once made, and its count of holders is
 * atomic.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>
#include <zlib.h>

#include "extern.h"
#include "prepared.h"

#define GZIP_MIN	128	/* bytes: below this gzip saves nothing */
#define TAG_BYTES	16	/* of the hash an ETag shows, in hex */

/*
 * Compress len bytes at p as one gzip member (zlib's header: no name, no
 * time, so the same input always gives the same bytes).  *out is
 * malloc'd.  0, or -1 (logged).
 */
int
prepared_gzip(const void *p, size_t len, char **out, size_t *outlen)
{
	z_stream	 z;
	uLong		 cap;
	char		*buf = NULL;
	int		 rc;

	*out = NULL;
	*outlen = 0;
	if (len > UINT32_MAX / 2)
		return -1;
	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip wrapper rather than zlib's. */
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		log_warn("%s: deflateInit2 failed", __func__);
		return -1;
	}
	cap = deflateBound(&z, (uLong)len);
	buf = xcalloc(1, cap);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	if (rc != Z_STREAM_END) {
		log_warn("%s: deflate: %d", __func__, rc);
		deflateEnd(&z);
		free(buf);
		return -1;
	}
	*outlen = z.total_out;
	*out = buf;
	deflateEnd(&z);
	return 0;
}

/*
 * A prepared body of the len bytes at body (taken over), of type ctype
 * (a static string).  Its ETag is "tag" when tag is given (webcache.c's
 * file identity), else "HASH": a hash of the bytes, so equal bytes always
 * get equal tags, across restarts too.  The gzip form is kept only when
 * it is smaller.  One reference, the caller's.
 */
struct prepared *
prepared_new(char *body, size_t len, const char *ctype, const char *tag)
{
	struct prepared	*p;
	unsigned char	 h[TAG_BYTES];
	char		 hex[TAG_BYTES * 2 + 1];

	p = xcalloc(1, sizeof(*p));
	atomic_init(&p->refs, 1);
	p->body = body;
	p->len = len;
	p->ctype = ctype;
	if (tag == NULL) {
		crypto_generichash(h, sizeof(h), (const unsigned char *)body,
		    len, NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		tag = hex;
	}
	snprintf(p->etag, sizeof(p->etag), "\"%s\"", tag);
	snprintf(p->etag_gz, sizeof(p->etag_gz), "\"%s-gz\"", tag);
	if (len >= GZIP_MIN && prepared_gzip(body, len, &p->gz,
	    &p->gzlen) == 0 && p->gzlen >= len) {
		free(p->gz);
		p->gz = NULL;
		p->gzlen = 0;
	}
	return p;
}

/* One more holder of p; returns p. */
struct prepared *
prepared_ref(struct prepared *p)
{
	atomic_fetch_add(&p->refs, 1);
	return p;
}

/* One holder fewer; the last frees it.  Accepts NULL. */
void
prepared_unref(struct prepared *p)
{
	if (p == NULL || atomic_fetch_sub(&p->refs, 1) != 1)
		return;
	free(p->body);
	free(p->gz);
	free(p);
}

/* Skip optional white space (RFC 9110 5.6.3). */
static const char *
ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/*
 * A qvalue (RFC 9110 12.4.2: "0" to "1" with up to three decimals) in
 * thousandths, or -1 when malformed.
 */
static int
qvalue(const char *s, size_t len)
{
	int	v, scale = 100;
	size_t	i;

	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	v = (s[0] - '0') * 1000;
	if (len == 1)
		return v;
	if (s[1] != '.' || len > 5)
		return -1;
	for (i = 2; i < len; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v += (s[i] - '0') * scale;
	}
	return v > 1000 ? -1 : v;
}

/*
 * Whether to send gzip to a client that sent this Accept-Encoding (NULL:
 * none).  gzip (or x-gzip, or "*" when gzip is not named) with a weight
 * above 0, unless identity was named with a higher weight: identity
 * that is not named is acceptable but not preferred (12.5.3), so
 * "gzip;q=0.5" still means gzip.  A member we cannot read is skipped.
 */
int
prepared_accepts_gzip(const char *ae)
{
	const char	*s, *tok, *q;
	size_t		 toklen, qlen;
	int		 w, gz = -1, id = -1, star = -1;

	if (ae == NULL)
		return 0;
	for (s = ae; *s != '\0'; ) {
		s = ows(s);
		tok = s;
		s += strcspn(s, ";, \t");
		toklen = (size_t)(s - tok);
		w = 1000;
		s = ows(s);
		while (*s == ';') {
			s = ows(s + 1);
			if ((s[0] == 'q' || s[0] == 'Q') && s[1] == '=') {
				q = s + 2;
				qlen = strcspn(q, ";, \t");
				w = qvalue(q, qlen);
				s = q + qlen;
			} else
				s += strcspn(s, ";,");
			s = ows(s);
		}
		if (*s != ',' && *s != '\0')
			w = -1;		/* junk after the member */
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
		if (w < 0 || toklen == 0)
			continue;
		if ((toklen == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
		    (toklen == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
			gz = w > gz ? w : gz;
		else if (toklen == 8 && strncasecmp(tok, "identity", 8) == 0)
			id = w;
		else if (toklen == 1 && tok[0] == '*')
			star = w;
	}
	if (gz < 0)
		gz = star < 0 ? 0 : star;
	if (id < 0)
		id = star < 0 ? 0 : star;
	return gz > 0 && gz >= id;
}

/*
 * Whether If-None-Match (NULL: none) matches etag, a strong tag with its
 * quotes: "*", or a list of tags, one of which equals etag by the weak
 * comparison (13.1.2: a W/ prefix is ignored).  A malformed list matches
 * nothing past the point where it goes wrong.
 */
int
prepared_etag_match(const char *inm, const char *etag)
{
	const char	*s, *end;
	size_t		 elen = strlen(etag);

	if (inm == NULL)
		return 0;
	s = ows(inm);
	if (s[0] == '*' && *ows(s + 1) == '\0')
		return 1;
	while (*s != '\0') {
		s = ows(s);
		if (*s == ',') {
			s++;
			continue;
		}
		if (s[0] == 'W' && s[1] == '/')
			s += 2;
		if (*s != '"' || (end = strchr(s + 1, '"')) == NULL)
			return 0;
		if ((size_t)(end + 1 - s) == elen &&
		    memcmp(s, etag, elen) == 0)
			return 1;
		s = ows(end + 1);
		if (*s != ',' && *s != '\0')
			return 0;
	}
	return 0;
}
