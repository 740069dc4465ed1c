#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turns bench/results/raw.jsonl (one measurement a line, written by bench/run.sh) into the
figures: median, min and max of the runs of each case and variant, ratios against the baseline
measured in the same run, targets. Writes RESULTS/{machine,decap,encap,tcp,scale,control}.json
and RESULTS/summary.json, and prints the table.

    bench/report.py RAW RESULTS_DIR

Packet rates are packets per second of CPU time on the generator's CPU (the generator thread,
in whose context the softirqs of the whole path run, plus that CPU's ksoftirqd): the machine is
shared, and wall-clock rates measure the neighbours as much as the datapath. Wall-clock rates
are kept next to them ("pps_wall")."""
import json
import os
import statistics
import sys
from collections import defaultdict


def stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values), "runs": values}


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def group(rows, phase):
    """{case: {variant: [rows of the timed runs]}}, {case: {variant: stats row}}, {case: cmd}"""
    runs, prof, cmds = defaultdict(lambda: defaultdict(list)), defaultdict(dict), {}
    for r in rows:
        if r["phase"] != phase:
            continue
        if r["variant"] == "_cmd":
            cmds[r["case"]] = r["cmd"]
        elif r["rep"] == -1:
            prof[r["case"]][r["variant"]] = r
        else:
            runs[r["case"]][r["variant"]].append(r)
    return runs, prof, cmds


def ratio(a, b):
    return a / b if a and b else None


def paired(xs, ys, key):
    """median of the per-run ratios x/y of runs made next to each other (same rep)"""
    by = {r["rep"]: r[key] for r in ys}
    rs = [r[key] / by[r["rep"]] for r in xs if by.get(r["rep"])]
    return stats(rs)


def rate_figures(rows, phase, base, target):
    runs, prof, cmds = group(rows, phase)
    out = {}
    for case in sorted(runs):
        fig = {"command": cmds.get(case), "variants": {}}
        for v, rs in runs[case].items():
            ok = [r for r in rs if r.get("delivered")]
            fig["variants"][v] = {
                "pps_cpu": stats([r["pps_cpu"] for r in ok]),
                "ns_per_pkt_cpu": stats([r["ns_per_pkt_cpu"] for r in ok]),
                "pps_wall": stats([r["pps"] for r in ok]),
                "delivered_fraction": stats([r["delivered"] / r["sent"] for r in rs if r["sent"]]),
                "prog_ns": prof[case].get(v, {}).get("prog_ns"),
                "prog": prof[case].get(v, {}).get("prog"),
            }
        g = fig["variants"].get("gif", {}).get("pps_cpu")
        b = fig["variants"].get(base, {}).get("pps_cpu")
        fig["ratio_of_medians"] = ratio(g and g["median"], b and b["median"])
        # The figure: the median of the ratios of runs made next to each other (same rep), which
        # a neighbour's burst during one run moves much less than the ratio of two medians.
        fig["ratio_paired"] = paired(runs[case].get("gif", []), runs[case].get(base, []),
                                     "pps_cpu")
        fig["ratio"] = fig["ratio_paired"]["median"] if fig["ratio_paired"] else None
        fig["target"] = target
        fig["met"] = fig["ratio"] is not None and fig["ratio"] >= target
        if "redir" in fig["variants"]:
            rp = paired(runs[case].get("gif", []), runs[case].get("redir", []), "pps_cpu")
            fig["ratio_redirect"] = rp["median"] if rp else None
        if "tc" in fig["variants"]:
            t = fig["variants"]["tc"]["pps_cpu"]
            fig["ratio_tc"] = ratio(t and t["median"], b and b["median"])
            fig["xdp_over_tc"] = ratio(g and g["median"], t and t["median"])
        out[case] = fig
    return out


def iperf_result(r):
    """Gbit/s, CPU seconds (client + server) and Gbit per CPU-second of one iperf3 report"""
    j = r.get("iperf") or {}
    try:
        rec, cpu = j["end"]["sum_received"], j["end"]["cpu_utilization_percent"]
    except (KeyError, TypeError):
        return
    s = (cpu["host_total"] + cpu["remote_total"]) / 100 * rec["seconds"]
    r["gbps"] = rec["bits_per_second"] / 1e9
    r["cpu_s"] = s
    r["gbit_per_cpu_s"] = rec["bytes"] * 8 / 1e9 / s if s else None
    r["retransmits"] = j["end"].get("sum_sent", {}).get("retransmits")
    del r["iperf"]


def tcp_figures(rows):
    for r in rows:
        if r["phase"] == "tcp" and "iperf" in r:
            iperf_result(r)
    runs, _, cmds = group(rows, "tcp")
    out = {}
    for case in sorted(runs):
        fig = {"command": cmds.get(case), "variants": {}}
        for v, rs in runs[case].items():
            ok = [r for r in rs if "gbps" in r]
            fig["variants"][v] = {"gbps": stats([r["gbps"] for r in ok]),
                                  "gbit_per_cpu_s": stats([r["gbit_per_cpu_s"] for r in ok]),
                                  "retransmits": stats([r.get("retransmits") for r in ok])}
        for key, suffix in (("gbit_per_cpu_s", ""), ("gbps", "_wall")):
            med = {v: f[key]["median"] for v, f in fig["variants"].items() if f[key]}
            fig["ratio_xdp" + suffix] = ratio(med.get("gif-xdp"), med.get("bare"))
            fig["ratio_tc" + suffix] = ratio(med.get("gif-tc"), med.get("bare"))
            fig["ratio_xdp_vs_bare_xdp" + suffix] = ratio(med.get("gif-xdp"), med.get("bare-xdp"))
            fig["tc_over_xdp" + suffix] = ratio(med.get("gif-tc"), med.get("gif-xdp"))
        # Paced to the same rate, Gbit per CPU-second is what a Gbit costs: the tunnel's price
        # without the throughput swings of saturated TCP.
        med = {v: f["gbit_per_cpu_s"]["median"] for v, f in fig["variants"].items()
               if f["gbit_per_cpu_s"]}
        fig["ratio_tc_paced"] = ratio(med.get("gif-tc-paced"), med.get("bare-paced"))
        fig["target"] = 0.9
        best = max(fig.get("ratio_xdp") or 0, fig.get("ratio_tc") or 0)
        fig["met_xdp"] = (fig.get("ratio_xdp") or 0) >= 0.9
        fig["met_tc"] = (fig.get("ratio_tc") or 0) >= 0.9
        fig["best_ratio"] = best
        out[case] = fig
    return out


def scale_figures(rows):
    runs, prof, cmds = group(rows, "scale")
    out = {"command": cmds.get("4in4-64"), "tunnels": {}, "fill": {}}
    for v, rs in runs.get("4in4-64", {}).items():
        n = int(v[1:])
        out["tunnels"][n] = {
            "ns_per_pkt_cpu": stats([r["ns_per_pkt_cpu"] for r in rs]),
            "pps_cpu": stats([r["pps_cpu"] for r in rs]),
            "legs": {str(leg): stats([r["ns_per_pkt_cpu"] for r in rs if r["rep"] // 100 == leg])
                     for leg in sorted({r["rep"] // 100 for r in rs})},
            "prog_ns": prof["4in4-64"].get(v, {}).get("prog_ns"),
        }
    for v, rs in runs.get("fill", {}).items():
        out["fill"][int(v[1:])] = stats([r["s"] for r in rs])
    t = out["tunnels"]
    if 1 in t and 65536 in t:
        out["cost_ratio_65536"] = ratio(t[65536]["ns_per_pkt_cpu"]["median"],
                                        t[1]["ns_per_pkt_cpu"]["median"])
        out["prog_ratio_65536"] = ratio(t[65536]["prog_ns"], t[1]["prog_ns"])
    if 1 in t and 1024 in t:
        out["cost_ratio_1024"] = ratio(t[1024]["ns_per_pkt_cpu"]["median"],
                                       t[1]["ns_per_pkt_cpu"]["median"])
    out["target"] = 1.1
    out["met"] = out.get("cost_ratio_65536") is not None and out["cost_ratio_65536"] <= 1.1
    return out


def control_figures(rows):
    runs, _, cmds = group(rows, "control")
    out = {}
    for case, vs in runs.items():
        rs = vs.get("gifctl") or vs.get("ip") or []
        n = rs[0]["n"] if rs else 0
        out[case] = {"command": cmds.get(case), "n": n, "seconds": stats([r["s"] for r in rs]),
                     "cpu_seconds": stats([r.get("cpu_s") for r in rs]),
                     "ms_per_tunnel": stats([r["s"] * 1000 / r["n"] for r in rs]),
                     "cpu_ms_per_tunnel": stats([r["cpu_s"] * 1000 / r["n"] for r in rs
                                                 if "cpu_s" in r])}
        if rs and "done" in rs[0]:
            out[case]["finished"] = all(r["done"] for r in rs)
        if rs and "bytes" in rs[0]:
            out[case]["bytes"] = rs[0]["bytes"]
        if vs.get("skipped"):
            out[case]["skipped"] = "not measured: no time left in the budget"
            out[case]["n"] = vs["skipped"][0]["n"]
        if vs.get("incomplete"):
            r = vs["incomplete"][0]
            out[case]["n"] = r["n"]
            out[case]["incomplete"] = {"made": r["made"], "s": r["s"], "cpu_s": r["cpu_s"]}
            out[case]["skipped"] = ("stopped by the budget after %.0f s with %d of %d tunnels"
                                    " made" % (r["s"], r["made"], r["n"]))
    for case in [c for c in out if c.startswith("devices-")]:
        apply = runs.get("apply-" + case.split("-")[1], {}).get("gifctl", [])
        devs = {r["rep"]: r["s"] for r in runs[case].get("ip", [])}
        ratios = [r["s"] / devs[r["rep"]] for r in apply if devs.get(r["rep"])]
        if ratios:
            out[case]["apply_ratio"] = stats(ratios)
    return out


def fmt_rate(s):
    return "%.2f M" % (s["median"] / 1e6) if s else "-"


def mm(s, scale=1.0, f="%.2f"):
    if not s:
        return "-"
    return (f + " [" + f + "–" + f + "]") % (s["median"] * scale, s["min"] * scale,
                                              s["max"] * scale)


def table(res):
    lines = []
    m = res.get("machine", {})
    lines.append("machine: %s, %s CPUs%s, kernel %s, load %.1f at start, %.1f at end; gifctl %s%s" % (
        m.get("cpu"), m.get("cpus"), " (VM)" if m.get("virtual") else "", m.get("kernel"),
        m.get("load_at_start", 0), m.get("load_at_end", 0), m.get("commit"),
        " + uncommitted datapath changes" if m.get("datapath_dirty_files") else ""))
    for phase, title, target in (("decap", "Decapsulation", 0.95), ("encap", "Encapsulation", 0.9)):
        if not res.get(phase):
            continue
        cols = ["gif", "base", "redir", "tc"] if phase == "decap" else ["gif", "base"]
        names = {"gif": "gifctl", "base": "baseline", "redir": "plain redirect", "tc": "TC-ingress"}
        lines.append("")
        lines.append("%s rate, Mpps per CPU-second, median [min–max]; target gifctl >= %.2fx "
                     "baseline (ratio: median of the per-run ratios, side by side; of-med: ratio "
                     "of the medians%s)"
                     % (title, target, "; redir: against the plain redirect"
                        if phase == "decap" else ""))
        lines.append("  %-10s " % "case" + " ".join("%-20s" % names[c] for c in cols) +
                     " %6s %6s %6s  %s" % ("ratio", "of-med", "redir", "prog ns " + "/".join(cols)))
        for case, f in res[phase].items():
            v = f["variants"]
            row = "  %-10s " % case + " ".join("%-20s" % mm(v.get(c, {}).get("pps_cpu"), 1e-6)
                                               for c in cols)
            pr = "/".join("%.0f" % v[c]["prog_ns"] if v.get(c, {}).get("prog_ns") else "-"
                          for c in cols)
            row += " %6s %6s %6s  %s %s" % (
                "%.3f" % f["ratio"] if f["ratio"] else "-",
                "%.3f" % f["ratio_of_medians"] if f.get("ratio_of_medians") else "-",
                "%.3f" % f["ratio_redirect"] if f.get("ratio_redirect") else "-",
                pr, "met" if f["met"] else "MISSED")
            lines.append(row)
    if res.get("tcp"):
        for key, unit in (("gbit_per_cpu_s", "Gbit per CPU-second (client + server)"),
                          ("gbps", "Gbit/s wall clock")):
            sfx = "" if key == "gbit_per_cpu_s" else "_wall"
            lines.append("")
            lines.append("TCP throughput, %s, median [min–max]; target gif >= 0.9x bare" % unit)
            lines.append("  %-9s %-22s %-22s %-22s %-22s %6s %6s" % (
                "case", "bare (no XDP)", "bare, gifctl XDP on", "gif, XDP decap",
                "gif, TC decap", "xdp", "tc"))
            for case, f in res["tcp"].items():
                v = f["variants"]
                lines.append("  %-9s %-22s %-22s %-22s %-22s %6s %6s" % (
                    case, mm(v.get("bare", {}).get(key)), mm(v.get("bare-xdp", {}).get(key)),
                    mm(v.get("gif-xdp", {}).get(key)), mm(v.get("gif-tc", {}).get(key)),
                    "%.2f" % f["ratio_xdp" + sfx] if f["ratio_xdp" + sfx] else "-",
                    "%.2f" % f["ratio_tc" + sfx] if f["ratio_tc" + sfx] else "-"))
    if any(f.get("ratio_tc_paced") for f in res.get("tcp", {}).values()):
        lines.append("")
        lines.append("TCP, one stream paced (iperf3 -b), Gbit per CPU-second (client + server), median"
                     " [min–max]: what a Gbit costs (no target); Gbit/s reached")
        lines.append("  %-9s %-22s %-22s %6s %14s" % ("case", "bare (no XDP)", "gif, TC decap",
                                                     "tc", "Gbit/s"))
        for case, f in res["tcp"].items():
            v = f["variants"]
            if not f.get("ratio_tc_paced"):
                continue
            reached = "/".join(mm(v.get(p, {}).get("gbps"), 1, "%.1f").split()[0]
                               for p in ("bare-paced", "gif-tc-paced"))
            lines.append("  %-9s %-22s %-22s %6s %14s" % (
                case, mm(v.get("bare-paced", {}).get("gbit_per_cpu_s")),
                mm(v.get("gif-tc-paced", {}).get("gbit_per_cpu_s")),
                "%.2f" % f["ratio_tc_paced"], reached))
    s = res.get("scale")
    if s and s.get("tunnels"):
        lines.append("")
        lines.append("Scale: 4in4 64 B decapsulation, ns per packet (CPU), median [min–max];"
                     " target cost(65536) <= 1.1x cost(1)")
        for n, f in sorted(s["tunnels"].items()):
            lines.append("  %6d tunnels  path %-26s  gif_xdp_rx %s ns" % (
                n, mm(f["ns_per_pkt_cpu"], 1, "%.0f"),
                "%.0f" % f["prog_ns"] if f["prog_ns"] else "-"))
        lines.append("  ratio 65536/1: path %s, program %s  %s" % (
            "%.3f" % s["cost_ratio_65536"] if s.get("cost_ratio_65536") else "-",
            "%.3f" % s["prog_ratio_65536"] if s.get("prog_ratio_65536") else "-",
            "met" if s.get("met") else "MISSED"))
    c = res.get("control")
    if c:
        lines.append("")
        lines.append("Control plane: wall seconds and gifctl CPU seconds, median [min–max] (runs);"
                     " per tunnel")
        order = {"netns": 0, "set": 1, "apply": 2, "devices": 3, "reapply": 4, "show": 5,
                 "teardown": 6}
        for case in sorted(c, key=lambda k: (c[k]["n"], order.get(k.split("-")[0], 9))):
            if c[case].get("skipped") and not c[case]["seconds"]:
                lines.append("  %-14s %6d  %s" % (case, c[case]["n"], c[case]["skipped"]))
            if c[case]["seconds"]:
                f = c[case]
                lines.append("  %-14s %6d  wall %-28s cpu %-28s (%d)  %s ms wall, %s ms cpu per tunnel" % (
                    case, f["n"], mm(f["seconds"], 1, "%.3f"), mm(f["cpu_seconds"], 1, "%.3f"),
                    f["seconds"]["n"], "%.2f" % f["ms_per_tunnel"]["median"],
                    "%.2f" % f["cpu_ms_per_tunnel"]["median"] if f["cpu_ms_per_tunnel"] else "-")
                    + ("  (kernel still removing devices when the budget ran out)"
                       if f.get("finished") is False else ""))
                if f.get("apply_ratio"):
                    lines.append("  %-14s %6s  apply / devices, side by side: %s" % (
                        "", "", mm(f["apply_ratio"], 1, "%.2f")))
    return "\n".join(lines)


def main():
    raw, outdir = sys.argv[1], sys.argv[2]
    rows = load(raw)
    res = {}
    mach = [r for r in rows if r["phase"] == "machine"]
    if mach:
        res["machine"] = {k: v for k, v in mach[0].items()
                          if k not in ("phase", "case", "variant", "rep")}
        end = [r for r in rows if r["phase"] == "machine_end"]
        res["machine"]["load_at_end"] = end[0]["load"] if end else os.getloadavg()[0]
        if end and "seconds" in end[0]:
            res["machine"]["suite_seconds"] = end[0]["seconds"]
    phases = {r["phase"] for r in rows}
    if "decap" in phases:
        res["decap"] = rate_figures(rows, "decap", "base", 0.95)
    if "encap" in phases:
        res["encap"] = rate_figures(rows, "encap", "base", 0.9)
    if "tcp" in phases:
        res["tcp"] = tcp_figures(rows)
    if "scale" in phases:
        res["scale"] = scale_figures(rows)
    if "control" in phases:
        res["control"] = control_figures(rows)
    for k, v in res.items():
        with open(os.path.join(outdir, k + ".json"), "w") as f:
            json.dump(v, f, indent=1, sort_keys=True)
            f.write("\n")
    text = table(res)
    with open(os.path.join(outdir, "summary.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(outdir, "table.txt"), "w") as f:
        f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
