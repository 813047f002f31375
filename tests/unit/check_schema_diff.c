/*
 * check_schema_diff.c: the steps between two schemas, their order, notes
 * and rename hints, and how they are described.
 *
 * Each case writes its schemas in a compact form, one object per ';':
 *
 *   table [SCHEMA.]NAME          col TABLE NAME TYPE
 *   pk|uq TABLE NAME COL...      fk TABLE NAME COL... > REFTABLE COL...
 *   ck TABLE NAME EXPR           ix TABLE NAME ITEM...
 *   enum NAME VALUE...           seq NAME TYPE        view NAME SELECT
 *
 * Blanks separate fields and [ ] holds a field with blanks. A name "-"
 * leaves the object unnamed. Options start with ':': :nn, :identity,
 * :autoinc, :unique, :auto (MGR_OBJ_AUTONAME), :cycle, :default=X,
 * :coll=X, :comment=X, :where=X, :using=X, :pos=N, :start=N, :inc=N,
 * :ondelete=X. Columns take their position from their order in the
 * text unless :pos says it.
 */
#include "autoconfig.h"

#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema_diff.h"
#include "schema_model.h"

#define MAX_FIELDS 24

struct statement {
    char *field[MAX_FIELDS];
    size_t nfields;
    struct mgr_object obj;
    const char *items[MAX_FIELDS];
    const char *ref_columns[MAX_FIELDS];
};

struct description {
    char *text; /* the fields, each NUL-terminated */
    struct statement *stmts;
    size_t n;
};

/* ---- reading a description ------------------------------------------- */

/* Copy one field from *r to *w: up to a blank or ';', without [ ]. */
static void read_field(const char **r, char **w)
{
    const char *p = *r;
    char *q = *w;

    while (*p && !isspace((unsigned char)*p) && *p != ';') {
        if (*p != '[') {
            *q++ = *p++;
            continue;
        }
        for (p++; *p && *p != ']'; p++)
            *q++ = *p;
        if (*p)
            p++;
    }
    *q++ = '\0';
    *r = p;
    *w = q;
}

static void split(struct description *d, const char *text)
{
    const char *r = text;
    char *w;
    size_t room = 1; /* statements: one more than the ';' */

    for (const char *p = text; *p; p++)
        room += *p == ';';
    d->text = w = malloc(2 * strlen(text) + 2);
    d->stmts = calloc(room, sizeof(*d->stmts));
    ck_assert(d->text && d->stmts);
    d->n = 0;
    for (;;) {
        struct statement *st = &d->stmts[d->n];

        while (isspace((unsigned char)*r))
            r++;
        if (*r == ';' || !*r) {
            if (st->nfields)
                d->n++;
            if (!*r++)
                break;
            continue;
        }
        ck_assert(d->n < room && st->nfields < MAX_FIELDS);
        st->field[st->nfields++] = w;
        read_field(&r, &w);
    }
}

/* The value of option :key=value, or NULL. */
static const char *option(const struct statement *st, const char *key)
{
    size_t len = strlen(key);

    for (size_t i = 0; i < st->nfields; i++) {
        const char *f = st->field[i];

        if (f[0] == ':' && strncmp(f + 1, key, len) == 0 && f[len + 1] == '=')
            return f + len + 2;
    }
    return NULL;
}

static bool flag(const struct statement *st, const char *name)
{
    for (size_t i = 0; i < st->nfields; i++)
        if (st->field[i][0] == ':' && strcmp(st->field[i] + 1, name) == 0)
            return true;
    return false;
}

/* The fields that are not options, in *args; how many. */
static size_t positional(const struct statement *st, char **args)
{
    size_t n = 0;

    for (size_t i = 0; i < st->nfields; i++)
        if (st->field[i][0] != ':')
            args[n++] = st->field[i];
    return n;
}

/* "app.units" -> "app", "units"; "units" -> "", "units". */
static void split_name(char *qualified, const char **schema,
                       const char **name)
{
    char *dot = strchr(qualified, '.');

    *schema = "";
    *name = qualified;
    if (dot) {
        *dot = '\0';
        *schema = qualified;
        *name = dot + 1;
    }
}

static long long number_option(const struct statement *st, const char *key)
{
    const char *v = option(st, key);

    return v ? strtoll(v, NULL, 10) : 0;
}

static unsigned flags_of(const struct statement *st)
{
    static const struct {
        const char *name;
        unsigned flag;
    } names[] = {
        { "nn", MGR_OBJ_NOT_NULL },
        { "unique", MGR_OBJ_UNIQUE_INDEX },
        { "auto", MGR_OBJ_AUTONAME },
        { "cycle", MGR_OBJ_CYCLE },
        { "identity", MGR_OBJ_IDENTITY_ALWAYS },
        { "bydefault", MGR_OBJ_IDENTITY_DEFAULT },
        { "autoinc", MGR_OBJ_AUTOINCREMENT },
    };
    unsigned flags = 0;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flag(st, names[i].name))
            flags |= names[i].flag;
    return flags;
}

/* Items of a constraint or index from args[from], up to ">" for a
 * foreign key, whose referred table and columns follow. */
