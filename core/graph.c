/* graph.c */
#include "autoconfig.h"
