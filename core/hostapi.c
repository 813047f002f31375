/* hostapi.c */
#include "autoconfig.h"
