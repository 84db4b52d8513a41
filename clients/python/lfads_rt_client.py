"""lfads-rt rig client: Python standard library only.

Speaks the lfads-rt rig protocol v1 (docs/protocol.md): little-endian frames
``u32 length | u8 type | u8 version | u16 flags | body``.

    from lfads_rt_client import Client
    with Client("127.0.0.1", 7411, name="my-rig") as c:
        print(c.handshake)
        c.subscribe(factors=True, rates=False, decoded=True, decimation=1)
        for r in c.results():
            print(r.seq, r.factors, r.decoded)

``subscribe`` uses credit mode when the server offers it (HANDSHAKE ``features``): ``results()`` grants one CREDIT
just before each blocking read, so nothing waits in this socket's receive buffer while the program does something
else, and the first result read after a pause of any length is at most ``max_result_age_ms`` old.

``IngestClient`` pushes binned counts or spike events to a host started with ``--source tcp:PORT``.
"""

import socket
import struct
import time

PROTOCOL_VERSION = 1
HELLO, HANDSHAKE, SUBSCRIBE, CREDIT, RESULT, STATUS, HEARTBEAT, ERROR = 0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x20, 0x7F
STREAM_FACTORS, STREAM_RATES, STREAM_DECODED = 1, 2, 4
HELLO_MAGIC = 0x5452464C  # "LFRT"

INGEST_BIN_COUNTS, INGEST_SPIKE_EVENTS, INGEST_TICK = 0x41, 0x42, 0x43
INGEST_TRIAL_START, INGEST_TRIAL_END, INGEST_END_OF_STREAM = 0x44, 0x45, 0x46

SUBSCRIBE_DISCONNECT_ON_OVERFLOW, SUBSCRIBE_CREDIT = 1, 2
FEATURE_CREDIT = 1  # HANDSHAKE features bit: the server speaks credit mode
MAX_CREDIT = 64  # most credit a client may have outstanding

ERROR_NAMES = {1: "UNSUPPORTED_VERSION", 2: "UNKNOWN_TYPE", 3: "MALFORMED", 4: "FRAME_TOO_LARGE",
               5: "OUT_OF_ORDER", 6: "UNAUTHORIZED", 7: "SHUTTING_DOWN", 8: "TOO_MANY_CLIENTS",
               9: "RATE_LIMITED", 10: "CONTROL_FAILED"}


class ProtocolError(Exception):
    """The server sent ERROR, or sent something this client cannot parse."""

    def __init__(self, code, message):
        super().__init__("%s (%d): %s" % (ERROR_NAMES.get(code, "ERROR"), code, message))
        self.code = code
        self.message = message


class Message:
    """A decoded message; fields are attributes. ``kind`` is the message name."""

    def __init__(self, kind, **fields):
        self.kind = kind
        self.__dict__.update(fields)

    def __repr__(self):
        items = ", ".join("%s=%r" % (k, v) for k, v in self.__dict__.items() if k != "kind")
        return "%s(%s)" % (self.kind, items)


def _frame(msg_type, body=b""):
    return struct.pack("<IBBH", 4 + len(body), msg_type, PROTOCOL_VERSION, 0) + body


def _string(s):
    b = s.encode("utf-8")
    return struct.pack("<H", len(b)) + b


class _Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, fmt):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ProtocolError(3, "frame truncated")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values if len(values) > 1 else values[0]

    def string(self):
        n = self.take("<H")
        if self.pos + n > len(self.data):
            raise ProtocolError(3, "string overruns frame")
        s = self.data[self.pos:self.pos + n].decode("utf-8")
        self.pos += n
        return s

    def floats(self, n):
        return list(self.take("<%df" % n)) if n > 1 else ([self.take("<f")] if n == 1 else [])


