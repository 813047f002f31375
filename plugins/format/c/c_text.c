/* c_text.c: memory and command words of the C script format. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c.h"
#include "script_text.h"

static void out_of_memory(size_t n)
{
    fprintf(stderr, "migrator: fatal: out of memory (%zu bytes)\n", n);
    abort();
}

void *c_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        out_of_memory(n);
    return p;
}

void *c_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        out_of_memory(n);
    return q;
}

char *c_xstrndup(const char *s, size_t n)
{
    char *p = c_xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *c_xstrdup(const char *s)
{
    return c_xstrndup(s, strlen(s));
}

/* Append the word (wlen bytes of w) to *argv. */
static void push_word(char ***argv, size_t *argc, const char *w,
                      size_t wlen)
{
    *argv = c_xrealloc(*argv, (*argc + 2) * sizeof(**argv));
    (*argv)[(*argc)++] = c_xstrndup(w, wlen);
    (*argv)[*argc] = NULL;
}

bool c_split_words(const char *s, char ***argv, size_t *argc)
{
    /* A word is never longer than the setting it comes from. */
    char *w = c_xmalloc(s ? strlen(s) + 1 : 1);
    size_t wlen = 0;
    bool in_word = false;
    char quote = 0;

    if (!*argv) {
        *argv = c_xmalloc(sizeof(**argv));
        (*argv)[0] = NULL;
        *argc = 0;
    }
    for (; s && *s; s++) {
        if (quote) {
            if (*s == quote)
                quote = 0;
            else if (quote == '"' && *s == '\\' && s[1])
                w[wlen++] = *++s;
            else
                w[wlen++] = *s;
        } else if (*s == '\'' || *s == '"') {
            quote = *s;
            in_word = true;
        } else if (*s == '\\' && s[1]) {
            w[wlen++] = *++s;
            in_word = true;
        } else if (text_is_blank(*s) || *s == '\n') {
            if (in_word)
                push_word(argv, argc, w, wlen);
            in_word = false;
            wlen = 0;
        } else {
            w[wlen++] = *s;
            in_word = true;
        }
    }
    if (in_word && !quote)
        push_word(argv, argc, w, wlen);
    free(w);
    return quote == 0;
}

void c_words_free(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}