static void read_items(struct statement *st, char **args, size_t n,
                       size_t from)
{
    struct mgr_object *o = &st->obj;
    size_t i = from;

    for (; i < n && strcmp(args[i], ">") != 0; i++)
        st->items[o->nitems++] = args[i];
    o->items = st->items;
    if (o->kind != MGR_OBJ_FOREIGN_KEY)
        return;
    ck_assert_msg(i + 1 < n, "foreign key without '> table'");
    split_name(args[i + 1], &o->ref_schema, &o->ref_table);
    for (size_t k = 0; i + 2 + k < n; k++)
        st->ref_columns[k] = args[i + 2 + k];
    o->ref_columns = st->ref_columns;
    o->on_delete = option(st, "ondelete");
}

static uint32_t kind_of(const char *word)
{
    static const struct {
        const char *word;
        uint32_t kind;
    } words[] = {
        { "table", MGR_OBJ_TABLE },    { "col", MGR_OBJ_COLUMN },
        { "pk", MGR_OBJ_PRIMARY_KEY }, { "uq", MGR_OBJ_UNIQUE },
        { "fk", MGR_OBJ_FOREIGN_KEY }, { "ck", MGR_OBJ_CHECK },
        { "ix", MGR_OBJ_INDEX },       { "enum", MGR_OBJ_ENUM },
        { "seq", MGR_OBJ_SEQUENCE },   { "view", MGR_OBJ_VIEW },
    };

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(words[i].word, word) == 0)
            return words[i].kind;
    ck_abort_msg("unknown object '%s'", word);
    return 0;
}

/* The fields of a table's part: TABLE NAME ... */
static void read_part(struct statement *st, char **args, size_t n)
{
    struct mgr_object *o = &st->obj;

    ck_assert_msg(n >= 3, "'%s' needs a table and a name", args[0]);
    split_name(args[1], &o->schema, &o->table);
    o->name = strcmp(args[2], "-") == 0 ? NULL : args[2];
    if (o->kind == MGR_OBJ_COLUMN) {
        o->type = n > 3 ? args[3] : NULL;
        o->expr = option(st, "default");
        o->collation = option(st, "coll");
    } else if (o->kind == MGR_OBJ_CHECK) {
        o->expr = n > 3 ? args[3] : NULL;
    } else {
        read_items(st, args, n, 3);
        if (o->kind == MGR_OBJ_INDEX) {
            o->expr = option(st, "where");
            o->method = option(st, "using");
        }
    }
}

/* The fields of an object of the schema itself: NAME ... */
static void read_whole(struct statement *st, char **args, size_t n)
{
    struct mgr_object *o = &st->obj;

    ck_assert_msg(n >= 2, "'%s' needs a name", args[0]);
    split_name(args[1], &o->schema, &o->name);
    if (o->kind == MGR_OBJ_ENUM) {
        read_items(st, args, n, 2);
    } else if (o->kind == MGR_OBJ_SEQUENCE) {
        o->type = n > 2 ? args[2] : NULL;
        o->seq_start = number_option(st, "start");
        o->seq_increment = number_option(st, "inc");
    } else if (o->kind == MGR_OBJ_VIEW) {
        o->expr = n > 2 ? args[2] : NULL;
    }
}

static void read_statement(struct statement *st)
{
    struct mgr_object *o = &st->obj;
    char *args[MAX_FIELDS];
    size_t n = positional(st, args);

    o->size = sizeof(*o);
    o->kind = kind_of(args[0]);
    o->flags = flags_of(st);
    o->comment = option(st, "comment");
    if (o->kind == MGR_OBJ_TABLE || o->kind == MGR_OBJ_ENUM ||
        o->kind == MGR_OBJ_SEQUENCE || o->kind == MGR_OBJ_VIEW)
        read_whole(st, args, n);
    else
        read_part(st, args, n);
}

/* Columns without :pos are numbered in the order the text gives them. */
static void number_columns(struct description *d)
{
    for (size_t i = 0; i < d->n; i++) {
        struct mgr_object *o = &d->stmts[i].obj;
        int position = 1;

        if (o->kind != MGR_OBJ_COLUMN)
            continue;
        for (size_t j = 0; j < i; j++) {
            const struct mgr_object *p = &d->stmts[j].obj;

            if (p->kind == MGR_OBJ_COLUMN &&
                strcmp(p->schema, o->schema) == 0 &&
                strcmp(p->table, o->table) == 0)
                position++;
        }
        o->position = option(&d->stmts[i], "pos")
                          ? (int)number_option(&d->stmts[i], "pos")
                          : position;
    }
}

static void add_object(struct schema *s, const struct mgr_object *obj)
{
    struct mgr_error err = { 0, 0, "" };

    ck_assert_msg(schema_add(s, obj, &err) == MGR_OK, "schema_add: %s",
                  err.msg);
}

/*
 * A finished schema from a description. shuffled adds the objects
 * backwards (tables first, as schema_add() wants them before their
 * parts); adopt is schema_finish()'s, true for a wanted schema.
 */
static struct schema *build(const char *text, bool shuffled, bool adopt)
{
    struct naming_convention nc = { NULL, NULL, NULL, NULL, NULL };
    struct description d;
    struct schema *s = schema_new();

    ck_assert(s != NULL);
    split(&d, text);
    for (size_t i = 0; i < d.n; i++)
        read_statement(&d.stmts[i]);
    number_columns(&d);
    for (size_t k = 0; k < d.n; k++) {
        size_t i = shuffled ? d.n - 1 - k : k;

        if (!shuffled || d.stmts[i].obj.kind == MGR_OBJ_TABLE)
            add_object(s, &d.stmts[i].obj);
    }
    for (size_t k = 0; shuffled && k < d.n; k++)
        if (d.stmts[d.n - 1 - k].obj.kind != MGR_OBJ_TABLE)
            add_object(s, &d.stmts[d.n - 1 - k].obj);
    schema_finish(s, &nc, adopt);
    free(d.text);
    free(d.stmts);
    return s;
}