def decode_frame(msg_type, version, body):
    """Decodes one frame body into a Message."""
    if version != PROTOCOL_VERSION:
        raise ProtocolError(1, "server sent protocol version %d" % version)
    r = _Reader(body)
    if msg_type == HANDSHAKE:
        version, max_result_age_ms = r.take("<HH")
        session, mono, epoch = r.take("<Qqq")
        n_in, n_out, fac_dim, decoded_dim, t_enc, t_rec = r.take("<6I")
        bin_width_ns, srate, max_frame, queue = r.take("<qdII")
        names = ["stream_name", "stream_type", "source_id", "backend", "mode", "model", "channel_format"]
        strings = {k: r.string() for k in names}
        decoded_names = [r.string() for _ in range(r.take("<H"))]
        features = r.take("<H") if len(r.data) - r.pos >= 2 else 0  # absent from servers before credit mode
        return Message("Handshake", version=version, session=session, server_mono_ns=mono, server_epoch_ns=epoch,
                       n_in=n_in, n_out=n_out, fac_dim=fac_dim, decoded_dim=decoded_dim, t_enc=t_enc, t_rec=t_rec,
                       bin_width_ns=bin_width_ns, nominal_srate=srate, max_frame=max_frame, queue_bytes=queue,
                       max_result_age_ms=max_result_age_ms, features=features,
                       decoded_names=decoded_names, **strings)
    if msg_type == RESULT:
        seq, bin_index, t_source, t_accept, t_start, t_done, t_encode = r.take("<QQqqqqq")
        drops, flags, streams, _ = r.take("<IHBB")
        nf, nr, nd, _ = r.take("<4H")
        return Message("Result", seq=seq, bin=bin_index, t_source_ns=t_source, t_accept_ns=t_accept,
                       t_backend_start_ns=t_start, t_backend_done_ns=t_done, t_encode_ns=t_encode,
                       client_drops=drops, flags=flags, streams=streams,
                       factors=r.floats(nf), rates=r.floats(nr), decoded=r.floats(nd))
    if msg_type == STATUS:
        bins_in, published, dropped, client_drops = r.take("<4Q")
        clients, _ = r.take("<II")
        p50, p99, mx = r.take("<3q")
        rate = r.take("<d")
        drops = {}
        for _ in range(r.take("<H")):
            name = r.string()
            drops[name] = r.take("<Q")
        server = {}
        if r.pos < len(r.data):  # server counters (connections, authentication, freshness)
            for _ in range(r.take("<H")):
                name = r.string()
                server[name] = r.take("<Q")
        return Message("Status", bins_in=bins_in, published=published, dropped=dropped, client_drops=client_drops,
                       clients=clients, p50_ns=p50, p99_ns=p99, max_ns=mx, bins_per_s=rate, drops=drops, server=server)
    if msg_type == HEARTBEAT:
        sender, echo = r.take("<qq")
        return Message("Heartbeat", sender_ns=sender, echo_ns=echo)
    if msg_type == ERROR:
        code = r.take("<H")
        return Message("Error", code=code, message=r.string())
    raise ProtocolError(2, "unknown message type 0x%02x" % msg_type)


