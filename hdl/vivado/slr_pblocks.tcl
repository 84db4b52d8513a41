# SPDX-License-Identifier: MIT
# SLR floorplan of lfads_kernel on an Alveo U55C (hdl/README.md "SLR plan"; issue 13 points 2 and 6).
# NOT EXERCISED in this repository: no Vivado here. Written from UG903 / UG906 (pblocks), UG835 (add_cells_to_pblock,
# get_cells -regexp -filter) and UG894 (Tcl hook scripts); cell names as Vivado synthesis gives generate blocks
# (<block>[<i>].<name>), which no run here has confirmed.
#
# How it is applied: a Tcl hook of the v++ link's implementation run, before opt_design (UG1393 "--vivado Options":
# --vivado.prop run.impl_1.STEPS.OPT_DESIGN.TCL.PRE=<absolute path of this file>; `make -C hdl xclbin` passes it).
# A hook rather than an XDC inside the .xo: constraints packaged with an RTL kernel's IP apply to the kernel's own
# (out-of-context) synthesis, while placement happens in the linked design, where the kernel is an instance inside the
# platform's dynamic region and the platform's pblocks (pblock_dynamic_SLR0..2) already exist; the kernel's cells are
# added to those (with -clear_locs), not to new top-level pblocks, so they stay inside the dynamic region.
#
# What goes where (SLR_CROSSING_STAGES = 1, the default; the crossings are flip-flop to flip-flop hops):
#   SLR1: row lanes ROW_LANES/2 .. ROW_LANES-1 (64 x 32: lanes 32-63), i.e. per lane its weight lane (engine/g_lane[i].mem),
#         projection ring (g_lane[i].pring), post lane (g_lane[i].post) and MAC row (mac/g_row[i].*), and the far half of
#         the column vector's S3 copies with the column select's second half after them (engine/g_s3.g_xrx[k]: x_rx and
#         x_sel, k >= X_COPIES/2), and the far lane group's copy of the
#         image-load writes, the post lanes' configuration and the h0 copy's read address (engine/g_slr_load.g_rx[1].q):
#         the receiving sides.
#   SLR0: everything else of the kernel: AXI master and control, run FSM, pass program, scoreboard, tile walker, issue
#         stages A/S1/S2, vector store, CI history, spike lines, write-back with the results' receiving registers
#         (engine/g_wb_rx[i]), the sending-side copies for SLR1 (engine/g_slr_issue.*[1], engine/g_xcopy[k].x,
#         mac/g_far.slr_tx_*), the near lane group's load / configuration copy (engine/g_slr_load.g_rx[0].q; its
#         sources, the element loader's and the run FSM's registers, send to both), row lanes 0 .. ROW_LANES/2-1.
# The lane count is taken from the netlist (the number of g_lane[i].post instances), so the script follows ROW_LANES.

set lfads_k [get_cells -hierarchical -quiet -filter {REF_NAME == lfads_kernel || ORIG_REF_NAME == lfads_kernel}]
if {[llength $lfads_k] != 1} {
  error "slr_pblocks.tcl: expected one lfads_kernel instance in the linked design, found [llength $lfads_k]: $lfads_k"
}
foreach pb {pblock_dynamic_SLR0 pblock_dynamic_SLR1} {
  if {[llength [get_pblocks -quiet $pb]] != 1} {
    error "slr_pblocks.tcl: the platform defines no $pb (this floorplan is written for the U55C xdma platforms)"
  }
}
# (names are matched in Tcl, not in get_cells filters: no regular-expression escaping of the bracketed indices there)
set lfads_posts [get_cells -quiet -hierarchical -filter "NAME =~ $lfads_k/engine/g_lane*.post"]
set lfads_rows [llength $lfads_posts]
if {$lfads_rows < 2} {
  error "slr_pblocks.tcl: found $lfads_rows post lanes under $lfads_k/engine (cell names differ from g_lane\[i\].post?)"
}
set lfads_far0 [expr {$lfads_rows / 2}]
set lfads_xcopies [expr {$lfads_rows >= 8 ? $lfads_rows / 8 : 1}]

# SLR0: the whole kernel first; the far cells below move to SLR1 (a cell's own assignment overrides its parent's)
add_cells_to_pblock [get_pblocks pblock_dynamic_SLR0] $lfads_k -clear_locs

set lfads_far {}
# the far lanes' weight lanes, projection rings and post lanes (module instances)
for {set i $lfads_far0} {$i < $lfads_rows} {incr i} {
  foreach inst {mem pring post} {
    set c [get_cells -quiet "$lfads_k/engine/g_lane\[$i\].$inst"]
    if {[llength $c] != 1} { error "slr_pblocks.tcl: no cell $lfads_k/engine/g_lane\[$i\].$inst" }
    lappend lfads_far $c
  }
}
# the far MAC rows (flattened into lfads_mac_array: primitives named .../mac/g_row[i]....)
foreach c [get_cells -quiet -hierarchical -filter "IS_PRIMITIVE && NAME =~ $lfads_k/engine/mac/*"] {
  if {[regexp {/mac/g_row\[([0-9]+)\]\.} $c -> row] && $row >= $lfads_far0} { lappend lfads_far $c }
}
# the far half of the column vector's S3 copies (receiving side of the column vector's crossing) and the column
# select's second half that follows each (x_sel: LUTs from the copy to its rows' DSP B registers, so in the rows' SLR)
foreach c [get_cells -quiet -hierarchical -filter "IS_PRIMITIVE && NAME =~ $lfads_k/engine/g_s3*"] {
  if {[regexp {g_xrx\[([0-9]+)\]\.x_(rx|sel)} $c -> k] && $lfads_xcopies >= 2 && $k >= $lfads_xcopies / 2} {
    lappend lfads_far $c
  }
}
# the far lane group's receiving registers of the image-load writes, configuration and h0 read address
set lfads_load_rx 0
foreach c [get_cells -quiet -hierarchical -filter "IS_PRIMITIVE && NAME =~ $lfads_k/engine/g_slr_load*"] {
  if {[regexp {g_slr_load\.g_rx\[([0-9]+)\]\.q} $c -> grp] && $grp >= 1} {
    lappend lfads_far $c
    incr lfads_load_rx
  }
}
if {$lfads_load_rx == 0} {
  error "slr_pblocks.tcl: no far-group load registers $lfads_k/engine/g_slr_load.g_rx\[1\].q* (cell names differ, or built with\
 SLR_CROSSING_STAGES = 0, which this floorplan is not for?)"
}
add_cells_to_pblock [get_pblocks pblock_dynamic_SLR1] $lfads_far -clear_locs
puts "slr_pblocks.tcl: $lfads_rows row lanes; lanes $lfads_far0..[expr {$lfads_rows - 1}] ([llength $lfads_far] cells) in\
 pblock_dynamic_SLR1, the rest of $lfads_k in pblock_dynamic_SLR0"
