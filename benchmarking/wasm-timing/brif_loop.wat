;; `loop (br_if 0 (local.get 0))`: a backward br_if.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32)
    (local.set 0 (i32.const 1))
    (loop $l (br_if $l (local.get 0)))))