/* ---- writing a diff -------------------------------------------------- */

/* One line per step; its note and its hint indented below it. */
static char *diff_text(const struct schema_diff *d, bool past)
{
    struct mgr_buf out = MGR_BUF_INIT;

    for (size_t i = 0; i < d->n; i++) {
        const struct schema_step *step = &d->steps[i];

        schema_change_describe(d->changes[i], past, &out);
        mgr_buf_addch(&out, '\n');
        if (step->note)
            mgr_buf_addf(&out, "  note: %s\n", step->note);
        if (step->rename) {
            mgr_buf_addstr(&out, "  hint: ");
            schema_change_describe(step->rename, past, &out);
            mgr_buf_addf(&out, ": %s\n", step->rename_reason);
        }
    }
    return mgr_buf_detach(&out, NULL);
}

/* What every diff holds, whatever its steps. */
static void check_shape(const struct schema_diff *d, const struct schema *from,
                        const struct schema *to)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct mgr_change *c = &d->steps[i].change;

        ck_assert_ptr_eq(d->changes[i], c);
        ck_assert_uint_eq(c->size, sizeof(struct mgr_change));
        ck_assert_ptr_eq(c->from_schema, schema_view(from));
        ck_assert_ptr_eq(c->to_schema, schema_view(to));
        ck_assert(c->from || c->to);
        ck_assert(!d->steps[i].rename == !d->steps[i].rename_reason);
        if (d->steps[i].note)
            ck_assert_ptr_null(strchr(d->steps[i].note, '\n'));
    }
}

/* The described steps from before to after. */
static char *describe_diff(const char *before, const char *after)
{
    struct schema *from = build(before, false, false);
    struct schema *to = build(after, false, true);
    struct schema_diff d = SCHEMA_DIFF_INIT;
    struct mgr_error err = { 0, 0, "" };
    char *text;

    ck_assert_int_eq(schema_diff(from, to, &d, &err), MGR_OK);
    check_shape(&d, from, to);
    text = diff_text(&d, false);
    schema_diff_release(&d);
    schema_free(from);
    schema_free(to);
    return text;
}

/* ---- the cases ------------------------------------------------------- */

struct diff_case {
    const char *name;
    const char *before;
    const char *after;
    const char *want;
};

#define UNITS "table units; col units id integer :nn; pk units pk_units id; "

