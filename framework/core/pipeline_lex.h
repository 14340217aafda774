/* framework (private): tokens of the pipeline grammar (see pipeline.h). */
#ifndef BLO_FRAMEWORK_PIPELINE_LEX_H
#define BLO_FRAMEWORK_PIPELINE_LEX_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum { TOK_WORD, TOK_QUOTED, TOK_BANG, TOK_OPEN, TOK_CLOSE, TOK_END } blo_tok_kind;

typedef struct blo_token {
    blo_tok_kind kind;
    char *text;      /* WORD: as written; QUOTED: unescaped content; else NULL */
    int offset;      /* byte offset in the source */
} blo_token;

/* Tokens of `text` ending with one TOK_END; NULL with BLO_ERROR_PARSE on an
 * unclosed quote. Free with g_array_unref (the array clears its tokens). */
GArray *blo_pipeline_lex(const char *text, GError **error);
/* "column 7" or "line 3, column 7" for a byte offset of text (caller frees). */
char   *blo_pipeline_position(const char *text, int offset);

G_END_DECLS

#endif
