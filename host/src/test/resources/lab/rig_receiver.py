"""Receives lfads-rt rig-output datagrams and decodes them with the standard library only, from the layouts in
docs/lab.md (not from the Java code): prints the bound port, then one JSON line per decoded result or message.

usage: rig_receiver.py udp|osc DATAGRAMS
  udp: the --udp-out datagram (little-endian, 56-byte header, float32 values)
  osc: OSC 1.0 messages (padded strings, big-endian int32/float32); floats printed as their IEEE-754 bits
"""
import json
import socket
import struct
import sys


def osc_string(data, off):
    end = data.index(b"\0", off)
    s = data[off:end].decode("ascii")
    return s, (end + 4) & ~3  # NUL-terminated, padded to a multiple of 4


def decode_osc(data):
    address, off = osc_string(data, 0)
    tags, off = osc_string(data, off)
    assert tags.startswith(","), tags
    args = []
    for t in tags[1:]:
        if t == "i":
            args.append(struct.unpack_from(">i", data, off)[0])
        elif t == "f":
            args.append(struct.unpack_from(">I", data, off)[0])  # the float's bits, for an exact comparison
        else:
            raise ValueError("unexpected type tag " + t)
        off += 4
    assert off == len(data), (off, len(data))
    return {"address": address, "tags": tags, "args": args}


def decode_udp(data):
    magic, version, header = struct.unpack_from("<4sHH", data, 0)
    assert magic == b"LFRU", magic
    assert version == 1 and header == 56, (version, header)
    seq, bin_index, t_source, t_send, flags, dropped, nf, nr, nd, reserved = struct.unpack_from("<QqqqIIHHHH", data, 8)
    n = nf + nr + nd
    assert len(data) == header + 4 * n, (len(data), n)
    bits = list(struct.unpack_from("<%dI" % n, data, header))
    return {"seq": seq, "bin_index": bin_index, "t_source": t_source, "t_send": t_send, "flags": flags,
            "dropped": dropped, "factors": bits[:nf], "rates": bits[nf:nf + nr], "decoded": bits[nf + nr:]}


def main():
    mode, count = sys.argv[1], int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1], flush=True)
    for _ in range(count):
        data, _ = s.recvfrom(65536)
        print(json.dumps(decode_udp(data) if mode == "udp" else decode_osc(data)), flush=True)


if __name__ == "__main__":
    main()
