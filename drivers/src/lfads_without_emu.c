/* SPDX-License-Identifier: MIT */
/* Linked instead of lfads_emu.cpp when hdl/rtl/lfads_kernel.v is absent: lfads_open("emu:") then fails
 * with a message saying so. */
#include "lfads_internal.h"
const lfads_backend_ops lfads_emu_ops = {"emu", 0, 0, 0, 0, 0, 0, 0};
const int lfads_have_emu = 0;
