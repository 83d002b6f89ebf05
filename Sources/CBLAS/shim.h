#ifndef ENGRAM_CBLAS_SHIM_H
#define ENGRAM_CBLAS_SHIM_H
#include <cblas.h>
#endif
