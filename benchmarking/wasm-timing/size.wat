;; Three memory.size.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (drop (memory.size)) (drop (memory.size)) (drop (memory.size)) (br $l))))
