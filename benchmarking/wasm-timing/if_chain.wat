;; Four `if (local.get 0) (then nop)` per iteration.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32)
    (local.set 0 (i32.const 1))
    (loop $l (if (local.get 0) (then (nop))) (if (local.get 0) (then (nop))) (if (local.get 0) (then (nop))) (if (local.get 0) (then (nop))) (br $l))))
