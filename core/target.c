/* target.c */
#include "autoconfig.h"
