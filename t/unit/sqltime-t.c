/*
 * sqltime-t: unit tests of lib/sqltime (the differential test against
 * PostgreSQL is t/t4110-sqltime-pg.sh; these run without it).
 */
#include <string.h>

#include "sqltime.h"
#include "tap.h"

int
main(void)
{
	return tap_done();
}
