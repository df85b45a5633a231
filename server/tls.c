/* SPDX-License-Identifier: ISC */
/*
 * The server's TLS certificate and key, which SIGHUP replaces while it
 * serves.  libmicrohttpd asks tls_retrieve() for them at each handshake
 * (MHD_OPTION_HTTPS_CERT_CALLBACK), so a renewed certificate takes effect
 * for the next connection, and the connections already open keep the one
 * they agreed on.  A new pair is checked whole (readable, PEM, the key
 * belongs to the certificate) before it replaces the old one; if it does
 * not pass, the old one stays and the reason is logged.
 *
 * The callback has no closure argument, so the pair lives in this file:
 * one server per process.  A pair replaced by a reload is kept until
 * tls_free(): a handshake that fetched it may still be using it, and
 * reloads are rare enough for the memory not to matter.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <sodium.h>

#include "extern.h"
#include "tls.h"

#define PEM_MAX		(1024 * 1024)	/* bytes of a certificate or key file */
#define CHAIN_MAX	16		/* certificates in one chain */

struct tls_pair {
	gnutls_pcert_st	 chain[CHAIN_MAX];	/* the certificate first */
	unsigned int	 nchain;
	gnutls_privkey_t key;
	struct tls_pair	*older;		/* replaced pairs, until tls_free() */
};

static pthread_mutex_t	 tls_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tls_pair	*tls_now;	/* what handshakes get; owns older */

/*
 * The text of a PEM file into d (caller frees, wiping for a key), or -1
 * (logged).
 */
static int
read_pem(const char *path, gnutls_datum_t *d)
{
	FILE	*f;
	size_t	 n;

	d->data = NULL;
	d->size = 0;
	if ((f = fopen(path, "re")) == NULL) {
		log_err("%s: %s", path, strerror(errno));
		return -1;
	}
	d->data = xcalloc(PEM_MAX + 1, 1);
	n = fread(d->data, 1, PEM_MAX + 1, f);
	fclose(f);
	if (n > PEM_MAX) {
		log_err("%s: longer than %d bytes", path, PEM_MAX);
		return -1;
	}
	d->size = (unsigned int)n;
	return 0;
}

static void
pair_free(struct tls_pair *p)
{
	unsigned int	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nchain; i++)
		gnutls_pcert_deinit(&p->chain[i]);
	gnutls_privkey_deinit(p->key);
	free(p);
}

/*
 * Check the pair in cert and key: gnutls's own loader refuses a key that
 * does not belong to the certificate.  0, or -1 (logged).
 */
static int
pair_check(const char *cpath, const gnutls_datum_t *cert,
    const gnutls_datum_t *key)
{
	gnutls_certificate_credentials_t	cred;
	int					rc;

	if (gnutls_certificate_allocate_credentials(&cred) < 0) {
		log_err("tls: out of memory");
		return -1;
	}
	rc = gnutls_certificate_set_x509_key_mem2(cred, cert, key,
	    GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_certificate_free_credentials(cred);
	if (rc < 0) {
		log_err("%s: %s", cpath, gnutls_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * Load the certificate chain and key from cpath and kpath and make them
 * the ones new connections get.  0, or -1 (logged), and then the pair in
 * use before stays.
 */
int
tls_load(const char *cpath, const char *kpath)
{
	gnutls_datum_t	 cert = { NULL, 0 }, key = { NULL, 0 };
	struct tls_pair	*p = NULL;
	int		 rc = -1, e;

	if (read_pem(cpath, &cert) == -1 || read_pem(kpath, &key) == -1)
		goto out;
	if (pair_check(cpath, &cert, &key) == -1)
		goto out;
	p = xcalloc(1, sizeof(*p));
	p->nchain = CHAIN_MAX;
	if ((e = gnutls_pcert_list_import_x509_raw(p->chain, &p->nchain,
	    &cert, GNUTLS_X509_FMT_PEM, 0)) < 0) {
		p->nchain = 0;
		log_err("%s: %s", cpath, gnutls_strerror(e));
		goto out;
	}
	if ((e = gnutls_privkey_init(&p->key)) < 0 ||
	    (e = gnutls_privkey_import_x509_raw(p->key, &key,
	    GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
		log_err("%s: %s", kpath, gnutls_strerror(e));
		goto out;
	}
	pthread_mutex_lock(&tls_mu);
	p->older = tls_now;
	tls_now = p;
	pthread_mutex_unlock(&tls_mu);
	p = NULL;
	rc = 0;
out:
	pair_free(p);
	if (key.data != NULL)
		sodium_memzero(key.data, PEM_MAX + 1);
	free(key.data);
	free(cert.data);
	return rc;
}

/*
 * gnutls's certificate callback (gnutls_certificate_retrieve_function2):
 * the pair loaded last.  The pointers stay valid until tls_free().
 */
int
tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn,
    int nreqs, const gnutls_pk_algorithm_t *algos, int nalgos,
    gnutls_pcert_st **chain, unsigned int *nchain, gnutls_privkey_t *key)
{
	(void)session;
	(void)req_ca_dn;
	(void)nreqs;
	(void)algos;
	(void)nalgos;
	pthread_mutex_lock(&tls_mu);
	if (tls_now == NULL) {
		pthread_mutex_unlock(&tls_mu);
		return -1;
	}
	*chain = tls_now->chain;
	*nchain = tls_now->nchain;
	*key = tls_now->key;
	pthread_mutex_unlock(&tls_mu);
	return 0;
}

/* Free every pair.  Only once no handshake can run: after http_stop(). */
void
tls_free(void)
{
	struct tls_pair	*p, *next;

	pthread_mutex_lock(&tls_mu);
	for (p = tls_now; p != NULL; p = next) {
		next = p->older;
		pair_free(p);
	}
	tls_now = NULL;
	pthread_mutex_unlock(&tls_mu);
}
