// SPDX-License-Identifier: MIT
// Layout of the tag that travels with every beat through lfads_mac_array: lfads_engine packs it at issue and
// unpacks it where the beat leaves the array; its write-back part is what lfads_writeback delays alongside the
// post lanes. Defined once here (field order, most significant first), used by both files.
// Include inside a module body. Not every includer uses every function, and a function's result variable shares
// its name (Verilog-2005): both warnings are expected here.
// verilator lint_off UNUSEDPARAM
// verilator lint_off VARHIDDEN
`ifndef LFADS_TAG_VH_MACROS
`define LFADS_TAG_VH_MACROS
// The write-back fields of a row block: the pass's last row block, destination slot, word of the slot, write the
// slot, write the state-format factors, emit to the result writer, valid rows, write the CI history, its address,
// the scoreboard bits the pass releases. Usable on either side of an assignment.
`define LFADS_TAG_WB(last_rb, dst, word, wr_dst, wr_fs, emit, count, cih_we, cih_addr, dec) \
    {last_rb, dst, word, wr_dst, wr_fs, emit, count, cih_we, cih_addr, dec}
// The whole tag: the vector-store addresses of the row's old state and update gate, the post lanes' requantize
// right-shift amounts (shift_decode of the layer's k1 / k2, decoded once per layer in lfads_engine), then the part that
// travels through lfads_mac_array (`LFADS_TAG_MAC): the post lanes' mode, the projection capture (online mode: this
// beat ends the bin's input columns; write the accumulators to the projection ring at paddr) and the write-back fields
// as one vector (`LFADS_TAG_WB). The addresses and shifts are taken from the tag before the MAC array (the store and
// the lanes want them a cycle before the beat leaves it: lfads_engine delays them itself), so the array carries only
// the rest, and its far rows' copy only the lanes' part (mode, capture, ring address): no unread field crosses an SLR.
`define LFADS_TAG(haddr, zaddr, mode, shift1, shift2, pcap, paddr, wb) {haddr, zaddr, shift1, shift2, mode, pcap, paddr, wb}
`define LFADS_TAG_MAC(mode, pcap, paddr, wb) {mode, pcap, paddr, wb}
`endif

// bits of `LFADS_TAG_WB: word index, valid-row count, CI-history address and scoreboard widths
function integer lfads_tag_wb_width(input integer word_w, input integer count_w, input integer cih_w,
                                    input integer sb_w);
    lfads_tag_wb_width = 1 + 5 + word_w + 1 + 1 + 1 + count_w + 1 + cih_w + sb_w;
endfunction

// bits of `LFADS_TAG_MAC (its low bits): projection-ring address and write-back part widths
function integer lfads_tag_mac_width(input integer proj_w, input integer wb_w);
    lfads_tag_mac_width = 2 + 1 + proj_w + wb_w;
endfunction

// bits of `LFADS_TAG: vector-store address, projection-ring address and write-back part widths
function integer lfads_tag_width(input integer vst_w, input integer proj_w, input integer wb_w);
    lfads_tag_width = 2 * vst_w + 7 + 7 + lfads_tag_mac_width(proj_w, wb_w);
endfunction

// The post lane's requantize REQ(acc, k, .) shifts right by k - 1 (k >= 1) or left by 1 - k (k <= 0). Resolved into
// one direction: x = (acc << LMAX) >>> r with r = LMAX + k - 1 clamped to [0, RMAX], RMAX = LMAX + acc_width - 1:
//   k <= 0: r = LMAX - (1 - k) gives acc << (1 - k); r = 0 (1 - k >= LMAX) gives the cap acc << LMAX;
//   k >= 1: gives acc >>> (k - 1) (the LMAX low bits shifted out); r = RMAX fills with the sign, as any
//           right shift by >= acc_width - 1 of a signed acc_width-bit value does.
// A left shift by more than PW + 1 (PW = data_width + 4) saturates every nonzero accumulator: LMAX = PW + 2.
function integer lfads_req_lmax(input integer data_width);
    lfads_req_lmax = data_width + 6;
endfunction
// k is per layer and static during a run: lfads_engine decodes it once per layer into a register table and the tag
// carries r (7 bits: LMAX + acc_width - 1 <= 127, checked by lfads_post_lane), so no lane computes it per beat.
function [6:0] shift_decode(input signed [7:0] k, input integer data_width, input integer acc_width);
    integer r;
    begin
        r = lfads_req_lmax(data_width) + $signed({{24{k[7]}}, k}) - 1;   // k sign-extended to 32 bits
        if (r < 0) r = 0;
        if (r > lfads_req_lmax(data_width) + acc_width - 1) r = lfads_req_lmax(data_width) + acc_width - 1;
        shift_decode = r[6:0];
    end
endfunction
// verilator lint_on VARHIDDEN
// verilator lint_on UNUSEDPARAM
