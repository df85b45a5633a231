/* SPDX-License-Identifier: ISC */
/*
 * Static files that compress (pages, scripts, styles, JSON, SVG, text),
 * read and gzipped once and kept as prepared bytes (prepared.c).  An
 * entry is known by the file's real path and its identity (device,
 * inode, size, modification time to the nanosecond): a file changed on
 * disk no longer matches and is read again, whoever changed it (its
 * status change time too: a file made unreadable is then opened again,
 * and refused, rather than served from memory).  The identity is the
 * file's ETag (webcache_tag), for the files served from disk too, so a
 * tag changes exactly when the bytes may have.  A hit costs a stat(2)
 * and no descriptor.
 *
 * Bounded: WEBCACHE_MAX files and WEBCACHE_BYTES in all (web/ is well
 * under a megabyte, so in practice every file stays); a file above
 * WEBCACHE_FILE_MAX is not kept (http.c sends it from disk).  The
 * least recently used entries go first.  The lock is held only to find,
 * add or drop an entry, never while reading or compressing.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"
#include "prepared.h"

#define WEBCACHE_MAX		256		/* files */
#define WEBCACHE_BYTES		(8 << 20)	/* bytes, both encodings */
#define WEBCACHE_FILE_MAX	(1 << 20)	/* bytes of one file */

struct webfile {
	char		*path;		/* real path, owned; NULL free */
	char		 tag[ETAG_MAX];	/* webcache_tag() */
	struct timespec	 ctime;		/* st_ctim: a chmod changes it */
	struct prepared	*p;		/* owned reference */
	size_t		 bytes;		/* p's identity and gzip bytes */
	uint64_t	 used;		/* tick of the last use */
};

static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static struct webfile	 files[WEBCACHE_MAX];
static size_t		 total;		/* bytes of all entries */
static uint64_t		 tick;

/* Whether a file of type ctype is worth compressing. */
int
webcache_compressible(const char *ctype)
{
	return strncmp(ctype, "text/", 5) == 0 ||
	    strncmp(ctype, "application/json", 16) == 0 ||
	    strcmp(ctype, "application/manifest+json") == 0 ||
	    strcmp(ctype, "image/svg+xml") == 0;
}

/*
 * The file's identity as an ETag's opaque part: inode, size and
 * modification time in nanoseconds, in hex.  Rewriting a file changes
 * its time (and a copy its inode), so the tag is as strong as the bytes.
 */
void
webcache_tag(const struct stat *sb, char *out, size_t outsz)
{
	snprintf(out, outsz, "%llx-%llx-%llx",
	    (unsigned long long)sb->st_ino,
	    (unsigned long long)sb->st_size,
	    (unsigned long long)sb->st_mtim.tv_sec * 1000000000ULL +
	    (unsigned long long)sb->st_mtim.tv_nsec);
}

static void
drop(struct webfile *w)
{
	total -= w->bytes;
	free(w->path);
	prepared_unref(w->p);
	memset(w, 0, sizeof(*w));
}

/*
 * The kept prepared bytes of the file at path (a real path under the web
 * folder, checked by the caller) if they are of the file as sb describes
 * it now: one reference for the caller.  NULL when not kept (or kept
 * from an older version of the file).  No descriptor needed: a hit costs
 * the caller's stat(2) alone.
 */
struct prepared *
webcache_find(const char *path, const struct stat *sb)
{
	struct webfile	*w;
	struct prepared	*p = NULL;
	char		 tag[ETAG_MAX];
	size_t		 i;

	webcache_tag(sb, tag, sizeof(tag));
	pthread_mutex_lock(&mu);
	for (i = 0; i < WEBCACHE_MAX; i++) {
		w = &files[i];
		if (w->path != NULL && strcmp(w->tag, tag) == 0 &&
		    w->ctime.tv_sec == sb->st_ctim.tv_sec &&
		    w->ctime.tv_nsec == sb->st_ctim.tv_nsec &&
		    strcmp(w->path, path) == 0) {
			w->used = ++tick;
			p = prepared_ref(w->p);
			break;
		}
	}
	pthread_mutex_unlock(&mu);
	return p;
}

/*
 * Read the file at path, open as fd with status sb (fstat(2) of fd), of
 * type ctype (static), gzip it and keep it: one reference for the
 * caller.  NULL when the file is too large or cannot be read whole; the
 * caller then serves fd as it is.
 */
struct prepared *
webcache_put(const char *path, int fd, const struct stat *sb,
    const char *ctype)
{
	struct webfile	*w, *slot;
	struct prepared	*p;
	char		 tag[ETAG_MAX], *body;
	size_t		 i, len, bytes;
	ssize_t		 n;

	if (sb->st_size < 0 || sb->st_size > WEBCACHE_FILE_MAX)
		return NULL;
	webcache_tag(sb, tag, sizeof(tag));
	len = (size_t)sb->st_size;
	body = xcalloc(1, len + 1);
	if ((n = pread(fd, body, len + 1, 0)) < 0 || (size_t)n != len) {
		/* Changing under us: send it from disk this time. */
		free(body);
		return NULL;
	}
	p = prepared_new(body, len, ctype, tag);
	bytes = p->len + p->gzlen;

	pthread_mutex_lock(&mu);
	/* The old version of this file, if any, goes now. */
	for (i = 0; i < WEBCACHE_MAX; i++)
		if (files[i].path != NULL && strcmp(files[i].path, path) == 0)
			drop(&files[i]);
	for (;;) {
		slot = NULL;
		w = NULL;
		for (i = 0; i < WEBCACHE_MAX; i++) {
			if (files[i].path == NULL) {
				if (slot == NULL)
					slot = &files[i];
			} else if (w == NULL || files[i].used < w->used)
				w = &files[i];
		}
		if (slot != NULL && total + bytes <= WEBCACHE_BYTES)
			break;
		if (w == NULL)
			break;
		drop(w);
	}
	if (slot != NULL && total + bytes <= WEBCACHE_BYTES) {
		slot->path = xstrdup(path);
		snprintf(slot->tag, sizeof(slot->tag), "%s", tag);
		slot->ctime = sb->st_ctim;
		slot->p = prepared_ref(p);
		slot->bytes = bytes;
		slot->used = ++tick;
		total += bytes;
	}
	pthread_mutex_unlock(&mu);
	return p;
}

/* Drop every entry (the server stops). */
void
webcache_clear(void)
{
	size_t	i;

	pthread_mutex_lock(&mu);
	for (i = 0; i < WEBCACHE_MAX; i++)
		if (files[i].path != NULL)
			drop(&files[i]);
	pthread_mutex_unlock(&mu);
}
