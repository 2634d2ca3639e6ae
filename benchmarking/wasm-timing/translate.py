#!/usr/bin/env python3
"""Writes the corpus's code-loading shapes to DIR (benchmarking/wasm-timing.sh runs them): modules
of about SIZE bytes (default 120,000: near the reference runtime's 128 KiB `MaxCodeLen`) whose
`run` calls one large function once; its body, skipped at run time by a branch on a global, is
one operator sequence repeated (in an `if` never taken: its fuel is charged only if it runs), so
the call costs loading and translating the code, nearly nothing else. One module per sequence: which operator is the dearest to translate per byte
(loading is charged per byte of code, whatever it holds). Also: the dearest sequence never
entered (parsed only), and 4,000 empty functions entered or not (per-function work)."""
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
    load but never translated, so they pay `code_load_per_byte` only (no first-entry charge)."""
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


def main():
    out = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 120_000
    os.makedirs(out, exist_ok=True)
    shapes = {f"translate_{unit}": module(unit, size) for unit in UNITS}
    shapes["translate_never_entered"] = never_entered(size)
    shapes["translate_many_entered"] = many_functions(4_000, True)
    shapes["translate_many_unentered"] = many_functions(4_000, False)
    for name, text in shapes.items():
        with open(os.path.join(out, f"{name}.wat"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
