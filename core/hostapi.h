#ifndef MGR_CORE_HOSTAPI_H
#define MGR_CORE_HOSTAPI_H
#endif
