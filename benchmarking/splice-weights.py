#!/usr/bin/env python3
"""Splices the benchmarks of a partial run into pallets/qvm/src/weights.rs.

    splice-weights.py PARTIAL.rs TARGET.rs

`run-weights.sh` writes a partial run (BENCHMARKS=a,b,...) to a temporary file and calls this:
every function of PARTIAL replaces the function of the same name in TARGET's trait, its
`SubstrateWeight` impl (with its storage comments) and its `()` impl, or is inserted after the
function that precedes it in PARTIAL (at the end of the section if none does). The header of
TARGET is kept, with a line naming the spliced benchmarks and their date.
"""
import re
import sys

FN = re.compile(r"^\tfn (\w+)\(")


def sections(text):
    """(head, [trait, substrate, unit] item lists, tails) of a generated weights file."""
    lines = text.split("\n")
    starts = [i for i, l in enumerate(lines)
              if l.startswith("pub trait WeightInfo") or l.startswith("impl")]
    if len(starts) != 3:
        sys.exit("unexpected weights file layout")
    parts = []
    for n, s in enumerate(starts):
        end = next(i for i in range(s + 1, len(lines)) if lines[i] == "}")
        parts.append((s, end))
    return lines, parts


def items(lines, start, end):
    """Ordered (name, [lines]) of the functions between start and end (comments included)."""
    out, pending = [], []
    i = start + 1
    while i < end:
        l = lines[i]
        m = FN.match(l)
        if m:
            body = pending + [l]
            pending = []
            if not l.rstrip().endswith(";"):
                while lines[i] != "\t}":
                    i += 1
                    body.append(lines[i])
            out.append([m.group(1), body])
        elif l.startswith("\t///"):
            pending.append(l)
        i += 1
    return out


def main(partial_path, target_path):
    new_lines, new_parts = sections(open(partial_path).read())
    old_lines, old_parts = sections(open(target_path).read())
    result = old_lines[: old_parts[0][0] + 1]
    spliced = []
    for k in range(3):
        old = items(old_lines, *old_parts[k])
        new = items(new_lines, *new_parts[k])
        for idx, (name, body) in enumerate(new):
            spliced.append(name)
            names = [n for n, _ in old]
            if name in names:
                old[names.index(name)][1] = body
                continue
            prev = new[idx - 1][0] if idx > 0 else None
            at = names.index(prev) + 1 if prev in names else len(old)
            old.insert(at, [name, body])
        for _, body in old:
            result.extend(body)
        result.append("}")
        if k < 2:
            result.extend(old_lines[old_parts[k][1] + 1 : old_parts[k + 1][0] + 1])
    result.extend(old_lines[old_parts[2][1] + 1 :])
    date = re.search(r"DATE (\S+)", open(partial_path).read())
    names = ", ".join(dict.fromkeys(spliced))
    run = f"{date.group(1) if date else '?'}: {names}"
    previous = [i for i, l in enumerate(result) if l.startswith("//! Spliced from partial runs")]
    if previous:
        result[previous[0]] = result[previous[0]].rstrip(".") + f"; then {run}."
    else:
        for i, l in enumerate(result):
            if l.startswith("//! CLI VERSION"):
                result.insert(i + 1, f"//! Spliced from partial runs ({run}).")
                break
    open(target_path, "w").write("\n".join(result))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
