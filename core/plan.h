#ifndef MGR_CORE_PLAN_H
#define MGR_CORE_PLAN_H
#endif
