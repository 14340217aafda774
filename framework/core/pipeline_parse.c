/* Parser of the pipeline grammar (syntax only; names are checked by resolve). */
#include <string.h>
#include "params_private.h"
#include "pipeline_lex.h"

typedef struct {
    const char *text;
    GArray *toks;
    guint pos;
} parser;

static const blo_token *peek(const parser *ps)
{
    return &g_array_index(ps->toks, blo_token, ps->pos);
}

static const blo_token *next(parser *ps)
{
    const blo_token *t = peek(ps);
    if (t->kind != TOK_END)
        ps->pos++;
    return t;
}

static void fail_at(const parser *ps, GError **error, int offset, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static void fail_at(const parser *ps, GError **error, int offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *pos = blo_pipeline_position(ps->text, offset);
    g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE, "%s at %s", msg, pos);
    g_free(pos);
    g_free(msg);
}

static const char *tok_desc(const blo_token *t)
{
    switch (t->kind) {
    case TOK_WORD: return t->text;
    case TOK_QUOTED: return "\"...\"";
    case TOK_BANG: return "!";
    case TOK_OPEN: return "[";
    case TOK_CLOSE: return "]";
    case TOK_END: return "end of input";
    }
    return "?";
}

static void value_free(gpointer p)
{
    blo_value *v = p;
    g_free(v->word);
    if (v->node)
        blo_node_unref(v->node);
    g_free(v);
}

blo_node *blo_node_new(const char *kind_name, const char *name, int offset)
{
    blo_node *n = g_new0(blo_node, 1);
    n->ref_count = 1;
    n->kind_name = g_strdup(kind_name);
    n->name = g_strdup(name);
    n->keys = g_ptr_array_new_with_free_func(g_free);
    n->values = g_ptr_array_new_with_free_func(value_free);
    n->offset = offset;
    return n;
}

blo_node *blo_node_ref(blo_node *n)
{
    if (n)
        g_atomic_int_inc(&n->ref_count);
    return n;
}

void blo_node_unref(blo_node *n)
{
    if (n == NULL || !g_atomic_int_dec_and_test(&n->ref_count))
        return;
    g_free(n->kind_name);
    g_free(n->name);
    g_ptr_array_unref(n->keys);
    g_ptr_array_unref(n->values);
    blo_params_free(n->params);
    g_free(n);
}

void blo_pipeline_free(blo_pipeline *p)
{
    if (p == NULL)
        return;
    g_ptr_array_unref(p->nodes);
    g_free(p);
}

static blo_node *parse_element(parser *ps, int depth, GError **error);

/* The value after "key=": the rest of the word, or a following quoted string
 * or [ element ] when the word ends at '='. */
static gboolean parse_value(parser *ps, const char *rest, int depth, blo_value *v, GError **error)
{
    if (rest[0] != '\0') {
        v->kind = BLO_VALUE_WORD;
        v->word = g_strdup(rest);
        return TRUE;
    }
    const blo_token *t = peek(ps);
    if (t->kind == TOK_QUOTED) {
        v->kind = BLO_VALUE_WORD;
        v->word = g_strdup(next(ps)->text);
        return TRUE;
    }
    if (t->kind != TOK_OPEN) {
        v->kind = BLO_VALUE_WORD;
        v->word = g_strdup("");
        return TRUE;
    }
    const blo_token *open = next(ps);
    if (depth + 1 > BLO_MAX_NESTING) {
        fail_at(ps, error, open->offset, "'[' nested more than %d deep", BLO_MAX_NESTING);
        return FALSE;
    }
    v->kind = BLO_VALUE_NODE;
    v->node = parse_element(ps, depth + 1, error);
    if (v->node == NULL)
        return FALSE;
    const blo_token *close = next(ps);
    if (close->kind == TOK_CLOSE)
        return TRUE;
    char *opened = blo_pipeline_position(ps->text, open->offset);
    if (close->kind == TOK_END)
        fail_at(ps, error, close->offset, "unclosed '[' (opened at %s) before end of input", opened);
    else if (close->kind == TOK_BANG)
        fail_at(ps, error, close->offset, "'!' inside '[' (opened at %s): a nested component is one element",
                opened);
    else
        fail_at(ps, error, close->offset, "unexpected '%s' inside '[' (opened at %s)", tok_desc(close), opened);
    g_free(opened);
    return FALSE;
}

