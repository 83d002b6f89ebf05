#ifndef ENGRAM_CLMDB_SHIM_H
#define ENGRAM_CLMDB_SHIM_H
#include <lmdb.h>
#endif