static const struct diff_case cases[] = {
    { "equal schemas", UNITS "col units floor integer",
      UNITS "col units floor integer", "" },
    { "create table", "", UNITS, "create table units\n" },
    { "drop table", UNITS, "",
      "drop table units\n"
      "  note: the data in units is lost\n" },
    { "add nullable column", UNITS, UNITS "col units floor integer",
      "add column units.floor\n" },
    { "add NOT NULL column without default", UNITS,
      UNITS "col units floor integer :nn",
      "add column units.floor\n"
      "  note: units.floor is NOT NULL without a default: on a table with "
      "rows this statement fails; give it a default, or add it nullable, "
      "fill it, then set NOT NULL\n" },
    { "add NOT NULL columns that fill themselves", UNITS,
      UNITS "col units a integer :nn :default=0;"
            "col units b integer :nn :identity; col units c bigint :nn "
            ":bydefault; col units d integer :nn :autoinc",
      "add column units.a\nadd column units.b\nadd column units.c\n"
      "add column units.d\n" },
    { "drop column", UNITS "col units floor integer", UNITS,
      "drop column units.floor\n"
      "  note: the data in units.floor is lost\n" },
    { "alter column type", UNITS "col units rent integer",
      UNITS "col units rent numeric(10,2)",
      "alter column units.rent: type\n"
      "  note: may rewrite units, and fails if a value of rent does not "
      "convert to numeric(10,2)\n" },
    { "set NOT NULL", UNITS "col units floor integer",
      UNITS "col units floor integer :nn",
      "alter column units.floor: not null\n"
      "  note: fails if any row of units has floor NULL\n" },
    { "drop NOT NULL", UNITS "col units floor integer :nn",
      UNITS "col units floor integer", "alter column units.floor: nullable\n" },
    { "alter everything of a column",
      UNITS "col units rent integer :default=0",
      UNITS "col units rent bigint :nn :coll=C :identity",
      "alter column units.rent: type, not null, default, collation, "
      "identity\n"
      "  note: may rewrite units, and fails if a value of rent does not "
      "convert to bigint; fails if any row of units has rent NULL\n" },
    { "what the text comparison ignores",
      UNITS "col units rent integer :default=[(0)]",
      UNITS "col units rent INTEGER :default=0", "" },
    { "comments of a table and its columns",
      "table units :comment=flats; col units floor integer; "
      "col units rent integer :comment=[per month]",
      "table units :comment=units; col units floor integer :comment=level; "
      "col units rent integer",
      "set comment on table units\n"
      "set comment on column units.floor\n"
      "remove comment on column units.rent\n" },
    { "a comment and a type",
      UNITS "col units rent integer :comment=old",
      UNITS "col units rent bigint :comment=new",
      "alter column units.rent: type\n"
      "  note: may rewrite units, and fails if a value of rent does not "
      "convert to bigint\n"
      "set comment on column units.rent\n" },
    { "changed check is dropped and added",
      UNITS "col units rent integer; ck units ck_units_rent [rent > 0]",
      UNITS "col units rent integer; ck units ck_units_rent [rent >= 0]",
      "drop check constraint ck_units_rent on units\n"
      "add check constraint ck_units_rent on units\n" },
    { "changed index is dropped and created",
      UNITS "col units floor integer; ix units ix_units_floor floor",
      UNITS "col units floor integer; ix units ix_units_floor floor "
            ":unique",
      "drop index ix_units_floor\n"
      "create index ix_units_floor\n" },
    { "comment of an index", UNITS "col units floor integer; "
                                   "ix units ix_units_floor floor",
      UNITS "col units floor integer; ix units ix_units_floor floor "
            ":comment=[by floor]",
      "set comment on index ix_units_floor\n" },
    { "parts added: constraints, indexes, then foreign keys",
      "table props; col props id integer; pk props pk_props id;"
      UNITS "col units prop_id integer; col units code text",
      "table props; col props id integer; pk props pk_props id;"
      UNITS "col units prop_id integer; col units code text;"
      "fk units fk_units_prop_id_props prop_id > props id;"
      "uq units uq_units_code code; ix units ix_units_prop_id prop_id;"
      "ck units ck_units_code [code <> '']",
      "add check constraint ck_units_code on units\n"
      "add unique constraint uq_units_code on units\n"
      "create index ix_units_prop_id\n"
      "add foreign key fk_units_prop_id_props on units\n" },
    { "parts dropped: foreign keys, indexes, then constraints",
      "table props; col props id integer; pk props pk_props id;"
      UNITS "col units prop_id integer; col units code text;"
      "fk units fk_units_prop_id_props prop_id > props id;"
      "uq units uq_units_code code; ix units ix_units_prop_id prop_id",
      "table props; col props id integer;"
      "table units; col units id integer :nn; col units prop_id integer;"
      "col units code text",
      "drop foreign key fk_units_prop_id_props on units\n"
      "drop index ix_units_prop_id\n"
      "drop primary key pk_props on props\n"
      "drop primary key pk_units on units\n"
      "drop unique constraint uq_units_code on units\n" },
    { "unnamed constraints take the convention's names", UNITS,
      UNITS "col units code text; uq units - code",
      "add column units.code\n"
      "add unique constraint uq_units_code on units\n" },
    { "enums created, extended, replaced, dropped",
      "enum kind a c; enum order x y; enum gone p; enum cut m n",
      "enum kind a b c d; enum order y x; enum fresh q; enum cut m",
      "create enum fresh\n"
      "replace enum cut\n"
      "add value 'b' to enum kind\n"
      "add value 'd' to enum kind\n"
      "replace enum order\n"
      "drop enum gone\n" },
    { "enum values added in front", "enum kind c", "enum kind a b c",
      "add value 'a' to enum kind\n"
      "add value 'b' to enum kind\n" },
    { "sequences", "seq s1 bigint :start=1; seq s2 bigint :start=1",
      "seq s1 bigint :start=100; seq s3 integer",
      "create sequence s3\n"
      "alter sequence s1\n"
      "drop sequence s2\n" },
    { "views are created after the views they read",
      "table users; col users id integer; col users active boolean",
      "table users; col users id integer; col users active boolean; "
      "view active_user_count [select count(*) from active_users]; "
      "view active_users [select id from \"users\" where active]",
      "create view active_users\n"
      "create view active_user_count\n" },
    { "views on a retyped column go out of the way and come back",
      "table users; col users id integer; col users name text; "
      "view names [select name from users]; "
      "view name_count [select count(*) from names]; "
      "view quoted [select 1 where 'names' <> 'users']",
      "table users; col users id integer; col users name varchar(40); "
      "view names [select name from users]; "
      "view name_count [select count(*) from names]; "
      "view quoted [select 1 where 'names' <> 'users']",
      "drop view name_count\n"
      "drop view names\n"
      "alter column users.name: type\n"
      "  note: may rewrite users, and fails if a value of name does not "
      "convert to varchar(40)\n"
      "create view names\n"
      "create view name_count\n" },
    { "a reader of a replaced view is dropped first and comes back after",
      "view base [select 1 as a]; view reader [select a from base]",
      "view base [select 2 as a]; view reader [select a from base]",
      "drop view reader\n"
      "replace view base\n"
      "create view reader\n" },
    { "a table to drop lets go of a key that goes before it",
      "table units; col units id integer; pk units units_pk id; "
      "table leases; col leases unit integer; "
      "fk leases lease_unit unit > units id",
      "table units; col units id integer; col units code text; "
      "pk units units_pk id code",
      "drop foreign key lease_unit on leases\n"
      "drop primary key units_pk on units\n"
      "add column units.code\n"
      "add primary key units_pk on units\n"
      "drop table leases\n"
      "  note: the data in leases is lost\n" },
    { "a view over a column of a rebuilt enum goes out of the way",
      "enum kind a b c; table pets; col pets k kind; "
      "view ks [select k from pets]",
      "enum kind a c; table pets; col pets k kind; "
      "view ks [select k from pets]",
      "drop view ks\n"
      "replace enum kind\n"
      "create view ks\n" },
    { "views", "view va [select 1]; view vb [select 2]; "
               "view vc [select 3] :comment=three",
      "view vb [select 22]; view vc [select 3] :comment=drei; "
      "view vd [select 4]",
      "drop view va\n"
      "replace view vb\n"
      "create view vd\n"
      "set comment on view vc\n" },
    { "tables created after the tables they refer to", "",
      "table a; col a id integer; col a b_id integer; "
      "fk a fk_a_b b_id > b id;"
      "table b; col b id integer; pk b pk_b id; col b c_id integer; "
      "fk b fk_b_c c_id > c id;"
      "table c; col c id integer; pk c pk_c id",
      "create table c\ncreate table b\ncreate table a\n" },
    { "a reference to itself does not count", "",
      "table a; col a id integer; pk a pk_a id; col a parent integer;"
      "fk a fk_a_a parent > a id",
      "create table a\n" },
    { "a cycle: name order, then the foreign keys to later tables", "",
      "table z; col z id integer; col z x_id integer; "
      "fk z fk_z_x x_id > x id;"
      "table y; col y id integer; col y x_id integer; "
      "fk y fk_y_x x_id > x id;"
      "table x; col x id integer; col x y_id integer; "
      "fk x fk_x_y y_id > y id",
      "create table x\ncreate table y\ncreate table z\n"
      "add foreign key fk_x_y on x\n" },
    { "a new table refers to a key added to an existing one",
      "table a; col a id integer",
      "table a; col a id integer; col a code text; uq a uq_a_code code;"
      "table b; col b code text; fk b fk_b_code_a code > a code",
      "create table b\n"
      "add column a.code\n"
      "add unique constraint uq_a_code on a\n"
      "add foreign key fk_b_code_a on b\n" },
    { "a new table refers to a key that was there",
      "table a; col a id integer; pk a pk_a id",
      "table a; col a id integer; pk a pk_a id;"
      "table b; col b a_id integer; fk b fk_b_a a_id > a id",
      "create table b\n" },
    { "tables dropped before the tables they refer to",
      "table a; col a id integer; col a b_id integer; "
      "fk a fk_a_b b_id > b id;"
      "table b; col b id integer; pk b pk_b id; col b c_id integer; "
      "fk b fk_b_c c_id > c id;"
      "table c; col c id integer; pk c pk_c id",
      "",
      "drop table a\n  note: the data in a is lost\n"
      "drop table b\n  note: the data in b is lost\n"
      "drop table c\n  note: the data in c is lost\n" },
    { "a cycle dropped: the foreign keys in the way first",
      "table x; col x id integer; col x y_id integer; "
      "fk x fk_x_y y_id > y id;"
      "table y; col y id integer; col y x_id integer; "
      "fk y fk_y_x x_id > x id",
      "",
      "drop foreign key fk_x_y on x\n"
      "drop table y\n  note: the data in y is lost\n"
      "drop table x\n  note: the data in x is lost\n" },
    { "rename hint: same type at the same place",
      UNITS "col units floor_no integer; col units rent integer",
      UNITS "col units floor integer; col units rent integer",
      "drop column units.floor_no\n"
      "  note: the data in units.floor_no is lost\n"
      "add column units.floor\n"
      "  hint: rename column units.floor_no to floor: units.floor_no "
      "dropped and units.floor added with the same type (integer) at the "
      "same place: if it is a rename, use RENAME COLUMN to keep the data\n" },
    { "rename hint: the same place among the kept columns, whatever "
      "was added before it",
      UNITS "col units label text; col units beds integer; "
            "col units square_feet integer",
      UNITS "col units label text; col units floor integer; "
            "col units beds integer; col units area_sqft integer",
      "drop column units.square_feet\n"
      "  note: the data in units.square_feet is lost\n"
      "add column units.floor\n"
      "add column units.area_sqft\n"
      "  hint: rename column units.square_feet to area_sqft: "
      "units.square_feet dropped and units.area_sqft added with the same "
      "type (integer) at the same place: if it is a rename, use RENAME "
      "COLUMN to keep the data\n" },
    { "rename hint: the only ones of their type",
      UNITS "col units label text; col units rent integer",
      UNITS "col units rent integer; col units title text",
      "drop column units.label\n"
      "  note: the data in units.label is lost\n"
      "add column units.title\n"
      "  hint: rename column units.label to title: units.label dropped "
      "and units.title added, the only ones of type text: if it is a "
      "rename, use RENAME COLUMN to keep the data\n" },
    { "no rename hint when the types differ",
      UNITS "col units floor_no integer", UNITS "col units floor text",
      "drop column units.floor_no\n"
      "  note: the data in units.floor_no is lost\n"
      "add column units.floor\n" },
    { "no rename hint between two of a type at other places",
      UNITS "col units a text; col units b text; col units c integer",
      UNITS "col units c integer :pos=2; col units x text :pos=5;"
            "col units y text :pos=6",
      "drop column units.a\n  note: the data in units.a is lost\n"
      "drop column units.b\n  note: the data in units.b is lost\n"
      "add column units.x\nadd column units.y\n" },
    { "rename hint for a table with the same columns",
      "table flats; col flats id integer; col flats rent integer",
      "table units; col units id integer; col units rent integer",
      "create table units\n"
      "drop table flats\n"
      "  note: the data in flats is lost\n"
      "  hint: rename table flats to units: table flats dropped and table "
      "units created with the same columns: if it is a rename, use RENAME "
      "TABLE to keep the data\n" },
    { "no table rename hint when a type differs",
      "table flats; col flats id integer; col flats rent integer",
      "table units; col units id integer; col units rent numeric",
      "create table units\n"
      "drop table flats\n"
      "  note: the data in flats is lost\n" },
    { "names outside the default schema",
      "table app.units; col app.units id integer; enum app.kind a",
      "table app.units; col app.units id integer; col app.units floor "
      "integer :nn; ix app.units ix_floor floor; enum app.kind a b",
      "add value 'b' to enum app.kind\n"
      "add column app.units.floor\n"
      "  note: app.units.floor is NOT NULL without a default: on a table "
      "with rows this statement fails; give it a default, or add it "
      "nullable, fill it, then set NOT NULL\n"
      "create index app.ix_floor\n" },
    { "every phase in its place",
      "enum kind a; seq s_old bigint; view v_old [select 1];"
      "table old; col old label text;"
      "table keep; col keep id integer; pk keep pk_keep id;"
      "col keep gone text; col keep n integer; ix keep ix_keep_n n;"
      "view v_keep [select 1]",
      "enum kind a b; enum mood ok; seq s_new bigint;"
      "table keep; col keep id integer; pk keep pk_keep id;"
      "col keep n bigint; col keep new_col integer; "
      "fk keep fk_keep_fresh n > fresh id;"
      "ix keep ix_keep_n n :unique;"
      "table fresh; col fresh id integer; pk fresh pk_fresh id;"
      "view v_keep [select 2]; view v_new [select 3]",
      "drop view v_old\n"
      "create enum mood\n"
      "add value 'b' to enum kind\n"
      "create sequence s_new\n"
      "drop index ix_keep_n\n"
      "drop column keep.gone\n"
      "  note: the data in keep.gone is lost\n"
      "create table fresh\n"
      "add column keep.new_col\n"
      "alter column keep.n: type\n"
      "  note: may rewrite keep, and fails if a value of n does not "
      "convert to bigint\n"
      "create index ix_keep_n\n"
      "add foreign key fk_keep_fresh on keep\n"
      "drop table old\n"
      "  note: the data in old is lost\n"
      "drop sequence s_old\n"
      "replace view v_keep\n"
      "create view v_new\n" },
};

