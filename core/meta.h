#ifndef MGR_CORE_META_H
#define MGR_CORE_META_H
#endif
