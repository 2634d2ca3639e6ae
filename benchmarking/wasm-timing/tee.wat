;; local.tee/local.set shuffles.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (local.set 0 (local.tee 0 (local.get 0))) (local.set 0 (local.tee 0 (local.get 0))) (br $l))))
