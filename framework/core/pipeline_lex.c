/* Lexer of the pipeline grammar: words, quoted strings, '!', '[', ']' and
 * '#' comments to the end of the line. */
#include <string.h>
#include <blo/error.h>
#include "pipeline_lex.h"
#include "params_private.h"

char *blo_pipeline_position(const char *text, int offset)
{
    int line = 1, col = 1;
    gboolean multiline = strchr(text, '\n') != NULL;
    for (int i = 0; i < offset && text[i]; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    return multiline ? g_strdup_printf("line %d, column %d", line, col) : g_strdup_printf("column %d", col);
}

static void clear_token(gpointer p)
{
    g_free(((blo_token *)p)->text);
}

static void push(GArray *toks, blo_tok_kind kind, char *text, int offset)
{
    blo_token t = { kind, text, offset };
    g_array_append_val(toks, t);
}

/* Reads a quoted string starting at text[*i] == '"'; \" and \\ are escapes,
 * any other backslash stays as written. */
static gboolean lex_quoted(const char *text, int *i, GArray *toks, GError **error)
{
    int start = *i;
    GString *s = g_string_new(NULL);
    int j = start + 1;
    for (; text[j] && text[j] != '"'; j++) {
        if (text[j] == '\\' && (text[j + 1] == '"' || text[j + 1] == '\\'))
            j++;
        g_string_append_c(s, text[j]);
    }
    if (text[j] != '"') {
        char *pos = blo_pipeline_position(text, start);
        g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE, "unclosed '\"' opened at %s", pos);
        g_free(pos);
        g_string_free(s, TRUE);
        return FALSE;
    }
    push(toks, TOK_QUOTED, g_string_free(s, FALSE), start);
    *i = j + 1;
    return TRUE;
}

GArray *blo_pipeline_lex(const char *text, GError **error)
{
    GArray *toks = g_array_new(FALSE, TRUE, sizeof(blo_token));
    g_array_set_clear_func(toks, clear_token);
    int i = 0;
    while (text[i]) {
        char c = text[i];
        if (g_ascii_isspace(c)) {
            i++;
        } else if (c == '#') {
            while (text[i] && text[i] != '\n')
                i++;
        } else if (c == '!' || c == '[' || c == ']') {
            push(toks, c == '!' ? TOK_BANG : c == '[' ? TOK_OPEN : TOK_CLOSE, NULL, i);
            i++;
        } else if (c == '"') {
            if (!lex_quoted(text, &i, toks, error)) {
                g_array_unref(toks);
                return NULL;
            }
        } else {
            int start = i;
            while (blo_is_word_char(text[i]))
                i++;
            push(toks, TOK_WORD, g_strndup(text + start, i - start), start);
        }
    }
    push(toks, TOK_END, NULL, i);
    return toks;
}
