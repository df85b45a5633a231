/* SPDX-License-Identifier: ISC */
/*
 * Rate limits: a fixed window per key (a client address, an account and
 * address, or a kiosk) and kind, in a fixed-size table, so memory does not
 * grow with the number of clients.  Keys are hashed with a random
 * per-process key so nobody can aim collisions.
 *
 * The table is set-associative: a key lives in one of WAYS slots of its
 * set, and a slot is taken over only when its window is over.  A live
 * count is therefore never reset because another key hashes to the same
 * place; when every way of a set is live (WAYS keys with live counts in
 * one set: about SETS * WAYS attacking addresses at once), the newcomer
 * is not counted, and that is logged.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http.h"

#define WAYS	8	/* slots per set */
#define SETS	1024	/* sets per kind: 8192 live keys per kind */

struct limit_rule {
	int64_t	max;		/* events allowed per window */
	int64_t	window;		/* seconds */
};

/* Documented in README.md ("Rate limits"); keep the two in step. */
static const struct limit_rule rules[LIMIT__MAX] = {
	{ 10, 600 },	/* LIMIT_GUESS: 10 wrong codes or keys per 10 min */
	{ 30, 600 },	/* LIMIT_PUBLIC: 30 responses per 10 minutes */
	{ 20, 900 },	/* LIMIT_LOGIN: 20 failed logins per 15 minutes */
	{ 5, 900 },	/* LIMIT_ACCOUNT: 5 per account+address, 15 min */
	{ 120, 60 },	/* LIMIT_KIOSK: 120 responses per minute */
};

struct slot {
	uint64_t	key;	/* 0: free */
	int64_t		start;	/* window start, unix seconds */
	int64_t		count;
};

static struct slot	table[LIMIT__MAX][SETS][WAYS];
static unsigned char	hkey[crypto_shorthash_KEYBYTES];
static pthread_once_t	once = PTHREAD_ONCE_INIT;
static pthread_mutex_t	mu = PTHREAD_MUTEX_INITIALIZER;
static int		enabled = 1;	/* --rate-limits off clears it */
static int64_t		full_logged;	/* when "table full" was last said */

/*
 * Turn every limit on or off.  Off is for benchmarks, and for a server
 * behind a proxy that limits by itself (all clients share its address).
 * Call before serving.
 */
void
limit_enable(int on)
{
	enabled = on;
}

static void
init(void)
{
	randombytes_buf(hkey, sizeof(hkey));
}

/* Never 0, which marks a free slot. */
static uint64_t
keyhash(const char *key)
{
	unsigned char	out[crypto_shorthash_BYTES];
	uint64_t	v = 0;
	size_t		i;

	pthread_once(&once, init);
	crypto_shorthash(out, (const unsigned char *)key, strlen(key), hkey);
	for (i = 0; i < sizeof(out); i++)
		v = v << 8 | out[i];
	return v == 0 ? 1 : v;
}

static int
live(enum limit_kind kind, const struct slot *s, int64_t now)
{
	return s->key != 0 && now - s->start < rules[kind].window;
}

/*
 * The slot of key k, or NULL when it has none.  With create, a key
 * without a slot gets a free or expired one of its set, if there is one.
 * A slot whose window is over starts a new window.  Caller holds mu.
 */
static struct slot *
find(enum limit_kind kind, uint64_t k, int64_t now, int create)
{
	struct slot	*set = table[kind][k % SETS], *s, *spare = NULL;
	size_t		 i;

	for (i = 0; i < WAYS; i++) {
		s = &set[i];
		if (s->key == k)
			break;
		if (spare == NULL && !live(kind, s, now))
			spare = s;
	}
	if (i == WAYS) {
		if (!create)
			return NULL;
		if ((s = spare) == NULL) {
			if (now - full_logged >= 60) {
				full_logged = now;
				log_warn("rate limits: table full, a client "
				    "goes uncounted");
			}
			return NULL;
		}
		s->key = k;
		s->start = now;
		s->count = 0;
	} else if (!live(kind, s, now)) {
		s->start = now;
		s->count = 0;
	}
	return s;
}

static int64_t
wait_of(enum limit_kind kind, const struct slot *s, int64_t now)
{
	int64_t	w;

	if (s == NULL || s->count < rules[kind].max)
		return 0;
	w = s->start + rules[kind].window - now;
	return w > 0 ? w : 1;
}

/*
 * Seconds until key may act again under kind's limit, or 0 when it may
 * act now.  Counts nothing.
 */
int64_t
limit_check(enum limit_kind kind, const char *key)
{
	int64_t	now = (int64_t)time(NULL), wait;

	if (!enabled)
		return 0;
	pthread_mutex_lock(&mu);
	wait = wait_of(kind, find(kind, keyhash(key), now, 0), now);
	pthread_mutex_unlock(&mu);
	return wait;
}

/* Count one event of kind for key. */
void
limit_hit(enum limit_kind kind, const char *key)
{
	struct slot	*s;
	int64_t		 now = (int64_t)time(NULL);

	if (!enabled)
		return;
	pthread_mutex_lock(&mu);
	if ((s = find(kind, keyhash(key), now, 1)) != NULL)
		s->count++;
	pthread_mutex_unlock(&mu);
}

/*
 * Check and count in one step: 0 when key may act (and the event is
 * counted), else the seconds to wait (and nothing is counted).  Parallel
 * callers therefore never get more than the limit between them.  An
 * event that turns out not to count (a login that succeeds) is given
 * back with limit_undo().
 */
int64_t
limit_take(enum limit_kind kind, const char *key)
{
	struct slot	*s;
	int64_t		 now = (int64_t)time(NULL), wait;

	if (!enabled)
		return 0;
	pthread_mutex_lock(&mu);
	s = find(kind, keyhash(key), now, 1);
	if ((wait = wait_of(kind, s, now)) == 0 && s != NULL)
		s->count++;
	pthread_mutex_unlock(&mu);
	return wait;
}

/* Give back one event counted by limit_take() (in the same window). */
void
limit_undo(enum limit_kind kind, const char *key)
{
	struct slot	*s;
	int64_t		 now = (int64_t)time(NULL);

	if (!enabled)
		return;
	pthread_mutex_lock(&mu);
	if ((s = find(kind, keyhash(key), now, 0)) != NULL &&
	    s->count > 0)
		s->count--;
	pthread_mutex_unlock(&mu);
}