/* One "key=value" word (already consumed) into node. */
static gboolean parse_pair(parser *ps, blo_node *node, const blo_token *t, int depth, GError **error)
{
    const char *eq = strchr(t->text, '=');
    if (eq == NULL) {
        if (strchr(t->text, ':'))
            fail_at(ps, error, t->offset, "missing '!' before '%s'", t->text);
        else
            fail_at(ps, error, t->offset, "'%s' is not KEY=VALUE (in %s:%s)", t->text, node->kind_name,
                    node->name);
        return FALSE;
    }
    if (eq == t->text) {
        fail_at(ps, error, t->offset, "missing key before '=' in '%s'", t->text);
        return FALSE;
    }
    char *key = g_strndup(t->text, eq - t->text);
    for (guint k = 0; k < node->keys->len; k++) {
        if (strcmp(g_ptr_array_index(node->keys, k), key) == 0) {
            fail_at(ps, error, t->offset, "key '%s' given twice for %s:%s", key, node->kind_name, node->name);
            g_free(key);
            return FALSE;
        }
    }
    blo_value *v = g_new0(blo_value, 1);
    if (!parse_value(ps, eq + 1, depth, v, error)) {
        value_free(v);
        g_free(key);
        return FALSE;
    }
    g_ptr_array_add(node->keys, key);
    g_ptr_array_add(node->values, v);
    return TRUE;
}

/* KIND:NAME then key=value pairs, up to (not including) '!', ']' or the end. */
static blo_node *parse_element(parser *ps, int depth, GError **error)
{
    const blo_token *head = next(ps);
    if (head->kind != TOK_WORD) {
        if (head->kind == TOK_END && depth > 0)
            fail_at(ps, error, head->offset, "unclosed '[': expected KIND:NAME before end of input");
        else if (head->kind == TOK_END)
            fail_at(ps, error, head->offset, "empty element after the last '!'");
        else if (head->kind == TOK_BANG)
            fail_at(ps, error, head->offset, "empty element before '!'");
        else if (head->kind == TOK_CLOSE && depth > 0)
            fail_at(ps, error, head->offset, "empty element in '[ ]'");
        else if (head->kind == TOK_CLOSE)
            fail_at(ps, error, head->offset, "unexpected ']' without a matching '['");
        else
            fail_at(ps, error, head->offset, "expected KIND:NAME, got '%s'", tok_desc(head));
        return NULL;
    }
    const char *colon = strchr(head->text, ':');
    const char *eq = strchr(head->text, '=');
    if (colon == NULL || colon == head->text || colon[1] == '\0' || (eq && eq < colon) || strchr(colon + 1, '=')) {
        if (eq)
            fail_at(ps, error, head->offset, "expected KIND:NAME, got parameter '%s' before any component",
                    head->text);
        else
            fail_at(ps, error, head->offset, "expected KIND:NAME, got '%s'", head->text);
        return NULL;
    }
    char *kind = g_strndup(head->text, colon - head->text);
    blo_node *node = blo_node_new(kind, colon + 1, head->offset);
    g_free(kind);
    for (;;) {
        const blo_token *t = peek(ps);
        if (t->kind == TOK_BANG || t->kind == TOK_CLOSE || t->kind == TOK_END)
            return node;
        next(ps);
        if (t->kind == TOK_WORD && parse_pair(ps, node, t, depth, error))
            continue;
        if (t->kind == TOK_QUOTED)
            fail_at(ps, error, t->offset, "unexpected quoted string \"%s\": quotes only follow KEY=", t->text);
        else if (t->kind == TOK_OPEN)
            fail_at(ps, error, t->offset, "unexpected '[': a nested component only follows KEY=");
        blo_node_unref(node);
        return NULL;
    }
}

blo_pipeline *blo_pipeline_parse(const char *text, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    GArray *toks = blo_pipeline_lex(text, error);
    if (toks == NULL)
        return NULL;
    parser ps = { text, toks, 0 };
    blo_pipeline *p = g_new0(blo_pipeline, 1);
    p->nodes = g_ptr_array_new_with_free_func((GDestroyNotify)blo_node_unref);
    gboolean ok = TRUE;
    if (peek(&ps)->kind == TOK_END) {
        g_set_error(error, BLO_ERROR, BLO_ERROR_PARSE, "empty pipeline: expected KIND:NAME [KEY=VALUE]... [! ...]");
        ok = FALSE;
    }
    while (ok) {
        blo_node *n = parse_element(&ps, 0, error);
        ok = n != NULL;
        if (!ok)
            break;
        g_ptr_array_add(p->nodes, n);
        const blo_token *t = next(&ps);
        if (t->kind == TOK_END)
            break;
        if (t->kind == TOK_CLOSE) {
            fail_at(&ps, error, t->offset, "unexpected ']' without a matching '['");
            ok = FALSE;
        }
        /* TOK_BANG: another element follows (an empty one fails in parse_element). */
    }
    g_array_unref(toks);
    if (!ok) {
        blo_pipeline_free(p);
        return NULL;
    }
    return p;
}
