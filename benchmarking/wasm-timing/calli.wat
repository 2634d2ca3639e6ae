;; Two call_indirect of an empty function.
(module
  (memory (export "memory") 1)
  (table 1 funcref) (elem (i32.const 0) $f) (func $f)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (call_indirect (i32.const 0)) (call_indirect (i32.const 0)) (br $l))))
