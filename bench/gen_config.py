#!/usr/bin/python3
"""Generates a large Junos configuration for the configuration benchmarks.

The mix follows issue 2: static routes, interface units (with VLANs and addresses) and a large
block of configuration used through groups. Prefixes come from documentation and private
ranges only; it is a text generator, nothing is sent anywhere.

usage: gen_config.py LINES [VARIANT] [--json]   (prints to stdout)

--json prints the same configuration, groups expanded, as YANG JSON instance data of the
modules in yang/, for the libyang (yanglint) reference measurement.

VARIANT != 0 changes the next hop of every 100th route, for `show | compare` timing.
"""
import ipaddress
import json
import sys


def build(lines, variant=0):
    # Proportions per 100k lines: ~20k routes, ~4k units (~7 lines each), rest in groups.
    n_routes = lines // 5
    n_units = lines // 25
    n_group_units = max(1, (lines - n_routes - n_units * 7) // 7)
    out = []
    w = out.append
    w("version 24.2R1;")
    w("groups {")
    w("    bulk {")
    w("        interfaces {")
    per_if = 1000
    for i in range(n_group_units):
        if i % per_if == 0:
            if i:
                w("            }")
            w(f"            xe-1/{i // per_if // 48}/{i // per_if % 48} {{")
            w("                vlan-tagging;")
        unit = i % per_if + 1
        w(f"                unit {unit} {{")
        w(f'                    description "bulk unit {i}";')
        w(f"                    vlan-id {unit % 4094 + 1};")
        w("                    family inet6 {")
        w(f"                        address 2001:db8:{i // 65536:x}:{i % 65536:x}::1/64;")
        w("                    }")
        w("                }")
    w("            }")
    w("        }")
    w("    }")
    w("}")
    w("apply-groups bulk;")
    w("system {")
    w("    host-name bench;")
    w("    name-server {")
    w("        192.0.2.53;")
    w("    }")
    w("}")
    w("interfaces {")
    per_if = 500
    for i in range(n_units):
        if i % per_if == 0:
            if i:
                w("    }")
            w(f"    ge-0/{i // per_if // 48}/{i // per_if % 48} {{")
            w("        vlan-tagging;")
        unit = i % per_if + 1
        a = ipaddress.IPv4Address("10.0.0.0") + 4 * i
        w(f"        unit {unit} {{")
        w(f"            description \"customer {i}\";")
        w(f"            vlan-id {unit};")
        w("            family inet {")
        w(f"                address {a + 1}/30;")
        w("            }")
        w("        }")
    w("    }")
    w("}")
    w("routing-options {")
    w("    router-id 192.0.2.1;")
    w("    autonomous-system 64512;")
    w("    static {")
    base = ipaddress.IPv4Address("172.16.0.0")
    for i in range(n_routes):
        p = base + 256 * i
        nh = ipaddress.IPv4Address("10.0.0.0") + 4 * (i % max(n_units, 1)) + 2
        if variant and i % 100 == 0:
            nh = ipaddress.IPv4Address("192.0.2.1")
        w(f"        route {p}/24 next-hop {nh};")
    w("    }")
    w("}")
    return out


def build_json(lines, variant=0):
    """The configuration of build(), as the effective data (groups applied) in YANG JSON."""
    n_routes = lines // 5
    n_units = lines // 25
    n_group_units = max(1, (lines - n_routes - n_units * 7) // 7)
    ifaces = {}
    for i in range(n_group_units):
        name = f"xe-1/{i // 1000 // 48}/{i // 1000 % 48}"
        unit = i % 1000 + 1
        ifc = ifaces.setdefault(name, {"name": name, "vlan-tagging": [None], "unit": []})
        ifc["unit"].append({"name": unit, "description": f"bulk unit {i}",
                            "vlan-id": unit % 4094 + 1,
                            "family": {"inet6": {"address": [
                                {"name": f"2001:db8:{i // 65536:x}:{i % 65536:x}::1/64"}]}}})
    for i in range(n_units):
        name = f"ge-0/{i // 500 // 48}/{i // 500 % 48}"
        unit = i % 500 + 1
        a = ipaddress.IPv4Address("10.0.0.0") + 4 * i
        ifc = ifaces.setdefault(name, {"name": name, "vlan-tagging": [None], "unit": []})
        ifc["unit"].append({"name": unit, "description": f"customer {i}", "vlan-id": unit,
                            "family": {"inet": {"address": [{"name": f"{a + 1}/30"}]}}})
    routes = []
    base = ipaddress.IPv4Address("172.16.0.0")
    for i in range(n_routes):
        nh = ipaddress.IPv4Address("10.0.0.0") + 4 * (i % max(n_units, 1)) + 2
        if variant and i % 100 == 0:
            nh = ipaddress.IPv4Address("192.0.2.1")
        routes.append({"name": f"{base + 256 * i}/24", "next-hop": [str(nh)]})
    return {
        "sabina-version:version": "24.2R1",
        "sabina-system:system": {"host-name": "bench", "name-server": [{"name": "192.0.2.53"}]},
        "sabina-interfaces:interfaces": {"interface": list(ifaces.values())},
        "sabina-routing-options:routing-options": {
            "router-id": "192.0.2.1", "autonomous-system": 64512,
            "static": {"route": routes}},
    }


def main():
    lines = int(sys.argv[1])
    variant = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 0
    if "--json" in sys.argv:
        json.dump(build_json(lines, variant), sys.stdout)
        return
    text = build(lines, variant)
    sys.stdout.write("\n".join(text) + "\n")


if __name__ == "__main__":
    main()
