"""Emits thresholdExtraction-style entries to a Redis stream, as BRAND's brand-nsp thresholdExtraction node writes
them: `crossings` int16[n_ch] (0/1 per 1 ms), `timestamps` (the first sample, uint32), `sync` JSON
{"nsp_idx_1": k} and `ts` uint64 monotonic ns. Seeded; no pacing (the consumer must keep every entry).

usage: brand_producer.py SOCKET STREAM ENTRIES CHANNELS SEED
"""
import json
import random
import struct
import sys
import time

import redis


def main():
    sock, stream, entries, channels, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    r = redis.Redis(unix_socket_path=sock)
    rng = random.Random(seed)
    pipe = r.pipeline(transaction=False)
    for k in range(entries):
        crossings = [1 if rng.random() < 0.08 else 0 for _ in range(channels)]
        pipe.xadd(stream, {
            "crossings": struct.pack("<%dh" % channels, *crossings),
            "timestamps": struct.pack("<I", 30 * k),
            "sync": json.dumps({"nsp_idx_1": k}),
            "ts": struct.pack("<Q", time.monotonic_ns()),
        })
        if k % 100 == 99:
            pipe.execute()
    pipe.execute()
    print("produced %d" % entries, flush=True)


if __name__ == "__main__":
    main()
