;; A br out of four nested blocks per iteration.
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (block (block (block (block (br 3))))) (br $l))))
