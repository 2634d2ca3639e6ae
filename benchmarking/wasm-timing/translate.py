#!/usr/bin/env python3
"""Writes the corpus's code-loading shapes to DIR (benchmarking/wasm-timing.sh runs them): modules
of about SIZE bytes (default 120,000: near the reference runtime's 128 KiB `MaxCodeLen`) whose
`run` calls one large function once; its body, skipped at run time by a branch on a global, is
one operator sequence repeated (in an `if` never taken: its fuel is charged only if it runs), so
the call costs loading and translating the code, nearly nothing else. One module per sequence: which operator is the dearest to translate per byte
(loading is charged per byte of code, whatever it holds). Also: the dearest sequence never
entered (parsed only), and 4,000 empty functions entered or not (per-function work). And the
sections besides code, as large as the limits allow, with nothing entered (`load_*`: what
loading costs per byte of types, imports, exports, data and element segments)."""
import os
import sys

UNITS = {
    "call": "call $big",
    "global_drop": "global.get $g drop",
    "const_drop": "i32.const 1 drop",
    "block_end": "block end",
    "if_end": "global.get $g if end",
    "global_copy": "global.get $g global.set $g",
    "load_drop": "global.get $g i32.load drop",
    "add_chain": "global.get $g global.get $g i32.add global.set $g",
    "nop": "nop",
    "loop_end": "loop end",
    "if_else_end": "global.get $g if else end",
    "block_br_end": "block br 0 end",
    "if_if_end": "global.get $g if global.get $g if end end",
}
# Encoded bytes per unit (function index and global index below 128).
BYTES = {"call": 2, "global_drop": 3, "const_drop": 3, "block_end": 3, "if_end": 5,
         "global_copy": 4, "load_drop": 6, "add_chain": 7, "nop": 1, "loop_end": 3,
         "if_else_end": 6, "block_br_end": 5, "if_if_end": 10}


def module(unit, size):
    n = size // BYTES[unit]
    body = "\n".join([UNITS[unit]] * n)
    return f"""(module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "constructor"))
  (func (export "run") (call $big))
  (func $big
    (if (global.get $g)
      (then
{body}
      )))
)
"""


def never_entered(size):
    """The dearest sequence's module with `run` not calling `$big`: its bytes are parsed at every
    load but never translated, so they pay `code_load_per_body_byte` only (no first-entry charge)."""
    return module("if_else_end", size).replace('(func (export "run") (call $big))',
                                               '(func (export "run"))')


def many_functions(functions, entered):
    """`functions` empty functions (the reference limit is 4,096), each called once by `run` if
    `entered`: per-function translation work against per-function and first-entry charges."""
    calls = "\n".join(f"call $f{i}" for i in range(functions)) if entered else ""
    funcs = "\n".join(f"  (func $f{i})" for i in range(functions))
    return f"""(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run")
{calls}
  )
{funcs}
)
"""


def load_module(items, memory=1, table=""):
    """A module whose `run` does nothing, with `items` (module fields) besides it."""
    return f"""(module
  (memory (export "memory") {memory})
  {table}
  (func $run (export "run"))
  (func (export "constructor"))
{items}
)
"""


def load_shapes(size):
    """Loading-only shapes: every field is parsed and instantiated at each load, none entered."""
    shapes = {}
    # Function types and exports are limited (256 each): as many as allowed, with as many
    # bytes as fit (loading reads every parameter and name byte).
    params = " ".join(["i32 i64"] * (size // 256 // 2))
    shapes["load_types"] = load_module("\n".join(
        f"(type (func (param {params} {'i32' if i & 1 else 'i64'} {'i32' if i & 2 else 'i64'}"
        f" {' '.join('i32' if i >> b & 1 else 'i64' for b in range(2, 8))})))"
        for i in range(255)))
    shapes["load_types_distinct"] = load_module("\n".join(
        f"(type (func (param {' '.join('i64' if i >> b & 1 else 'i32' for b in range(16))})))"
        for i in range(255)))
    # Imports (they count as functions: 4,000 of the 4,096 allowed), 20 bytes each.
    imports = "\n".join(f'(import "qnet" "qnet_gas_left" (func $i{i} (result i64)))'
                        for i in range(4_000))
    # Imports come before any function definition in the text format.
    shapes["load_imports"] = load_module("").replace("(module\n", "(module\n" + imports + "\n", 1)
    # Exports of `run`: 253 (the limit, besides `memory`, `constructor` and `run`) short
    # names, and 253 names of ~450 bytes.
    shapes["load_exports"] = load_module("\n".join(f'(export "e{i:x}" (func $run))'
                                                    for i in range(253)))
    long = "x" * (size // 253 - 8)
    shapes["load_export_names"] = load_module("\n".join(f'(export "{long}{i:x}" (func $run))'
                                                        for i in range(253)))
    # 1,024 active data segments (the limit) of ~110 bytes over one page.
    chunk = max(1, size // 1_024 - 8)
    data = "".join(f"\\{b:02x}" for b in bytes(range(256)) * (chunk // 256 + 1))[: chunk * 3]
    shapes["load_data_active"] = load_module("\n".join(f'(data (i32.const {i * 8}) "{data}")'
                                                        for i in range(1_024)))
    shapes["load_data_passive"] = load_module("\n".join(f'(data "{data}")' for _ in range(1_024)))
    # Element segments of 4,096 function indices (the table's limit, 2 bytes each).
    per_segment = 4_096
    segments = max(1, size // (2 * per_segment))
    refs = " ".join("$run" for _ in range(per_segment))
    shapes["load_elements"] = load_module(
        "\n".join(f"(elem (i32.const 0) func {refs})" for _ in range(segments)),
        table="(table 4096 funcref)")
    # Bodies that declare 1,024 locals one at a time (2 bytes each): loading reads every
    # declaration (the locals charge), then skips the body; never entered.
    decls = " ".join("(local i32) (local i64)" for _ in range(512))
    shapes["load_locals_decls"] = load_module(
        "\n".join(f"(func $l{i} {decls})" for i in range(size // 2_060)))
    return shapes


def main():
    out = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 120_000
    os.makedirs(out, exist_ok=True)
    shapes = {f"translate_{unit}": module(unit, size) for unit in UNITS}
    shapes["translate_never_entered"] = never_entered(size)
    shapes["translate_many_entered"] = many_functions(4_000, True)
    shapes["translate_many_unentered"] = many_functions(4_000, False)
    shapes.update(load_shapes(size))
    for name, text in shapes.items():
        with open(os.path.join(out, f"{name}.wat"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
