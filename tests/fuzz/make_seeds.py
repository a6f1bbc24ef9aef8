#!/usr/bin/python3
"""Writes the seed corpora of the packet fuzz targets (src/**/*_fuzz.cc) into tests/fuzz/<target>/,
where scripts/fuzz picks them up. Re-run after changing the topology a target builds:

    /usr/bin/python3 tests/fuzz/make_seeds.py

graph_fuzz input: a flags byte (1 unresolved ECMP path, 2 receive by Poll with the trace on,
4 recompute IPv4 header checksums), then frames as [port][length, 2 bytes big endian][bytes].
neighbor_fuzz input: records as [kind][length, 2 bytes big endian][bytes] (see the target).
Addresses follow the targets' topologies (documentation prefixes only).
"""
import os
import struct

from scapy.all import (ARP, ICMP, IP, UDP, TCP, Dot1Q, Ether, IPv6, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, IPOption_Router_Alert, RouterAlert,
                       Raw, fragment)

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "02:00:00:00:00:aa"
IF0 = "02:00:00:00:00:01"  # port 0
IF12 = "02:00:00:00:01:01"  # port 1 (VLAN 10 and 20)
BCAST = "ff:ff:ff:ff:ff:ff"


def p0(l3):
    return bytes(Ether(dst=IF0, src=HOST) / l3)


def p1(vlan, l3, dst=IF12):
    return bytes(Ether(dst=dst, src="02:00:00:00:02:02") / Dot1Q(vlan=vlan) / l3)


