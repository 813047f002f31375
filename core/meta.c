/* meta.c */
#include "autoconfig.h"
