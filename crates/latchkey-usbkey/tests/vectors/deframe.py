#!/usr/bin/env python3
"""Turns a libfido2 fuzz/wiredata_fido2.h macro (64-byte CTAPHID reports from a key)
into the CTAP2 answers it carries, one hex line each, without the status byte.

    python3 deframe.py wiredata_fido2.h WIREDATA_CTAP_CBOR_CREDMAN_RPLIST

CTAP 2.1 §11.2.4: an initialization packet is CID(4) ‖ CMD(1, bit 7 set) ‖ BCNT(2, BE)
‖ data; a continuation packet is CID(4) ‖ SEQ(1, bit 7 clear) ‖ data. Written for these
fixtures only; used to make them, not by the tests.
"""
import re
import sys


def macro_bytes(header, name):
    text = open(header).read()
    m = re.search(r"#define " + name + r"\s*\\\n((?:.*\\\n)*.*\n)", text)
    return bytes(int(h, 16) for h in re.findall(r"0x([0-9a-fA-F]{2})", m.group(1)))


def messages(data):
    packets = [data[i : i + 64] for i in range(0, len(data), 64)]
    out, cur, want, seq = [], None, 0, 0
    for p in packets:
        if p[4] & 0x80:
            assert cur is None, "new message before the last one ended"
            cmd, want = p[4], int.from_bytes(p[5:7], "big")
            cur, seq = bytearray(p[7 : 7 + min(want, 57)]), 0
        else:
            assert cur is not None and p[4] == seq, "continuation out of order"
            cur += p[5 : 5 + min(want - len(cur), 59)]
            seq += 1
        if len(cur) == want:
            assert cmd == 0x90, "not a CTAPHID_CBOR answer"
            assert cur[0] == 0x00, "CTAP status not OK"
            out.append(bytes(cur[1:]))
            cur = None
    assert cur is None, "truncated message"
    return out


if __name__ == "__main__":
    for msg in messages(macro_bytes(sys.argv[1], sys.argv[2])):
        print(msg.hex())
