;; Constructor: memory.grow by 1 page until refused (the dearest way to grow).
(module
  (memory (export "memory") 1)
  (func (export "constructor")
    (block $done (loop $l
      (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
      (br $l))))
  (func (export "run")))