def burst(frames, flags=0):
    out = bytes([flags])
    for port, f in frames:
        out += struct.pack(">BH", port, len(f)) + f
    return out


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def graph():
    pay = Raw(bytes(range(32)))
    udp4 = IP(src="192.0.2.2", dst="203.0.113.70") / UDP(sport=1000, dport=2000) / pay
    s = {
        "arp_request": [(0, bytes(Ether(dst=BCAST, src=HOST) / ARP(
            op=1, hwsrc=HOST, psrc="192.0.2.2", pdst="192.0.2.1")))],
        "arp_reply_vlan": [(1, p1(10, ARP(op=2, hwsrc="02:00:00:00:02:02", psrc="198.51.100.2",
                                          hwdst=IF12, pdst="198.51.100.1")))],
        "udp4_ecmp": [(0, p0(udp4))],
        "udp4_ecmp_unresolved": [(0, p0(udp4))],
        "icmp4_echo_local": [(0, p0(IP(src="192.0.2.2", dst="192.0.2.1") / ICMP() / pay))],
        "icmp4_ttl1": [(0, p0(IP(src="192.0.2.2", dst="203.0.113.70", ttl=1) / ICMP() / pay))],
        "icmp4_error_ttl1": [(0, p0(IP(src="192.0.2.2", dst="203.0.113.70", ttl=1) /
                                    ICMP(type=3, code=1) / IP(src="203.0.113.70",
                                                              dst="192.0.2.2") / UDP()))],
        "udp4_reject_noroute_discard": [
            (0, p0(IP(src="192.0.2.2", dst="203.0.113.200") / UDP() / pay)),
            (0, p0(IP(src="192.0.2.2", dst="198.18.0.1") / UDP() / pay)),
            (0, p0(IP(src="192.0.2.2", dst="203.0.113.130") / UDP() / pay)),
            (0, p0(IP(src="192.0.2.2", dst="203.0.113.230") / UDP() / pay)),
            (0, p0(IP(src="192.0.2.2", dst="203.0.113.40") / UDP() / pay)),
            (0, p0(IP(src="192.0.2.2", dst="192.0.2.77") / UDP() / pay))],
        "udp4_fragment_needed": [(0, p0(IP(src="192.0.2.2", dst="203.0.113.70") / UDP() /
                                        Raw(b"x" * 1200)))],
        "udp4_df_too_big": [(0, p0(IP(src="192.0.2.2", dst="203.0.113.70", flags="DF") / UDP() /
                                   Raw(b"x" * 1300)))],
        "udp4_options": [(0, p0(IP(src="192.0.2.2", dst="203.0.113.5",
                                   options=[IPOption_Router_Alert()]) / UDP() / Raw(b"y" * 700)))],
        "ip4_fragments_in": [(0, p0(f)) for f in fragment(
            IP(src="192.0.2.2", dst="203.0.113.70") / UDP() / Raw(b"z" * 600), fragsize=200)],
        "broadcast_vlan20": [(1, p1(20, IP(src="203.0.113.2", dst="203.0.113.15") / UDP(), BCAST)),
                             (1, p1(20, IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68,
                                                                                       dport=67),
                                    BCAST))],
        "tcp4_vlan10": [(1, p1(10, IP(src="198.51.100.2", dst="192.0.2.2") / TCP() / pay))],
        "udp6_ecmp": [(0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:10::5") / UDP() / pay))],
        "udp6_hlim1": [(0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:10::5", hlim=1) / UDP()))],
        "udp6_reject_discard_unresolved": [
            (0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:11::1") / UDP())),
            (0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:12::1") / UDP())),
            (0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:13::1") / UDP())),
            (0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:99::1") / UDP())),
            (0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:1::77") / UDP()))],
        "udp6_too_big": [(0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:10::5") / UDP() /
                                Raw(b"x" * 1300)))],
        "icmp6_echo_local": [(0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:1::1") /
                                    ICMPv6EchoRequest()))],
        "icmp6_ns": [(0, bytes(Ether(dst="33:33:ff:00:00:01", src=HOST) /
                               IPv6(src="2001:db8:1::2", dst="ff02::1:ff00:1", hlim=255) /
                               ICMPv6ND_NS(tgt="2001:db8:1::1") / ICMPv6NDOptSrcLLAddr(
                                   lladdr=HOST)))],
        "icmp6_na_vlan": [(1, p1(10, IPv6(src="2001:db8:2::2", dst="2001:db8:2::1", hlim=255) /
                                 ICMPv6ND_NA(tgt="2001:db8:2::2", S=1, O=1) /
                                 ICMPv6NDOptDstLLAddr(lladdr="02:00:00:00:02:02")))],
        "icmp6_rs_linklocal": [(0, bytes(Ether(dst="33:33:00:00:00:02", src=HOST) /
                                         IPv6(src="fe80::2", dst="ff02::2", hlim=255) /
                                         ICMPv6ND_RS()))],
        "ip6_ext_chain": [(0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:10::5") /
                                 IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
                                 IPv6ExtHdrRouting(type=2, addresses=["2001:db8:10::6"]) /
                                 IPv6ExtHdrFragment(offset=0, m=1, id=7) / UDP() / pay))],
        "ip6_router_alert": [(0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:10::5") /
                                    IPv6ExtHdrHopByHop(options=[RouterAlert()]) / UDP()))],
        "ip6_later_fragment": [(0, p0(IPv6(src="2001:db8:1::2", dst="2001:db8:12::5") /
                                      IPv6ExtHdrFragment(offset=8, m=0, nh=58, id=9) /
                                      Raw(b"\x01\x00" + b"q" * 30)))],
        "ip6_rh0": [(1, p1(20, IPv6(src="2001:db8:3::2", dst="2001:db8:10::5") /
                             IPv6ExtHdrRouting(type=0, addresses=["2001:db8:10::6"]) / UDP()))],
    }
    for name, frames in s.items():
        flags = 1 if "unresolved" in name and "udp4" in name else 0
        write("graph_fuzz", name, burst(frames, flags))
    # Everything at once, in one vector, through the ports with the trace on.
    allf = [f for frames in s.values() for f in frames]
    write("graph_fuzz", "all_polled", burst(allf, 2))
    write("graph_fuzz", "all_injected", burst(allf * 2, 0))
    write("graph_fuzz", "all_fixed_checksums", burst(allf, 4))


def rec(kind, data):
    return struct.pack(">BH", kind, len(data)) + data


def neighbor():
    arp_req = bytes(ARP(op=1, hwsrc=HOST, psrc="192.0.2.2", pdst="192.0.2.1"))
    arp_rep = bytes(ARP(op=2, hwsrc=HOST, psrc="192.0.2.3", hwdst=IF0, pdst="192.0.2.1"))
    garp = bytes(ARP(op=1, hwsrc="02:00:00:00:00:bb", psrc="192.0.2.2", pdst="192.0.2.2"))
    ns = bytes(IPv6(src="2001:db8:1::2", dst="ff02::1:ff00:1", hlim=255) /
               ICMPv6ND_NS(tgt="2001:db8:1::1") / ICMPv6NDOptSrcLLAddr(lladdr=HOST))
    na = bytes(IPv6(src="2001:db8:1::3", dst="2001:db8:1::1", hlim=255) /
               ICMPv6ND_NA(tgt="2001:db8:1::3", S=1, O=1, R=0) /
               ICMPv6NDOptDstLLAddr(lladdr="02:00:00:00:00:cc"))
    na_noopt = bytes(IPv6(src="2001:db8:1::3", dst="2001:db8:1::1", hlim=255) /
                     ICMPv6ND_NA(tgt="2001:db8:1::3", S=1, O=0))
    rs = bytes(IPv6(src="fe80::2", dst="ff02::2", hlim=255) / ICMPv6ND_RS() /
               ICMPv6NDOptSrcLLAddr(lladdr=HOST))
    pkt4 = bytes(IP(src="198.51.100.9", dst="192.0.2.3") / UDP())
    pkt6 = bytes(IPv6(src="2001:db8:2::9", dst="2001:db8:1::3") / UDP())
    v4 = bytes([192, 0, 2, 3])
    v6 = bytes(IPv6(dst="2001:db8:1::3"))[24:40]
    tick = lambda ms: rec(3, struct.pack(">H", ms))
    seeds = {
        "arp_request": rec(0, arp_req),
        "arp_resolve_reply": rec(2, v4 + pkt4) * 4 + tick(500) + rec(0, arp_rep) + tick(60000),
        "arp_resolve_timeout": rec(2, v4 + pkt4) + tick(1000) * 4 + rec(2, v4 + pkt4),
        "garp_after_request": rec(0, arp_req) + rec(0, garp) + rec(4, b"\x01"),
        "ns_for_us": rec(1, ns),
        "nd_resolve_na": rec(0x82, v6 + pkt6) * 2 + rec(1, na) + rec(1, na_noopt) + tick(40000) +
                         rec(0x81, na) + tick(65535),
        "rs": rec(1, rs),
        "vlan_units": rec(0 | 8, arp_req) + rec(1 | 16, ns) + rec(4 | 8, b"\x04"),
    }
    for name, data in seeds.items():
        write("neighbor_fuzz", name, data)


if __name__ == "__main__":
    graph()
    neighbor()
