#!/usr/bin/python3
"""gen-cisco-like.py - write cisco-like.pcap: a CDPv2 frame shaped like a Catalyst's, with many
TLVs, built by scapy (an implementation independent of ours), once untagged and once inside an
802.1Q tag (VLAN 10, PCP 6). Run with the Debian interpreter: /usr/bin/python3 gen-cisco-like.py
"""
import os
import struct
import warnings

warnings.filterwarnings("ignore")
from scapy.all import Dot1Q, Dot3, Ether, LLC, SNAP, wrpcap  # noqa: E402
from scapy.contrib.cdp import (CDPAddrRecordIPv4, CDPAddrRecordIPv6, CDPMsg,  # noqa: E402
                               CDPMsgAddr, CDPMsgCapabilities, CDPMsgDeviceID,
                               CDPMsgDuplex, CDPMsgMgmtAddr, CDPMsgNativeVLAN,
                               CDPMsgPlatform, CDPMsgPortID, CDPMsgPower, CDPMsgProtoHello,
                               CDPMsgSoftwareVersion, CDPMsgVoIPVLANReply,
                               CDPMsgVTPMgmtDomain, CDPv2_HDR)

SRC = "00:1b:d4:aa:bb:18"
VERSION = (b"Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.0(2)SE11, "
           b"RELEASE SOFTWARE (fc3)\nTechnical Support: http://www.cisco.com/techsupport\n"
           b"Copyright (c) 1986-2017 by Cisco Systems, Inc.\nCompiled Sat 19-Aug-17 09:34 by prod_rel_team")
# cluster-management hello: master IP, unknown IP, version, sub-version, status, unknown,
# commander MAC, switch MAC, unknown, management VLAN (27 bytes, as Catalysts send it)
HELLO = (bytes([192, 0, 2, 10]) + bytes(4) + bytes([1, 2, 0x21, 0xff]) + bytes(6) +
         bytes.fromhex("001bd4aabb00") + bytes([0]) + struct.pack("!H", 1))
assert len(HELLO) == 27


def pdu():
    msgs = [CDPMsgDeviceID(val=b"SW-CORE-1.example.net"),
            CDPMsgAddr(naddr=2, addr=[CDPAddrRecordIPv4(addr="192.0.2.10"),
                                      CDPAddrRecordIPv6(addr="2001:db8::10")]),
            CDPMsgPortID(iface=b"GigabitEthernet1/0/24"),
            CDPMsgCapabilities(cap=0x29),                       # Router, Switch, IGMP
            CDPMsgSoftwareVersion(val=VERSION),
            CDPMsgPlatform(val=b"cisco WS-C3750X-48P"),
            CDPMsgProtoHello(len=4 + 3 + 2 + len(HELLO), oui=0x00000c, protocol_id=0x0112, data=HELLO),
            CDPMsgVTPMgmtDomain(val=b"CORP"),
            CDPMsgNativeVLAN(vlan=10),
            CDPMsgDuplex(duplex=1),
            CDPMsgVoIPVLANReply(status=1, vlan=110),           # 0x0e: kept raw by us
            CDPMsgPower(power=15400),                           # 0x10: 15.4 W
            CDPMsg(type=0x0011, val=struct.pack("!I", 1500)),    # MTU (u32)
            CDPMsg(type=0x0012, val=b"\x00"),                  # trust bitmap: raw
            CDPMsg(type=0x0013, val=b"\x00"),                  # untrusted CoS: raw
            CDPMsg(type=0x0014, val=b"SW-CORE-1"),             # system name
            CDPMsgMgmtAddr(naddr=1, addr=[CDPAddrRecordIPv4(addr="192.0.2.10")]),
            CDPMsg(type=0x0019, val=struct.pack("!HHIII", 7, 1, 15400, 12950, 6300)),  # power requested
            CDPMsg(type=0x001a, val=struct.pack("!HHII", 7, 1, 15400, 0xffffffff)),    # power available
            CDPMsg(type=0x1234, val=b"vendor\x01")]             # unknown: raw, last byte 0x01
    return CDPv2_HDR(vers=2, ttl=180, msg=msgs)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    llc = LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0x0c, code=0x2000) / pdu()
    untagged = Dot3(src=SRC, dst="01:00:0c:cc:cc:cc") / llc
    # tagged: Ethernet + 802.1Q, then the 802.3 length (scapy's Dot1Q type field carries it)
    inner = bytes(llc)
    tagged = Ether(src=SRC, dst="01:00:0c:cc:cc:cc", type=0x8100) / Dot1Q(vlan=10, prio=6, type=len(inner)) / inner
    wrpcap(os.path.join(here, "cisco-like.pcap"), [untagged, tagged])
    print("wrote cisco-like.pcap: %d and %d bytes" % (len(bytes(untagged)), len(bytes(tagged))))


if __name__ == "__main__":
    main()
