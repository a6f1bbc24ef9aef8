#!/usr/bin/python3
"""Generates a large Junos configuration for the configuration benchmarks.

The mix follows issue 2: static routes, interface units (with VLANs and addresses) and a large
block of configuration used through groups. It is a text generator, nothing is sent anywhere.

usage: gen_config.py LINES [VARIANT] [--json]   (prints to stdout)

VARIANT != 0 changes the next hop of every 100th route, for `show | compare` timing.
--json prints the same configuration, groups expanded, as YANG JSON instance data of the
modules in yang/, for the libyang (yanglint) reference measurement.
"""
import ipaddress
import json
import sys


def model(lines, variant=0):
    """The configuration as data: (group units, direct units, routes).

    A unit is (interface, unit number, description, vlan-id, family, address); a route is
    (prefix, next hop). Per 100k lines: ~20k routes, ~4k direct units (~7 lines each) and the
    rest as units inside the group.
    """
    n_routes = lines // 5
    n_units = lines // 25
    n_group_units = max(1, (lines - n_routes - n_units * 7) // 7)
    group_units = []
    for i in range(n_group_units):
        unit = i % 1000 + 1
        group_units.append((f"xe-1/{i // 1000 // 48}/{i // 1000 % 48}", unit, f"bulk unit {i}",
                            unit % 4094 + 1, "inet6",
                            f"2001:db8:{i // 65536:x}:{i % 65536:x}::1/64"))
    units = []
    for i in range(n_units):
        unit = i % 500 + 1
        a = ipaddress.IPv4Address("10.0.0.0") + 4 * i
        units.append((f"ge-0/{i // 500 // 48}/{i // 500 % 48}", unit, f"customer {i}", unit,
                      "inet", f"{a + 1}/30"))
    routes = []
    base = ipaddress.IPv4Address("172.16.0.0")
    for i in range(n_routes):
        nh = ipaddress.IPv4Address("10.0.0.0") + 4 * (i % max(n_units, 1)) + 2
        if variant and i % 100 == 0:
            nh = ipaddress.IPv4Address("192.0.2.1")
        routes.append((f"{base + 256 * i}/24", str(nh)))
    return group_units, units, routes


def curly_interfaces(units, indent):
    """`interfaces { ... }` body lines for units grouped by interface, at `indent` spaces."""
    pad = " " * indent
    out = []
    current = None
    for ifname, unit, descr, vlan, family, address in units:
        if ifname != current:
            if current is not None:
                out.append(f"{pad}}}")
            out += [f"{pad}{ifname} {{", f"{pad}    vlan-tagging;"]
            current = ifname
        out += [f"{pad}    unit {unit} {{",
                f'{pad}        description "{descr}";',
                f"{pad}        vlan-id {vlan};",
                f"{pad}        family {family} {{",
                f"{pad}            address {address};",
                f"{pad}        }}",
                f"{pad}    }}"]
    if current is not None:
        out.append(f"{pad}}}")
    return out


def build(lines, variant=0):
    group_units, units, routes = model(lines, variant)
    out = ["version 24.2R1;", "groups {", "    bulk {", "        interfaces {"]
    out += curly_interfaces(group_units, 12)
    out += ["        }", "    }", "}", "apply-groups bulk;",
            "system {", "    host-name bench;", "    name-server {", "        192.0.2.53;",
            "    }", "}", "interfaces {"]
    out += curly_interfaces(units, 4)
    out += ["}", "routing-options {", "    router-id 192.0.2.1;",
            "    autonomous-system 64512;", "    static {"]
    out += [f"        route {p} next-hop {nh};" for p, nh in routes]
    out += ["    }", "}"]
    return out


def build_json(lines, variant=0):
    """The configuration of build(), as the effective data (groups applied) in YANG JSON."""
    group_units, units, routes = model(lines, variant)
    ifaces = {}
    for ifname, unit, descr, vlan, family, address in group_units + units:
        ifc = ifaces.setdefault(ifname, {"name": ifname, "vlan-tagging": [None], "unit": []})
        ifc["unit"].append({"name": unit, "description": descr, "vlan-id": vlan,
                            "family": {family: {"address": [{"name": address}]}}})
    return {
        "sabina-version:version": "24.2R1",
        "sabina-system:system": {"host-name": "bench", "name-server": [{"name": "192.0.2.53"}]},
        "sabina-interfaces:interfaces": {"interface": list(ifaces.values())},
        "sabina-routing-options:routing-options": {
            "router-id": "192.0.2.1", "autonomous-system": 64512,
            "static": {"route": [{"name": p, "next-hop": [nh]} for p, nh in routes]}},
    }


def main():
    lines = int(sys.argv[1])
    variant = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 0
    if "--json" in sys.argv:
        json.dump(build_json(lines, variant), sys.stdout)
        return
    sys.stdout.write("\n".join(build(lines, variant)) + "\n")


if __name__ == "__main__":
    main()
