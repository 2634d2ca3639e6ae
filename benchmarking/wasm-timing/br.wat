;; The cheapest loop: `loop br 0 end` (a fuel check and a branch per iteration).
(module
  (memory (export "memory") 1)
  (func (export "constructor"))
  (func (export "run") (local i32) (local i64)
    (loop $l  (br $l))))
