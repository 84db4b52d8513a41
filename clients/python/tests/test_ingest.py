"""Closed loop through the TCP ingest: push bins from Python, get their results back on the rig socket."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
from lfads_rt_client import Client, IngestClient  # noqa: E402
from server_process import ServerProcess  # noqa: E402
import latency  # noqa: E402


class IngestClosedLoop(unittest.TestCase):
    def setUp(self):
        self.server = ServerProcess("--source", "tcp:0", "--status-ms", "200", "--max-result-age-ms", "60000")
        self.assertIsNotNone(self.server.ingest_port, "\n".join(self.server.lines))

    def tearDown(self):
        code, output = self.server.stop()
        self.assertIn(code, (0, 130), output)  # 130: ended by SIGINT, as Ctrl-C

    def test_each_pushed_bin_produces_its_result(self):
        with Client(port=self.server.port) as c:
            c.subscribe(factors=True, rates=False, decoded=False)
            n_in = c.handshake.n_in
            with IngestClient(port=self.server.ingest_port) as ingest:
                for i in range(30):
                    ingest.send_counts([(i + ch) % 3 for ch in range(n_in)], i)
                    r = next(c.results(1))
                    self.assertEqual(r.bin, i)
                    self.assertEqual(r.seq, i)
                # spike events: two bins of 10 ms (the default bin width) on the acquisition clock
                ingest.send_spikes([(0, 100_000_000), (1, 101_000_000), (0, 109_000_000)])
                ingest.tick(110_000_000)  # closes the first event bin
                r = next(c.results(1))
                self.assertEqual(r.bin, 30)
                ingest.tick(120_000_000)  # closes an empty bin
                r = next(c.results(1))
                self.assertEqual(r.bin, 31)

    def test_wrong_channel_count_is_reported_to_the_acquisition_peer(self):
        with IngestClient(port=self.server.ingest_port) as ingest:
            ingest.send_counts([1, 2, 3])
            data = ingest.sock.recv(4096)
        self.assertEqual(data[4], 0x7F)
        self.assertIn(b"3 channels", data)

    def test_latency_example_measures_both_paths(self):
        out = latency.main(["--port", str(self.server.port), "--ingest", str(self.server.ingest_port), "--count", "30"])
        self.assertEqual(len(out["ping"]), 30)
        self.assertEqual(len(out["closed_loop"]), 30)
        self.assertTrue(all(v > 0 for v in out["closed_loop"]))


if __name__ == "__main__":
    unittest.main()
