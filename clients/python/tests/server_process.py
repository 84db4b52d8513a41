"""Starts host/target/lfads-rt.jar as a child process for the client tests and stops it with SIGINT."""
import os
import re
import signal
import subprocess
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
JAR = os.path.join(ROOT, "host", "target", "lfads-rt.jar")


class ServerProcess:
    def __init__(self, *args):
        if not os.path.exists(JAR):
            raise RuntimeError("%s is missing: build it first (make jar)" % JAR)
        cmd = ["java", "-jar", JAR, "run", "--port", "0"] + list(args)
        # SIGINT back to its default in the child: a shell that starts these tests in the background (nohup, `&`
        # without job control) passes SIGINT on as ignored, and the JVM then installs no Ctrl-C handler, so stop()
        # would find the server deaf to it.
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines = []
        self.port = None
        self.ingest_port = None
        ready = threading.Event()

        def pump():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                m = re.search(r"ingest listening on [\d.]+:(\d+)", line)
                if m:
                    self.ingest_port = int(m.group(1))
                m = re.search(r"lfads-rt: listening on [\d.]+:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        self.thread = threading.Thread(target=pump, daemon=True)
        self.thread.start()
        if not ready.wait(240) or self.port is None:  # a hang guard: a loaded machine starts the JVM slowly
            self.proc.kill()
            raise RuntimeError("server did not start:\n" + "\n".join(self.lines))

    def stop(self):
        """SIGINT, like Ctrl-C; returns (exit code, output)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.thread.join(5)
        self.proc.stdout.close()
        return code, "\n".join(self.lines)

    def wait_for_line(self, pattern, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for line in list(self.lines):
                if re.search(pattern, line):
                    return line
            time.sleep(0.05)
        return None
