/*
 * json_values.h: the values and objects the JSON reporter writes. Every
 * function returns a new reference, or NULL when jansson is out of
 * memory; a NULL string becomes JSON null.
 */
#ifndef MGR_REPORTER_JSON_VALUES_H
#define MGR_REPORTER_JSON_VALUES_H

#include <stddef.h>

#include <jansson.h>

#include <migrator/plugin.h>

/* s made valid UTF-8 (each ill-formed byte becomes U+FFFD). */
json_t *jstr(const char *s);
/* As jstr, but "" is null too. */
json_t *jstr_or_null(const char *s);
/* A number; null when d is not finite. */
json_t *jnum(double d);
/* A count or a size known only as an estimate: an integer when d is
 * whole, null when d is below 0 (not known) or not finite. */
json_t *jcount(double d);
json_t *jsize(size_t n);
/* An array of n strings. */
json_t *jstrings(const char *const *v, size_t n);
/* "2026-12-03T00:05:14.123Z" for t seconds since the epoch, or null. */
json_t *jtime(double t);
/* Set o[key] = v, taking v; -1 when v is NULL or on failure. */
int put(json_t *o, const char *key, json_t *v);

json_t *step_object(const struct mgr_event_step *s);
json_t *error_object(const struct mgr_event_error *e);
json_t *revision_object(const struct mgr_event_revision *r);
json_t *lock_object(const struct mgr_event_lock *l);

#endif