class Client:
    """A rig-protocol connection. Raises ProtocolError when the server reports an error."""

    def __init__(self, host="127.0.0.1", port=7411, name="python", token="", timeout=10.0, recv_buffer=None):
        """``recv_buffer``: SO_RCVBUF in bytes, set before connecting. The results the kernel holds for a client that
        stops reading are delivered first when it reads again, however old (docs/protocol.md, freshness); a small
        buffer (e.g. 4096) bounds how many that can be."""
        if recv_buffer:
            self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, recv_buffer)
            self.sock.settimeout(timeout)
            self.sock.connect((host, port))
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buf = bytearray()
        self.last_status = None
        self.credit_mode = False
        self.credit_window = 1
        self._outstanding = 0  # credit granted and not yet used by a RESULT
        self.send_raw(_frame(HELLO, struct.pack("<IHH", HELLO_MAGIC, PROTOCOL_VERSION, PROTOCOL_VERSION)
                             + _string(name) + _string(token)))
        self.handshake = self._read_until("Handshake")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def subscribe(self, factors=True, rates=True, decoded=True, decimation=1, disconnect_on_overflow=False, credit=None,
                  credit_window=1):
        """``credit``: credit (pull) mode, the default when the server offers it (None: use it if offered, unless
        ``disconnect_on_overflow``). The server then sends a result only when ``results()`` is waiting for one, and
        then the newest result at most ``max_result_age_ms`` old; what this client did not wait for is skipped,
        counted in ``client_drops`` and seen as a ``seq`` gap. ``credit_window``: results granted ahead (1..64); with
        more than 1, up to that many minus one results granted before a pause are read, older, after it.
        ``credit=False`` (push mode): every result is sent as it is made while the client keeps up; after a pause
        the results already in the kernel's buffers are read first, however old (docs/protocol.md).
        ``disconnect_on_overflow`` (push mode only): be disconnected rather than lose a result."""
        supported = bool(self.handshake.features & FEATURE_CREDIT)
        if credit is None:
            credit = supported and not disconnect_on_overflow
        if credit and not supported:
            raise ProtocolError(2, "this server does not offer credit mode (HANDSHAKE features 0x%x)" % self.handshake.features)
        if not 1 <= credit_window <= MAX_CREDIT:
            raise ValueError("credit_window must be 1..%d, got %r" % (MAX_CREDIT, credit_window))
        streams = (STREAM_FACTORS if factors else 0) | (STREAM_RATES if rates else 0) | (STREAM_DECODED if decoded else 0)
        flags = (SUBSCRIBE_DISCONNECT_ON_OVERFLOW if disconnect_on_overflow else 0) | (SUBSCRIBE_CREDIT if credit else 0)
        self.send_raw(_frame(SUBSCRIBE, struct.pack("<BBH", streams, flags, decimation)))
        self.credit_mode, self.credit_window, self._outstanding = bool(credit), credit_window, 0
        return self._read_until("Status")

    def grant(self, n=1):
        """Credit mode: tells the server this client is ready to read ``n`` more results (CREDIT)."""
        self.send_raw(_frame(CREDIT, struct.pack("<I", n)))
        self._outstanding += n

    def _recv_exact(self, n):
        while len(self._buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self._buf += chunk
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def read(self):
        """Next message (Result, Status, Heartbeat, ...). ERROR raises ProtocolError."""
        length = struct.unpack("<I", self._recv_exact(4))[0]
        if length < 4:
            raise ProtocolError(3, "frame length %d" % length)
        frame = self._recv_exact(length)
        msg_type, version, _ = struct.unpack_from("<BBH", frame)
        msg = decode_frame(msg_type, version, frame[4:])
        if msg.kind == "Error":
            raise ProtocolError(msg.code, msg.message)
        if msg.kind == "Status":
            self.last_status = msg
        elif msg.kind == "Result" and self._outstanding > 0:
            self._outstanding -= 1
        return msg

    def _read_until(self, kind):
        while True:
            msg = self.read()
            if msg.kind == kind:
                return msg

    def results(self, count=None):
        """Yields results (skipping status and heartbeats); stops after ``count`` when given. In credit mode it grants
        credit just before each blocking read, up to ``credit_window`` outstanding, and never while the caller has the
        result: a caller that pauses holds (with the default window of 1) no credit, and nothing is sent to it."""
        n = 0
        while count is None or n < count:
            if self.credit_mode and self._outstanding < self.credit_window:
                self.grant(self.credit_window - self._outstanding)
            msg = self.read()
            if msg.kind == "Result":
                n += 1
                yield msg

    def ping(self):
        """Round trip to the server's event loop and back, in seconds (HEARTBEAT echo)."""
        t0 = time.monotonic_ns()
        self.send_raw(_frame(HEARTBEAT, struct.pack("<qq", t0, 0)))
        while True:
            msg = self.read()
            if msg.kind == "Heartbeat" and msg.echo_ns == t0:
                return (time.monotonic_ns() - t0) / 1e9


class IngestClient:
    """Pushes spikes to a host running ``--source tcp:PORT`` (docs/protocol.md, Ingest)."""

    def __init__(self, host="127.0.0.1", port=7412, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def send_counts(self, counts, t_ns=0):
        """One complete bin: a count per channel (0..65535)."""
        body = struct.pack("<qH", t_ns, len(counts)) + struct.pack("<%dH" % len(counts), *counts)
        self.sock.sendall(_frame(INGEST_BIN_COUNTS, body))

    def send_spikes(self, events):
        """Spike events [(channel, t_ns), ...] in time order, on the acquisition clock."""
        body = struct.pack("<H", len(events)) + b"".join(struct.pack("<Hq", ch, t) for ch, t in events)
        self.sock.sendall(_frame(INGEST_SPIKE_EVENTS, body))

    def tick(self, t_ns):
        self.sock.sendall(_frame(INGEST_TICK, struct.pack("<q", t_ns)))

    def trial_start(self):
        self.sock.sendall(_frame(INGEST_TRIAL_START))

    def trial_end(self):
        self.sock.sendall(_frame(INGEST_TRIAL_END))

    def end_of_stream(self):
        self.sock.sendall(_frame(INGEST_END_OF_STREAM))
