;; Three memory.grow by 0 pages.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (drop (memory.grow (i32.const 0))) (drop (memory.grow (i32.const 0))) (drop (memory.grow (i32.const 0))) (br $l))))