START_TEST(test_cases)
{
    const struct diff_case *c = &cases[_i];
    char *got = describe_diff(c->before, c->after);

    ck_assert_msg(strcmp(got, c->want) == 0, "%s:\n--- got\n%s--- want\n%s",
                  c->name, got, c->want);
    free(got);
}
END_TEST

/* ---- the other tests ------------------------------------------------- */

#define PROPERTIES                                                      \
    "table properties; col properties id integer :nn; "                \
    "pk properties pk_properties id; "                                   \
    "table units; col units id integer :nn; col units property_id integer;" \
    "col units rent integer :default=0; pk units pk_units id; "          \
    "ix units ix_units_property_id property_id; "                         \
    "fk units fk_units_property_id_properties property_id > properties id;" \
    "enum unit_kind flat house; view v [select 1]; seq s bigint"

START_TEST(test_equal_in_any_order)
{
    struct schema *a = build(PROPERTIES, false, false);
    struct schema *b = build(PROPERTIES, true, true);
    struct schema_diff d = SCHEMA_DIFF_INIT;

    ck_assert_int_eq(schema_diff(a, b, &d, NULL), MGR_OK);
    ck_assert_uint_eq(d.n, 0);
    schema_diff_release(&d);
    ck_assert_int_eq(schema_diff(b, a, &d, NULL), MGR_OK);
    ck_assert_uint_eq(d.n, 0);
    schema_diff_release(&d);
    schema_free(a);
    schema_free(b);
}
END_TEST

