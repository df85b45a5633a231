# ita-survey: a survey collection server for the ITA questionnaires.
# GNU make.  "make run" and "make test" are the whole set-up on a fresh
# Debian 12 machine (as root): both install what is missing first.

# Where "make install" puts things; the installed binary (build/
# ita-survey-installed) has SHAREDIR, STATEDIR and SYSCONFDIR compiled in as
# its defaults.  The development binary (build/ita-survey) uses forms/, web/,
# migrations/ and var/ beside the checkout instead.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/ita-survey
STATEDIR ?= /var/lib/ita-survey
SYSCONFDIR ?= /etc
MANDIR	?= $(PREFIX)/share/man
# The version is debian/changelog's top entry (a native package); "make
# deb" writes build/ita-survey_$(VERSION)_$(DEB_ARCH).deb.
VERSION	:= $(or $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' \
	   debian/changelog 2>/dev/null),unknown)
DEB_ARCH = $(shell dpkg --print-architecture)
DEB	 = $(BUILD)/ita-survey_$(VERSION)_$(DEB_ARCH).deb
CC	?= cc
CLANG	?= clang

PKGS	 = libmicrohttpd sqlite3 jansson libsodium xlsxwriter libqrencode gnutls \
	   libcurl zlib
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# CPPFLAGS, CFLAGS, LDFLAGS and LDLIBS are the packager's (dpkg-buildflags,
# the environment or "make CFLAGS=..."); our own flags are kept apart in
# ITA_*, so setting those never drops the warnings, the feature macros or
# the pkg-config flags.  Every compile and link line passes ours, then theirs.
WARN	 = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
	   -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings
# -Werror in the test and CI builds only: "make test" and its parts (their
# sub-makes inherit it).  A plain "make" or "make install" warns and goes
# on; "make WERROR= test" tests without it.
TEST_GOALS = test test-unit test-http test-browser test-asan test-fuzz valgrind \
	     test-package
ifneq ($(filter $(TEST_GOALS),$(MAKECMDGOALS)),)
WERROR	?= -Werror
endif
export WERROR
CFLAGS	?= -O2 -g
# _FORTIFY_SOURCE=2 unless the packager's flags already pick a level.
FORTIFY	 = $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),, \
	   -D_FORTIFY_SOURCE=2)
