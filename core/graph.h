#ifndef MGR_CORE_GRAPH_H
#define MGR_CORE_GRAPH_H
#endif
