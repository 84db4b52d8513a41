"""The MATLAB example client (clients/matlab/lfads_rt_print_results.m) run as is in GNU Octave against a live server:
every result it prints has the server's factors, bit for bit, as the Python client received them for the same
sequence numbers; it reads in credit mode (the server offers it), so its sequence numbers increase and every gap is
exactly the increase of the client_drops it prints."""
import os
import shutil
import struct
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lfads_rt_client import Client  # noqa: E402
from server_process import ROOT, ServerProcess  # noqa: E402

OCTAVE = shutil.which("octave") or shutil.which("octave-cli")
HAVE_INSTRUMENT_CONTROL = os.path.isdir("/usr/share/octave/packages") and any(
    d.startswith("instrument-control") for d in os.listdir("/usr/share/octave/packages"))


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


@unittest.skipUnless(OCTAVE and HAVE_INSTRUMENT_CONTROL,
                     "GNU Octave with instrument-control is not installed (scripts/setup.sh installs octave and "
                     "octave-instrument-control): the MATLAB client test is skipped")
class OctaveClientTest(unittest.TestCase):
    def setUp(self):
        # The reference reads in push mode and must get every result: an age bound a busy test machine cannot reach
        # (Octave and the server share its cores) keeps stale drops out of its way, as in test_client.py.
        self.server = ServerProcess("--backend", "float", "--max-result-age-ms", "60000")

    def tearDown(self):
        self.server.stop()

    def test_matlab_example_runs_in_octave(self):
        seen = {}
        stop = threading.Event()
        reference = Client(port=self.server.port, name="reference")
        reference.subscribe(factors=True, rates=False, decoded=False, credit=False)  # push: it gets every result

        def collect():
            try:
                while not stop.is_set():
                    msg = reference.read()
                    if msg.kind == "Result":
                        seen[msg.seq] = list(msg.factors)
            except (OSError, ConnectionError):
                pass

        reader = threading.Thread(target=collect, daemon=True)
        reader.start()
        count = 20
        script = ("r = lfads_rt_print_results('127.0.0.1', %d, %d); "
                  "for i = 1:rows(r), printf('ROW %%s\\n', sprintf('%%.9g ', r(i, :))); end") % (self.server.port, count)
        out = subprocess.run([OCTAVE, "--no-gui", "--no-window-system", "--quiet", "--norc", "--eval", script],
                             cwd=os.path.join(ROOT, "clients", "matlab"), capture_output=True, text=True, timeout=300)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("lfads-rt: credit mode", out.stdout, "the client uses credit mode when the server offers it")
        printed = [l for l in out.stdout.splitlines() if l.startswith("seq ")]
        self.assertEqual(len(printed), count, out.stdout)
        rows = [[float(v) for v in l.split()[1:]] for l in out.stdout.splitlines() if l.startswith("ROW ")]
        self.assertEqual(len(rows), count)
        seqs = [int(r[0]) for r in rows]
        drops = [int(r[1]) for r in rows]
        for i in range(1, count):
            self.assertGreater(seqs[i], seqs[i - 1], "increasing sequence numbers")
            self.assertEqual(seqs[i] - seqs[i - 1] - 1, drops[i] - drops[i - 1], "a seq gap is the client_drops increase")
        fac_dim = self.server_fac_dim(reference)
        # wait (bounded) until the reference client has the same results
        deadline_rounds = 600
        while seqs[-1] not in seen and deadline_rounds > 0 and reader.is_alive():
            threading.Event().wait(0.05)
            deadline_rounds -= 1
        stop.set()
        reference.close()
        for row in rows:
            seq, factors = int(row[0]), row[2:]
            self.assertEqual(len(factors), fac_dim)
            self.assertIn(seq, seen, "the reference client got seq %d" % seq)
            self.assertEqual([f32(x) for x in factors], [f32(x) for x in seen[seq]], "factors of seq %d" % seq)

    @staticmethod
    def server_fac_dim(client):
        return client.handshake.fac_dim


if __name__ == "__main__":
    unittest.main()
