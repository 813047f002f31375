#ifndef MGR_CORE_TARGET_H
#define MGR_CORE_TARGET_H
#endif
