;; Two memory.init of 0 bytes.
(module
  (memory (export "memory") 1)
  (data "abcdefgh")
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)) (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)) (br $l))))
