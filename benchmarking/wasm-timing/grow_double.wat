;; Constructor: memory.grow by memory.size until refused (doubling to the limit).
(module
  (memory (export "memory") 1)
  (func (export "constructor")
    (block $done (loop $l
      (br_if $done (i32.eq (memory.grow (memory.size)) (i32.const -1)))
      (br $l))))
  (func (export "run")))
