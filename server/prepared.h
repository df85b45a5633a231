/* SPDX-License-Identifier: ISC */
/*
 * Prepared bodies: bytes made once (a round's form document, a static
 * file) with their gzip form and validators, shared by every reply that
 * sends them.  prepared.c makes them and reads the request headers that
 * choose between them; formdoc.c keeps the form documents, webcache.c
 * the static files.
 */
#ifndef PREPARED_H
#define PREPARED_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "err.h"

#define ETAG_MAX	64	/* bytes of an ETag, quotes and NUL included */

/*
 * One body in its two encodings.  Immutable once made, so readers need
 * no lock; refs counts the cache's hold and each reply's.
 */
struct prepared {
	atomic_long	 refs;
	char		*body;		/* identity bytes, owned */
	size_t		 len;
	char		*gz;		/* gzip bytes, owned; NULL when gzip
					   would not be smaller */
	size_t		 gzlen;
	const char	*ctype;		/* static string */
	char		 etag[ETAG_MAX];	/* "..." of the identity bytes */
	char		 etag_gz[ETAG_MAX];	/* "...-gz" of the gzip bytes */
};

struct prepared	*prepared_new(char *body, size_t len, const char *ctype,
		    const char *tag);
struct prepared	*prepared_ref(struct prepared *);
void		 prepared_unref(struct prepared *);
int		 prepared_gzip(const void *, size_t, char **, size_t *);
int		 prepared_accepts_gzip(const char *accept_encoding);
int		 prepared_etag_match(const char *if_none_match,
		    const char *etag);

/* formdoc.c: the public form documents of open rounds */
struct app;
enum err	 formdoc_get(struct app *, int64_t round,
		    struct prepared **);
int		 formdoc_round(struct app *, int64_t round,
		    const struct form **);
void		 formdoc_forget(int64_t round);
void		 formdoc_clear(void);

/* webcache.c: static files, prepared */
int		 webcache_compressible(const char *ctype);
struct prepared	*webcache_find(const char *path, const struct stat *);
struct prepared	*webcache_put(const char *path, int fd,
		    const struct stat *, const char *ctype);
void		 webcache_tag(const struct stat *, char *, size_t);
void		 webcache_clear(void);

#endif /* !PREPARED_H */
