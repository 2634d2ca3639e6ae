;; A select of a local and a constant.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (local.set 1 (select (local.get 1) (i64.const 2) (local.get 0))) (br $l))))