/* The step of d of kind, the nth of them (from 0). */
static const struct mgr_change *step_of(const struct schema_diff *d,
                                        uint32_t kind, size_t nth)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->changes[i]->kind == kind && nth-- == 0)
            return d->changes[i];
    ck_abort_msg("no step of kind %u", (unsigned)kind);
    return NULL;
}

START_TEST(test_change_fields)
{
    struct schema *from = build(PROPERTIES "; table gone; col gone x int",
                                false, false);
    struct schema *to = build(
        "table properties; col properties id integer :nn; "
        "pk properties pk_properties id; "
        "table units; col units id integer :nn; col units floor integer; "
        "col units rent bigint; pk units pk_units id; "
        "enum unit_kind flat studio house; view v [select 1]; seq s bigint;"
        "table fresh; col fresh y int",
        false, true);
    const struct mgr_schema *fv = schema_view(from), *tv = schema_view(to);
    struct schema_diff d = SCHEMA_DIFF_INIT;
    const struct mgr_change *c;

    ck_assert_int_eq(schema_diff(from, to, &d, NULL), MGR_OK);
    check_shape(&d, from, to);

    c = step_of(&d, MGR_CHANGE_ADD_ENUM_VALUE, 0);
    ck_assert_uint_eq(c->value_index, 1);
    ck_assert_uint_eq(c->from->nitems, 2);
    ck_assert_uint_eq(c->to->nitems, 3);
    ck_assert_ptr_null(c->from_table);
    ck_assert_ptr_null(c->to_table);

    c = step_of(&d, MGR_CHANGE_ALTER_COLUMN, 0);
    ck_assert_uint_eq(c->alter, MGR_ALTER_TYPE | MGR_ALTER_DEFAULT);
    ck_assert_str_eq(c->from->type, "integer");
    ck_assert_str_eq(c->to->type, "bigint");
    ck_assert_ptr_eq(c->from_table, schema_find_table(fv, "", "units"));
    ck_assert_ptr_eq(c->to_table, schema_find_table(tv, "", "units"));

    c = step_of(&d, MGR_CHANGE_DROP_INDEX, 0);
    ck_assert_str_eq(c->from->name, "ix_units_property_id");
    ck_assert_ptr_null(c->to);
    ck_assert_ptr_nonnull(c->to_table);

    c = step_of(&d, MGR_CHANGE_CREATE_TABLE, 0);
    ck_assert_ptr_null(c->from_table);
    ck_assert_ptr_eq(c->to_table, schema_find_table(tv, "", "fresh"));
    ck_assert_ptr_eq(c->to, c->to_table->obj);

    c = step_of(&d, MGR_CHANGE_DROP_TABLE, 0);
    ck_assert_ptr_eq(c->from_table, schema_find_table(fv, "", "gone"));
    ck_assert_ptr_null(c->to_table);
    ck_assert_ptr_eq(c->from, c->from_table->obj);

    schema_diff_release(&d);
    schema_free(from);
    schema_free(to);
}
END_TEST

