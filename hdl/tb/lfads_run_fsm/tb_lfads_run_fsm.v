// SPDX-License-Identifier: MIT
`resetall
`timescale 1ns / 1ps
`default_nettype none

// Run-FSM bench: a scripted environment around lfads_run_fsm, 160 rounds. Each round loads an image (random
// dimensions and section table; now and then a bad header: magic, version, header bytes, data width, dimensions
// over the maxima, T_rec < T_enc, no activation table bits, a geometry over MAX_TILES / MAX_ROW_BLOCKS, or a read
// error) or runs without loading (whole trials, or online bins through the window ring), a reset and a start with no
// image now and then. The environment: a reader that takes requests when it likes and returns the requested beats
// with random gaps (the header's words from the bench's header), an element loader model (one element a cycle,
// WPB a beat), a geometry that is busy a few cycles after its latch, a pass sequencer that drains a few cycles after
// its start, a result writer and status writer with random idle / busy. Checks against the round's script: the
// memory clear (every address once, in order), every reader request (header, each non-empty section at its offset
// with its beats, each trial's input at input_ptr + k * in_stride, each bin's at its slot), section sizes and
// columns, the configuration latched from the header, the spike lines each input beat goes to, the h0 copy (H0_DEPTH words,
// done before the sequencer starts), the writer's base per trial / bin, the online window outputs (pad bins, ring
// bases), the status block's words, the error code, image_loaded / image_error, trials_done, one done per run and
// the states visited (a bad header never reaches the sections).
module tb_lfads_run_fsm;

`include "lfads_contract.vh"
`include "tb_rand.vh"

localparam integer W = 16;
localparam integer AXW = 512;
localparam integer WPB = AXW / 32;
localparam integer LB = AXW / 8;
localparam integer CLR_N = 20;
localparam integer H0_DEPTH = 10;
localparam integer HDR_KEEP = LFADS_H_SECTION_TABLE + 4 * LFADS_SECTION_COUNT;
localparam integer MAX_N_IN = 64, MAX_N_OUT = 64, MAX_T_ENC = 32, MAX_T_REC = 32, MAX_HIDDEN = 64;
localparam integer MAX_TILES = 64, MAX_ROW_BLOCKS = 32, MAX_KT = 10;
localparam integer ROUNDS = 160;

reg clk = 0;
always #5 clk = ~clk;
// power-on reset from the clock's own count (not from the script's edge count: the simulators may disagree on
// whether time 0 is an edge), and the script's resets
reg por = 1, rst_s = 0;
reg [2:0] por_cnt = 0;
always @(posedge clk) begin
    por_cnt <= por_cnt + (por_cnt != 7);
    por <= por_cnt < 3;
end
wire rst = por | rst_s;

reg         start = 0, load_image = 0, online_flag = 0, online_reset = 0;
reg  [63:0] cycle_now = 0, image_ptr = 0, input_ptr = 0, output_ptr = 0;
reg  [31:0] num_trials = 0;
wire        idle, done, image_loaded, image_error, axi_error;
wire [31:0] error_code, trials_done;
wire        rd_req_valid;
reg         rd_req_ready = 0;
wire [63:0] rd_req_addr;
wire [23:0] rd_req_beats;
reg         rd_beat_valid = 0;
reg  [AXW-1:0] rd_beat_data = 0;
reg         rd_error = 0;
wire        rd_beat_ready, in_beat;
wire [15:0] in_line;
wire [32*HDR_KEEP-1:0] hdr_bits;
wire        geo_latch;
reg         geo_busy = 0;
reg  [31:0] geo_tiles = 0, geo_rbs = 0;
wire        clr_we;
wire [15:0] clr_addr;
wire [4:0]  cfg_k, cfg_fp;
wire [3:0]  cfg_esig, cfg_etanh;
wire [5:0]  cfg_fg, cfg_fs;
wire [W-1:0] cfg_clip;
wire [5:0]  sec;
wire [31:0] sec_words_p, sec_cols_q;
wire        sec_go, sec_beat;
wire        el_beat_last, el_last;
reg  [31:0] in_bytes = 0, in_stride = 0, out_stride = 0, bin_bytes = 0, ring_bytes = 0, proj_stride = 0;
reg  [31:0] out_slot_stride = 0;
reg  [15:0] bin_lines = 0;
wire [15:0] cp_ctr;
wire        seq_start, seq_done, online;
reg         seq_drained = 1;
wire [15:0] pad_bins;
wire [31:0] win_fbase0, win_bbase0, win_pf0, win_pb0, enc_stride, enc_end;
wire        wr_set_base, wr_flush;
wire [63:0] wr_base_addr;
reg         wr_packer_empty = 1, wr_idle = 1, wr_error = 0;
wire        st_wr_start;
wire [63:0] st_wr_addr;
wire [AXW-1:0] st_wr_data;
reg         st_wr_busy = 0, st_wr_error = 0;

lfads_run_fsm #(
    .DATA_WIDTH(W), .ACC_WIDTH(48), .MAX_N_IN(MAX_N_IN), .MAX_N_OUT(MAX_N_OUT), .MAX_T_ENC(MAX_T_ENC),
    .MAX_T_REC(MAX_T_REC), .MAX_HIDDEN(MAX_HIDDEN), .MAX_TILES(MAX_TILES), .MAX_ROW_BLOCKS(MAX_ROW_BLOCKS),
    .MAX_ACT_SEG_BITS(MAX_KT), .AXI_DATA_WIDTH(AXW), .CLR_N(CLR_N), .H0_DEPTH(H0_DEPTH), .HDR_KEEP(HDR_KEEP)
) dut (
    .clk(clk), .rst(rst), .start(start), .load_image(load_image), .online_flag(online_flag),
    .online_reset(online_reset), .cycle_now(cycle_now), .image_ptr(image_ptr), .input_ptr(input_ptr),
    .output_ptr(output_ptr), .num_trials(num_trials), .idle(idle), .done(done), .image_loaded(image_loaded),
    .image_error(image_error), .axi_error(axi_error), .error_code(error_code), .trials_done(trials_done),
    .rd_req_valid(rd_req_valid), .rd_req_ready(rd_req_ready), .rd_req_addr(rd_req_addr),
    .rd_req_beats(rd_req_beats), .rd_beat_valid(rd_beat_valid), .rd_beat_data(rd_beat_data), .rd_error(rd_error),
    .rd_beat_ready(rd_beat_ready), .in_beat(in_beat), .in_line(in_line), .hdr_bits(hdr_bits),
    .geo_latch(geo_latch), .geo_busy(geo_busy), .geo_tiles(geo_tiles), .geo_rbs(geo_rbs), .clr_we(clr_we),
    .clr_addr(clr_addr), .cfg_k(cfg_k), .cfg_fp(cfg_fp), .cfg_esig(cfg_esig), .cfg_etanh(cfg_etanh),
    .cfg_fg(cfg_fg), .cfg_fs(cfg_fs), .cfg_clip(cfg_clip), .sec(sec), .sec_words_p(sec_words_p), .sec_cols_q(sec_cols_q), .sec_go(sec_go),
    .sec_beat(sec_beat), .el_beat_last(el_beat_last), .el_last(el_last), .in_bytes(in_bytes),
    .in_stride(in_stride), .out_stride(out_stride), .bin_lines(bin_lines), .bin_bytes(bin_bytes),
    .ring_bytes(ring_bytes), .proj_stride(proj_stride), .out_slot_stride(out_slot_stride), .cp_ctr(cp_ctr),
    .seq_start(seq_start), .seq_drained(seq_drained), .seq_done(seq_done), .online(online), .pad_bins(pad_bins),
    .win_fbase0(win_fbase0), .win_bbase0(win_bbase0), .win_pf0(win_pf0), .win_pb0(win_pb0),
    .enc_stride(enc_stride), .enc_end(enc_end), .wr_set_base(wr_set_base), .wr_base_addr(wr_base_addr),
    .wr_flush(wr_flush), .wr_packer_empty(wr_packer_empty), .wr_idle(wr_idle), .wr_error(wr_error),
    .st_wr_start(st_wr_start), .st_wr_addr(st_wr_addr), .st_wr_data(st_wr_data), .st_wr_busy(st_wr_busy),
    .st_wr_error(st_wr_error));

reg [31:0] rng = 32'h2F17C0DE;       // the script's draws
reg [31:0] erng = 32'h0BADF00D;      // the environment's draws (one step a cycle)
integer checks = 0, errors = 0, cyc = 0;
reg [31:0] checksum = 0;
integer n_loads = 0, n_bad = 0, n_trials = 0, n_bins = 0, n_reqs = 0, n_secs = 0, n_noimg = 0, n_axi = 0, n_fail_bins = 0;

task check(input ok, input [8*64-1:0] what, input [63:0] got, input [63:0] want);
    begin
        checks = checks + 1;
        if (!ok) begin
            errors = errors + 1;
            if (errors < 12) $display("ERROR cycle %0d: %0s: got %0h want %0h", cyc, what, got, want);
        end
    end
endtask

// ---- the image header the reader returns (word k of beat k / WPB) ----
reg [31:0] hw [0:LFADS_IMAGE_HEADER_WORDS-1];

// ---- environment ----
// reader: one request's beats at a time, valid held until taken; hdr_req: this request is the header's
integer r_left = 0, r_idx = 0;
reg     r_hdr = 0;
integer k;
always @(posedge clk) begin : reader
    reg hs;
    erng = tb_xorshift32(erng);
    rd_req_ready <= erng[0] | erng[1];
    hs = rd_beat_valid && rd_beat_ready;
    if (hs) begin
        r_left = r_left - 1;
        r_idx = r_idx + 1;
    end
    if (rd_req_valid && rd_req_ready) begin
        r_left = r_left + rd_req_beats;
        r_idx = 0;
        r_hdr = rd_req_addr == image_ptr;
    end
    if (!rd_beat_valid || hs) begin
        if (r_left > 0 && (erng[2] | erng[3])) begin
            rd_beat_valid <= 1'b1;
            for (k = 0; k < WPB; k = k + 1)
                rd_beat_data[32*k +: 32] <= r_hdr ? hw[(r_idx * WPB + k) % LFADS_IMAGE_HEADER_WORDS] : erng ^ k;
        end else begin
            rd_beat_valid <= 1'b0;
        end
    end
    if (rst) begin
        r_left = 0;
        rd_beat_valid <= 1'b0;
    end
end

// element loader: from sec_go, one element a cycle a beat is valid; the beat is taken with its last element
// (its state in registers: the DUT samples el_last / el_beat_last at the same edge)
reg [31:0] e_words = 0, e_idx = 0;
reg        e_act = 0;
assign el_beat_last = e_act && ((e_idx % WPB) == WPB - 1 || e_idx == e_words - 1);
assign el_last = e_act && e_idx == e_words - 1;
always @(posedge clk) begin : eloader
    if (sec_beat && e_act) begin
        e_idx <= e_idx + 1;
        if (e_idx + 1 == e_words) e_act <= 1'b0;
    end
    if (sec_go) begin
        e_act <= 1'b1;
        e_idx <= 0;
        e_words <= sec_words_p;
    end
    if (rst) e_act <= 1'b0;
end

// geometry, sequencer, writers
integer g_cnt = 0, q_cnt = 0, s_cnt = 0;
reg [31:0] orng = 32'h600DCAFE;
always @(posedge clk) begin : others
    orng = tb_xorshift32(orng);
    cycle_now <= cycle_now + 1;
    if (geo_latch) g_cnt = 1 + orng[6:4];
    geo_busy <= g_cnt != 0;
    if (g_cnt != 0) g_cnt = g_cnt - 1;
    if (seq_start) q_cnt = 3 + orng[10:7];
    seq_drained <= q_cnt == 0;
    if (q_cnt != 0) q_cnt = q_cnt - 1;
    wr_packer_empty <= orng[11] | orng[12];
    wr_idle <= orng[13] | orng[14];
    if (st_wr_start) s_cnt = 1 + orng[17:15];
    st_wr_busy <= s_cnt != 0;
    if (s_cnt != 0) s_cnt = s_cnt - 1;
end

// ---- monitor: what the FSM did in this run ----
integer m_clr = 0, m_clr_bad = 0, m_req = 0, m_base = 0, m_seq = 0, m_done = 0, m_cp = 0, m_stw = 0, m_flush = 0;
integer m_line_bad = 0, m_cp_late = 0, m_in_beats = 0;
reg [31:0] m_visited = 0;
reg [63:0] m_req_addr [0:63];
reg [23:0] m_req_beats [0:63];
reg [31:0] m_sec_words [0:63];
reg [31:0] m_sec_cols [0:63];
reg [63:0] m_base_addr [0:15];
reg [15:0] m_pad [0:15];
reg [31:0] m_wf [0:15], m_wb [0:15], m_pf [0:15], m_pb [0:15], m_es [0:15], m_ee [0:15];
reg [63:0] m_st_addr;
reg [AXW-1:0] m_st_data;
integer e_line = 0;
always @(posedge clk) begin : monitor
    cyc = cyc + 1;
    m_visited = m_visited | (32'd1 << dut.st);
    if (!rst)
        checksum = tb_xorshift32(checksum ^ {idle, done, rd_req_valid, rd_beat_ready, in_beat, clr_we, seq_start,
                                             wr_set_base, wr_flush, st_wr_start, geo_latch, sec_go, dut.st} ^ cp_ctr);
    if (in_beat) checksum = tb_xorshift32(checksum ^ in_line);
`ifdef TB_TRACE
    $display("T %0d st %0d rq %0d rdy %0d bv %0d br %0d cp %0h seq %0d drn %0d ck %h", cyc, dut.st, rd_req_valid, rd_req_ready, rd_beat_valid, rd_beat_ready, cp_ctr, seq_start, seq_drained, checksum);
