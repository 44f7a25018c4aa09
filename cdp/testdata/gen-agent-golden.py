#!/usr/bin/python3
"""gen-agent-golden.py - write agent-*.hex: the frames the agent must build in
golden_test.go, built independently with scapy's CDP classes (checksum included), as hex.
Run with the Debian interpreter: /usr/bin/python3 gen-agent-golden.py
"""
import os
import warnings

warnings.filterwarnings("ignore")
from scapy.all import Dot3, LLC, SNAP, raw  # noqa: E402
from scapy.contrib.cdp import (CDPAddrRecordIPv4, CDPAddrRecordIPv6, CDPMsgAddr,  # noqa: E402
                               CDPMsgCapabilities, CDPMsgDeviceID, CDPMsgDuplex,
                               CDPMsgNativeVLAN, CDPMsgPlatform, CDPMsgPortID,
                               CDPMsgSoftwareVersion, CDPMsgVTPMgmtDomain, CDPv2_HDR)

VERSION = b"LiSA-Go Software, Version 0.1.0, Linux 6.1.0-test #1 SMP"
PLATFORM = b"LiSA-Go x86_64"


def frame(src, version, ttl, port, addrs=True, igmp=True, vtp=None, native=None, duplex=None):
    msgs = [CDPMsgDeviceID(val=b"lisa-sw1")]
    if addrs:
        msgs.append(CDPMsgAddr(naddr=2, addr=[CDPAddrRecordIPv4(addr="192.0.2.1"),
                                              CDPAddrRecordIPv6(addr="2001:db8::1")]))
    msgs += [CDPMsgPortID(iface=port),
             CDPMsgCapabilities(cap=0x08 | (0x20 if igmp else 0)),
             CDPMsgSoftwareVersion(val=VERSION),
             CDPMsgPlatform(val=PLATFORM)]
    if vtp is not None:
        msgs.append(CDPMsgVTPMgmtDomain(val=vtp))
    if native is not None:
        msgs.append(CDPMsgNativeVLAN(vlan=native))
    if duplex is not None:
        msgs.append(CDPMsgDuplex(duplex=duplex))
    b = raw(Dot3(src=src, dst="01:00:0c:cc:cc:cc") / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
            SNAP(OUI=0x0c, code=0x2000) / CDPv2_HDR(vers=version, ttl=ttl, msg=msgs))
    return b + bytes(max(0, 60 - len(b)))


GOLDEN = {
    # trunk port, native VLAN 10, CDPv2, IGMP snooping, VTP domain LAB
    "agent-v2-trunk": frame("02:00:00:00:00:01", 2, 180, b"eth0", vtp=b"LAB", native=10, duplex=1),
    # access port, half duplex, CDPv1: no VTP domain, native VLAN or duplex TLVs
    "agent-v1-access": frame("02:00:00:00:00:02", 1, 180, b"vif1.0"),
    # shutdown of an access port: holdtime 0, CDPv2, duplex half
    "agent-v2-goodbye": frame("02:00:00:00:00:02", 2, 0, b"vif1.0", vtp=b"LAB", duplex=0),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for name, b in GOLDEN.items():
        text = "\n".join(b[i:i + 32].hex() for i in range(0, len(b), 32)) + "\n"
        with open(os.path.join(here, name + ".hex"), "w") as f:
            f.write(text)
        print("wrote %s.hex (%d bytes)" % (name, len(b)))


if __name__ == "__main__":
    main()
