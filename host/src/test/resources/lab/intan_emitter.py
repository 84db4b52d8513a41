"""Plays Intan RHX's TCP spike output: serves one connection and sends 14-byte spike chunks (uint32 magic
0x3ae2710f, 5-char native channel name, uint32 timestamp, uint8 id; little-endian), with a few garbage bytes once
(a reader must resynchronise on the magic). Prints the port and the expected bins computed here, independently:
bin = (timestamp - first timestamp) // BIN_SAMPLES, artifacts (0x80) and unlisted channels not counted, a bin
complete once a chunk 128 samples (one RHX block) past its end was sent; chunks in RHX's order (per 128-sample block, channel by channel).

usage: intan_emitter.py SEED CHANNELS(comma-separated, model order) BIN_SAMPLES
"""
import json
import random
import socket
import struct
import sys

MAGIC = 0x3ae2710f


def chunk(name, ts, spike_id):
    return struct.pack("<I5sIB", MAGIC, name.encode("ascii"), ts, spike_id)


def main():
    seed, names, bin_samples = int(sys.argv[1]), sys.argv[2].split(","), int(sys.argv[3])
    rng = random.Random(seed)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    print(server.getsockname()[1], flush=True)
    all_names = names + ["B-010"]  # B-010 is not in the model's list
    t = 1_000_000 + rng.randrange(30000)
    spikes = []
    for k in range(3000):
        t += rng.randrange(0, 40)
        spikes.append((t, rng.choice(all_names), rng.choice([0x01, 0x02, 0x40, 0x80])))
    # RHX sends each 128-sample data block's spikes channel by channel: in time order per channel only
    block0 = spikes[0][0]
    spikes.sort(key=lambda s: ((s[0] - block0) // 128, s[1], s[0]))
    first = spikes[0][0]
    data = bytearray()
    counts = {}
    for k, (ts, name, spike_id) in enumerate(spikes):
        data += chunk(name, ts, spike_id)
        if k == 1500:
            data += b"\x0f\x71\xe2"  # a torn chunk: three bytes of a magic, then the next real chunk
        if spike_id != 0x80 and name in names:
            b = max(0, (ts - first) // bin_samples)  # before the first chunk: counted in the first bin
            counts.setdefault(b, [0] * len(names))[names.index(name)] += 1
    complete = (max(s[0] for s in spikes) - 128 - first) // bin_samples  # complete: a chunk 128 samples past its end
    bins = [counts.get(b, [0] * len(names)) for b in range(complete)]
    print(json.dumps(bins), flush=True)
    conn, _ = server.accept()  # the reader connects when it first needs a bin
    conn.sendall(bytes(data))
    conn.recv(1)  # hold the connection until the reader closes it
    conn.close()


if __name__ == "__main__":
    main()