`endif
    if (sec_go) checksum = tb_xorshift32(checksum ^ sec ^ sec_words_p);
    if (clr_we) begin
        if (clr_addr != m_clr) m_clr_bad = m_clr_bad + 1;
        m_clr = m_clr + 1;
    end
    if (rd_req_valid && rd_req_ready && m_req < 64) begin
        m_req_addr[m_req] = rd_req_addr;
        m_req_beats[m_req] = rd_req_beats;
        m_sec_words[m_req] = sec_words_p;
        m_sec_cols[m_req] = sec_cols_q;
        m_req = m_req + 1;
        checksum = tb_xorshift32(checksum ^ rd_req_addr[31:0] ^ rd_req_beats);
    end
    if (wr_set_base && m_base < 16) begin
        m_base_addr[m_base] = wr_base_addr;
        e_line = online ? w_line : 0;
        m_base = m_base + 1;
    end
    if (in_beat) begin
        if (in_line != e_line) m_line_bad = m_line_bad + 1;
        e_line = e_line + 1;
        m_in_beats = m_in_beats + 1;
    end
    if (seq_start && m_seq < 16) begin
        if (cp_ctr != 16'hFFFF) m_cp_late = m_cp_late + 1;
        m_pad[m_seq] = pad_bins; m_wf[m_seq] = win_fbase0; m_wb[m_seq] = win_bbase0;
        m_pf[m_seq] = win_pf0; m_pb[m_seq] = win_pb0; m_es[m_seq] = enc_stride; m_ee[m_seq] = enc_end;
        m_seq = m_seq + 1;
    end
    if (cp_ctr != 16'hFFFF) m_cp = m_cp + 1;
    if (wr_flush) m_flush = m_flush + 1;
    if (st_wr_start) begin
        m_st_addr = st_wr_addr;
        m_st_data = st_wr_data;
        m_stw = m_stw + 1;
        checksum = tb_xorshift32(checksum ^ st_wr_data[31:0] ^ st_wr_data[32*LFADS_OS_ERROR_CODE +: 32]);
    end
    if (done) begin
        m_done = m_done + 1;
        checksum = tb_xorshift32(checksum ^ error_code ^ trials_done ^ {image_loaded, image_error, axi_error});
    end
end

task clear_monitor;
    begin
        m_clr = 0; m_clr_bad = 0; m_req = 0; m_base = 0; m_seq = 0; m_done = 0; m_cp = 0; m_stw = 0; m_flush = 0;
        m_line_bad = 0; m_cp_late = 0; m_in_beats = 0; m_visited = 0;
    end
endtask

// ---- the script ----
// header model
integer h_nin, h_nout, h_tenc, h_trec, h_fac, h_k, h_fs, h_clip;
integer s_off [0:LFADS_SECTION_COUNT-1];
integer s_rows [0:LFADS_SECTION_COUNT-1];
integer s_cols [0:LFADS_SECTION_COUNT-1];
integer loaded_ok = 0;
// online window model (as the FSM keeps it; reset with a new image, online_reset, or a whole-trial run)
integer w_pushed = 0, w_head = 0, w_line = 0, w_pbase = 0, w_slot = 0, w_seq = 0;
reg [63:0] w_in_off = 0, w_out_off = 0;

task new_header(input integer bad);
    integer s, off, i;
    begin
        for (i = 0; i < LFADS_IMAGE_HEADER_WORDS; i = i + 1) begin
            rng = tb_xorshift32(rng);
            hw[i] = rng;                                  // words the FSM does not check: anything
        end
        rng = tb_xorshift32(rng);
        h_nin = 1 + rng[5:0] % MAX_N_IN; h_nout = 1 + rng[11:6] % MAX_N_OUT;
        // short windows now and then: the ring wraps often
        h_tenc = 1 + rng[16:12] % (rng[31] ? 4 : MAX_T_ENC);
        h_trec = h_tenc + rng[21:17] % (MAX_T_REC - h_tenc + 1);
        h_fac = 1 + rng[27:22] % MAX_HIDDEN;
        rng = tb_xorshift32(rng);
        h_k = 1 + rng[3:0] % MAX_KT; h_fs = rng[7:4]; h_clip = rng[31:16];
        hw[LFADS_H_MAGIC] = LFADS_IMAGE_MAGIC; hw[LFADS_H_VERSION] = LFADS_IMAGE_VERSION;
        hw[LFADS_H_HEADER_BYTES] = LFADS_IMAGE_HEADER_BYTES; hw[LFADS_H_DATA_WIDTH] = W;
        hw[LFADS_H_PRE_WIDTH] = W + 4; hw[LFADS_H_ACC_WIDTH] = 40 + rng[10:8];
        hw[LFADS_H_FRAC_GATE] = W - 1; hw[LFADS_H_FRAC_PRE] = W - 1; hw[LFADS_H_SIGMOID_RANGE_EXP] = 4;
        hw[LFADS_H_TANH_RANGE_EXP] = 3; hw[LFADS_H_FRAC_STATE] = h_fs;
        hw[LFADS_H_N_IN] = h_nin; hw[LFADS_H_N_OUT] = h_nout; hw[LFADS_H_T_ENC] = h_tenc; hw[LFADS_H_T_REC] = h_trec;
        for (i = LFADS_H_H_ICENC; i <= LFADS_H_FAC_DIM; i = i + 1)
            if (i != LFADS_H_CI_LAG) hw[i] = rng[15:11] + 1;
        hw[LFADS_H_FAC_DIM] = h_fac; hw[LFADS_H_ACT_SEG_BITS] = h_k; hw[LFADS_H_CLIP_Q] = h_clip;
        off = 0;
        for (s = 0; s < LFADS_SECTION_COUNT; s = s + 1) begin
            rng = tb_xorshift32(rng);
            s_rows[s] = (rng[2:0] == 0) ? 0 : rng[5:3];
            s_cols[s] = (rng[8:6] == 0) ? 0 : 1 + rng[13:9] % 20;
            s_off[s] = off;
            off = off + ((s_rows[s] * s_cols[s] + 15) / 16) * 16;
            hw[LFADS_H_SECTION_TABLE + 4 * s + LFADS_SECTION_OFFSET] = s_off[s];
            hw[LFADS_H_SECTION_TABLE + 4 * s + LFADS_SECTION_ROWS] = s_rows[s];
            hw[LFADS_H_SECTION_TABLE + 4 * s + LFADS_SECTION_COLS] = s_cols[s];
        end
        geo_tiles = rng[19:14] % (MAX_TILES + 1); geo_rbs = rng[24:20] % (MAX_ROW_BLOCKS + 1);
        case (bad)
            1: hw[LFADS_H_MAGIC] = LFADS_IMAGE_MAGIC ^ (1 << rng[28:24]);
            2: hw[LFADS_H_VERSION] = 2;
            3: hw[LFADS_H_HEADER_BYTES] = 512;
            4: hw[LFADS_H_DATA_WIDTH] = 12;
            5: hw[LFADS_H_TANH_RANGE_EXP] = 4;
            6: hw[LFADS_H_N_IN] = MAX_N_IN + 1;
            7: hw[LFADS_H_T_REC] = h_tenc - 1;
            8: hw[LFADS_H_ACT_SEG_BITS] = 0;
            9: hw[LFADS_H_H_GEN] = MAX_HIDDEN + 1;
            10: geo_tiles = MAX_TILES + 1;
            11: geo_rbs = MAX_ROW_BLOCKS + 1;
            default: ;
        endcase
        // the engine's registered products of the header, as it gives them
        in_bytes = h_tenc * h_nin;
        in_stride = (in_bytes + 63) / 64 * 64;
        out_stride = (4 * h_trec * (h_fac + h_nout) + 63) / 64 * 64;
        bin_lines = (h_nin + LB - 1) / LB;
        bin_bytes = 64 * bin_lines;
        ring_bytes = h_tenc * bin_bytes;
        proj_stride = 1 + rng[31:29];
        out_slot_stride = LFADS_ONLINE_STATUS_BYTES + (4 * (h_fac + h_nout) + 63) / 64 * 64;
    end
endtask

function integer want_error(input integer bad);
    case (bad)
        0: want_error = LFADS_ERR_NONE;
        1: want_error = LFADS_ERR_BAD_MAGIC;
        2, 3: want_error = LFADS_ERR_BAD_VERSION;
        4, 5: want_error = LFADS_ERR_WIDTH_MISMATCH;
        12: want_error = LFADS_ERR_AXI;
        default: want_error = LFADS_ERR_DIMS_TOO_LARGE;
    endcase
endfunction

// one start: wait until done (bounded), then idle a few cycles
reg wr_fault_bin = 1'b0;
task run_start(input ld, input onl, input rst_win, input integer ntr, input axi_fault);
    integer n, fault_at;
    begin
        #1;
        clear_monitor;
        rng = tb_xorshift32(rng);
        image_ptr = {rng[15:0], 16'h0} + 64'h1_0000_0000;
        input_ptr = {rng[31:16], 12'h0} + 64'h2_0000_0000;
        output_ptr = {rng[23:8], 12'h0} + 64'h3_0000_0000;
        num_trials = ntr;
        fault_at = 20 + rng[7:0] % 200;
        // the script drives on the falling edge, the DUT samples on the rising one
        @(negedge clk);
        start = 1; load_image = ld; online_flag = onl; online_reset = rst_win;
        @(negedge clk);
        start = 0; load_image = 0; online_reset = 0;
        n = 0;
        while (!done && n < 20000) begin
            @(negedge clk);
            rd_error = axi_fault && n == fault_at;
            // an online bin whose result writes fail (the writer's error, a few cycles into the run)
            wr_error = wr_fault_bin && n == 3;
            n = n + 1;
        end
        rd_error = 0;
        wr_error = 0;
        if (!done) $display("stuck: st %0d sec %0d r_left %0d e_act %0d e_idx %0d e_words %0d geo_busy %0d rdv %0d rreq %0d", dut.st, sec, r_left, e_act, e_idx, e_words, geo_busy, rd_beat_valid, rd_req_valid);
        check(done, "run finished", n, 0);
        repeat (3 + rng[12:10]) @(negedge clk);
        check(m_done == 1, "one done pulse", m_done, 1);
        check(idle, "idle after done", idle, 1);
    end
endtask

// expectations of a whole-trial run after a good image (or its load)
task expect_trials(input integer ntr, input integer req0);
    integer t;
    begin
        check(m_seq == ntr && m_base == ntr && m_flush == ntr, "one sequencer start / base / flush a trial", m_seq, ntr);
        check(m_req == req0 + ntr, "input requests", m_req, req0 + ntr);
        for (t = 0; t < ntr && t < 16; t = t + 1) begin
            check(m_req_addr[req0 + t] == input_ptr + t * in_stride, "trial input address", m_req_addr[req0 + t],
                  input_ptr + t * in_stride);
            check(m_req_beats[req0 + t] == (in_bytes + LB - 1) / LB, "trial input beats", m_req_beats[req0 + t],
                  (in_bytes + LB - 1) / LB);
            check(m_base_addr[t] == output_ptr + t * out_stride, "trial output base", m_base_addr[t],
                  output_ptr + t * out_stride);
            check(m_pad[t] == 0 && m_wf[t] == 0 && m_wb[t] == in_bytes - h_nin && m_es[t] == h_nin
                  && m_ee[t] == in_bytes, "trial window", {m_pad[t], m_wb[t][15:0], m_es[t][15:0]},
                  {16'd0, in_bytes[15:0] - h_nin[15:0], h_nin[15:0]});
        end
        check(m_in_beats == ntr * ((in_bytes + LB - 1) / LB), "input beats taken", m_in_beats, 0);
        check(m_cp == ntr * H0_DEPTH && m_cp_late == 0, "h0 words copied before the start", m_cp, ntr * H0_DEPTH);
        check(trials_done == ntr, "trials_done", trials_done, ntr);
        check(m_stw == 0, "no status block in a whole-trial run", m_stw, 0);
    end
endtask

// one online bin after a good image: the FSM's window model (docs/kernel-numerics.md section 13)
task expect_bin(input integer req0, input integer ntr);
    integer pad, wb, pb, wf, pf, wbins;
    begin
        pad = (w_pushed + 1 >= h_tenc) ? 0 : h_tenc - w_pushed - 1;
        wb = w_line * 64; pb = w_pbase;
        wf = (w_head + 1 == h_tenc) ? 0 : wb + bin_bytes;
        pf = (w_head + 1 == h_tenc) ? 0 : pb + proj_stride;
        wbins = (w_pushed + 1 >= h_tenc) ? h_tenc : w_pushed + 1;
        check(m_req == req0 + 1 && m_seq == 1 && m_base == 1, "one bin request / start / base", m_req, req0 + 1);
        check(m_req_addr[req0] == input_ptr + w_in_off && m_req_beats[req0] == bin_lines, "bin request",
              m_req_addr[req0], input_ptr + w_in_off);
        check(m_base_addr[0] == output_ptr + w_out_off + LFADS_ONLINE_STATUS_BYTES, "bin output base", m_base_addr[0],
              output_ptr + w_out_off + LFADS_ONLINE_STATUS_BYTES);
        check(m_pad[0] == pad && m_wb[0] == wb && m_wf[0] == wf && m_pb[0] == pb && m_pf[0] == pf
              && m_es[0] == bin_bytes && m_ee[0] == ring_bytes, "bin window", {m_pad[0], m_wb[0][15:0], m_wf[0][15:0]},
              {pad[15:0], wb[15:0], wf[15:0]});
        check(m_cp == H0_DEPTH && m_cp_late == 0, "h0 words copied before the start", m_cp, H0_DEPTH);
        check(m_in_beats == bin_lines, "bin beats taken", m_in_beats, bin_lines);
        check(m_stw == 1 && m_st_addr == output_ptr + w_out_off, "status block address", m_st_addr, output_ptr + w_out_off);
        check(m_st_data[32*LFADS_OS_SEQ +: 32] == w_seq + 1 && m_st_data[32*LFADS_OS_ERROR_CODE +: 32] == 0
              && m_st_data[32*LFADS_OS_TRIALS_DONE +: 32] == 1 && m_st_data[32*LFADS_OS_WINDOW_BINS +: 32] == wbins
              && m_st_data[32*LFADS_OS_STATUS +: 32] == 1 && m_st_data[32*LFADS_OS_MAGIC +: 32] == LFADS_ONLINE_STATUS_MAGIC,
              "status block words", m_st_data[32*LFADS_OS_WINDOW_BINS +: 32], wbins);
        // advance the model
        w_seq = w_seq + 1;
        w_pushed = w_pushed + 1;
        w_line = (w_head + 1 == h_tenc) ? 0 : w_line + bin_lines;
        w_pbase = (w_head + 1 == h_tenc) ? 0 : w_pbase + proj_stride;
        w_head = (w_head + 1 == h_tenc) ? 0 : w_head + 1;
        w_in_off = (w_slot + 1 >= ntr) ? 0 : w_in_off + bin_bytes;
        w_out_off = (w_slot + 1 >= ntr) ? 0 : w_out_off + out_slot_stride;
        w_slot = (w_slot + 1 >= ntr) ? 0 : w_slot + 1;
    end
endtask

task window_reset;
    begin
        w_pushed = 0; w_head = 0; w_line = 0; w_pbase = 0;
    end
endtask

// a load (with a whole-trial run or an online bin after it when good)
task do_load(input integer bad, input onl);
    integer s, nreq, ntr, ew;
    begin
        new_header(bad == 12 ? 0 : bad);
        rng = tb_xorshift32(rng);
        ntr = rng[1:0];
        if (onl && ntr == 0) ntr = 1;
        run_start(1, onl, 0, ntr, bad == 12);
        n_loads = n_loads + 1;
        ew = want_error(bad);
        check(error_code == ew, "load error code", error_code, ew);
        check(m_clr == CLR_N && m_clr_bad == 0, "memory clear", m_clr, CLR_N);
        check(m_req >= 1 && m_req_addr[0] == image_ptr && m_req_beats[0] == LFADS_IMAGE_HEADER_WORDS / WPB,
              "header request", m_req_addr[0], image_ptr);
        if (bad != 0 && bad != 12) begin
            n_bad = n_bad + 1;
            check(image_error && !image_loaded, "bad image flagged", {image_error, image_loaded}, 2);
            check(m_req == 1 && !m_visited[7] && !m_visited[8] && m_visited[14], "no section after a bad header",
                  m_req, 1);
            check(m_seq == 0 && m_base == 0, "no trial after a bad header", m_seq, 0);
            loaded_ok = 0;
            if (onl) w_seq = w_seq + 1;              // the failed run's status block
        end else if (bad == 12) begin
            n_axi = n_axi + 1;
            check(axi_error && !image_error, "read error flagged", {axi_error, image_error}, 2);
            check(m_seq == 0, "no trial after a read error", m_seq, 0);
            loaded_ok = image_loaded;
            if (onl) w_seq = w_seq + 1;
            window_reset;
            w_slot = 0; w_in_off = 0; w_out_off = 0;
        end else begin
            check(image_loaded && !image_error && !axi_error, "image loaded", {image_loaded, image_error}, 2);
            for (s = 0; s < HDR_KEEP; s = s + 1)
                check(hdr_bits[32*s +: 32] == hw[s], "header word kept", hdr_bits[32*s +: 32], hw[s]);
            check(cfg_k == h_k && cfg_fs == h_fs && cfg_clip == h_clip[W-1:0] && cfg_fp == W - 1 && cfg_fg == W - 1
                  && cfg_esig == 4 && cfg_etanh == 3, "configuration from the header", cfg_k, h_k);
            nreq = 1;
            for (s = 0; s < LFADS_SECTION_COUNT; s = s + 1)
                if (s_rows[s] != 0 && s_cols[s] != 0) begin
                    check(m_req_addr[nreq] == image_ptr + LFADS_IMAGE_HEADER_BYTES + 4 * s_off[s], "section address",
                          m_req_addr[nreq], image_ptr + LFADS_IMAGE_HEADER_BYTES + 4 * s_off[s]);
                    check(m_req_beats[nreq] == (s_rows[s] * s_cols[s] + WPB - 1) / WPB, "section beats",
                          m_req_beats[nreq], (s_rows[s] * s_cols[s] + WPB - 1) / WPB);
                    check(m_sec_words[nreq] == s_rows[s] * s_cols[s], "section size", m_sec_words[nreq],
                          s_rows[s] * s_cols[s]);
                    check(m_sec_cols[nreq] == s_cols[s], "section columns (the loader's)", m_sec_cols[nreq], s_cols[s]);
                    nreq = nreq + 1;
                    n_secs = n_secs + 1;
                end
            window_reset;
            w_slot = 0; w_in_off = 0; w_out_off = 0;
            if (onl) begin
                expect_bin(nreq, ntr);
                n_bins = n_bins + 1;
            end else begin
                expect_trials(ntr, nreq);
                n_trials = n_trials + ntr;
            end
            loaded_ok = 1;
        end
    end
endtask

integer round, kind, b, ntr, nb, bi;
reg wrst;
initial begin
    while (cyc < 8) #1;                     // past the power-on reset, between two edges
    // a start before any image: NO_IMAGE
    run_start(0, 0, 0, 2, 0);
    check(error_code == LFADS_ERR_NO_IMAGE && m_req == 0 && m_seq == 0, "no image", error_code, LFADS_ERR_NO_IMAGE);
    n_noimg = n_noimg + 1;
    for (round = 0; round < ROUNDS; round = round + 1) begin
        rng = tb_xorshift32(rng);
        kind = rng[3:0];
        if (!loaded_ok || kind < 4) begin
            rng = tb_xorshift32(rng);
            b = (rng[2:0] < 4) ? 0 : 1 + rng[7:3] % 12;
            wrst = rng[8];
            do_load(b, wrst);
        end else if (kind < 9) begin
            // whole-trial run of the loaded image (a new window afterwards)
            ntr = rng[5:4];
            run_start(0, 0, 0, ntr, 0);
            check(error_code == 0, "trial run error code", error_code, 0);
            expect_trials(ntr, 0);
            n_trials = n_trials + ntr;
            window_reset;
        end else if (kind < 15) begin
            // online bins (a window reset now and then), slots num_trials
            // a streak of 1..8 bins, the first one resetting the window now and then
            rng = tb_xorshift32(rng);
            wrst = rng[0];
            ntr = 1 + rng[2:1];
            nb = 1 + rng[5:3];
            if (wrst) begin
                window_reset;
                w_slot = 0; w_in_off = 0; w_out_off = 0;
            end
            for (bi = 0; bi < nb; bi = bi + 1) begin
                run_start(0, 1, wrst && bi == 0, ntr, 0);
                check(error_code == 0, "bin error code", error_code, 0);
                expect_bin(0, ntr);
                n_bins = n_bins + 1;
            end
            // now and then a bin whose result writes fail: its status block says AXI (an error with no earlier
            // code), error_code reads AXI after it, the window does not advance (its bin is not inferred), the slot does
            rng = tb_xorshift32(rng);
            if (rng[2:0] == 0) begin
                wr_fault_bin = 1'b1;
                run_start(0, 1, 0, ntr, 0);
                wr_fault_bin = 1'b0;
                check(error_code == LFADS_ERR_AXI && axi_error, "failed bin: error code", error_code, LFADS_ERR_AXI);
                check(m_stw == 1 && m_st_addr == output_ptr + w_out_off, "failed bin: status block address",
                      m_st_addr, output_ptr + w_out_off);
                check(m_st_data[32*LFADS_OS_SEQ +: 32] == w_seq + 1
                      && m_st_data[32*LFADS_OS_ERROR_CODE +: 32] == LFADS_ERR_AXI
                      && m_st_data[32*LFADS_OS_STATUS +: 32] == 5, "failed bin: status block words",
                      m_st_data[32*LFADS_OS_ERROR_CODE +: 32], LFADS_ERR_AXI);
                w_seq = w_seq + 1;
                w_in_off = (w_slot + 1 >= ntr) ? 0 : w_in_off + bin_bytes;
                w_out_off = (w_slot + 1 >= ntr) ? 0 : w_out_off + out_slot_stride;
                w_slot = (w_slot + 1 >= ntr) ? 0 : w_slot + 1;
                n_fail_bins = n_fail_bins + 1;
            end
        end else begin
            // a reset: the image is gone, the next start fails with NO_IMAGE
            @(negedge clk); rst_s = 1;
            repeat (2) @(negedge clk); rst_s = 0;
            loaded_ok = 0; w_seq = 0;
            window_reset;
            w_slot = 0; w_in_off = 0; w_out_off = 0;
            run_start(0, 0, 0, 1, 0);
            check(error_code == LFADS_ERR_NO_IMAGE && !image_loaded, "no image after reset", error_code,
                  LFADS_ERR_NO_IMAGE);
            n_noimg = n_noimg + 1;
        end
    end
    if (errors == 0)
        $display("PASS lfads_run_fsm: %0d checks, %0d loads (%0d bad headers, %0d read errors, %0d sections), %0d trials, %0d online bins (%0d with failed writes), %0d starts without an image, checksum %h",
                 checks, n_loads, n_bad, n_axi, n_secs, n_trials, n_bins, n_fail_bins, n_noimg, checksum);
    else
        $display("FAIL lfads_run_fsm: %0d errors of %0d checks", errors, checks);
    $finish;
end

endmodule

`resetall
