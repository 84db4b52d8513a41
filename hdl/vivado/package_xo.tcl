# SPDX-License-Identifier: MIT
# Package lfads_kernel as a Vitis kernel object (.xo):
#   vivado -mode batch -source hdl/vivado/package_xo.tcl -tclargs <out.xo> [part]
# then: v++ --link --platform xilinx_u55c_gen3x16_xdma_3_202210_1 --config link.cfg -o lfads.xclbin lfads_kernel.xo
# (both steps: make -C hdl xo / make -C hdl xclbin PLATFORM=...)
# NOT EXERCISED in this repository (no Vivado here); written after Vitis_Accel_Examples rtl_kernels/rtl_vadd.
# File types: every rtl/*.v is plain Verilog-2005 (`make -C hdl synth` reads them all with Yosys' read_verilog,
# which rejects SystemVerilog), added as Verilog; the *.vh includes as Verilog Header.
set xo_path [lindex $argv 0]
set part [expr {[llength $argv] > 1 ? [lindex $argv 1] : "xcu55c-fsvh2892-2L-e"}]
set here [file dirname [file normalize [info script]]]
set rtl [file normalize "$here/../rtl"]
set work [file normalize "./lfads_kernel_pack"]

create_project -force lfads_pack $work -part $part
if {[llength [glob -nocomplain $rtl/*.sv $rtl/*.svh]] > 0} {
  error "package_xo.tcl: $rtl holds SystemVerilog files; the kernel is Verilog-2005 (see hdl/README.md)"
}
add_files [glob $rtl/*.v] [glob $rtl/*.vh]
set_property file_type Verilog [get_files *.v]
set_property file_type {Verilog Header} [get_files *.vh]
set_property include_dirs $rtl [current_fileset]
set_property top lfads_kernel [current_fileset]
update_compile_order -fileset sources_1

ipx::package_project -root_dir $work/ip -vendor lfadsrt.org -library kernel -taxonomy /KernelIP -import_files -set_current false
ipx::unload_core $work/ip/component.xml
ipx::edit_ip_in_project -upgrade true -name tmp_edit -directory $work/tmp $work/ip/component.xml
set core [ipx::current_core]
set_property core_revision 1 $core
foreach bus {s_axi_control m_axi_gmem} { ipx::associate_bus_interfaces -busif $bus -clock ap_clk $core }
set_property sdx_kernel true $core
set_property sdx_kernel_type rtl $core
set_property ipi_drc {ignore_freq_hz true} $core
set_property vitis_drc {ctrl_protocol ap_ctrl_hs} $core
# control registers of docs/kernel-numerics.md section 11 (offsets from KernelContract.java)
set mm [ipx::get_memory_maps s_axi_control -of_objects $core]
set ab [ipx::add_address_block reg0 $mm]
set_property range 0x80 $ab
foreach {name off size} {CTRL 0x00 32 GIE 0x04 32 IER 0x08 32 ISR 0x0C 32 image 0x10 64 input 0x1C 64 output 0x28 64 num_trials 0x34 32 flags 0x3C 32} {
  set r [ipx::add_register $name $ab]
  set_property address_offset $off $r
  set_property size $size $r
}
foreach ptr {image input output} {
  set r [ipx::get_registers $ptr -of_objects $ab]
  set p [ipx::add_register_parameter ASSOCIATED_BUSIF $r]
  set_property value m_axi_gmem $p
}
ipx::create_xgui_files $core
ipx::update_checksums $core
ipx::save_core $core
close_project -delete
package_xo -xo_path $xo_path -kernel_name lfads_kernel -ip_directory $work/ip -kernel_xml $here/kernel.xml -force
