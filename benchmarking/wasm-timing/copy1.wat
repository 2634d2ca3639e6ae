;; Three memory.copy of 1 byte.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (memory.copy (i32.const 0) (i32.const 8) (i32.const 1)) (memory.copy (i32.const 0) (i32.const 8) (i32.const 1)) (memory.copy (i32.const 0) (i32.const 8) (i32.const 1)) (br $l))))
