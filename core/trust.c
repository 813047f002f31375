/* trust.c */
#include "autoconfig.h"
