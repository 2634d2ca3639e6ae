;; global.get + global.set of a mutable i64.
(module
  (memory (export "memory") 1)
  (global (mut i64) (i64.const 0))
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (global.set 0 (global.get 0)) (br $l))))
