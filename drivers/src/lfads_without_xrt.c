/* SPDX-License-Identifier: MIT */
/* Linked instead of lfads_xrt.cpp when libxrt-dev is absent: lfads_open("xrt:...") then fails saying so. */
#include "lfads_internal.h"
const lfads_backend_ops lfads_xrt_ops = {"xrt", 0, 0, 0, 0, 0, 0, 0};
const int lfads_have_xrt = 0;
int lfads_xrt_count_devices(void) { return LFADS_E_NOT_AVAILABLE; }
