/* loader.c: placeholder until the libltdl loader lands. */
#include "autoconfig.h"

#include "loader.h"

void mgr_plugin_set_free(struct mgr_plugin_set *set) { (void)set; }