START_TEST(test_hint_changes)
{
    struct schema *from = build(UNITS "col units floor_no integer;"
                                "table flats; col flats id integer",
                                false, false);
    struct schema *to = build(UNITS "col units floor integer;"
                              "table homes; col homes id integer",
                              false, true);
    struct schema_diff d = SCHEMA_DIFF_INIT;
    const struct mgr_change *add, *drop;
    const struct schema_step *step;

    ck_assert_int_eq(schema_diff(from, to, &d, NULL), MGR_OK);
    add = step_of(&d, MGR_CHANGE_ADD_COLUMN, 0);
    drop = step_of(&d, MGR_CHANGE_DROP_COLUMN, 0);
    step = (const struct schema_step *)add; /* change is its first member */
    ck_assert_ptr_nonnull(step->rename);
    ck_assert_uint_eq(step->rename->kind, MGR_CHANGE_RENAME_COLUMN);
    ck_assert_uint_eq(step->rename->size, sizeof(struct mgr_change));
    ck_assert_ptr_eq(step->rename->from, drop->from);
    ck_assert_ptr_eq(step->rename->to, add->to);
    ck_assert_ptr_eq(step->rename->from_table, add->from_table);
    ck_assert_ptr_eq(step->rename->to_table, add->to_table);

    step = (const struct schema_step *)step_of(&d, MGR_CHANGE_DROP_TABLE, 0);
    ck_assert_ptr_nonnull(step->rename);
    ck_assert_uint_eq(step->rename->kind, MGR_CHANGE_RENAME_TABLE);
    ck_assert_str_eq(step->rename->from_table->obj->name, "flats");
    ck_assert_str_eq(step->rename->to_table->obj->name, "homes");
    ck_assert_ptr_eq(step->rename->from, step->rename->from_table->obj);
    ck_assert_ptr_eq(step->rename->to, step->rename->to_table->obj);
    schema_diff_release(&d);
    schema_free(from);
    schema_free(to);
}
END_TEST

#define CYCLE                                                           \
    "table x; col x id integer; col x y_id integer; "                   \
    "fk x fk_x_y y_id > y id;"                                          \
    "table y; col y id integer; col y x_id integer; "                   \
    "fk y fk_y_x x_id > x id"

/* The foreign keys that break a cycle: an ADD_CONSTRAINT of a table that
 * did not exist (from_table NULL), a DROP_CONSTRAINT of one that will
 * not (to_table NULL), as schema_diff.h promises dialects. */
START_TEST(test_cycle_fields)
{
    struct schema *none = build("", false, false);
    struct schema *cycle = build(CYCLE, false, true);
    struct schema_diff d = SCHEMA_DIFF_INIT;
    const struct mgr_change *c;

    ck_assert_int_eq(schema_diff(none, cycle, &d, NULL), MGR_OK);
    c = step_of(&d, MGR_CHANGE_ADD_CONSTRAINT, 0);
    ck_assert_ptr_null(c->from_table);
    ck_assert_ptr_eq(c->to_table,
                     schema_find_table(schema_view(cycle), "", "x"));
    ck_assert_ptr_eq(c->to, c->to_table->constraints[0]);
    schema_diff_release(&d);

    ck_assert_int_eq(schema_diff(cycle, none, &d, NULL), MGR_OK);
    c = step_of(&d, MGR_CHANGE_DROP_CONSTRAINT, 0);
    ck_assert_ptr_null(c->to_table);
    ck_assert_ptr_eq(c->from_table,
                     schema_find_table(schema_view(cycle), "", "x"));
    ck_assert_ptr_eq(c->from, c->from_table->constraints[0]);
    schema_diff_release(&d);
    schema_free(none);
    schema_free(cycle);
}
END_TEST

/* Each step of before -> after described in the past. */
static char *describe_past(const char *before, const char *after)
{
    struct schema *from = build(before, false, false);
    struct schema *to = build(after, false, true);
    struct schema_diff d = SCHEMA_DIFF_INIT;
    char *text;

    ck_assert_int_eq(schema_diff(from, to, &d, NULL), MGR_OK);
    text = diff_text(&d, true);
    schema_diff_release(&d);
    schema_free(from);
    schema_free(to);
    return text;
}

