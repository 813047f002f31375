#ifndef MGR_CORE_TRUST_H
#define MGR_CORE_TRUST_H
#endif