ITA_CPPFLAGS = -D_DEFAULT_SOURCE $(FORTIFY) -DITA_VERSION='"$(VERSION)"'
ITA_CFLAGS = $(WARN) $(WERROR) -fstack-protector-strong $(PKG_CFLAGS)
ITA_LDFLAGS = -Wl,-z,relro,-z,now
ITA_LDLIBS = $(PKG_LIBS) -lm -lpthread
ALL_CPPFLAGS = $(ITA_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(ITA_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(ITA_LDFLAGS) $(LDFLAGS)
ALL_LDLIBS = $(ITA_LDLIBS) $(LDLIBS)
# Each object's header dependencies, in a .d file beside it (included below).
DEPFLAGS = -MMD -MP

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

# The modules; unit tests link against these.  CMDS: the command line.
OBJS	 = log.o buf.o err.o token.o form.o score.o db.o migrate.o auth.o \
	   config.o rounds.o codes.o kiosks.o export.o accounts.o ita.o \
	   http.o routes.o api_public.o api_session.o api_rounds.o \
	   api_kiosks.o api_console.o api_accounts.o limit.o sandbox.o qr.o \
	   writer.o tally.o submit.o text.o tls.o proxy.o metrics.o backup.o audit.o \
	   settings.o api_settings.o xlsx.o checklist.o oitdb.o \
	   oitconf.o fetch.o watch.o notify.o oit.o api_oit.o oitreport.o \
	   oitxlsx.o oitscore.o api_oitreport.o unitdb.o units.o unitexport.o \
	   measures.o api_measures.o guidance.o compare.o compexport.o \
	   api_analysis.o prepared.o formdoc.o webcache.o
CMDS	 = main.o cmd_serve.o cmd_db.o cmd_admin.o cmd_round.o cmd_tokens.o \
	   cmd_kiosk.o cmd_scores.o cmd_export.o cmd_forms.o cmd_settings.o \
	   cmd_oitreport.o cmd_oit.o cmd_measures.o cmd_compare.o
UNITS	 = test_token test_form test_score test_migrate test_buf test_ita \
	   test_err test_text test_csv test_limit test_proxy test_audit \
	   test_oit test_units test_compare test_prepared test_tally
# libFuzzer targets, tests/fuzz/fuzz_*.c; "make fuzz" runs each this long.
FUZZ	 = fuzz_submit fuzz_form fuzz_token fuzz_csv
FUZZ_SECONDS ?= 60

BUILD	 = build
ABUILD	 = build/asan
BIN	 = $(BUILD)/ita-survey
IBIN	 = $(BUILD)/ita-survey-installed
IBUILD	 = $(BUILD)/installed
INSTALLED_PATHS = -DITA_SHAREDIR='"$(SHAREDIR)"' \
	   -DITA_STATEDIR='"$(STATEDIR)"' \
	   -DITA_CONFFILE='"$(SYSCONFDIR)/ita-survey/ita-survey.conf"'
ABIN	 = $(ABUILD)/ita-survey
FBUILD	 = build/fuzz
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

# Debian packages: what building and serving needs, then what tests need.
DEPS_RUN  = build-essential pkg-config libmicrohttpd-dev libsqlite3-dev \
	    libjansson-dev libsodium-dev libxlsxwriter-dev libqrencode-dev \
	    libgnutls28-dev libcurl4-gnutls-dev zlib1g-dev
DEPS_TEST = curl sqlite3 valgrind clang chromium fonts-thai-tlwg \
	    procps libclang-rt-14-dev openssl zbar-tools libreoffice-calc-nogui
# What "make deb" needs besides DEPS_RUN, then what the package test needs
# (tests/package/run.sh: install, lint, run behind nginx, purge).
DEPS_DEB  = debhelper dpkg-dev
DEPS_PKG  = $(DEPS_DEB) lintian mandoc nginx systemd openssl zbar-tools \
	    curl python3
# What "make bench" needs besides DEPS_RUN (bench/run.sh builds the
# reference server with the same -dev packages).
DEPS_BENCH = wrk curl sqlite3 valgrind

-include Makefile.local

.PHONY: all deps deps-test run test test-unit test-http test-browser \
	test-asan test-fuzz valgrind bench fuzz install uninstall clean npm \
	var deb test-package

all: $(BIN) $(IBIN)

$(BUILD) $(ABUILD) $(FBUILD):
	mkdir -p $@

# var/ holds the answers, the password hashes and the secret: 0700, also
# when an older "make run" left it 0755.  A symlink named var is left
# alone: then it points at a place someone chose, and its mode is theirs.
var:
	@[ -L $@ ] || install -d -m 0700 $@

# Each build dir's compiler and flags, in DIR/.cflags.  It is rewritten only
# when they differ from the last build's, and every object depends on it, so
# switching between "make" and "make test" (-Werror) or changing CFLAGS etc.
# rebuilds.  (Checked here rather than by a FORCE'd recipe, so that "make -n"
# and "make -q" stay exact.)
BUILD_FLAGS = $(strip $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) \
	   $(ALL_LDLIBS))
ABUILD_FLAGS = $(strip $(BUILD_FLAGS) $(ASAN_FLAGS))
FBUILD_FLAGS = $(strip $(CLANG) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(FUZZ_FLAGS) \
	   $(ALL_LDFLAGS) $(ALL_LDLIBS))
ifneq ($(BUILD_FLAGS),$(shell cat $(BUILD)/.cflags 2>/dev/null))
$(BUILD)/.cflags: FORCE
endif
ifneq ($(ABUILD_FLAGS),$(shell cat $(ABUILD)/.cflags 2>/dev/null))
$(ABUILD)/.cflags: FORCE
endif
ifneq ($(FBUILD_FLAGS),$(shell cat $(FBUILD)/.cflags 2>/dev/null))
$(FBUILD)/.cflags: FORCE
endif
$(BUILD)/.cflags: STAMP = $(BUILD_FLAGS)
$(ABUILD)/.cflags: STAMP = $(ABUILD_FLAGS)
$(FBUILD)/.cflags: STAMP = $(FBUILD_FLAGS)
$(BUILD)/.cflags: | $(BUILD)
$(ABUILD)/.cflags: | $(ABUILD)
$(FBUILD)/.cflags: | $(FBUILD)
$(BUILD)/.cflags $(ABUILD)/.cflags $(FBUILD)/.cflags:
	@printf '%s\n' '$(subst ','\'',$(STAMP))' >$@

