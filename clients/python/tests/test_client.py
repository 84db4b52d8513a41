"""The Python client against a real host (synthetic source, default backend) started from the jar."""
import math
import os
import socket
import struct
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lfads_rt_client import CREDIT, Client, ProtocolError, _frame  # noqa: E402
from server_process import ROOT, ServerProcess  # noqa: E402


class ClientAgainstLiveServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # These tests check decoding and expect every result: an age bound a busy test machine cannot reach keeps
        # the freshness contract (results older than it are dropped, tested in FreshnessTest) out of their way.
        cls.server = ServerProcess("--duration", "120", "--status-ms", "200", "--max-result-age-ms", "60000")

    @classmethod
    def tearDownClass(cls):
        code, output = cls.server.stop()
        cls.stop_code, cls.stop_output = code, output
        assert code in (0, 130), output  # 130: ended by SIGINT, as Ctrl-C
        assert "lfads-rt summary:" in output, output
        assert "end_to_end" in output, output

    def test_handshake_describes_the_stream(self):
        with Client(port=self.server.port, name="test") as c:
            h = c.handshake
            self.assertEqual(h.version, 1)
            self.assertEqual(h.bin_width_ns, 10_000_000)
            self.assertAlmostEqual(h.nominal_srate, 100.0)
            self.assertEqual(h.mode, "online")
            self.assertEqual(h.channel_format, "float32")
            self.assertGreater(h.n_in, 0)
            self.assertGreater(h.fac_dim, 0)
            self.assertGreaterEqual(h.t_rec, h.t_enc)
            self.assertEqual(h.max_result_age_ms, 60000, "the --max-result-age-ms the server was started with")

    def test_freshness_options_and_server_counters(self):
        # a small receive buffer and disconnect-on-overflow are accepted; STATUS carries the server's counters
        with Client(port=self.server.port, name="strict", recv_buffer=4096) as c:
            st = c.subscribe(factors=True, rates=False, decoded=False, disconnect_on_overflow=True)
            for name in ("handshake_timeouts", "auth_failures", "stale_drops", "overflow_disconnects"):
                self.assertIn(name, st.server)
            first = next(c.results(1))
            self.assertEqual(first.client_drops, 0)

    def test_results_arrive_in_sequence_with_ordered_timestamps(self):
        # push mode: every result is sent while the client keeps up (in credit mode a client busy when a result is made
        # gets the newer one instead, which a loaded test machine would turn into seq gaps)
        with Client(port=self.server.port) as c:
            c.subscribe(factors=True, rates=True, decoded=False, credit=False)
            got = list(c.results(30))
        seqs = [r.seq for r in got]
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + 30)))
        for r in got:
            self.assertEqual(len(r.factors), c.handshake.fac_dim)
            self.assertEqual(len(r.rates), c.handshake.n_out)
            self.assertEqual(r.decoded, [])
            self.assertTrue(all(math.isfinite(v) for v in r.factors))
            self.assertTrue(all(v > 0 for v in r.rates), "rates are exp(log-rates)")
            self.assertTrue(r.t_source_ns <= r.t_accept_ns <= r.t_backend_start_ns <= r.t_backend_done_ns <= r.t_encode_ns)
            self.assertEqual(r.client_drops, 0)

    def test_decimation_and_stream_selection(self):
        with Client(port=self.server.port) as c:
            c.subscribe(factors=False, rates=True, decoded=False, decimation=5, credit=False)
            got = list(c.results(10))
        self.assertEqual([b.seq - a.seq for a, b in zip(got, got[1:])], [5] * 9)
        self.assertTrue(all(r.factors == [] for r in got))

    def test_credit_mode_is_the_default_and_its_gaps_are_the_client_drops(self):
        with Client(port=self.server.port, name="puller") as c:
            self.assertTrue(c.handshake.features & 1, "HANDSHAKE offers credit mode")
            c.subscribe(factors=True, rates=False, decoded=False)
            self.assertTrue(c.credit_mode)
            got = []
            for r in c.results(30):
                got.append(r)
                self.assertEqual(c._outstanding, 0, "no credit is held while the caller has a result")
        for a, b in zip(got, got[1:]):
            self.assertGreater(b.seq, a.seq)
            self.assertEqual(b.seq - a.seq - 1, b.client_drops - a.client_drops, "a seq gap is exactly the drops")
        with Client(port=self.server.port, name="window") as c:
            c.subscribe(factors=True, rates=False, decoded=False, credit_window=4)
            self.assertEqual(len(list(c.results(10))), 10)
            with self.assertRaises(ValueError):
                c.subscribe(credit_window=65)
        with Client(port=self.server.port, name="bad-credit") as c:
            c.send_raw(_frame(CREDIT, struct.pack("<I", 1)))  # not subscribed in credit mode
            with self.assertRaises(ProtocolError) as e:
                c.read()
            self.assertEqual(e.exception.code, 5, "OUT_OF_ORDER")

    def test_ping_round_trip(self):
        with Client(port=self.server.port) as c:
            rtts = [c.ping() for _ in range(20)]
        self.assertTrue(all(r > 0 for r in rtts))

    def test_status_reports_the_pipeline(self):
        with Client(port=self.server.port) as c:
            status = c.subscribe(factors=True, rates=False, decoded=False)
            self.assertGreaterEqual(status.clients, 1)
            self.assertIn("backend_fault", status.drops)
            first = status.published
            # STATUS comes once per status interval, and two in a row can carry the same count (on a loaded
            # machine no bin may finish in between): wait for one that shows progress; the deadline only
            # guards against a hang.
            latest = first
            deadline = time.monotonic() + 120
            while latest <= first and time.monotonic() < deadline:
                m = c.read()
                if m.kind == "Status":
                    latest = m.published
            self.assertGreater(latest, first)

    def test_a_bad_frame_gets_a_named_error(self):
        with Client(port=self.server.port) as c:
            c.send_raw(struct.pack("<IBBH", 4, 0x55, 1, 0))
            with self.assertRaises(ProtocolError) as e:
                while True:
                    c.read()
            self.assertEqual(e.exception.code, 2)
            self.assertIn("0x55", e.exception.message)

    def test_print_results_example(self):
        out = subprocess.run([sys.executable, os.path.join(ROOT, "clients", "python", "examples", "print_results.py"),
                              "--port", str(self.server.port), "--count", "5"],
                             capture_output=True, text=True, timeout=240)
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.strip().splitlines()
        self.assertTrue(lines[0].startswith("connected: stream lfads-rt:lorenz-synthetic"), lines[0])
        self.assertEqual(len([l for l in lines if l.startswith("seq ")]), 5, out.stdout)

    def http_get(self, path):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=60)
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        return data.split(b"\r\n")[0], data

    def test_http_views_share_the_port(self):
        status, body = self.http_get("/status.json")
        self.assertIn(b"200 OK", status)
        self.assertIn(b'"bins_in"', body)
        status, body = self.http_get("/metrics")
        self.assertIn(b"200 OK", status)
        self.assertIn(b"lfadsrt_bins_in_total ", body)
        self.assertIn(b"lfadsrt_handshake_timeouts_total ", body)
        self.assertIn(b"lfadsrt_pending_handshakes ", body)
        self.assertIn(b'lfadsrt_latency_seconds{stage="end_to_end",quantile="0.99"}', body)
        status, body = self.http_get("/")
        self.assertIn(b"lfads-rt live", body)
        status, _ = self.http_get("/nope")
        self.assertIn(b"404", status)


if __name__ == "__main__":
    unittest.main()
