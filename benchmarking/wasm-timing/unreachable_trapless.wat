;; A br over an unreachable per iteration.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (block (br 0) (unreachable)) (br $l))))
