/*
 * lint_words.c: the words of a statement for the core's rules, which
 * must work for every dialect and so cannot use a parse tree. Strings
 * ('...', E'...', $tag$...$tag$), comments (--, / * * /) and
 * punctuation are skipped; quoted identifiers ("x", `x`, [x]) are words
 * that keep their quotes. Each word records how many parentheses are
 * open around it, so that a rule can look at the top level only.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint.h"
#include "util.h"

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' ||
           (unsigned char)c >= 0x80;
}

/* The end of a quoted run starting at text[i] (the opening quote),
 * where a doubled closing quote stands for itself. */
static size_t skip_quoted(const char *text, size_t len, size_t i, char close)
{
    for (i++; i < len; i++) {
        if (text[i] != close)
            continue;
        if (i + 1 < len && text[i + 1] == close && close != ']') {
            i++;
            continue;
        }
        return i + 1;
    }
    return len;
}

/* A dollar-quoted string at text[i] ("$tag$" or "$$"), or i when there
 * is none. */
static size_t skip_dollar(const char *text, size_t len, size_t i)
{
    size_t tag_end = i + 1;

    while (tag_end < len && (isalnum((unsigned char)text[tag_end]) ||
                             text[tag_end] == '_'))
        tag_end++;
    if (tag_end >= len || text[tag_end] != '$')
        return i;
    size_t tag_len = tag_end - i + 1;
    for (size_t j = tag_end + 1; j + tag_len <= len; j++)
        if (memcmp(text + j, text + i, tag_len) == 0)
            return j + tag_len;
    return len;
}

/* Comments and white space from i; returns the next position. */
static size_t skip_gap(const char *text, size_t len, size_t i)
{
    while (i < len) {
        if (isspace((unsigned char)text[i])) {
            i++;
        } else if (text[i] == '-' && i + 1 < len && text[i + 1] == '-') {
            while (i < len && text[i] != '\n')
                i++;
        } else if (text[i] == '/' && i + 1 < len && text[i + 1] == '*') {
            const char *end = NULL;

            for (size_t j = i + 2; j + 1 < len; j++)
                if (text[j] == '*' && text[j + 1] == '/') {
                    end = text + j + 2;
                    break;
                }
            i = end ? (size_t)(end - text) : len;
        } else {
            break;
        }
    }
    return i;
}

size_t lint_words(const char *text, size_t len, struct lint_word **out)
{
    struct lint_word *words = NULL;
    size_t n = 0, cap = 0, depth = 0, i = 0;

    while ((i = skip_gap(text, len, i)) < len) {
        size_t start = i;
        char c = text[i];

        if (c == '\'') {
            i = skip_quoted(text, len, i, '\'');
            continue;
        }
        if (c == '$' && (i = skip_dollar(text, len, i)) != start)
            continue;
        if (c == '(' || c == ')') {
            if (c == '(')
                depth++;
            else if (depth)
                depth--;
            i++;
            continue;
        }
        if (c == '"' || c == '`' || c == '[')
            i = skip_quoted(text, len, i, c == '[' ? ']' : c);
        else if (word_char(c))
            while (i < len && word_char(text[i]))
                i++;
        else {
            i++;
            continue;
        }
        /* E'...' and the like: a prefix glued to a string is no word. */
        if (i < len && text[i] == '\'' && i - start == 1 &&
            strchr("EeNnBbXxUu", c))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            words = xrealloc(words, cap * sizeof(*words));
        }
        words[n++] = (struct lint_word){ text + start, i - start, depth };
    }
    *out = words;
    return n;
}

bool lint_word_is(const struct lint_word *w, const char *kw)
{
    return w && strlen(kw) == w->len && strncasecmp(w->s, kw, w->len) == 0;
}
