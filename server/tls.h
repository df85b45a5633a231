/* SPDX-License-Identifier: ISC */
/*
 * tls.c: the certificate and key handshakes get, replaced by tls_load()
 * on SIGHUP.  Apart from extern.h so that only the HTTP layer and the
 * daemon see GnuTLS's types.
 */
#ifndef TLS_H
#define TLS_H

#include <gnutls/abstract.h>

int	 tls_load(const char *cert, const char *key)
	    __attribute__((warn_unused_result));
int	 tls_retrieve(gnutls_session_t, const gnutls_datum_t *, int,
	    const gnutls_pk_algorithm_t *, int, gnutls_pcert_st **,
	    unsigned int *, gnutls_privkey_t *);
void	 tls_free(void);

#endif /* !TLS_H */
