/* SPDX-License-Identifier: ISC */
/*
 * Prepared bodies (prepared.c): Accept-Encoding chooses gzip only when the
 * client accepts it (q=0 refuses, identity may be preferred), If-None-Match
 * matches by the weak comparison (lists, "*", W/), and a prepared body's
 * gzip bytes inflate to exactly its identity bytes, with two ETags.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zlib.h>

#include "extern.h"
#include "prepared.h"
#include "../check.h"

/* Inflate a gzip member into out (cap bytes); its length, or -1. */
static long
gunzip(const char *in, size_t len, char *out, size_t cap)
{
	z_stream	z;
	long		n;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	n = inflate(&z, Z_FINISH) == Z_STREAM_END ? (long)z.total_out : -1;
	inflateEnd(&z);
	return n;
}

int
main(void)
{
	struct prepared	*p, *q;
	char		*body, *out;
	size_t		 i, len = 20000;
	const char	*tag = "\"0123abcd\"";

	CHECK(sodium_init() >= 0);

	/* Accept-Encoding */
	CHECK(!prepared_accepts_gzip(NULL));
	CHECK(!prepared_accepts_gzip(""));
	CHECK(prepared_accepts_gzip("gzip"));
	CHECK(prepared_accepts_gzip("gzip, deflate, br"));
	CHECK(prepared_accepts_gzip("br;q=1.0, GZip;q=0.5, *;q=0.1"));
	CHECK(prepared_accepts_gzip("x-gzip"));
	CHECK(prepared_accepts_gzip("deflate , gzip ;  q=0.001"));
	CHECK(prepared_accepts_gzip("*"));
	CHECK(!prepared_accepts_gzip("gzip;q=0"));
	CHECK(!prepared_accepts_gzip("gzip;q=0.000"));
	CHECK(!prepared_accepts_gzip("gzip; q=0, deflate"));
	CHECK(!prepared_accepts_gzip("*;q=0"));
	CHECK(!prepared_accepts_gzip("*, gzip;q=0"));
	CHECK(!prepared_accepts_gzip("identity"));
	CHECK(!prepared_accepts_gzip("deflate, br"));
	CHECK(!prepared_accepts_gzip("gzipper, gzip-x"));
	CHECK(!prepared_accepts_gzip("identity;q=1, gzip;q=0.5"));
	CHECK(prepared_accepts_gzip("identity;q=0.5, gzip"));
	/* Unreadable weights are skipped, not taken as 1. */
	CHECK(!prepared_accepts_gzip("gzip;q=2"));
	CHECK(!prepared_accepts_gzip("gzip;q=0.5x"));
	CHECK(!prepared_accepts_gzip("gzip;q=1.0001"));
	CHECK(prepared_accepts_gzip("gzip;q=abc, gzip"));

	/* If-None-Match */
	CHECK(!prepared_etag_match(NULL, tag));
	CHECK(!prepared_etag_match("", tag));
	CHECK(prepared_etag_match("\"0123abcd\"", tag));
	CHECK(prepared_etag_match(" \"0123abcd\" ", tag));
	CHECK(prepared_etag_match("W/\"0123abcd\"", tag));
	CHECK(prepared_etag_match("\"x\", \"y\",W/\"0123abcd\"", tag));
	CHECK(prepared_etag_match("*", tag));
	CHECK(prepared_etag_match(" * ", tag));
	CHECK(!prepared_etag_match("\"0123abcd-gz\"", tag));
	CHECK(!prepared_etag_match("\"0123abc\"", tag));
	CHECK(!prepared_etag_match("0123abcd", tag));
	CHECK(!prepared_etag_match("\"0123abcd", tag));
	CHECK(!prepared_etag_match("*, \"x\"", tag));
	CHECK(!prepared_etag_match("\"x\" junk, \"0123abcd\"", tag));
	CHECK(!prepared_etag_match("w/\"0123abcd\"", tag));

	/* A body, its gzip and tags. */
	body = xcalloc(1, len);
	for (i = 0; i < len; i++)
		body[i] = "{\"question\": [1, 2, 3]}"[i % 23];
	p = prepared_new(body, len, "application/json", NULL);
	CHECK(p->gz != NULL && p->gzlen < len / 10);
	out = xcalloc(1, len + 1);
	CHECK(gunzip(p->gz, p->gzlen, out, len + 1) == (long)len);
	CHECK(memcmp(out, p->body, len) == 0);
	CHECK(p->etag[0] == '"' && strlen(p->etag) == 34);
	CHECK(strlen(p->etag_gz) == 37 &&
	    strncmp(p->etag_gz, p->etag, 33) == 0 &&
	    strcmp(p->etag_gz + 33, "-gz\"") == 0);
	/* The same bytes, the same tag (a restart keeps browsers' copies). */
	body = xcalloc(1, len);
	memcpy(body, p->body, len);
	q = prepared_new(body, len, "application/json", NULL);
	CHECK(strcmp(p->etag, q->etag) == 0);
	CHECK(q->gzlen == p->gzlen && memcmp(q->gz, p->gz, p->gzlen) == 0);
	prepared_unref(q);
	/* One byte more, another tag. */
	body = xcalloc(1, len);
	memcpy(body, p->body, len);
	body[len / 2] = 'x';
	q = prepared_new(body, len, "application/json", NULL);
	CHECK(strcmp(p->etag, q->etag) != 0);
	prepared_unref(q);
	/* References: the last one frees (ASan and valgrind see a leak). */
	CHECK(prepared_ref(p) == p);
	prepared_unref(p);
	prepared_unref(p);
	free(out);

	/* Given a tag; too small to gain from gzip. */
	p = prepared_new(xstrdup("hi"), 2, "text/plain", "abc-1");
	CHECK(p->gz == NULL && strcmp(p->etag, "\"abc-1\"") == 0 &&
	    strcmp(p->etag_gz, "\"abc-1-gz\"") == 0);
	prepared_unref(p);
	/* Random bytes do not shrink: no gzip form. */
	body = xcalloc(1, 4096);
	randombytes_buf(body, 4096);
	p = prepared_new(body, 4096, "image/png", NULL);
	CHECK(p->gz == NULL);
	prepared_unref(p);

	CHECK(webcache_compressible("text/javascript; charset=utf-8"));
	CHECK(webcache_compressible("image/svg+xml"));
	CHECK(webcache_compressible("application/manifest+json"));
	CHECK(!webcache_compressible("image/png"));
	return check_done("test_prepared");
}
