/* plan.c */
#include "autoconfig.h"
