;; Two memory.grow by 100,000 pages (refused: -1).
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (drop (memory.grow (i32.const 100000))) (drop (memory.grow (i32.const 100000))) (br $l))))
