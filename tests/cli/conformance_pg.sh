#!/bin/sh
# The conformance scenarios end to end on a private PostgreSQL server.
MGR_TEST_DIALECT=postgresql
export MGR_TEST_DIALECT
. "$top_srcdir/tests/cli/conformance.sh"