START_TEST(test_describe_past)
{
    char *got = describe_past(
        PROPERTIES "; col units floor_no integer :comment=x",
        "table properties; col properties id integer :nn; "
        "pk properties pk_properties id; "
        "table units; col units id integer :nn; col units property_id integer;"
        "col units rent bigint; pk units pk_units id; col units floor integer;"
        "ck units ck_rent [rent > 0];"
        "enum unit_kind flat house studio; view v [select 2]; seq s bigint "
        ":start=5");

    ck_assert_str_eq(got,
                     "value 'studio' added to enum unit_kind\n"
                     "sequence s changed\n"
                     "foreign key fk_units_property_id_properties on units "
                     "dropped\n"
                     "index ix_units_property_id dropped\n"
                     "column units.floor_no dropped\n"
                     "  note: the data in units.floor_no is lost\n"
                     "column units.floor added\n"
                     "  hint: column units.floor_no renamed to floor: "
                     "units.floor_no dropped and units.floor added with the "
                     "same type (integer) at the same place: if it is a "
                     "rename, use RENAME COLUMN to keep the data\n"
                     "column units.rent changed: type, default\n"
                     "  note: may rewrite units, and fails if a value of "
                     "rent does not convert to bigint\n"
                     "check constraint ck_rent on units added\n"
                     "view v replaced\n");
    free(got);
}
END_TEST

START_TEST(test_describe_by_hand)
{
    static const char *const values[] = { "flat", "house" };
    struct mgr_object kind = { .size = sizeof(kind), .kind = MGR_OBJ_ENUM,
                               .schema = "", .name = "unit_kind",
                               .items = values, .nitems = 2 };
    struct mgr_object column = { .size = sizeof(column),
                                 .kind = MGR_OBJ_COLUMN, .schema = "app",
                                 .table = "units", .name = "floor" };
    struct mgr_object table = { .size = sizeof(table), .kind = MGR_OBJ_TABLE,
                                .schema = "", .name = "units" };
    struct mgr_change c = { .size = sizeof(c) };
    struct mgr_buf out = MGR_BUF_INIT;

    c.kind = MGR_CHANGE_ADD_ENUM_VALUE;
    c.to = &kind;
    c.value_index = 1;
    schema_change_describe(&c, false, &out);
    ck_assert_str_eq(out.buf, "add value 'house' to enum unit_kind");
    mgr_buf_reset(&out);
    c.kind = MGR_CHANGE_SET_COMMENT;
    c.from = c.to = &column;
    schema_change_describe(&c, true, &out);
    ck_assert_str_eq(out.buf, "comment on column app.units.floor removed");
    mgr_buf_reset(&out);
    c.kind = MGR_CHANGE_CREATE_TABLE;
    c.from = c.to = &table;
    schema_change_describe(&c, true, &out);
    ck_assert_str_eq(out.buf, "table units created");
    mgr_buf_reset(&out);
    c.kind = 999;
    schema_change_describe(&c, false, &out);
    ck_assert_str_eq(out.buf, "change table units");
    mgr_buf_release(&out);
}
END_TEST

START_TEST(test_empty_schemas)
{
    struct schema *a = build("", false, false);
    struct schema *b = build("", false, true);
    struct schema_diff d = SCHEMA_DIFF_INIT;

    ck_assert_int_eq(schema_diff(a, b, &d, NULL), MGR_OK);
    ck_assert_uint_eq(d.n, 0);
    schema_diff_release(&d);
    schema_diff_release(&d); /* released twice: nothing left to free */
    schema_diff_release(NULL);
    schema_free(a);
    schema_free(b);
}
END_TEST

/* A long chain of new tables, each referring to the next: the walk
 * must order them all, last first. */
START_TEST(test_long_chain)
{
    enum { N = 300 };
    struct mgr_buf text = MGR_BUF_INIT;
    struct schema *from, *to;
    struct schema_diff d = SCHEMA_DIFF_INIT;

    for (int i = 0; i < N; i++) {
        mgr_buf_addf(&text, "table t%03d; col t%03d id integer; "
                            "pk t%03d pk_t%03d id;", i, i, i, i);
        if (i + 1 < N)
            mgr_buf_addf(&text, "col t%03d next integer; "
                                "fk t%03d fk_t%03d next > t%03d id;",
                         i, i, i, i + 1);
    }
    from = build("", false, false);
    to = build(text.buf, false, true);
    ck_assert_int_eq(schema_diff(from, to, &d, NULL), MGR_OK);
    ck_assert_uint_eq(d.n, N);
    for (int i = 0; i < N; i++)
        ck_assert_str_eq(d.changes[i]->to->name,
                         schema_view(to)->tables[N - 1 - i]->obj->name);
    schema_diff_release(&d);
    schema_free(from);
    schema_free(to);
    mgr_buf_release(&text);
}
END_TEST

static Suite *schema_diff_suite(void)
{
    Suite *s = suite_create("schema_diff");
    TCase *core = tcase_create("core");
    TCase *limits = tcase_create("limits");

    tcase_add_loop_test(core, test_cases, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(core, test_equal_in_any_order);
    tcase_add_test(core, test_change_fields);
    tcase_add_test(core, test_hint_changes);
    tcase_add_test(core, test_cycle_fields);
    tcase_add_test(core, test_describe_past);
    tcase_add_test(core, test_describe_by_hand);
    suite_add_tcase(s, core);
    tcase_add_test(limits, test_empty_schemas);
    tcase_add_test(limits, test_long_chain);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(schema_diff_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