FORCE:
.PHONY: FORCE

$(BUILD)/%.o: server/%.c $(BUILD)/.cflags | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(ABUILD)/%.o: server/%.c $(ABUILD)/.cflags | $(ABUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ASAN_FLAGS) $(DEPFLAGS) -c -o $@ $<

$(BIN): $(addprefix $(BUILD)/,$(OBJS) $(CMDS))
	$(CC) $(CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

# The installed binary differs only in config.o, whose defaults are the
# installed places.  Its stamp also records them, so a new PREFIX rebuilds.
$(IBUILD):
	mkdir -p $@
$(IBUILD)/.paths: FORCE | $(IBUILD)
	@[ "$$(cat $@ 2>/dev/null)" = '$(subst ','\'',$(INSTALLED_PATHS))' ] || \
	    printf '%s\n' '$(subst ','\'',$(INSTALLED_PATHS))' >$@
$(IBUILD)/config.o: server/config.c $(BUILD)/.cflags $(IBUILD)/.paths
	$(CC) $(ALL_CPPFLAGS) $(INSTALLED_PATHS) $(ALL_CFLAGS) $(DEPFLAGS) \
	    -c -o $@ $<
$(IBIN): $(IBUILD)/config.o $(addprefix $(BUILD)/,$(filter-out config.o, \
    $(OBJS)) $(CMDS))
	$(CC) $(CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

$(ABIN): $(addprefix $(ABUILD)/,$(OBJS) $(CMDS))
	$(CC) $(CFLAGS) $(ALL_LDFLAGS) -fsanitize=address,undefined -o $@ $^ \
	    $(ALL_LDLIBS)

$(BUILD)/test_%: tests/unit/test_%.c tests/check.h $(BUILD)/.cflags \
    $(addprefix $(BUILD)/,$(OBJS))
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -Iserver -o $@ $< \
	    $(addprefix $(BUILD)/,$(OBJS)) $(ALL_LDFLAGS) $(ALL_LDLIBS)

$(ABUILD)/test_%: tests/unit/test_%.c tests/check.h $(ABUILD)/.cflags \
    $(addprefix $(ABUILD)/,$(OBJS))
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ASAN_FLAGS) $(DEPFLAGS) -Iserver \
	    -o $@ $< $(addprefix $(ABUILD)/,$(OBJS)) $(ALL_LDFLAGS) \
	    -fsanitize=address,undefined $(ALL_LDLIBS)

# Fuzz targets: clang with libFuzzer for "make fuzz"; gcc with ASan and
# tests/fuzz/driver.c, which replays corpus/ and regress/, for "make test".
$(FBUILD)/%.o: server/%.c $(FBUILD)/.cflags | $(FBUILD)
	$(CLANG) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(FUZZ_FLAGS) \
	    -fsanitize=fuzzer-no-link $(DEPFLAGS) -c -o $@ $<

$(FBUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FBUILD)/.cflags \
    $(addprefix $(FBUILD)/,$(OBJS))
	$(CLANG) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    $(DEPFLAGS) -Iserver -o $@ $< $(addprefix $(FBUILD)/,$(OBJS)) \
	    $(ALL_LDFLAGS) $(ALL_LDLIBS)

# Pattern-built objects, not intermediates: keep them between runs.
.SECONDARY: $(addprefix $(FBUILD)/,$(OBJS)) $(addprefix $(ABUILD)/,$(OBJS))

# driver.c first: with two sources, -MMD's .d file describes the last one.
$(ABUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/driver.c \
    $(ABUILD)/.cflags $(addprefix $(ABUILD)/,$(OBJS))
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ASAN_FLAGS) $(DEPFLAGS) -Iserver \
	    -o $@ tests/fuzz/driver.c $< $(addprefix $(ABUILD)/,$(OBJS)) \
	    $(ALL_LDFLAGS) -fsanitize=address,undefined $(ALL_LDLIBS)

# The header dependencies -MMD wrote (none before the first build).
-include $(wildcard $(BUILD)/*.d $(IBUILD)/*.d $(ABUILD)/*.d $(FBUILD)/*.d)

# Install the Debian packages that are missing, and nothing else.
deps:
	@sh tests/deps.sh $(DEPS_RUN)

deps-test: deps
	@sh tests/deps.sh $(DEPS_TEST) $(DEPS_PKG)
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
	    sh tests/deps.sh nodejs npm

# The browser tests' npm packages (playwright-core, axe-core), locked.
# node_modules is not in git: it is (re)installed from the lock whenever
# package-lock.json or package.json is newer than the last install (or a
# package has gone missing).
NPM_DIR	 = tests/browser/node_modules
NPM_STAMP = $(NPM_DIR)/.ita-stamp
NPM_OK	 = $(and $(wildcard $(NPM_DIR)/playwright-core), \
	   $(wildcard $(NPM_DIR)/axe-core))
npm: deps-test $(NPM_STAMP)

$(NPM_STAMP): tests/browser/package-lock.json tests/browser/package.json \
    $(if $(NPM_OK),,FORCE) | deps-test
	cd tests/browser && npm ci --no-audit --no-fund
	@touch $@

# serve refuses root without --user; on a developer machine as root,
# "make run" keeps root knowingly (--user root; it warns).
run: deps
	$(MAKE) all
	@$(MAKE) --no-print-directory var
	$(BIN) migrate
	$(BIN) serve $$([ "$$(id -u)" = 0 ] && echo --user root)

# Each suite target records itself in tests/out/suites once it has passed
# (tests/suites.sh); the closing line counts them.  Make stops at the first
# failure, after the tally so far and the suite target that failed.
test: deps-test npm
	@sh tests/suites.sh start
	$(MAKE) all
	$(MAKE) test-unit || sh tests/suites.sh fail test-unit
	$(MAKE) test-fuzz || sh tests/suites.sh fail test-fuzz
	$(MAKE) test-http || sh tests/suites.sh fail test-http
	$(MAKE) test-package || sh tests/suites.sh fail test-package
	$(MAKE) test-browser || sh tests/suites.sh fail test-browser
	$(MAKE) $(ABIN) $(addprefix $(ABUILD)/,$(UNITS))
	MAKE="$(MAKE)" sh tests/together.sh test-asan valgrind || \
	    { sh tests/suites.sh summary; exit 1; }
	@echo "make test: unit, fuzz replay, HTTP, package, browser," \
	    "ASan+UBSan (unit and HTTP) and valgrind (HTTP) all passed"
	@sh tests/suites.sh summary

test-unit: $(addprefix $(BUILD)/,$(UNITS)) $(BIN)
	@sh tests/run-units.sh $(BUILD) $(UNITS)
	@sh tests/suites.sh pass unit

test-http: $(BIN)
	@sh tests/http/run.sh $(BIN)
	@sh tests/suites.sh pass http

# Builds the package, installs it on this machine (root), runs it behind
# nginx, purges it: for a throwaway machine, as "make test" is.
test-package: deb
	@sh tests/deps.sh $(DEPS_PKG)
	@bash tests/package/run.sh $(DEB)
	@sh tests/suites.sh pass package

test-browser: $(BIN)
	cd tests/browser && node --test --test-concurrency=2
	@sh tests/suites.sh pass browser

test-asan: $(addprefix $(ABUILD)/,$(UNITS)) $(ABIN)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/run-units.sh $(ABUILD) $(UNITS)
	@sh tests/suites.sh pass asan-unit
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/http/run.sh $(ABIN)
	@sh tests/suites.sh pass asan-http

# A subset under valgrind (tests/http/run.sh says which and why): the
# whole suite there would not fit make test's 15 minutes; ASan runs it all.
valgrind: $(BIN)
	@ITA_VALGRIND=1 sh tests/http/run.sh $(BIN) basic
	@sh tests/suites.sh pass valgrind

bench: $(BIN)
	@sh tests/deps.sh $(DEPS_RUN) $(DEPS_BENCH)
	@sh bench/run.sh $(BIN)

fuzz: $(addprefix $(FBUILD)/,$(FUZZ))
	@sh tests/fuzz/run.sh $(FBUILD) $(FUZZ_SECONDS) $(FUZZ)

test-fuzz: $(addprefix $(ABUILD)/,$(FUZZ))
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/fuzz/replay.sh $(ABUILD) $(FUZZ)
	@sh tests/suites.sh pass fuzz-replay

# The man pages and the example configuration name the installed paths;
# the configuration file is installed only where none is yet, so that an
# administrator's is never overwritten.
INSTALL_PATHS = sed -e 's|/usr/share/ita-survey|$(SHAREDIR)|g' \
	   -e 's|/var/lib/ita-survey|$(STATEDIR)|g' \
	   -e 's|/etc/ita-survey|$(SYSCONFDIR)/ita-survey|g'
CONF	 = $(DESTDIR)$(SYSCONFDIR)/ita-survey/ita-survey.conf

install: $(IBIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(SYSCONFDIR)/ita-survey
	install -m 0755 $(IBIN) $(DESTDIR)$(BINDIR)/ita-survey
	install -d $(DESTDIR)$(SHAREDIR)/forms $(DESTDIR)$(SHAREDIR)/migrations
	install -m 0644 forms/*.json $(DESTDIR)$(SHAREDIR)/forms/
	install -m 0644 migrations/*.sql $(DESTDIR)$(SHAREDIR)/migrations/
	cp -R web $(DESTDIR)$(SHAREDIR)/
	$(INSTALL_PATHS) server/man/ita-survey.8 \
	    >$(DESTDIR)$(MANDIR)/man8/ita-survey.8
	$(INSTALL_PATHS) server/man/ita-survey-forms.5 \
	    >$(DESTDIR)$(MANDIR)/man5/ita-survey-forms.5
	chmod 0644 $(DESTDIR)$(MANDIR)/man8/ita-survey.8 \
	    $(DESTDIR)$(MANDIR)/man5/ita-survey-forms.5
	[ -e $(CONF) ] || { $(INSTALL_PATHS) server/dist/ita-survey.conf \
	    >$(CONF).new && chmod 0640 $(CONF).new && mv $(CONF).new $(CONF); }

# Leaves the configuration file and the state folder: they are the
# administrator's.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ita-survey
	rm -rf $(DESTDIR)$(SHAREDIR)
	rm -f $(DESTDIR)$(MANDIR)/man8/ita-survey.8 \
	    $(DESTDIR)$(MANDIR)/man5/ita-survey-forms.5

# The Debian package, built by dpkg-buildpackage from a copy of the tree's
# files (git's, when this is a checkout: tracked and new, not ignored), so
# that its output (written beside the source) stays in build/deb/.
DEB_SRC	 = $(BUILD)/deb/ita-survey-$(VERSION)

deb:
	@sh tests/deps.sh $(DEPS_RUN) $(DEPS_DEB)
	rm -rf $(BUILD)/deb
	mkdir -p $(DEB_SRC)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	    git ls-files -z -co --exclude-standard; \
	else \
	    find . \( -path ./build -o -path ./.git -o -path ./var -o \
	    -path ./tests/out -o -name node_modules \) -prune -o \
	    ! -type d -print0; \
	fi | tar --null -T - --ignore-failed-read -cf - | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc
	mv $(BUILD)/deb/$(notdir $(DEB)) $(DEB)
	@echo "make deb: $(DEB)"

clean:
	rm -rf $(BUILD) tests/out
