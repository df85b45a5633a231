/* SPDX-License-Identifier: ISC */
/*
 * Rate limits: a fixed window per key (a client address, or a kiosk) and
 * kind, in a fixed-size table, so memory does not grow with the number of
 * clients.  Keys are hashed with a random per-process key so nobody can
 * aim collisions.  A slot taken by another key is recycled when its
 * window is over, else overwritten (the worst an attacker gains is
 * resetting someone else's count, never raising a limit for itself).
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http.h"

#define SLOTS	4096	/* per kind */

struct limit_rule {
	int64_t	max;		/* events allowed per window */
	int64_t	window;		/* seconds */
};

/* Documented in README.md ("Rate limits"); keep the two in step. */
static const struct limit_rule rules[LIMIT__MAX] = {
	{ 10, 600 },	/* LIMIT_CODE: 10 wrong codes per 10 minutes */
	{ 30, 600 },	/* LIMIT_PUBLIC: 30 responses per 10 minutes */
	{ 10, 900 },	/* LIMIT_LOGIN: 10 attempts per 15 minutes */
	{ 120, 60 },	/* LIMIT_KIOSK: 120 responses per minute */
};

struct slot {
	uint64_t	key;
	int64_t		start;	/* window start, unix seconds */
	int64_t		count;
};

static struct slot	table[LIMIT__MAX][SLOTS];
static unsigned char	hkey[crypto_shorthash_KEYBYTES];
static pthread_once_t	once = PTHREAD_ONCE_INIT;
static pthread_mutex_t	mu = PTHREAD_MUTEX_INITIALIZER;
static int		enabled = 1;	/* --rate-limits off clears it */

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

static uint64_t
keyhash(enum limit_kind kind, const char *key)
{
	unsigned char	out[crypto_shorthash_BYTES];
	uint64_t	v = 0;
	size_t		i;

	pthread_once(&once, init);
	crypto_shorthash(out, (const unsigned char *)key, strlen(key), hkey);
	for (i = 0; i < sizeof(out); i++)
		v = v << 8 | out[i];
	return v ^ (uint64_t)kind;
}

static struct slot *
find(enum limit_kind kind, uint64_t k, int64_t now)
{
	struct slot	*s = &table[kind][k % SLOTS];

	if (s->key != k || now - s->start >= rules[kind].window) {
		s->key = k;
		s->start = now;
		s->count = 0;
	}
	return s;
}

/*
 * Seconds until key may act again under kind's limit, or 0 when it may
 * act now.
 */
int64_t
limit_check(enum limit_kind kind, const char *key)
{
	uint64_t	 k;
	int64_t		 now = (int64_t)time(NULL), wait = 0;
	struct slot	*s;

	if (!enabled)
		return 0;
	k = keyhash(kind, key);
	pthread_mutex_lock(&mu);
	s = find(kind, k, now);
	if (s->count >= rules[kind].max)
		wait = s->start + rules[kind].window - now;
	pthread_mutex_unlock(&mu);
	return wait > 0 ? wait : 0;
}

/* Count one event of kind for key. */
void
limit_hit(enum limit_kind kind, const char *key)
{
	uint64_t	 k;
	int64_t		 now = (int64_t)time(NULL);

	if (!enabled)
		return;
	k = keyhash(kind, key);
	pthread_mutex_lock(&mu);
	find(kind, k, now)->count++;
	pthread_mutex_unlock(&mu);
}
