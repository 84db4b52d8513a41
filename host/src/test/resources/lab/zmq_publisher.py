"""Plays the Open Ephys ZMQ Interface plugin (v1.0 frames): binds a PUB (as XPUB, to know when the subscriber is
subscribed) and the heartbeat REP, waits for the subscription and a client heartbeat {application, uuid,
type: "heartbeat"} (answered as the plugin does), then publishes per 10 ms block one DATA message per channel
(`DATA\\0` | JSON {message_num, type: "data", content: {stream, channel_num, channel_name, num_samples, sample_num,
sample_rate}, data_size, timestamp} | float32 samples) and spike events (`EVENT\\0` | JSON {message_num, type:
"spike", spike: {stream, source_node, electrode, sample_num, num_channels, num_samples, sorted_id, threshold}} |
float32 waveform). Prints the ports, the heartbeat it got, then the expected bins computed here, independently.

usage: zmq_publisher.py spikes|threshold SEED CHANNELS BIN_SAMPLES THRESHOLD
  spikes:    bins of spike events per electrode name "Electrode k" (in order of first appearance)
  threshold: bins of threshold crossings of the continuous data (prev >= thr and x < thr, 30-sample refractory)
"""
import json
import math
import random
import struct
import sys

import zmq

RATE = 30000
BLOCK = 300


def main():
    mode, seed, channels, bin_samples, thr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    rng = random.Random(seed)
    ctx = zmq.Context()
    pub = ctx.socket(zmq.XPUB)
    rep = ctx.socket(zmq.REP)
    pub_port = pub.bind_to_random_port("tcp://127.0.0.1")
    rep_port = rep.bind_to_random_port("tcp://127.0.0.1")
    print(pub_port, rep_port, flush=True)
    assert pub.poll(120000), "no subscriber"
    assert pub.recv()[0] == 1, "expected a subscription"
    assert rep.poll(120000), "no heartbeat"
    beat = json.loads(rep.recv())
    rep.send(b"heartbeat received")
    print(json.dumps(beat), flush=True)

    msg = 0
    t0 = 5_000_000
    counts = {}
    order = []  # electrode names in order of first appearance
    prev = [float("nan")] * channels
    last = [-10**9] * channels
    blocks = 40
    for blk in range(blocks + 1):
        start = t0 + blk * BLOCK
        final = blk == blocks  # the last block only completes the bins before it
        for ch in range(channels):
            if mode == "threshold":
                xs = [rng.gauss(0, 12) for _ in range(BLOCK)]
                for _ in range(rng.randrange(0, 4)):
                    at = rng.randrange(BLOCK - 5)
                    xs[at:at + 3] = [-80.0, -60.0, -20.0]
                xs = list(struct.unpack("<%df" % BLOCK, struct.pack("<%df" % BLOCK, *xs)))  # the float32 the reader sees
            else:
                xs = [math.sin(0.01 * (start + i)) for i in range(BLOCK)]
            if not final and mode == "threshold":
                for i, x in enumerate(xs):
                    s = start + i
                    if prev[ch] >= thr and x < thr and s - last[ch] > 30:
                        counts.setdefault((s - t0) // bin_samples, [0] * channels)[ch] += 1
                        last[ch] = s
                    prev[ch] = x
            msg += 1
            header = {"message_num": msg, "type": "data", "content": {"stream": "example_data", "channel_num": ch,
                      "channel_name": "CH%d" % (ch + 1), "num_samples": BLOCK, "sample_num": start,
                      "sample_rate": RATE}, "data_size": 4 * BLOCK, "timestamp": start / RATE * 1000}
            pub.send_multipart([b"DATA\0", json.dumps(header).encode(), struct.pack("<%df" % BLOCK, *xs)])
        if final or mode != "spikes":
            continue
        for _ in range(rng.randrange(0, 12)):
            s = start + rng.randrange(BLOCK)
            electrode = "Electrode %d" % rng.randrange(1, channels + 2)  # one more electrode than channels
            sorted_id = rng.randrange(0, 3)
            if electrode not in order:
                order.append(electrode)
            if order.index(electrode) < channels:
                counts.setdefault((s - t0) // bin_samples, [0] * channels)[order.index(electrode)] += 1
            msg += 1
            header = {"message_num": msg, "type": "spike", "spike": {"stream": "example_data", "source_node": 102,
                      "electrode": electrode, "sample_num": s, "num_channels": 1, "num_samples": 40,
                      "sorted_id": sorted_id, "threshold": [-50.0]}, "timestamp": s / RATE * 1000}
            pub.send_multipart([b"EVENT\0", json.dumps(header).encode(), struct.pack("<40f", *([0.0] * 40))])
    complete = (t0 + blocks * BLOCK - t0) // bin_samples
    print(json.dumps([counts.get(b, [0] * channels) for b in range(complete)]), flush=True)
    # answer heartbeats until the reader goes away (stdin closes)
    sys.stdin.read()


if __name__ == "__main__":
    main()
