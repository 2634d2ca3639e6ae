;; ALU: two i64.add of a local and a constant per iteration (the rate-setting kind of code).
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (local.set 1 (i64.add (local.get 1) (i64.const 1))) (local.set 1 (i64.add (local.get 1) (i64.const 1))) (br $l))))
