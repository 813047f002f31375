/*
 * visible.h: text from scripts, their headers and the database written
 * so that a terminal shows it and obeys none of it. An ESC starting an
 * ANSI or OSC sequence, a BEL, a carriage return that would overwrite
 * the line, any other C0 or C1 control, DEL, the bidirectional overrides
 * that make text show other than it reads, and bytes that are not UTF-8
 * are written as escapes ("\x1b", "\u202e"), which a reader can still
 * see. Compiled into the core, the CLI and the reporters.
 */
#ifndef MGR_PLUGINS_VISIBLE_H
#define MGR_PLUGINS_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* visible_put() flags: the controls that stay as they are. */
#define VISIBLE_KEEP_NEWLINE 0x1u /* where lines are expected */
#define VISIBLE_KEEP_TAB 0x2u

/* Whether a terminal would act on code point cp rather than show it. */
bool visible_is_control(uint32_t cp);

/* Write s[0..len) to f with what a terminal would obey escaped. */
void visible_put(FILE *f, const char *s, size_t len, unsigned keep);

/* visible_put() of a string; NULL writes nothing. */
void visible_puts(FILE *f, const char *s, unsigned keep);

#endif
