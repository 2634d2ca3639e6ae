;; Three data.drop of a passive segment.
(module
  (memory (export "memory") 1)
  (data "abcdefgh")
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l (data.drop 0) (data.drop 0) (data.drop 0) (br $l))))
