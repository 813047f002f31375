/*
 * pg_scripts.h: scripts for the PostgreSQL splitter, shared by the two
 * suites. check_dialect_postgresql_noserver.c checks what the splitter
 * makes of them (statements and lines, no server needed);
 * check_dialect_postgresql.c runs the statements it makes on a server,
 * which must agree.
 */
#ifndef MGR_PG_SCRIPTS_H
#define MGR_PG_SCRIPTS_H

/* reliability #41 (B8): five statements, on lines 2, 3, 6, 8 and 14 */
static const char b8_script[] =
    "-- leading comment; with a semicolon\n"                       /* 1 */
    "CREATE TABLE \"semi;colon\" (v text);  -- trailing\n"         /* 2 */
    "INSERT INTO \"semi;colon\" VALUES (';'), (E'\\';'),\n"        /* 3 */
    "    ('it''s;');\n"                                            /* 4 */
    "/* a /* nested ; */ comment; */\n"                            /* 5 */
    "CREATE FUNCTION f_dollar() RETURNS text LANGUAGE sql\n"       /* 6 */
    "    AS $$SELECT 'a;b'$$;\n"                                   /* 7 */
    "CREATE FUNCTION f_tag() RETURNS text LANGUAGE plpgsql AS $body$\n"
    "BEGIN\n"                                                      /* 9 */
    "  RETURN 'x;' || $$y;$$; -- $body not closed here\n"          /* 10 */
    "END;\n"                                                       /* 11 */
    "$body$;\n"                                                    /* 12 */
    "\n"                                                           /* 13 */
    "  SELECT f_dollar() || f_tag()   -- last, without ';'\n";     /* 14 */

/* SQL-standard function bodies: three statements */
static const char atomic_script[] =
    "CREATE FUNCTION f_atomic(x int) RETURNS int LANGUAGE sql\n"
    "BEGIN ATOMIC\n"
    "  SELECT 1;\n"
    "  SELECT CASE WHEN x > 0 THEN x ELSE 0 END;\n"
    "END;\n"
    "CREATE OR REPLACE PROCEDURE p_atomic() LANGUAGE sql\n"
    "BEGIN ATOMIC SELECT 1; END;\n"
    "SELECT f_atomic(5)";

/* a rule with several actions in parentheses: four statements */
static const char rules_script[] =
    "CREATE TABLE a (x int); CREATE TABLE b (x int);\n"
    "CREATE RULE r AS ON INSERT TO a DO ALSO\n"
    "  (INSERT INTO b VALUES (1); INSERT INTO b VALUES (2));\n"
    "INSERT INTO a VALUES (0)";

/* a$b$ is an identifier, not a dollar quote; $1 a parameter; U&'' and ''
 * strings keep backslashes; E'\\' is one backslash: seven statements */
static const char corners_script[] =
    "SELECT 1 AS a$b$; SELECT $1;"
    "SELECT U&'d\\0061t;a'; SELECT 'a\\'; "
    "SELECT E'\\\\'; SELECT \"x\"\"y;\" FROM t;"
    "SELECT $q$ $$ ; $q$";

/* -- inside an operator position, a comment with quotes: two
 * statements */
static const char comments_script[] =
    "SELECT 1 +-- '\n 2; /* ' \" $$ */ SELECT 3";

#endif
