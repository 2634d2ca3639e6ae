;; Two calls of a function that only returns.
(module
  (memory (export "memory") 1)
  (func $f (return))
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (call $f) (call $f) (br $l))))
